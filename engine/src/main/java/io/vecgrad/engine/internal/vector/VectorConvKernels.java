package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarConvKernels;
import io.vecgrad.engine.spi.ConvKernels;
import io.vecgrad.engine.spi.Window2d;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API twins of {@link ScalarConvKernels}. A window with column stride 1 reads, for each
 * tap, a <em>contiguous</em> run of input columns per output row: the run where the tap is
 * inside the plane is computed once per tap ({@code [lo, hi)} below) and moved with unit-stride
 * vector loops (copy for im2col, add for col2im, max/add for the pools); the padding around it
 * is filled directly. Column strides above 1 (a strided gather the Vector API cannot load from a
 * {@link MemorySegment}) and the argmax scans of the max-pool backward run the scalar twin's
 * loops, as do adaptive windows other than the global {@code 1x1} one.
 *
 * <p>im2col and max pooling move values unchanged, so they match the scalar twin bit for bit;
 * the average pools sum in the element type (the scalar twin in double), within a few ulps.
 */
public final class VectorConvKernels implements ConvKernels {

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ScalarConvKernels SCALAR = ScalarConvKernels.INSTANCE;

    /** Creates the (stateless) vector kernels at {@link VectorConfig#BITS}. */
    public VectorConvKernels() {}

    @Override
    public String name() {
        return "vector-" + VectorConfig.BITS;
    }

    // ======================================================================= unit-stride runs

    /** {@code dst[d + i] = src[s + i]} for {@code i < n}. */
    private static void copy(boolean f, MemorySegment src, long s, MemorySegment dst, long d, int n) {
        int i = 0;
        if (f) {
            int ub = VectorConfig.F.loopBound(n);
            for (; i < ub; i += VectorConfig.FL) {
                Mem.st(FloatVector.fromMemorySegment(VectorConfig.F, src, (s + i) << 2, BO),
                        dst, (d + i) << 2);
            }
            for (; i < n; i++) {
                dst.setAtIndex(LF, d + i, src.getAtIndex(LF, s + i));
            }
        } else {
            int ub = VectorConfig.D.loopBound(n);
            for (; i < ub; i += VectorConfig.DL) {
                Mem.st(DoubleVector.fromMemorySegment(VectorConfig.D, src, (s + i) << 3, BO),
                        dst, (d + i) << 3);
            }
            for (; i < n; i++) {
                dst.setAtIndex(LD, d + i, src.getAtIndex(LD, s + i));
            }
        }
    }

    /** {@code dst[d + i] = v} for {@code i < n}. */
    private static void fill(boolean f, double v, MemorySegment dst, long d, int n) {
        int i = 0;
        if (f) {
            FloatVector b = FloatVector.broadcast(VectorConfig.F, (float) v);
            int ub = VectorConfig.F.loopBound(n);
            for (; i < ub; i += VectorConfig.FL) {
                Mem.st(b, dst, (d + i) << 2);
            }
            for (; i < n; i++) {
                dst.setAtIndex(LF, d + i, (float) v);
            }
        } else {
            DoubleVector b = DoubleVector.broadcast(VectorConfig.D, v);
            int ub = VectorConfig.D.loopBound(n);
            for (; i < ub; i += VectorConfig.DL) {
                Mem.st(b, dst, (d + i) << 3);
            }
            for (; i < n; i++) {
                dst.setAtIndex(LD, d + i, v);
            }
        }
    }

