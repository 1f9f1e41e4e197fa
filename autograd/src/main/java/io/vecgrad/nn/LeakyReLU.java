package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise {@code x >= 0 ? x : slope·x}, PyTorch's {@code nn.LeakyReLU}. */
public final class LeakyReLU extends Layer {
    private final double negativeSlope;

    /** With PyTorch's default slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /**
     * With the given slope for negative inputs.
     *
     * @throws IllegalArgumentException if the slope is not finite
     */
    public LeakyReLU(double negativeSlope) {
        if (!Double.isFinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU: negative_slope must be finite, got " + negativeSlope);
        }
        this.negativeSlope = negativeSlope;
    }

    /** The slope for negative inputs. */
    public double negativeSlope() {
        return negativeSlope;
    }

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
