package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * Elementwise {@code log(1 + e^(beta·x)) / beta}, linear where {@code beta·x > threshold},
 * PyTorch's {@code nn.Softplus}.
 */
public final class Softplus extends Layer {
    private final double beta;
    private final double threshold;

    /** With PyTorch's defaults beta 1, threshold 20. */
    public Softplus() {
        this(1, 20);
    }

    /**
     * With the given beta and threshold.
     *
     * @throws IllegalArgumentException if beta is not positive and finite or threshold is NaN
     */
    public Softplus(double beta, double threshold) {
        if (!(beta > 0) || !Double.isFinite(beta) || Double.isNaN(threshold)) {
            throw new IllegalArgumentException("Softplus: beta must be positive and finite and threshold a number, "
                    + "got beta " + beta + ", threshold " + threshold);
        }
        this.beta = beta;
        this.threshold = threshold;
    }

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.softplus(beta, threshold);
    }

    /** The constructor's arguments, for {@link Architecture}: beta, threshold. */
    double[] config() {
        return new double[] {beta, threshold};
    }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", threshold=" + threshold;
    }
}
