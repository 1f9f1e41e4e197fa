package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import java.util.random.RandomGenerator;

/** Shared checks and PyTorch's default initialisation of the convolution modules. */
final class ConvSupport {
    private ConvSupport() {}

    /**
     * PyTorch's {@code _ConvNd.reset_parameters}: the weight from {@link Init#kaimingUniform} with
     * {@code a = √5}, then the bias from {@code U(-1/√fan_in, 1/√fan_in)} with
     * {@code fan_in = weight.size(1) · kernel elements}, drawn from {@code gen} in that order.
     */
    static void reset(Tensor weight, Tensor bias, RandomGenerator gen) {
        Init.kaimingUniform(weight, gen, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU);
        if (bias != null) {
            long fanIn = Init.fans(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform(bias, gen, -bound, bound);
        }
    }

    /** Checks channel counts and groups of a convolution module. */
    static void checkChannels(String module, int in, int out, int groups) {
        if (in < 1 || out < 1 || groups < 1) {
            throw new IllegalArgumentException(module + ": in_channels, out_channels and groups must be positive, got "
                    + in + ", " + out + ", " + groups);
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(module + ": groups " + groups + " must divide in_channels " + in
                    + " and out_channels " + out);
        }
    }

    /** Checks a 2-value tuple. */
    static int[] two(String module, String name, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(module + ": " + name + " must have 2 values, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v.clone();
    }

    static String fmt(int[] v) {
        return "(" + v[0] + ", " + v[1] + ")";
    }
}
