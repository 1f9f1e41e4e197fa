package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise {@code x > 0 ? x : alpha·(e^x - 1)}, PyTorch's {@code nn.ELU}. */
public final class ELU extends Layer {
    private final double alpha;

    /** With PyTorch's default alpha 1. */
    public ELU() {
        this(1.0);
    }

    /**
     * With the given alpha.
     *
     * @throws IllegalArgumentException if alpha is not finite
     */
    public ELU(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("ELU: alpha must be finite, got " + alpha);
        }
        this.alpha = alpha;
    }

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.elu(alpha);
    }

    /** The constructor's argument, for {@link Architecture}. */
    double alpha() {
        return alpha;
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
