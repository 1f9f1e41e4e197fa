package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.ConvKernels;
import io.vecgrad.engine.spi.Window2d;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar twin of the convolution and pooling kernels: plain loops that mirror PyTorch's CPU
 * kernels (window clipping, first-maximum index, average divisors), the readable oracle of
 * {@code VectorConvKernels}. Sums are accumulated in double and rounded to the element type once
 * at the store, so the f32 results may differ from the vector twin's float sums in the last bits.
 */
public final class ScalarConvKernels implements ConvKernels {

    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** The shared stateless instance. */
    public static final ScalarConvKernels INSTANCE = new ScalarConvKernels();

    /** Creates the (stateless) scalar kernels; prefer {@link #INSTANCE}. */
    public ScalarConvKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    private static double ld(boolean f, MemorySegment s, long i) {
        return f ? s.getAtIndex(LF, i) : s.getAtIndex(LD, i);
    }

    private static void st(boolean f, MemorySegment s, long i, double v) {
        if (f) {
            s.setAtIndex(LF, i, (float) v);
        } else {
            s.setAtIndex(LD, i, v);
        }
    }

    private static void add(boolean f, MemorySegment s, long i, double v) {
        if (f) {
            s.setAtIndex(LF, i, s.getAtIndex(LF, i) + (float) v);
        } else {
            s.setAtIndex(LD, i, s.getAtIndex(LD, i) + v);
        }
    }

    // ================================================================================ im2col

    @Override
    public void im2col(DType dt, Window2d w, int channels, MemorySegment x, long xOff,
                       MemorySegment col, long colOff, long ldCol) {
        boolean f = dt == DType.F32;
        for (int c = 0; c < channels; c++) {
            long xc = xOff + c * w.inPlane();
            for (int kh = 0; kh < w.kH(); kh++) {
                for (int kw = 0; kw < w.kW(); kw++) {
                    long row = colOff + ((long) (c * w.kH() + kh) * w.kW() + kw) * ldCol;
                    im2colRow(f, w, kh, kw, x, xc, col, row);
                }
            }
        }
    }

    /** One col row (one channel and tap) over all output positions. Public for the vector twin's strided case. */
    public static void im2colRow(boolean f, Window2d w, int kh, int kw, MemorySegment x, long xc,
                                 MemorySegment col, long row) {
        for (int oh = 0; oh < w.outH(); oh++) {
            int ih = oh * w.strideH() - w.padH() + kh * w.dilH();
            long base = row + (long) oh * w.outW();
            if (ih < 0 || ih >= w.inH()) {
                for (int ow = 0; ow < w.outW(); ow++) {
                    st(f, col, base + ow, 0);
                }
                continue;
            }
            long xr = xc + (long) ih * w.inW();
            for (int ow = 0; ow < w.outW(); ow++) {
                int iw = ow * w.strideW() - w.padW() + kw * w.dilW();
                st(f, col, base + ow, iw >= 0 && iw < w.inW() ? ld(f, x, xr + iw) : 0);
            }
        }
    }

    @Override
    public void col2im(DType dt, Window2d w, int channels, MemorySegment col, long colOff, long ldCol,
                       MemorySegment x, long xOff) {
        boolean f = dt == DType.F32;
        for (int c = 0; c < channels; c++) {
            long xc = xOff + c * w.inPlane();
            for (int kh = 0; kh < w.kH(); kh++) {
                for (int kw = 0; kw < w.kW(); kw++) {
                    long row = colOff + ((long) (c * w.kH() + kh) * w.kW() + kw) * ldCol;
                    col2imRow(f, w, kh, kw, col, row, x, xc);
                }
            }
        }
    }

    /** One col row added back into its channel plane. Public for the vector twin's strided case. */
    public static void col2imRow(boolean f, Window2d w, int kh, int kw, MemorySegment col, long row,
                                 MemorySegment x, long xc) {
        for (int oh = 0; oh < w.outH(); oh++) {
            int ih = oh * w.strideH() - w.padH() + kh * w.dilH();
            if (ih < 0 || ih >= w.inH()) {
                continue;
            }
            long base = row + (long) oh * w.outW();
            long xr = xc + (long) ih * w.inW();
            for (int ow = 0; ow < w.outW(); ow++) {
                int iw = ow * w.strideW() - w.padW() + kw * w.dilW();
                if (iw >= 0 && iw < w.inW()) {
                    add(f, x, xr + iw, ld(f, col, base + ow));
                }
            }
        }
    }

