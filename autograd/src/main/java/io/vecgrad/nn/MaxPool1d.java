package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * 1-D max pooling, PyTorch's {@code nn.MaxPool1d} over {@code [N, C, L]}; the gradient goes to the
 * first maximum of each window. No parameters.
 */
public final class MaxPool1d extends Layer {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;

    /** Pooling with these arguments (checked against the input in {@link #forward}). */
    public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    /** Stride = kernel, no padding (PyTorch's defaults). */
    public MaxPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, 1, false);
    }

    /**
     * The pooled input.
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.maxPool1d(kernel, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceil_mode=" + ceilMode;
    }

    /** Constructor arguments for {@link Architecture}: kernel, stride, padding, dilation, ceil_mode. */
    int[] config() {
        return new int[] {kernel, stride, padding, dilation, ceilMode ? 1 : 0};
    }
}
