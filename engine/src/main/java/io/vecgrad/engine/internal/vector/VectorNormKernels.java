package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarNormKernels;
import io.vecgrad.engine.spi.NormKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API twins of {@link ScalarNormKernels}. Every pass is one vector loop over a
 * contiguous run (a channel's spatial block, or a row) with a scalar tail of fewer than one
 * vector:
 * <ul>
 * <li>sums (statistics, and the backward's {@code Σg}, {@code Σg·(x-mean)}) of f32 data are
 *     taken in <em>double</em> lanes (half-width float loads widened, intrinsified F2D), with two
 *     independent accumulators; f64 sums use two double accumulators;</li>
 * <li>outputs are computed from per-run constants (computed in double once per run):
 *     {@code y = (x - mean)·scale + shift} in the element type (subtracting the mean first keeps
 *     a large mean from cancelling the result), {@code dx = α·g + β·(x - mean) + γ} in double
 *     lanes also for f32 data (its terms can be far larger than the result when the variance is
 *     small);</li>
 * <li>layer norm's weight and bias gradients are accumulated over rows in the caller's
 *     {@code double[]} work array (double lanes), then rounded once.</li>
 * </ul>
 * The results agree with the scalar twin to within a few units in the last place of the
 * element type (the sums are associated differently).
 *
 * <p>Loads and stores are written out in the loops (no vector crosses a method boundary; see
 * {@link VectorUpdateKernels} for why).
 */
public final class VectorNormKernels implements NormKernels {

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** Creates the (stateless) vector normalization kernels at {@link VectorConfig#BITS}. */
    public VectorNormKernels() {}

    @Override
    public String name() {
        return "vector-" + VectorConfig.BITS;
    }

    // =========================================================================== run helpers

    /** Σ x[off .. off+n) for f32 data, in double lanes. */
    private static double sumF(MemorySegment x, long off, long n) {
        final long ub = n - n % (2L * VectorConfig.DL);
        DoubleVector a0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector a1 = DoubleVector.zero(VectorConfig.D);
        long i = 0;
        for (; i < ub; i += 2L * VectorConfig.DL) {
            a0 = a0.add(VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (off + i) << 2, BO)));
            a1 = a1.add(VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (off + i + VectorConfig.DL) << 2, BO)));
        }
        double s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x.get(LF, (off + i) << 2);
        }
        return s;
    }

    /** Σ (x - m)² for f32 data, in double lanes. */
    private static double sqDevF(MemorySegment x, long off, long n, double m) {
        final long ub = n - n % (2L * VectorConfig.DL);
        final DoubleVector mv = DoubleVector.broadcast(VectorConfig.D, m);
        DoubleVector a0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector a1 = DoubleVector.zero(VectorConfig.D);
        long i = 0;
        for (; i < ub; i += 2L * VectorConfig.DL) {
            DoubleVector d0 = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (off + i) << 2, BO))
                    .sub(mv);
            DoubleVector d1 = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (off + i + VectorConfig.DL) << 2, BO)).sub(mv);
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
        }
        double s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double d = x.get(LF, (off + i) << 2) - m;
            s += d * d;
        }
        return s;
    }

    private static double sumD(MemorySegment x, long off, long n) {
        final long ub = n - n % (2L * VectorConfig.DL);
        DoubleVector a0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector a1 = DoubleVector.zero(VectorConfig.D);
        long i = 0;
        for (; i < ub; i += 2L * VectorConfig.DL) {
            a0 = a0.add(DoubleVector.fromMemorySegment(VectorConfig.D, x, (off + i) << 3, BO));
            a1 = a1.add(DoubleVector.fromMemorySegment(VectorConfig.D, x, (off + i + VectorConfig.DL) << 3, BO));
        }
        double s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x.get(LD, (off + i) << 3);
        }
        return s;
    }

    private static double sqDevD(MemorySegment x, long off, long n, double m) {
        final long ub = n - n % (2L * VectorConfig.DL);
        final DoubleVector mv = DoubleVector.broadcast(VectorConfig.D, m);
        DoubleVector a0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector a1 = DoubleVector.zero(VectorConfig.D);
        long i = 0;
        for (; i < ub; i += 2L * VectorConfig.DL) {
            DoubleVector d0 = DoubleVector.fromMemorySegment(VectorConfig.D, x, (off + i) << 3, BO).sub(mv);
            DoubleVector d1 = DoubleVector.fromMemorySegment(VectorConfig.D, x, (off + i + VectorConfig.DL) << 3, BO)
                    .sub(mv);
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
        }
        double s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double d = x.get(LD, (off + i) << 3) - m;
            s += d * d;
        }
        return s;
    }

    /** res[0] = Σ g, res[1] = Σ g·(x - m) over one run (f32 data, double lanes). */
    private static void gSumsF(MemorySegment g, long gOff, MemorySegment x, long xOff, long n, double m,
                               double[] res, int at) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector mv = DoubleVector.broadcast(VectorConfig.D, m);
        DoubleVector sg = DoubleVector.zero(VectorConfig.D);
        DoubleVector sgx = DoubleVector.zero(VectorConfig.D);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector gv = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, g, (gOff + i) << 2, BO));
            DoubleVector xv = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (xOff + i) << 2, BO));
            sg = sg.add(gv);
            sgx = gv.fma(xv.sub(mv), sgx);
        }
        double a = sg.reduceLanes(VectorOperators.ADD);
        double b = sgx.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double gv = g.get(LF, (gOff + i) << 2);
            a += gv;
            b += gv * (x.get(LF, (xOff + i) << 2) - m);
        }
        res[at] = a;
        res[at + 1] = b;
    }

    private static void gSumsD(MemorySegment g, long gOff, MemorySegment x, long xOff, long n, double m,
                               double[] res, int at) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector mv = DoubleVector.broadcast(VectorConfig.D, m);
        DoubleVector sg = DoubleVector.zero(VectorConfig.D);
        DoubleVector sgx = DoubleVector.zero(VectorConfig.D);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector gv = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + i) << 3, BO);
            DoubleVector xv = DoubleVector.fromMemorySegment(VectorConfig.D, x, (xOff + i) << 3, BO);
            sg = sg.add(gv);
            sgx = gv.fma(xv.sub(mv), sgx);
        }
        double a = sg.reduceLanes(VectorOperators.ADD);
        double b = sgx.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double gv = g.get(LD, (gOff + i) << 3);
            a += gv;
            b += gv * (x.get(LD, (xOff + i) << 3) - m);
        }
        res[at] = a;
        res[at + 1] = b;
    }

    /** y = (x - m)·sc + sh over one run, in float lanes. */
    private static void affineF(MemorySegment x, long xOff, MemorySegment y, long yOff, long n,
                                float m, float sc, float sh) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, (xOff + i) << 2, BO);
            Mem.st(v.sub(m).fma(FloatVector.broadcast(VectorConfig.F, sc), FloatVector.broadcast(VectorConfig.F, sh)),
                    y, (yOff + i) << 2);
        }
        for (; i < n; i++) {
            y.set(LF, (yOff + i) << 2, Math.fma(x.get(LF, (xOff + i) << 2) - m, sc, sh));
        }
    }

    private static void affineD(MemorySegment x, long xOff, MemorySegment y, long yOff, long n,
                                double m, double sc, double sh) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, (xOff + i) << 3, BO);
            Mem.st(v.sub(m).fma(DoubleVector.broadcast(VectorConfig.D, sc), DoubleVector.broadcast(VectorConfig.D, sh)),
                    y, (yOff + i) << 3);
        }
        for (; i < n; i++) {
            y.set(LD, (yOff + i) << 3, Math.fma(x.get(LD, (xOff + i) << 3) - m, sc, sh));
        }
    }

    /**
     * dx = α·g + β·(x - m) + γ over one run of f32 data, in double lanes: the three terms can be
     * much larger than their sum (small variance: large rstd), so they are not rounded to float.
     */
    private static void dxF(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment dx, long dxOff,
                            long n, double m, double al, double be, double ga) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector alV = DoubleVector.broadcast(VectorConfig.D, al);
        final DoubleVector beV = DoubleVector.broadcast(VectorConfig.D, be);
        final DoubleVector gaV = DoubleVector.broadcast(VectorConfig.D, ga);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector gv = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, g, (gOff + i) << 2, BO));
            DoubleVector xv = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (xOff + i) << 2, BO));
            DoubleVector t = xv.sub(m).fma(beV, gaV);
            Mem.st(VectorMath.narrow(gv.fma(alV, t)), dx, (dxOff + i) << 2);
        }
        for (; i < n; i++) {
            double t = Math.fma(x.get(LF, (xOff + i) << 2) - m, be, ga);
            dx.set(LF, (dxOff + i) << 2, (float) Math.fma(g.get(LF, (gOff + i) << 2), al, t));
        }
    }

    private static void dxD(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment dx, long dxOff,
                            long n, double m, double al, double be, double ga) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector gv = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + i) << 3, BO);
            DoubleVector xv = DoubleVector.fromMemorySegment(VectorConfig.D, x, (xOff + i) << 3, BO);
            DoubleVector t = xv.sub(m).fma(DoubleVector.broadcast(VectorConfig.D, be),
                    DoubleVector.broadcast(VectorConfig.D, ga));
            Mem.st(gv.fma(DoubleVector.broadcast(VectorConfig.D, al), t), dx, (dxOff + i) << 3);
        }
        for (; i < n; i++) {
            double t = Math.fma(x.get(LD, (xOff + i) << 3) - m, be, ga);
            dx.set(LD, (dxOff + i) << 3, Math.fma(g.get(LD, (gOff + i) << 3), al, t));
        }
    }

    private static double ld(DType dt, MemorySegment s, long off, long i) {
        return dt == DType.F32 ? s.get(LF, (off + i) << 2) : s.get(LD, (off + i) << 3);
    }

    private static double opt(DType dt, MemorySegment s, long off, long i, double dflt) {
        return s == null ? dflt : ld(dt, s, off, i);
    }

    private static void st(DType dt, MemorySegment s, long off, long i, double v) {
        if (dt == DType.F32) {
            s.set(LF, (off + i) << 2, (float) v);
        } else {
            s.set(LD, (off + i) << 3, v);
        }
    }

    // ============================================================================ statistics

    @Override
    public void moments(DType dt, long outer, long channels, long inner, MemorySegment x, long xOff, double eps,
                        MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                        MemorySegment var, long varOff) {
        boolean f = dt == DType.F32;
        double count = (double) outer * inner;
        for (long c = 0; c < channels; c++) {
            double s = 0;
            for (long a = 0; a < outer; a++) {
                long off = xOff + (a * channels + c) * inner;
                s += f ? sumF(x, off, inner) : sumD(x, off, inner);
            }
            double m = s / count;
            double q = 0;
            for (long a = 0; a < outer; a++) {
                long off = xOff + (a * channels + c) * inner;
                q += f ? sqDevF(x, off, inner, m) : sqDevD(x, off, inner, m);
            }
            double v = q / count;
            st(dt, mean, meanOff, c, m);
            st(dt, rstd, rstdOff, c, 1.0 / Math.sqrt(v + eps));
            if (var != null) {
                st(dt, var, varOff, c, v);
            }
        }
    }

    // ======================================================================== batch / group

    @Override
    public void channelForward(DType dt, long outer, long groups, long cpg, long inner,
                               MemorySegment x, long xOff,
                               MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff, long statStride,
                               MemorySegment w, long wOff, MemorySegment b, long bOff,
                               MemorySegment y, long yOff) {
        boolean f = dt == DType.F32;
        for (long a = 0; a < outer; a++) {
            for (long g = 0; g < groups; g++) {
                long k = a * statStride + g;
                double m = ld(dt, mean, meanOff, k);
                double r = ld(dt, rstd, rstdOff, k);
                for (long j = 0; j < cpg; j++) {
                    long c = g * cpg + j;
                    double sc = r * opt(dt, w, wOff, c, 1);
                    double sh = opt(dt, b, bOff, c, 0);
                    long base = ((a * groups + g) * cpg + j) * inner;
                    if (f) {
                        affineF(x, xOff + base, y, yOff + base, inner, (float) m, (float) sc, (float) sh);
                    } else {
                        affineD(x, xOff + base, y, yOff + base, inner, m, sc, sh);
                    }
                }
            }
        }
    }

    @Override
    public void channelBackward(DType dt, long outer, long groups, long cpg, long inner,
                                MemorySegment g, long gOff, MemorySegment x, long xOff,
                                MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff, long statStride,
                                MemorySegment w, long wOff, boolean statsConstant,
                                MemorySegment dx, long dxOff, MemorySegment dw, long dwOff,
                                MemorySegment db, long dbOff, double[] work) {
        boolean f = dt == DType.F32;
        int channels = Math.toIntExact(groups * cpg);
        int nStats = Math.toIntExact(statStride == 0 ? groups : outer * groups);
        int sa = 0;
        int sb = nStats;
        int ca = 2 * nStats;
        int cb = ca + channels;
        int tmp = cb + channels;
        java.util.Arrays.fill(work, 0, tmp, 0.0);
        for (long a = 0; a < outer; a++) {
            for (long gr = 0; gr < groups; gr++) {
                int k = (int) (a * statStride + gr);
                double m = ld(dt, mean, meanOff, k);
                double r = ld(dt, rstd, rstdOff, k);
                for (long j = 0; j < cpg; j++) {
                    int c = (int) (gr * cpg + j);
                    double wc = opt(dt, w, wOff, c, 1);
                    long base = ((a * groups + gr) * cpg + j) * inner;
                    if (f) {
                        gSumsF(g, gOff + base, x, xOff + base, inner, m, work, tmp);
                    } else {
                        gSumsD(g, gOff + base, x, xOff + base, inner, m, work, tmp);
                    }
                    work[sa + k] += wc * work[tmp];
                    work[sb + k] += wc * work[tmp + 1];
                    work[ca + c] += work[tmp];
                    work[cb + c] += r * work[tmp + 1];
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            if (dw != null) {
                st(dt, dw, dwOff, c, work[cb + c]);
            }
            if (db != null) {
                st(dt, db, dbOff, c, work[ca + c]);
            }
        }
        if (dx == null) {
            return;
        }
        double count = statStride == 0 ? (double) outer * cpg * inner : (double) cpg * inner;
        for (long a = 0; a < outer; a++) {
            for (long gr = 0; gr < groups; gr++) {
                int k = (int) (a * statStride + gr);
                double m = ld(dt, mean, meanOff, k);
                double r = ld(dt, rstd, rstdOff, k);
                double m1 = statsConstant ? 0 : work[sa + k] / count;
                double m2 = statsConstant ? 0 : r * work[sb + k] / count;
                double be = -r * r * m2;
                double ga = -r * m1;
                for (long j = 0; j < cpg; j++) {
                    long c = gr * cpg + j;
                    double al = r * opt(dt, w, wOff, c, 1);
                    long base = ((a * groups + gr) * cpg + j) * inner;
                    if (f) {
                        dxF(g, gOff + base, x, xOff + base, dx, dxOff + base, inner, m, al, be, ga);
                    } else {
                        dxD(g, gOff + base, x, xOff + base, dx, dxOff + base, inner, m, al, be, ga);
                    }
                }
            }
        }
    }

    // ============================================================================ layer norm

    @Override
    public void rowForward(DType dt, long rows, long len, MemorySegment x, long xOff,
                           MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                           MemorySegment w, long wOff, MemorySegment b, long bOff,
                           MemorySegment y, long yOff) {
        if (dt == DType.F32) {
            rowForwardF(rows, len, x, xOff, mean, meanOff, rstd, rstdOff, w, wOff, b, bOff, y, yOff);
        } else {
            rowForwardD(rows, len, x, xOff, mean, meanOff, rstd, rstdOff, w, wOff, b, bOff, y, yOff);
        }
    }

    private static void rowForwardF(long rows, long len, MemorySegment x, long xOff,
                                    MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                                    MemorySegment w, long wOff, MemorySegment b, long bOff,
                                    MemorySegment y, long yOff) {
        final boolean hasW = w != null;
        final boolean hasB = b != null;
        final long ub = VectorConfig.F.loopBound(len);
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final FloatVector zero = FloatVector.zero(VectorConfig.F);
        for (long r = 0; r < rows; r++) {
            float m = mean.get(LF, (meanOff + r) << 2);
            float s = rstd.get(LF, (rstdOff + r) << 2);
            long base = r * len;
            long j = 0;
            for (; j < ub; j += VectorConfig.FL) {
                FloatVector xv = FloatVector.fromMemorySegment(VectorConfig.F, x, (xOff + base + j) << 2, BO);
                FloatVector wv = hasW ? FloatVector.fromMemorySegment(VectorConfig.F, w, (wOff + j) << 2, BO) : one;
                FloatVector bv = hasB ? FloatVector.fromMemorySegment(VectorConfig.F, b, (bOff + j) << 2, BO) : zero;
                Mem.st(xv.sub(m).mul(s).fma(wv, bv), y, (yOff + base + j) << 2);
            }
            for (; j < len; j++) {
                float wj = hasW ? w.get(LF, (wOff + j) << 2) : 1f;
                float bj = hasB ? b.get(LF, (bOff + j) << 2) : 0f;
                y.set(LF, (yOff + base + j) << 2, Math.fma((x.get(LF, (xOff + base + j) << 2) - m) * s, wj, bj));
            }
        }
    }

    private static void rowForwardD(long rows, long len, MemorySegment x, long xOff,
                                    MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                                    MemorySegment w, long wOff, MemorySegment b, long bOff,
                                    MemorySegment y, long yOff) {
        final boolean hasW = w != null;
        final boolean hasB = b != null;
        final long ub = VectorConfig.D.loopBound(len);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final DoubleVector zero = DoubleVector.zero(VectorConfig.D);
        for (long r = 0; r < rows; r++) {
            double m = mean.get(LD, (meanOff + r) << 3);
            double s = rstd.get(LD, (rstdOff + r) << 3);
            long base = r * len;
            long j = 0;
            for (; j < ub; j += VectorConfig.DL) {
                DoubleVector xv = DoubleVector.fromMemorySegment(VectorConfig.D, x, (xOff + base + j) << 3, BO);
                DoubleVector wv = hasW ? DoubleVector.fromMemorySegment(VectorConfig.D, w, (wOff + j) << 3, BO) : one;
                DoubleVector bv = hasB ? DoubleVector.fromMemorySegment(VectorConfig.D, b, (bOff + j) << 3, BO) : zero;
                Mem.st(xv.sub(m).mul(s).fma(wv, bv), y, (yOff + base + j) << 3);
            }
            for (; j < len; j++) {
                double wj = hasW ? w.get(LD, (wOff + j) << 3) : 1.0;
                double bj = hasB ? b.get(LD, (bOff + j) << 3) : 0.0;
                y.set(LD, (yOff + base + j) << 3, Math.fma((x.get(LD, (xOff + base + j) << 3) - m) * s, wj, bj));
            }
        }
    }

    @Override
    public void rowBackward(DType dt, long rows, long len, MemorySegment g, long gOff, MemorySegment x, long xOff,
                            MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                            MemorySegment w, long wOff,
                            MemorySegment dx, long dxOff, MemorySegment dw, long dwOff,
                            MemorySegment db, long dbOff, double[] work) {
        int n = Math.toIntExact(len);
        java.util.Arrays.fill(work, 0, 2 * n, 0.0);
        boolean f = dt == DType.F32;
        for (long r = 0; r < rows; r++) {
            double m = ld(dt, mean, meanOff, r);
            double s = ld(dt, rstd, rstdOff, r);
            long base = r * len;
            if (f) {
                rowSumsF(g, gOff + base, x, xOff + base, w, wOff, n, m, s, work);
            } else {
                rowSumsD(g, gOff + base, x, xOff + base, w, wOff, n, m, s, work);
            }
            if (dx != null) {
                // the two row sums were left in work[2n], work[2n+1]
                double m1 = work[2 * n] / len;
                double m2 = s * work[2 * n + 1] / len;
                double be = -s * s * m2;
                double ga = -s * m1;
                if (f) {
                    rowDxF(g, gOff + base, x, xOff + base, w, wOff, dx, dxOff + base, n, m, s, be, ga);
                } else {
                    rowDxD(g, gOff + base, x, xOff + base, w, wOff, dx, dxOff + base, n, m, s, be, ga);
                }
            }
        }
        for (int j = 0; j < n; j++) {
            if (dw != null) {
                st(dt, dw, dwOff, j, work[j]);
            }
            if (db != null) {
                st(dt, db, dbOff, j, work[n + j]);
            }
        }
    }

    /**
     * One row: work[j] += g·(x-m)·s, work[n+j] += g (column sums for dw, db), and
     * work[2n] = Σ g·w, work[2n+1] = Σ g·w·(x-m); f32 data in double lanes.
     */
    private static void rowSumsF(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment w, long wOff,
                                 int n, double m, double s, double[] work) {
        final boolean hasW = w != null;
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        DoubleVector s1 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s2 = DoubleVector.zero(VectorConfig.D);
        int j = 0;
        for (; j < ub; j += VectorConfig.DL) {
            DoubleVector gv = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, g, (gOff + j) << 2, BO));
            DoubleVector dev = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (xOff + j) << 2, BO))
                    .sub(m);
            DoubleVector wv = hasW
                    ? VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, w, (wOff + j) << 2, BO)) : one;
            DoubleVector gw = gv.mul(wv);
            s1 = s1.add(gw);
            s2 = gw.fma(dev, s2);
            DoubleVector.fromArray(VectorConfig.D, work, j).add(gv.mul(dev).mul(s)).intoArray(work, j);
            DoubleVector.fromArray(VectorConfig.D, work, n + j).add(gv).intoArray(work, n + j);
        }
        double a = s1.reduceLanes(VectorOperators.ADD);
        double b = s2.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            double gv = g.get(LF, (gOff + j) << 2);
            double dev = x.get(LF, (xOff + j) << 2) - m;
            double gw = gv * (hasW ? w.get(LF, (wOff + j) << 2) : 1.0);
            a += gw;
            b += gw * dev;
            work[j] += gv * dev * s;
            work[n + j] += gv;
        }
        work[2 * n] = a;
        work[2 * n + 1] = b;
    }

    private static void rowSumsD(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment w, long wOff,
                                 int n, double m, double s, double[] work) {
        final boolean hasW = w != null;
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        DoubleVector s1 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s2 = DoubleVector.zero(VectorConfig.D);
        int j = 0;
        for (; j < ub; j += VectorConfig.DL) {
            DoubleVector gv = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + j) << 3, BO);
            DoubleVector dev = DoubleVector.fromMemorySegment(VectorConfig.D, x, (xOff + j) << 3, BO).sub(m);
            DoubleVector wv = hasW ? DoubleVector.fromMemorySegment(VectorConfig.D, w, (wOff + j) << 3, BO) : one;
            DoubleVector gw = gv.mul(wv);
            s1 = s1.add(gw);
            s2 = gw.fma(dev, s2);
            DoubleVector.fromArray(VectorConfig.D, work, j).add(gv.mul(dev).mul(s)).intoArray(work, j);
            DoubleVector.fromArray(VectorConfig.D, work, n + j).add(gv).intoArray(work, n + j);
        }
        double a = s1.reduceLanes(VectorOperators.ADD);
        double b = s2.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            double gv = g.get(LD, (gOff + j) << 3);
            double dev = x.get(LD, (xOff + j) << 3) - m;
            double gw = gv * (hasW ? w.get(LD, (wOff + j) << 3) : 1.0);
            a += gw;
            b += gw * dev;
            work[j] += gv * dev * s;
            work[n + j] += gv;
        }
        work[2 * n] = a;
        work[2 * n + 1] = b;
    }

    /** dx[j] = s·w[j]·g[j] + be·(x[j] - m) + ga for f32 data, in double lanes (see {@link #dxF}). */
    private static void rowDxF(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment w, long wOff,
                               MemorySegment dx, long dxOff, int n, double m, double s, double be, double ga) {
        final boolean hasW = w != null;
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final DoubleVector sV = DoubleVector.broadcast(VectorConfig.D, s);
        final DoubleVector beV = DoubleVector.broadcast(VectorConfig.D, be);
        final DoubleVector gaV = DoubleVector.broadcast(VectorConfig.D, ga);
        int j = 0;
        for (; j < ub; j += VectorConfig.DL) {
            DoubleVector gv = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, g, (gOff + j) << 2, BO));
            DoubleVector xv = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, (xOff + j) << 2, BO));
            DoubleVector wv = hasW
                    ? VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, w, (wOff + j) << 2, BO)) : one;
            DoubleVector t = xv.sub(m).fma(beV, gaV);
            Mem.st(VectorMath.narrow(gv.mul(wv).fma(sV, t)), dx, (dxOff + j) << 2);
        }
        for (; j < n; j++) {
            double wj = hasW ? w.get(LF, (wOff + j) << 2) : 1.0;
            double t = Math.fma(x.get(LF, (xOff + j) << 2) - m, be, ga);
            dx.set(LF, (dxOff + j) << 2, (float) Math.fma(g.get(LF, (gOff + j) << 2) * wj, s, t));
        }
    }

    private static void rowDxD(MemorySegment g, long gOff, MemorySegment x, long xOff, MemorySegment w, long wOff,
                               MemorySegment dx, long dxOff, int n, double m, double s, double be, double ga) {
        final boolean hasW = w != null;
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        int j = 0;
        for (; j < ub; j += VectorConfig.DL) {
            DoubleVector gv = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + j) << 3, BO);
            DoubleVector xv = DoubleVector.fromMemorySegment(VectorConfig.D, x, (xOff + j) << 3, BO);
            DoubleVector wv = hasW ? DoubleVector.fromMemorySegment(VectorConfig.D, w, (wOff + j) << 3, BO) : one;
            DoubleVector t = xv.sub(m).fma(DoubleVector.broadcast(VectorConfig.D, be),
                    DoubleVector.broadcast(VectorConfig.D, ga));
            Mem.st(gv.mul(wv).fma(DoubleVector.broadcast(VectorConfig.D, s), t), dx, (dxOff + j) << 3);
        }
        for (; j < n; j++) {
            double wj = hasW ? w.get(LD, (wOff + j) << 3) : 1.0;
            double t = Math.fma(x.get(LD, (xOff + j) << 3) - m, be, ga);
            dx.set(LD, (dxOff + j) << 3, Math.fma(g.get(LD, (gOff + j) << 3) * wj, s, t));
        }
    }
}