    /** {@code dst[d + i] = dst[d + i] (+ or max) src[s + i]} for {@code i < n}. */
    private static void accumulate(boolean f, boolean max, MemorySegment src, long s, MemorySegment dst, long d, int n) {
        int i = 0;
        if (f) {
            int ub = VectorConfig.F.loopBound(n);
            for (; i < ub; i += VectorConfig.FL) {
                FloatVector a = FloatVector.fromMemorySegment(VectorConfig.F, dst, (d + i) << 2, BO);
                FloatVector b = FloatVector.fromMemorySegment(VectorConfig.F, src, (s + i) << 2, BO);
                Mem.st((max ? a.lanewise(VectorOperators.MAX, b) : a.add(b)), dst, (d + i) << 2);
            }
            for (; i < n; i++) {
                float a = dst.getAtIndex(LF, d + i);
                float b = src.getAtIndex(LF, s + i);
                dst.setAtIndex(LF, d + i, max ? Math.max(a, b) : a + b);
            }
        } else {
            int ub = VectorConfig.D.loopBound(n);
            for (; i < ub; i += VectorConfig.DL) {
                DoubleVector a = DoubleVector.fromMemorySegment(VectorConfig.D, dst, (d + i) << 3, BO);
                DoubleVector b = DoubleVector.fromMemorySegment(VectorConfig.D, src, (s + i) << 3, BO);
                Mem.st((max ? a.lanewise(VectorOperators.MAX, b) : a.add(b)), dst, (d + i) << 3);
            }
            for (; i < n; i++) {
                double a = dst.getAtIndex(LD, d + i);
                double b = src.getAtIndex(LD, s + i);
                dst.setAtIndex(LD, d + i, max ? Math.max(a, b) : a + b);
            }
        }
    }