    // ============================================================================== max pool

    @Override
    public void maxPool(DType dt, Window2d w, long planes, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        boolean f = dt == DType.F32;
        for (long p = 0; p < planes; p++) {
            long xp = xOff + p * w.inPlane();
            long yp = yOff + p * w.outPlane();
            for (int oh = 0; oh < w.outH(); oh++) {
                for (int ow = 0; ow < w.outW(); ow++) {
                    long idx = argmaxWindow(f, w, oh, ow, x, xp);
                    st(f, y, yp + (long) oh * w.outW() + ow, idx < 0 ? Double.NEGATIVE_INFINITY : ld(f, x, xp + idx));
                }
            }
        }
    }

    @Override
    public void maxPoolBackward(DType dt, Window2d w, long planes, MemorySegment x, long xOff,
                                MemorySegment gy, long gyOff, MemorySegment gx, long gxOff) {
        boolean f = dt == DType.F32;
        for (long p = 0; p < planes; p++) {
            long xp = xOff + p * w.inPlane();
            long gp = gxOff + p * w.inPlane();
            long yp = gyOff + p * w.outPlane();
            for (int oh = 0; oh < w.outH(); oh++) {
                for (int ow = 0; ow < w.outW(); ow++) {
                    long idx = argmaxWindow(f, w, oh, ow, x, xp);
                    if (idx >= 0) {
                        add(f, gx, gp + idx, ld(f, gy, yp + (long) oh * w.outW() + ow));
                    }
                }
            }
        }
    }

    /**
     * In-plane index of the window's maximum, exactly as PyTorch's CPU max_pool2d: taps are
     * clipped to the plane, the index starts at the first in-plane tap, and a tap replaces the
     * current best when it is greater or NaN (so the first maximum wins, NaN propagates).
     * Returns -1 for a window without an in-plane tap (possible with dilation), whose output is
     * -inf and which passes no gradient.
     */
    public static long argmaxWindow(boolean f, Window2d w, int oh, int ow, MemorySegment x, long xp) {
        int ih0 = oh * w.strideH() - w.padH();
        int iw0 = ow * w.strideW() - w.padW();
        int ih1 = Math.min(ih0 + (w.kH() - 1) * w.dilH() + 1, w.inH());
        int iw1 = Math.min(iw0 + (w.kW() - 1) * w.dilW() + 1, w.inW());
        while (ih0 < 0) {
            ih0 += w.dilH();
        }
        while (iw0 < 0) {
            iw0 += w.dilW();
        }
        if (ih0 >= ih1 || iw0 >= iw1) {
            return -1;
        }
        long best = (long) ih0 * w.inW() + iw0;
        double max = Double.NEGATIVE_INFINITY;
        for (int ih = ih0; ih < ih1; ih += w.dilH()) {
            for (int iw = iw0; iw < iw1; iw += w.dilW()) {
                long i = (long) ih * w.inW() + iw;
                double v = ld(f, x, xp + i);
                if (v > max || Double.isNaN(v)) {
                    max = v;
                    best = i;
                }
            }
        }
        return best;
    }

    // ============================================================================== avg pool

    /** PyTorch's avg_pool2d divisor of window (oh, ow); 0 when the window holds no input element. */
    public static int avgDivisor(Window2d w, boolean countIncludePad, int oh, int ow) {
        int ih0 = oh * w.strideH() - w.padH();
        int iw0 = ow * w.strideW() - w.padW();
        int ih1 = Math.min(ih0 + w.kH(), w.inH() + w.padH());
        int iw1 = Math.min(iw0 + w.kW(), w.inW() + w.padW());
        int poolSize = (ih1 - ih0) * (iw1 - iw0);
        ih0 = Math.max(ih0, 0);
        iw0 = Math.max(iw0, 0);
        ih1 = Math.min(ih1, w.inH());
        iw1 = Math.min(iw1, w.inW());
        if (ih0 >= ih1 || iw0 >= iw1) {
            return 0;
        }
        return countIncludePad ? poolSize : (ih1 - ih0) * (iw1 - iw0);
    }

