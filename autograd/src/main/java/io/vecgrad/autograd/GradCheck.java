package io.vecgrad.autograd;

import io.vecgrad.engine.DType;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Checks analytic gradients against central finite differences in float64, for built-in ops,
 * compositions and custom {@link Function}s alike.
 *
 * <p>Two checks: the inner-product identity {@code <Jᵀc, t> = <c, J t>} for a random upstream
 * gradient {@code c} and a random direction {@code t} (one backward and two extra forward
 * evaluations, any input size), and, for inputs of at most {@link #FULL_JACOBIAN_LIMIT}
 * elements, the full Jacobian column by column.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> in[0].tanh().mul(in[1]).sum(), x, w);
 * r.assertOk();
 * }</pre>
 */
public final class GradCheck {
    /** Inputs up to this many elements (all together) also get the full-Jacobian check. */
    public static final int FULL_JACOBIAN_LIMIT = 256;

    private GradCheck() {}

    /** A function of several tensors. */
    @FunctionalInterface
    public interface Fn {
        /** Computes the output from the inputs. */
        Tensor apply(Tensor[] inputs);
    }

    /** The outcome: the worst mismatches found and whether they are within tolerance. */
    public record Result(boolean ok, double worstAbsError, double worstRelError, String detail) {
        /** Throws {@link AssertionError} with the details unless ok. */
        public void assertOk() {
            if (!ok) {
                throw new AssertionError("gradcheck failed: " + detail);
            }
        }
    }

    /** Checks with eps 1e-6, atol 1e-5, rtol 1e-3 and seed 0. */
    public static Result check(Fn f, Tensor... inputs) {
        return check(f, 1e-6, 1e-5, 1e-3, 0, inputs);
    }

    /**
     * Checks {@code f} at {@code inputs}: each input is copied to float64 (the function is
     * evaluated on the copies), so the caller's tensors are never modified.
     *
     * @param eps finite-difference step
     * @param atol absolute tolerance
     * @param rtol relative tolerance
     * @param seed seed of the random directions
     */
    public static Result check(Fn f, double eps, double atol, double rtol, long seed, Tensor... inputs) {
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = Tensor.fromArray(DType.F64, inputs[i].toDoubleArray(), inputs[i].dims())
                    .requiresGrad(inputs[i].requiresGrad());
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Tensor y = f.apply(x);
        if (y.dtype() != DType.F64) {
            throw new IllegalArgumentException("gradcheck: the function must keep float64 inputs in float64, got "
                    + y.dtype());
        }
        double[] c = randomArray(rnd, (int) y.numel());
        Tensor cT = Tensor.fromArray(DType.F64, c, y.dims());
        if (!y.requiresGrad()) {
            throw new IllegalArgumentException("gradcheck: no input requires grad");
        }
        y.backward(cT);
        double[][] analytic = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            Tensor g = x[i].grad();
            analytic[i] = x[i].requiresGrad() ? (g == null ? new double[(int) x[i].numel()] : g.toDoubleArray()) : null;
        }
        StringBuilder detail = new StringBuilder();
        double worstAbs = 0;
        double worstRel = 0;
        boolean ok = true;
        // inner-product identity in a random direction
        double[][] t = new double[x.length][];
        double lhs = 0;
        for (int i = 0; i < x.length; i++) {
            if (analytic[i] == null) {
                continue;
            }
            t[i] = randomArray(rnd, analytic[i].length);
            lhs += dot(analytic[i], t[i]);
        }
        double[] fp = eval(f, x, t, eps);
        double[] fm = eval(f, x, t, -eps);
        double rhs = 0;
        for (int j = 0; j < c.length; j++) {
            rhs += c[j] * (fp[j] - fm[j]) / (2 * eps);
        }
        double err = Math.abs(lhs - rhs);
        worstAbs = Math.max(worstAbs, err);
        worstRel = Math.max(worstRel, err / Math.max(Math.abs(rhs), 1e-300));
        if (err > atol + rtol * Math.abs(rhs)) {
            ok = false;
            detail.append(String.format("inner product <J^T c, t> = %.12g but <c, J t> = %.12g; ", lhs, rhs));
        }
        // full Jacobian for small inputs
        int total = 0;
        for (Tensor xi : x) {
            total += (int) xi.numel();
        }
        if (total <= FULL_JACOBIAN_LIMIT) {
            for (int i = 0; i < x.length && ok; i++) {
                if (analytic[i] == null) {
                    continue;
                }
                for (int e = 0; e < analytic[i].length; e++) {
                    double[][] dir = new double[x.length][];
                    dir[i] = new double[analytic[i].length];
                    dir[i][e] = 1;
                    double[] p = eval(f, x, dir, eps);
                    double[] m = eval(f, x, dir, -eps);
                    double num = 0;
                    for (int j = 0; j < c.length; j++) {
                        num += c[j] * (p[j] - m[j]) / (2 * eps);
                    }
                    double a = analytic[i][e];
                    double d = Math.abs(a - num);
                    worstAbs = Math.max(worstAbs, d);
                    worstRel = Math.max(worstRel, d / Math.max(Math.abs(num), 1e-300));
                    if (d > atol + rtol * Math.abs(num)) {
                        ok = false;
                        detail.append(String.format("input %d element %d: analytic %.12g, numeric %.12g; ",
                                i, e, a, num));
                        break;
                    }
                }
            }
        }
        if (ok) {
            detail.append("ok");
        }
        return new Result(ok, worstAbs, worstRel, detail.toString());
    }

    /** f at x + s·t (t may have null entries: no change), without recording. */
    private static double[] eval(Fn f, Tensor[] x, double[][] t, double s) {
        Tensor[] xs = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] v = x[i].toDoubleArray();
            if (t[i] != null) {
                for (int e = 0; e < v.length; e++) {
                    v[e] += s * t[i][e];
                }
            }
            xs[i] = Tensor.fromArray(DType.F64, v, x[i].dims());
        }
        try (GradMode _ = Tensor.noGrad()) {
            return f.apply(xs).toDoubleArray();
        }
    }

    private static double[] randomArray(SplittableRandom r, int n) {
        double[] v = new double[n];
        Arrays.setAll(v, i -> r.nextDouble(-1, 1));
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
