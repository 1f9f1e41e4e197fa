package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** 1-D average pooling, PyTorch's {@code nn.AvgPool1d} over {@code [N, C, L]}. No parameters. */
public final class AvgPool1d extends Layer {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** Pooling with these arguments (checked against the input in {@link #forward}). */
    public AvgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    /** Stride = kernel, no padding (PyTorch's defaults). */
    public AvgPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false, true);
    }

    /**
     * The pooled input.
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.avgPool1d(kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", ceil_mode=" + ceilMode
                + ", count_include_pad=" + countIncludePad;
    }

    /** Constructor arguments for {@link Architecture}: kernel, stride, padding, ceil_mode, count_include_pad. */
    int[] config() {
        return new int[] {kernel, stride, padding, ceilMode ? 1 : 0, countIncludePad ? 1 : 0};
    }
}