    @Override
    public void avgPool(DType dt, Window2d w, boolean countIncludePad, long planes,
                        MemorySegment x, long xOff, MemorySegment y, long yOff) {
        boolean f = dt == DType.F32;
        for (long p = 0; p < planes; p++) {
            long xp = xOff + p * w.inPlane();
            long yp = yOff + p * w.outPlane();
            for (int oh = 0; oh < w.outH(); oh++) {
                int ih0 = Math.max(oh * w.strideH() - w.padH(), 0);
                int ih1 = Math.min(oh * w.strideH() - w.padH() + w.kH(), w.inH());
                for (int ow = 0; ow < w.outW(); ow++) {
                    int div = avgDivisor(w, countIncludePad, oh, ow);
                    long yi = yp + (long) oh * w.outW() + ow;
                    if (div == 0) {
                        st(f, y, yi, 0);
                        continue;
                    }
                    int iw0 = Math.max(ow * w.strideW() - w.padW(), 0);
                    int iw1 = Math.min(ow * w.strideW() - w.padW() + w.kW(), w.inW());
                    double s = 0;
                    for (int ih = ih0; ih < ih1; ih++) {
                        for (int iw = iw0; iw < iw1; iw++) {
                            s += ld(f, x, xp + (long) ih * w.inW() + iw);
                        }
                    }
                    st(f, y, yi, s / div);
                }
            }
        }
    }

    @Override
    public void avgPoolBackward(DType dt, Window2d w, boolean countIncludePad, long planes,
                                MemorySegment gy, long gyOff, MemorySegment gx, long gxOff) {
        boolean f = dt == DType.F32;
        for (long p = 0; p < planes; p++) {
            long gp = gxOff + p * w.inPlane();
            long yp = gyOff + p * w.outPlane();
            for (int oh = 0; oh < w.outH(); oh++) {
                int ih0 = Math.max(oh * w.strideH() - w.padH(), 0);
                int ih1 = Math.min(oh * w.strideH() - w.padH() + w.kH(), w.inH());
                for (int ow = 0; ow < w.outW(); ow++) {
                    int div = avgDivisor(w, countIncludePad, oh, ow);
                    if (div == 0) {
                        continue;
                    }
                    double g = ld(f, gy, yp + (long) oh * w.outW() + ow) / div;
                    int iw0 = Math.max(ow * w.strideW() - w.padW(), 0);
                    int iw1 = Math.min(ow * w.strideW() - w.padW() + w.kW(), w.inW());
                    for (int ih = ih0; ih < ih1; ih++) {
                        for (int iw = iw0; iw < iw1; iw++) {
                            add(f, gx, gp + (long) ih * w.inW() + iw, g);
                        }
                    }
                }
            }
        }
    }

    // ========================================================================= adaptive pools

    /** First input index of adaptive window {@code i}: {@code floor(i * in / out)}. */
    public static int adaptiveStart(int i, int in, int out) {
        return (int) ((long) i * in / out);
    }

    /** One past the last input index of adaptive window {@code i}: {@code ceil((i + 1) * in / out)}. */
    public static int adaptiveEnd(int i, int in, int out) {
        return (int) (((long) (i + 1) * in + out - 1) / out);
    }

