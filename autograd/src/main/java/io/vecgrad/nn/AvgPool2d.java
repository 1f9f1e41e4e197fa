package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * 2-D average pooling, PyTorch's {@code nn.AvgPool2d} over {@code [N, C, H, W]} (see
 * {@link Tensor#avgPool2d(int[], int[], int[], boolean, boolean)}). No parameters.
 */
public final class AvgPool2d extends Layer {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** Pooling with these arguments (checked against the input in {@link #forward}). */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = ConvSupport.two("AvgPool2d", "kernel_size", kernelSize);
        this.stride = ConvSupport.two("AvgPool2d", "stride", stride);
        this.padding = ConvSupport.two("AvgPool2d", "padding", padding);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    /** A square window with stride = kernel, no padding (PyTorch's defaults). */
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, new int[] {kernelSize, kernelSize}, new int[2], false, true);
    }

    /**
     * The pooled input.
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.avgPool2d(kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** The constructor's arguments, for {@link Architecture}: kernel, stride, padding, {ceilMode, countIncludePad}. */
    int[][] config() {
        return new int[][] {kernel.clone(), stride.clone(), padding.clone(), {ceilMode ? 1 : 0, countIncludePad ? 1 : 0}};
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + ConvSupport.fmt(kernel) + ", stride=" + ConvSupport.fmt(stride) + ", padding="
                + ConvSupport.fmt(padding) + ", ceil_mode=" + ceilMode + ", count_include_pad=" + countIncludePad;
    }
}
