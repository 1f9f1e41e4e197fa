package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.util.function.UnaryOperator;

/**
 * HIPS-autograd style {@code grad(f)} for the examples that minimise a plain function of a few
 * numbers: f maps a 1-D float64 tensor of parameters to a scalar tensor; each call builds a
 * fresh graph and runs backward.
 */
final class Autodiff {
    private Autodiff() {}

    /** {@code [f(p), df/dp_0, df/dp_1, ...]}. */
    static double[] valueAndGrad(UnaryOperator<Tensor> f, double... p) {
        Tensor x = Tensor.fromArray(F64, p, p.length).requiresGrad(true);
        Tensor y = f.apply(x);
        y.backward();
        double[] g = x.grad().toDoubleArray();
        double[] r = new double[p.length + 1];
        r[0] = y.item();
        System.arraycopy(g, 0, r, 1, g.length);
        return r;
    }

    /** {@code df/dp}. */
    static double[] grad(UnaryOperator<Tensor> f, double... p) {
        double[] vg = valueAndGrad(f, p);
        double[] g = new double[p.length];
        System.arraycopy(vg, 1, g, 0, g.length);
        return g;
    }

    /** f(p) without recording. */
    static double value(UnaryOperator<Tensor> f, double... p) {
        try (var _ = Tensor.noGrad()) {
            return f.apply(Tensor.fromArray(F64, p, p.length)).item();
        }
    }

    /** The Euclidean norm. */
    static double norm(double... v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    /** {@code x^2 + 10 y^2}: the ill-conditioned bowl used by several examples. */
    static Tensor bowl(Tensor p) {
        return p.square().mul(Tensor.of(1.0, 10)).sum();
    }

    /**
     * The Hessian of f at p by central differences of autograd gradients,
     * {@code H[i][j] = (∂_j f(p + h e_i) - ∂_j f(p - h e_i)) / 2h}, symmetrised. The engine has
     * no double backward (no {@code create_graph}), so second derivatives come from first ones.
     */
    static double[][] hessian(UnaryOperator<Tensor> f, double h, double... p) {
        int n = p.length;
        double[][] hs = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[i] += h;
            minus[i] -= h;
            double[] gp = grad(f, plus);
            double[] gm = grad(f, minus);
            for (int j = 0; j < n; j++) {
                hs[i][j] = (gp[j] - gm[j]) / (2 * h);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double m = 0.5 * (hs[i][j] + hs[j][i]);
                hs[i][j] = m;
                hs[j][i] = m;
            }
        }
        return hs;
    }

    /** Eigenvalues of a symmetric 2×2 matrix, ascending. */
    static double[] eigenvalues2(double[][] m) {
        double tr = m[0][0] + m[1][1];
        double diff = m[0][0] - m[1][1];
        double disc = Math.sqrt(diff * diff / 4 + m[0][1] * m[1][0]);
        return new double[] {tr / 2 - disc, tr / 2 + disc};
    }
}