    @Override
    public void adaptiveAvgPool(DType dt, int inH, int inW, int outH, int outW, long planes,
                                MemorySegment x, long xOff, MemorySegment y, long yOff) {
        boolean f = dt == DType.F32;
        long inPlane = (long) inH * inW;
        long outPlane = (long) outH * outW;
        for (long p = 0; p < planes; p++) {
            long xp = xOff + p * inPlane;
            long yp = yOff + p * outPlane;
            for (int oh = 0; oh < outH; oh++) {
                int ih0 = adaptiveStart(oh, inH, outH);
                int ih1 = adaptiveEnd(oh, inH, outH);
                for (int ow = 0; ow < outW; ow++) {
                    int iw0 = adaptiveStart(ow, inW, outW);
                    int iw1 = adaptiveEnd(ow, inW, outW);
                    double s = 0;
                    for (int ih = ih0; ih < ih1; ih++) {
                        for (int iw = iw0; iw < iw1; iw++) {
                            s += ld(f, x, xp + (long) ih * inW + iw);
                        }
                    }
                    st(f, y, yp + (long) oh * outW + ow, s / ((ih1 - ih0) * (iw1 - iw0)));
                }
            }
        }
    }

    @Override
    public void adaptiveAvgPoolBackward(DType dt, int inH, int inW, int outH, int outW, long planes,
                                        MemorySegment gy, long gyOff, MemorySegment gx, long gxOff) {
        boolean f = dt == DType.F32;
        long inPlane = (long) inH * inW;
        long outPlane = (long) outH * outW;
        for (long p = 0; p < planes; p++) {
            long gp = gxOff + p * inPlane;
            long yp = gyOff + p * outPlane;
            for (int oh = 0; oh < outH; oh++) {
                int ih0 = adaptiveStart(oh, inH, outH);
                int ih1 = adaptiveEnd(oh, inH, outH);
                for (int ow = 0; ow < outW; ow++) {
                    int iw0 = adaptiveStart(ow, inW, outW);
                    int iw1 = adaptiveEnd(ow, inW, outW);
                    double g = ld(f, gy, yp + (long) oh * outW + ow) / ((ih1 - ih0) * (iw1 - iw0));
                    for (int ih = ih0; ih < ih1; ih++) {
                        for (int iw = iw0; iw < iw1; iw++) {
                            add(f, gx, gp + (long) ih * inW + iw, g);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void adaptiveMaxPool(DType dt, int inH, int inW, int outH, int outW, long planes,
                                MemorySegment x, long xOff, MemorySegment y, long yOff) {
        boolean f = dt == DType.F32;
        long inPlane = (long) inH * inW;
        long outPlane = (long) outH * outW;
        for (long p = 0; p < planes; p++) {
            long xp = xOff + p * inPlane;
            long yp = yOff + p * outPlane;
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    long idx = adaptiveArgmax(f, inH, inW, outH, outW, oh, ow, x, xp);
                    st(f, y, yp + (long) oh * outW + ow, ld(f, x, xp + idx));
                }
            }
        }
    }

    @Override
    public void adaptiveMaxPoolBackward(DType dt, int inH, int inW, int outH, int outW, long planes,
                                        MemorySegment x, long xOff, MemorySegment gy, long gyOff,
                                        MemorySegment gx, long gxOff) {
        boolean f = dt == DType.F32;
        long inPlane = (long) inH * inW;
        long outPlane = (long) outH * outW;
        for (long p = 0; p < planes; p++) {
            long xp = xOff + p * inPlane;
            long gp = gxOff + p * inPlane;
            long yp = gyOff + p * outPlane;
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    long idx = adaptiveArgmax(f, inH, inW, outH, outW, oh, ow, x, xp);
                    add(f, gx, gp + idx, ld(f, gy, yp + (long) oh * outW + ow));
                }
            }
        }
    }

    private static long adaptiveArgmax(boolean f, int inH, int inW, int outH, int outW, int oh, int ow,
                                       MemorySegment x, long xp) {
        int ih0 = adaptiveStart(oh, inH, outH);
        int ih1 = adaptiveEnd(oh, inH, outH);
        int iw0 = adaptiveStart(ow, inW, outW);
        int iw1 = adaptiveEnd(ow, inW, outW);
        long best = (long) ih0 * inW + iw0;
        double max = Double.NEGATIVE_INFINITY;
        for (int ih = ih0; ih < ih1; ih++) {
            for (int iw = iw0; iw < iw1; iw++) {
                long i = (long) ih * inW + iw;
                double v = ld(f, x, xp + i);
                if (v > max || Double.isNaN(v)) {
                    max = v;
                    best = i;
                }
            }
        }
        return best;
    }
}
