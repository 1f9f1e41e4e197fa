package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Shape;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;

/**
 * Parameter initialisers with PyTorch's {@code nn.init} formulas. Each overwrites the tensor in
 * place (under {@link Tensor#noGrad()}, so it works on parameters that require grad), draws
 * from the caller's seeded generator in row-major order, and returns the tensor.
 *
 * <p>Fans are computed as PyTorch: for a tensor {@code [out, in, k1, k2, ...]} the receptive
 * field is {@code k1·k2·...}, {@code fan_in = in · receptive} and
 * {@code fan_out = out · receptive}; a {@code Linear} weight {@code [out, in]} has
 * {@code fan_in = in}, {@code fan_out = out}. Tensors with fewer than 2 dims have no fans.
 */
public final class Init {
    private Init() {}

    /** Which fan the Kaiming initialisers scale by. */
    public enum FanMode {
        /** Preserves the variance of activations in the forward pass. */
        FAN_IN,
        /** Preserves the variance of gradients in the backward pass. */
        FAN_OUT
    }

    /** The non-linearity that follows the layer, for {@link #gain}. */
    public enum Nonlinearity {
        /** Gain 1. */
        LINEAR,
        /** Gain 1. */
        SIGMOID,
        /** Gain 5/3. */
        TANH,
        /** Gain √2. */
        RELU,
        /** Gain √(2 / (1 + a²)) for negative slope a. */
        LEAKY_RELU,
        /** Gain 3/4. */
        SELU
    }

    /**
     * PyTorch's {@code calculate_gain}: the recommended scale for a non-linearity;
     * {@code param} is the negative slope for {@link Nonlinearity#LEAKY_RELU} and ignored otherwise.
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + param * param));
            case SELU -> 0.75;
        };
    }

    /**
     * {@code {fan_in, fan_out}} of a tensor with at least 2 dims.
     *
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static long[] fans(Tensor t) {
        int[] d = t.dims();
        if (d.length < 2) {
            throw new IllegalArgumentException("init: fan in and fan out cannot be computed for a tensor with fewer "
                    + "than 2 dims, got shape " + Shape.format(d));
        }
        long receptive = 1;
        for (int i = 2; i < d.length; i++) {
            receptive *= d[i];
        }
        return new long[] {d[1] * receptive, d[0] * receptive};
    }

    /**
     * He/Kaiming uniform: {@code U(-bound, bound)} with
     * {@code bound = gain(nonlinearity, a) · √(3 / fan)}.
     *
     * @param a negative slope, used only with {@link Nonlinearity#LEAKY_RELU}
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static Tensor kaimingUniform(Tensor t, RandomGenerator gen, double a, FanMode mode,
            Nonlinearity nonlinearity) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan(t, mode));
        return uniform(t, gen, -bound, bound);
    }

    /** {@link #kaimingUniform(Tensor, RandomGenerator, double, FanMode, Nonlinearity)} with {@code a = 0}. */
    public static Tensor kaimingUniform(Tensor t, RandomGenerator gen, FanMode mode, Nonlinearity nonlinearity) {
        return kaimingUniform(t, gen, 0, mode, nonlinearity);
    }

    /**
     * He/Kaiming normal: {@code N(0, std²)} with {@code std = gain(nonlinearity, a) / √fan}.
     *
     * @param a negative slope, used only with {@link Nonlinearity#LEAKY_RELU}
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static Tensor kaimingNormal(Tensor t, RandomGenerator gen, double a, FanMode mode,
            Nonlinearity nonlinearity) {
        double std = gain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        return normal(t, gen, 0, std);
    }

    /** {@link #kaimingNormal(Tensor, RandomGenerator, double, FanMode, Nonlinearity)} with {@code a = 0}. */
    public static Tensor kaimingNormal(Tensor t, RandomGenerator gen, FanMode mode, Nonlinearity nonlinearity) {
        return kaimingNormal(t, gen, 0, mode, nonlinearity);
    }

    /**
     * Glorot/Xavier uniform: {@code U(-bound, bound)} with
     * {@code bound = gain · √(6 / (fan_in + fan_out))}.
     *
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static Tensor xavierUniform(Tensor t, RandomGenerator gen, double gain) {
        long[] f = fans(t);
        double bound = gain * Math.sqrt(6.0 / Math.max(1, f[0] + f[1]));
        return uniform(t, gen, -bound, bound);
    }

    /**
     * Glorot/Xavier normal: {@code N(0, std²)} with {@code std = gain · √(2 / (fan_in + fan_out))}.
     *
     * @throws IllegalArgumentException for fewer than 2 dims
     */
    public static Tensor xavierNormal(Tensor t, RandomGenerator gen, double gain) {
        long[] f = fans(t);
        return normal(t, gen, 0, gain * Math.sqrt(2.0 / Math.max(1, f[0] + f[1])));
    }

    /**
     * Values from {@code N(mean, std²)}.
     *
     * @throws IllegalArgumentException if std is negative or a parameter is not finite
     */
    public static Tensor normal(Tensor t, RandomGenerator gen, double mean, double std) {
        if (!(std >= 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("init.normal: need finite mean and std >= 0, got mean " + mean
                    + ", std " + std);
        }
        return fill(t, () -> mean + std * gen.nextGaussian());
    }

    /**
     * Values from {@code U(a, b)} ({@code [a, b)} before rounding to the dtype).
     *
     * @throws IllegalArgumentException unless {@code a <= b}, both finite
     */
    public static Tensor uniform(Tensor t, RandomGenerator gen, double a, double b) {
        if (!(a <= b) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("init.uniform: need finite a <= b, got a " + a + ", b " + b);
        }
        return fill(t, () -> a + (b - a) * gen.nextDouble());
    }

    /** Every element set to {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        try (var _ = Tensor.noGrad()) {
            return t.fill_(value);
        }
    }

    /** Every element set to 0. */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    /** Every element set to 1. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    private static long fan(Tensor t, FanMode mode) {
        long[] f = fans(t);
        // a zero fan means a zero-element tensor: nothing is drawn, any positive value will do
        return Math.max(1, mode == FanMode.FAN_IN ? f[0] : f[1]);
    }

    private static Tensor fill(Tensor t, DoubleSupplier next) {
        double[] v = new double[Math.toIntExact(t.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = next.getAsDouble();
        }
        try (var _ = Tensor.noGrad()) {
            return t.copy_(Tensor.fromArray(t.dtype(), v, t.dims()));
        }
    }
}
