package io.vecgrad.engine.spi;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;

/**
 * The data-movement kernels of convolution and pooling over NCHW planes: im2col / col2im, which
 * turn a convolution into one GEMM (the GEMM itself is {@link KernelProvider#gemm}), and the
 * single-pass pooling loops. A separate seam from {@link KernelProvider}, like
 * {@link UpdateKernels}, so the family can evolve without touching the elementwise interface.
 *
 * <p><b>Contract.</b> Implementations trust their arguments (the facade
 * {@link io.vecgrad.engine.Convolutions} checked them): every array operand is a
 * {@link MemorySegment} plus an <em>element</em> offset, dense row-major, of element type
 * {@code dt}; {@code planes} consecutive planes of {@link Window2d#inPlane()} input elements map to
 * as many planes of {@link Window2d#outPlane()} output elements; operands do not overlap.
 * Backward kernels <em>accumulate</em> into the input gradient ({@code gx += ...}); the caller
 * zeroes it first. f32 arithmetic is done in float.
 *
 * <p><b>Allocation.</b> None, native or heap.
 */
public interface ConvKernels {

    /** {@code "scalar"} or {@code "vector-<bits>"}, for logs and benchmark metadata. */
    String name();

    /**
     * im2col: {@code col[(c * kH + kh) * kW + kw][oh * outW + ow] = x[c][ih][iw]} with
     * {@code ih = oh * strideH - padH + kh * dilH} (likewise iw), 0 where (ih, iw) is padding.
     * {@code x} holds {@code channels} planes; {@code col} is a
     * {@code [channels * kH * kW, outH * outW]} matrix whose rows start {@code ldCol >= outH * outW}
     * elements apart (so several images can share one column matrix side by side); those
     * {@code outH * outW} elements of every row are written, the rest of each row is not touched.
     */
    void im2col(DType dt, Window2d w, int channels, MemorySegment x, long xOff,
                MemorySegment col, long colOff, long ldCol);

    /**
     * col2im, the adjoint of {@link #im2col} (same column layout): {@code x[c][ih][iw] += col[...]}
     * for every non-padding tap.
     */
    void col2im(DType dt, Window2d w, int channels, MemorySegment col, long colOff, long ldCol,
                MemorySegment x, long xOff);

    /**
     * Max pooling: {@code y = max} over the window's non-padding taps; a NaN tap makes the result
     * NaN (as PyTorch). A window without a non-padding tap (possible with dilation) gives -inf.
     */
    void maxPool(DType dt, Window2d w, long planes, MemorySegment x, long xOff, MemorySegment y, long yOff);

    /**
     * Max pooling backward: {@code gx[first argmax of window] += gy} for each output position,
     * the first tap (row-major in the window) holding the maximum; NaN taps as PyTorch's CPU kernel
     * (a NaN replaces the current best). Windows without a non-padding tap pass nothing.
     */
    void maxPoolBackward(DType dt, Window2d w, long planes, MemorySegment x, long xOff,
                         MemorySegment gy, long gyOff, MemorySegment gx, long gxOff);

    /**
     * Average pooling (dilation 1): the sum of the non-padding taps divided by the window size
     * clipped to the padded input when {@code countIncludePad}, else by the number of
     * non-padding taps (PyTorch's {@code avg_pool2d}); 0 for a window with no non-padding tap.
     */
    void avgPool(DType dt, Window2d w, boolean countIncludePad, long planes,
                 MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** Average pooling backward: {@code gx[tap] += gy / divisor} for each non-padding tap. */
    void avgPoolBackward(DType dt, Window2d w, boolean countIncludePad, long planes,
                         MemorySegment gy, long gyOff, MemorySegment gx, long gxOff);

    /**
     * Adaptive average pooling {@code [inH, inW] -> [outH, outW]}: output row i averages input rows
     * {@code [floor(i * inH / outH), ceil((i + 1) * inH / outH))}, likewise columns.
     */
    void adaptiveAvgPool(DType dt, int inH, int inW, int outH, int outW, long planes,
                         MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** Adaptive average pooling backward ({@code gx +=}). */
    void adaptiveAvgPoolBackward(DType dt, int inH, int inW, int outH, int outW, long planes,
                                 MemorySegment gy, long gyOff, MemorySegment gx, long gxOff);

    /** Adaptive max pooling over the windows of {@link #adaptiveAvgPool} (NaN wins, as PyTorch). */
    void adaptiveMaxPool(DType dt, int inH, int inW, int outH, int outW, long planes,
                         MemorySegment x, long xOff, MemorySegment y, long yOff);

    /** Adaptive max pooling backward: {@code gx[first argmax] += gy}. */
    void adaptiveMaxPoolBackward(DType dt, int inH, int inW, int outH, int outW, long planes,
                                 MemorySegment x, long xOff, MemorySegment gy, long gyOff,
                                 MemorySegment gx, long gxOff);
}
