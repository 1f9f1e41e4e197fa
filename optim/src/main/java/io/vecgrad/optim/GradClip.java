package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.Kernels;

/**
 * Gradient clipping, in place on the parameters' gradients (PyTorch's {@code clip_grad_norm_}
 * and {@code clip_grad_value_}). Parameters without a gradient are skipped. Call between
 * {@code backward()} and {@link Optimizer#step()}.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}:
     * <pre>
     * total = sqrt(sum over parameters of sum(g * g))
     * coef  = min(1, maxNorm / (total + 1e-6));   g = g * coef for every gradient
     * </pre>
     * The 1e-6 keeps the division finite and, as in PyTorch, means the clipped norm comes out
     * very slightly below {@code maxNorm}. A non-finite total makes the gradients non-finite
     * (PyTorch 1.13's default {@code error_if_nonfinite=False}).
     *
     * @return the total norm before clipping (0 if no parameter has a gradient)
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN
     */
    public static double clipNorm(Iterable<Tensor> params, double maxNorm) {
        return clipNorm(params, maxNorm, 2);
    }

    /**
     * Like {@link #clipNorm(Iterable, double)} with the norm of order {@code normType}: 2 (L2) or
     * {@code Double.POSITIVE_INFINITY} (largest absolute value over all gradients).
     *
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN, or the norm type
     *                                  is not 2 or infinity
     */
    public static double clipNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipNorm: invalid maxNorm " + maxNorm + ", expected >= 0");
        }
        boolean inf = normType == Double.POSITIVE_INFINITY;
        if (!inf && normType != 2) {
            throw new IllegalArgumentException("clipNorm: unsupported normType " + normType
                    + ", expected 2 or infinity");
        }
        Kernels k = Kernels.get();
        double acc = 0;
        boolean any = false;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            any = true;
            Buffer b = g.buffer();
            if (inf) {
                double m = Math.max(k.maxAll(b), -k.minAll(b));
                acc = Double.isNaN(acc) || Double.isNaN(m) ? Double.NaN : Math.max(acc, m);
            } else {
                acc += k.sumSquaresAll(b);
            }
        }
        if (!any) {
            return 0;
        }
        double total = inf ? acc : Math.sqrt(acc);
        double coef = Math.min(1.0, maxNorm / (total + 1e-6));   // NaN stays NaN (Math.min)
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                k.affine(g.buffer(), coef, 0, g.buffer());
            }
        }
        return total;
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]}.
     *
     * @throws IllegalArgumentException if {@code clipValue} is negative or NaN
     */
    public static void clipValue(Iterable<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipValue: invalid clipValue " + clipValue + ", expected >= 0");
        }
        Kernels k = Kernels.get();
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                k.clamp(g.buffer(), -clipValue, clipValue, g.buffer());
            }
        }
    }
}
