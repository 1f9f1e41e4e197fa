package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * 2-D max pooling, PyTorch's {@code nn.MaxPool2d} over {@code [N, C, H, W]} (see
 * {@link Tensor#maxPool2d(int[], int[], int[], int[], boolean)}); the gradient goes to the first
 * maximum of each window. No parameters.
 */
public final class MaxPool2d extends Layer {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    /** Pooling with these arguments (checked against the input in {@link #forward}). */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernel = ConvSupport.two("MaxPool2d", "kernel_size", kernelSize);
        this.stride = ConvSupport.two("MaxPool2d", "stride", stride);
        this.padding = ConvSupport.two("MaxPool2d", "padding", padding);
        this.dilation = ConvSupport.two("MaxPool2d", "dilation", dilation);
        this.ceilMode = ceilMode;
    }

    /** A square window with stride = kernel, no padding (PyTorch's defaults). */
    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, new int[] {kernelSize, kernelSize}, new int[2], new int[] {1, 1}, false);
    }

    /**
     * The pooled input.
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.maxPool2d(kernel, stride, padding, dilation, ceilMode);
    }

    /** The constructor's arguments, for {@link Architecture}: kernel, stride, padding, dilation, {ceilMode}. */
    int[][] config() {
        return new int[][] {kernel.clone(), stride.clone(), padding.clone(), dilation.clone(), {ceilMode ? 1 : 0}};
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + ConvSupport.fmt(kernel) + ", stride=" + ConvSupport.fmt(stride) + ", padding="
                + ConvSupport.fmt(padding) + ", dilation=" + ConvSupport.fmt(dilation) + ", ceil_mode=" + ceilMode;
    }
}
