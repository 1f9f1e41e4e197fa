package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.UnaryOp;

/**
 * The reference formulas of the activations added for issue 11 (ELU/SELU, softplus, SiLU,
 * softsign, Mish, the hardtanh gradient mask, PReLU) and their derivatives, evaluated in
 * {@code double} with {@link Math}; {@link ScalarKernelProvider} rounds each result once to the
 * element type. They follow PyTorch's CPU kernels (thresholds, the derivative chosen at kinks).
 * The vector twins ({@code VectorActivations}) compute the same formulas in double lanes.
 */
public final class ScalarActivations {
    private ScalarActivations() {}

    /** True for the unary ops this class evaluates. */
    public static boolean handles(UnaryOp op) {
        return switch (op) {
            case ELU, SOFTPLUS, SILU, SOFTSIGN, MISH, INSIDE -> true;
            default -> false;
        };
    }

    /** True for the binary ops this class evaluates. */
    public static boolean handles(BinaryOp op) {
        return switch (op) {
            case ELU_BACKWARD, SOFTPLUS_BACKWARD, SILU_BACKWARD, SOFTSIGN_BACKWARD, MISH_BACKWARD, PRELU,
                 PRELU_SLOPE -> true;
            default -> false;
        };
    }

    /** {@code op(x; p0, p1)} for an op {@link #handles(UnaryOp) handled} here. */
    public static double unary(UnaryOp op, double x, double p0, double p1) {
        return switch (op) {
            case ELU -> x > 0 ? p1 * x : p1 * (p0 * Math.expm1(x));
            case SOFTPLUS -> softplus(x, p0, p1);
            case SILU -> x * ScalarKernelProvider.sigmoid(x);
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case MISH -> x * Math.tanh(Math.log1p(Math.exp(x)));
            case INSIDE -> p0 < x && x < p1 ? 1.0 : 0.0;
            default -> throw new IllegalArgumentException("ScalarActivations: " + op);
        };
    }

    /** {@code op(a, b; p)} for an op {@link #handles(BinaryOp) handled} here. */
    public static double binary(BinaryOp op, double a, double b, double p) {
        return switch (op) {
            case ELU_BACKWARD -> b > 0 ? a : a * (p * Math.exp(b));
            case SOFTPLUS_BACKWARD -> b > p ? a : a * ScalarKernelProvider.sigmoid(b);
            case SILU_BACKWARD -> {
                double s = ScalarKernelProvider.sigmoid(b);
                yield a * (s * (1 + b * (1 - s)));
            }
            case SOFTSIGN_BACKWARD -> {
                double d = 1 + Math.abs(b);
                yield a / (d * d);
            }
            case MISH_BACKWARD -> {
                double t = Math.tanh(Math.log1p(Math.exp(b)));
                yield a * (t + b * ScalarKernelProvider.sigmoid(b) * (1 - t * t));
            }
            case PRELU -> a > 0 ? a : b * a;
            case PRELU_SLOPE -> a > 0 ? 1.0 : b;
            default -> throw new IllegalArgumentException("ScalarActivations: " + op);
        };
    }

    /**
     * PyTorch's softplus: {@code x} where {@code beta·x > threshold}, else
     * {@code log1p(exp(beta·x)) / beta}, evaluated as {@code (max(t,0) + log1p(exp(-|t|))) / beta}
     * ({@code t = beta·x}), which cannot overflow.
     */
    public static double softplus(double x, double beta, double threshold) {
        double t = x * beta;
        if (t > threshold) {
            return x;
        }
        return (Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)))) / beta;
    }
}
