package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * Elementwise clamp to {@code [minVal, maxVal]} whose gradient passes only strictly inside,
 * PyTorch's {@code nn.Hardtanh}.
 */
public final class Hardtanh extends Layer {
    private final double minVal;
    private final double maxVal;

    /** On {@code [-1, 1]} (PyTorch's default). */
    public Hardtanh() {
        this(-1, 1);
    }

    /**
     * On {@code [minVal, maxVal]}.
     *
     * @throws IllegalArgumentException if {@code minVal > maxVal} or either is NaN
     */
    public Hardtanh(double minVal, double maxVal) {
        if (!(minVal <= maxVal)) {
            throw new IllegalArgumentException("Hardtanh: min_val " + minVal + " must not exceed max_val " + maxVal);
        }
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.hardtanh(minVal, maxVal);
    }

    /** The constructor's arguments, for {@link Architecture}: min_val, max_val. */
    double[] config() {
        return new double[] {minVal, maxVal};
    }

    @Override
    protected String extraRepr() {
        return "min_val=" + minVal + ", max_val=" + maxVal;
    }
}