    /** Sum of {@code x[s .. s + n)} in the element type, several lanes in parallel. */
    private static double sum(boolean f, MemorySegment x, long s, long n) {
        long i = 0;
        if (f) {
            FloatVector acc = FloatVector.zero(VectorConfig.F);
            long ub = VectorConfig.F.loopBound(n);
            for (; i < ub; i += VectorConfig.FL) {
                acc = acc.add(FloatVector.fromMemorySegment(VectorConfig.F, x, (s + i) << 2, BO));
            }
            float t = acc.reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) {
                t += x.getAtIndex(LF, s + i);
            }
            return t;
        }
        DoubleVector acc = DoubleVector.zero(VectorConfig.D);
        long ub = VectorConfig.D.loopBound(n);
        for (; i < ub; i += VectorConfig.DL) {
            acc = acc.add(DoubleVector.fromMemorySegment(VectorConfig.D, x, (s + i) << 3, BO));
        }
        double t = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            t += x.getAtIndex(LD, s + i);
        }
        return t;
    }

    /** {@code dst[d + i] += v} for {@code i < n}. */
    private static void addConstant(boolean f, double v, MemorySegment dst, long d, long n) {
        long i = 0;
        if (f) {
            FloatVector b = FloatVector.broadcast(VectorConfig.F, (float) v);
            long ub = VectorConfig.F.loopBound(n);
            for (; i < ub; i += VectorConfig.FL) {
                Mem.st(FloatVector.fromMemorySegment(VectorConfig.F, dst, (d + i) << 2, BO).add(b),
                        dst, (d + i) << 2);
            }
            for (; i < n; i++) {
                dst.setAtIndex(LF, d + i, dst.getAtIndex(LF, d + i) + (float) v);
            }
        } else {
            DoubleVector b = DoubleVector.broadcast(VectorConfig.D, v);
            long ub = VectorConfig.D.loopBound(n);
            for (; i < ub; i += VectorConfig.DL) {
                Mem.st(DoubleVector.fromMemorySegment(VectorConfig.D, dst, (d + i) << 3, BO).add(b),
                        dst, (d + i) << 3);
            }
            for (; i < n; i++) {
                dst.setAtIndex(LD, d + i, dst.getAtIndex(LD, d + i) + v);
            }
        }
    }

    /** First output column whose tap {@code kw} lands inside the plane (stride 1). */
    private static int lo(Window2d w, int kw) {
        int shift = kw * w.dilW() - w.padW();
        return Math.min(Math.max(-shift, 0), w.outW());
    }

    /** One past the last output column whose tap {@code kw} lands inside the plane (stride 1). */
    private static int hi(Window2d w, int kw, int lo) {
        int shift = kw * w.dilW() - w.padW();
        return Math.max(Math.min(w.inW() - shift, w.outW()), lo);
    }

    // ================================================================================ im2col

    @Override
    public void im2col(DType dt, Window2d w, int channels, MemorySegment x, long xOff,
                       MemorySegment col, long colOff, long ldCol) {
        boolean f = dt == DType.F32;
        int outW = w.outW();
        for (int c = 0; c < channels; c++) {
            long xc = xOff + c * w.inPlane();
            for (int kh = 0; kh < w.kH(); kh++) {
                for (int kw = 0; kw < w.kW(); kw++) {
                    long row = colOff + ((long) (c * w.kH() + kh) * w.kW() + kw) * ldCol;
                    if (w.strideW() != 1) {
                        ScalarConvKernels.im2colRow(f, w, kh, kw, x, xc, col, row);
                        continue;
                    }
                    int shift = kw * w.dilW() - w.padW();
                    int lo = lo(w, kw);
                    int hi = hi(w, kw, lo);
                    for (int oh = 0; oh < w.outH(); oh++) {
                        int ih = oh * w.strideH() - w.padH() + kh * w.dilH();
                        long base = row + (long) oh * outW;
                        if (ih < 0 || ih >= w.inH()) {
                            fill(f, 0, col, base, outW);
                            continue;
                        }
                        fill(f, 0, col, base, lo);
                        copy(f, x, xc + (long) ih * w.inW() + lo + shift, col, base + lo, hi - lo);
                        fill(f, 0, col, base + hi, outW - hi);
                    }
                }
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
                    if (w.strideW() != 1) {
                        ScalarConvKernels.col2imRow(f, w, kh, kw, col, row, x, xc);
                        continue;
                    }
                    int shift = kw * w.dilW() - w.padW();
                    int lo = lo(w, kw);
                    int hi = hi(w, kw, lo);
                    for (int oh = 0; oh < w.outH(); oh++) {
                        int ih = oh * w.strideH() - w.padH() + kh * w.dilH();
                        if (ih >= 0 && ih < w.inH()) {
                            accumulate(f, false, col, row + (long) oh * w.outW() + lo,
                                    x, xc + (long) ih * w.inW() + lo + shift, hi - lo);
                        }
                    }
                }
            }
        }
    }

    // ================================================================================= pools

    @Override
    public void maxPool(DType dt, Window2d w, long planes, MemorySegment x, long xOff, MemorySegment y, long yOff) {
        if (w.strideW() != 1) {
            SCALAR.maxPool(dt, w, planes, x, xOff, y, yOff);
            return;
        }
        windowRuns(dt == DType.F32, true, w, planes, x, xOff, y, yOff);
    }

    /**
     * Max (or sum) of every window's in-plane taps for column stride 1: the output row starts at
     * -inf (or 0) and each in-plane tap row is folded in over its run {@code [lo, hi)}.
     */
    private static void windowRuns(boolean f, boolean max, Window2d w, long planes,
                                   MemorySegment x, long xOff, MemorySegment y, long yOff) {
        int outW = w.outW();
        for (long p = 0; p < planes; p++) {
            long xp = xOff + p * w.inPlane();
            long yp = yOff + p * w.outPlane();
            for (int oh = 0; oh < w.outH(); oh++) {
                long yr = yp + (long) oh * outW;
                fill(f, max ? Double.NEGATIVE_INFINITY : 0, y, yr, outW);
                for (int kh = 0; kh < w.kH(); kh++) {
                    int ih = oh * w.strideH() - w.padH() + kh * w.dilH();
                    if (ih < 0 || ih >= w.inH()) {
                        continue;
                    }
                    long xr = xp + (long) ih * w.inW();
                    for (int kw = 0; kw < w.kW(); kw++) {
                        int shift = kw * w.dilW() - w.padW();
                        int lo = lo(w, kw);
                        int hi = hi(w, kw, lo);
                        accumulate(f, max, x, xr + lo + shift, y, yr + lo, hi - lo);
                    }
                }
            }
        }
    }

    @Override
    public void maxPoolBackward(DType dt, Window2d w, long planes, MemorySegment x, long xOff,
                                MemorySegment gy, long gyOff, MemorySegment gx, long gxOff) {
        SCALAR.maxPoolBackward(dt, w, planes, x, xOff, gy, gyOff, gx, gxOff);
    }

    @Override
    public void avgPool(DType dt, Window2d w, boolean countIncludePad, long planes,
                        MemorySegment x, long xOff, MemorySegment y, long yOff) {
        if (w.strideW() != 1) {
            SCALAR.avgPool(dt, w, countIncludePad, planes, x, xOff, y, yOff);
            return;
        }
        boolean f = dt == DType.F32;
        windowRuns(f, false, w, planes, x, xOff, y, yOff);
        for (long p = 0; p < planes; p++) {
            long yp = yOff + p * w.outPlane();
            for (int oh = 0; oh < w.outH(); oh++) {
                for (int ow = 0; ow < w.outW(); ow++) {
                    long i = yp + (long) oh * w.outW() + ow;
                    int div = ScalarConvKernels.avgDivisor(w, countIncludePad, oh, ow);
                    if (f) {
                        y.setAtIndex(LF, i, div == 0 ? 0f : y.getAtIndex(LF, i) / div);
                    } else {
                        y.setAtIndex(LD, i, div == 0 ? 0d : y.getAtIndex(LD, i) / div);
                    }
                }
            }
        }
    }

    @Override
    public void avgPoolBackward(DType dt, Window2d w, boolean countIncludePad, long planes,
                                MemorySegment gy, long gyOff, MemorySegment gx, long gxOff) {
        SCALAR.avgPoolBackward(dt, w, countIncludePad, planes, gy, gyOff, gx, gxOff);
    }

    @Override
    public void adaptiveAvgPool(DType dt, int inH, int inW, int outH, int outW, long planes,
                                MemorySegment x, long xOff, MemorySegment y, long yOff) {
        if (outH != 1 || outW != 1) {
            SCALAR.adaptiveAvgPool(dt, inH, inW, outH, outW, planes, x, xOff, y, yOff);
            return;
        }
        boolean f = dt == DType.F32;
        long n = (long) inH * inW;
        for (long p = 0; p < planes; p++) { // the global average: one vector sum per plane
            double s = sum(f, x, xOff + p * n, n);
            if (f) {
                y.setAtIndex(LF, yOff + p, (float) s / n);
            } else {
                y.setAtIndex(LD, yOff + p, s / n);
            }
        }
    }

    @Override
    public void adaptiveAvgPoolBackward(DType dt, int inH, int inW, int outH, int outW, long planes,
                                        MemorySegment gy, long gyOff, MemorySegment gx, long gxOff) {
        if (outH != 1 || outW != 1) {
            SCALAR.adaptiveAvgPoolBackward(dt, inH, inW, outH, outW, planes, gy, gyOff, gx, gxOff);
            return;
        }
        boolean f = dt == DType.F32;
        long n = (long) inH * inW;
        for (long p = 0; p < planes; p++) {
            double g = f ? gy.getAtIndex(LF, gyOff + p) / (float) n : gy.getAtIndex(LD, gyOff + p) / n;
            addConstant(f, g, gx, gxOff + p * n, n);
        }
    }

    @Override
    public void adaptiveMaxPool(DType dt, int inH, int inW, int outH, int outW, long planes,
                                MemorySegment x, long xOff, MemorySegment y, long yOff) {
        SCALAR.adaptiveMaxPool(dt, inH, inW, outH, outW, planes, x, xOff, y, yOff);
    }

    @Override
    public void adaptiveMaxPoolBackward(DType dt, int inH, int inW, int outH, int outW, long planes,
                                        MemorySegment x, long xOff, MemorySegment gy, long gyOff,
                                        MemorySegment gx, long gxOff) {
        SCALAR.adaptiveMaxPoolBackward(dt, inH, inW, outH, outW, planes, x, xOff, gy, gyOff, gx, gxOff);
    }
}
