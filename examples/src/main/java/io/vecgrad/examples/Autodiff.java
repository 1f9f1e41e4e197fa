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
}
