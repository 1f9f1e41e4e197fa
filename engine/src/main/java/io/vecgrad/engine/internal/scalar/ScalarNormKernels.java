package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.NormKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar twin of the normalization kernels: plain loops that read each element as a
 * {@code double}, compute every sum, statistic and output in {@code double} and round once when
 * storing. It is the oracle the vector kernels are tested against, so it favours clarity over
 * speed (one code path for both element types).
 */
public final class ScalarNormKernels implements NormKernels {

    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** The shared stateless instance. */
    public static final ScalarNormKernels INSTANCE = new ScalarNormKernels();

    /** Creates the (stateless) scalar kernels; prefer {@link #INSTANCE}. */
    public ScalarNormKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    private static double ld(DType dt, MemorySegment s, long off, long i) {
        return dt == DType.F32 ? s.get(LF, (off + i) << 2) : s.get(LD, (off + i) << 3);
    }

    private static void st(DType dt, MemorySegment s, long off, long i, double v) {
        if (dt == DType.F32) {
            s.set(LF, (off + i) << 2, (float) v);
        } else {
            s.set(LD, (off + i) << 3, v);
        }
    }

    /** The value the kernels use for a statistic: the stored (dt-rounded) one. */
    private static double opt(DType dt, MemorySegment s, long off, long i, double dflt) {
        return s == null ? dflt : ld(dt, s, off, i);
    }

    @Override
    public void moments(DType dt, long outer, long channels, long inner, MemorySegment x, long xOff, double eps,
                        MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                        MemorySegment var, long varOff) {
        long count = outer * inner;
        for (long c = 0; c < channels; c++) {
            double s = 0;
            for (long a = 0; a < outer; a++) {
                long base = (a * channels + c) * inner;
                for (long i = 0; i < inner; i++) {
                    s += ld(dt, x, xOff, base + i);
                }
            }
            double m = s / count;
            double q = 0;
            for (long a = 0; a < outer; a++) {
                long base = (a * channels + c) * inner;
                for (long i = 0; i < inner; i++) {
                    double d = ld(dt, x, xOff, base + i) - m;
                    q += d * d;
                }
            }
            double v = q / count;
            st(dt, mean, meanOff, c, m);
            st(dt, rstd, rstdOff, c, 1.0 / Math.sqrt(v + eps));
            if (var != null) {
                st(dt, var, varOff, c, v);
            }
        }
    }

    @Override
    public void channelForward(DType dt, long outer, long groups, long cpg, long inner,
                               MemorySegment x, long xOff,
                               MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff, long statStride,
                               MemorySegment w, long wOff, MemorySegment b, long bOff,
                               MemorySegment y, long yOff) {
        for (long a = 0; a < outer; a++) {
            for (long g = 0; g < groups; g++) {
                long k = a * statStride + g;
                double m = ld(dt, mean, meanOff, k);
                double r = ld(dt, rstd, rstdOff, k);
                for (long j = 0; j < cpg; j++) {
                    long c = g * cpg + j;
                    double wc = opt(dt, w, wOff, c, 1);
                    double bc = opt(dt, b, bOff, c, 0);
                    long base = ((a * groups + g) * cpg + j) * inner;
                    for (long i = 0; i < inner; i++) {
                        st(dt, y, yOff, base + i, (ld(dt, x, xOff, base + i) - m) * r * wc + bc);
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
        long channels = groups * cpg;
        int nStats = Math.toIntExact(statStride == 0 ? groups : outer * groups);
        int sa = 0;
        int sb = nStats;
        int ca = 2 * nStats;
        int cb = 2 * nStats + (int) channels;
        java.util.Arrays.fill(work, 0, 2 * nStats + 2 * (int) channels, 0.0);
        // pass 1: per (a, c) the sums of g and of g * (x - mean)
        for (long a = 0; a < outer; a++) {
            for (long gr = 0; gr < groups; gr++) {
                int k = (int) (a * statStride + gr);
                double m = ld(dt, mean, meanOff, k);
                double r = ld(dt, rstd, rstdOff, k);
                for (long j = 0; j < cpg; j++) {
                    long c = gr * cpg + j;
                    double wc = opt(dt, w, wOff, c, 1);
                    long base = ((a * groups + gr) * cpg + j) * inner;
                    double sg = 0;
                    double sgx = 0;
                    for (long i = 0; i < inner; i++) {
                        double gv = ld(dt, g, gOff, base + i);
                        sg += gv;
                        sgx += gv * (ld(dt, x, xOff, base + i) - m);
                    }
                    work[sa + k] += wc * sg;
                    work[sb + k] += wc * sgx;
                    work[ca + (int) c] += sg;
                    work[cb + (int) c] += r * sgx;
                }
            }
        }
        if (dw != null || db != null) {
            for (long c = 0; c < channels; c++) {
                if (dw != null) {
                    st(dt, dw, dwOff, c, work[cb + (int) c]);
                }
                if (db != null) {
                    st(dt, db, dbOff, c, work[ca + (int) c]);
                }
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
                for (long j = 0; j < cpg; j++) {
                    long c = gr * cpg + j;
                    double wc = opt(dt, w, wOff, c, 1);
                    long base = ((a * groups + gr) * cpg + j) * inner;
                    for (long i = 0; i < inner; i++) {
                        double xhat = (ld(dt, x, xOff, base + i) - m) * r;
                        double d = r * (wc * ld(dt, g, gOff, base + i) - m1 - xhat * m2);
                        st(dt, dx, dxOff, base + i, d);
                    }
                }
            }
        }
    }

    @Override
    public void rowForward(DType dt, long rows, long len, MemorySegment x, long xOff,
                           MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                           MemorySegment w, long wOff, MemorySegment b, long bOff,
                           MemorySegment y, long yOff) {
        for (long r = 0; r < rows; r++) {
            double m = ld(dt, mean, meanOff, r);
            double s = ld(dt, rstd, rstdOff, r);
            long base = r * len;
            for (long j = 0; j < len; j++) {
                double v = (ld(dt, x, xOff, base + j) - m) * s * opt(dt, w, wOff, j, 1) + opt(dt, b, bOff, j, 0);
                st(dt, y, yOff, base + j, v);
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
        for (long r = 0; r < rows; r++) {
            double m = ld(dt, mean, meanOff, r);
            double s = ld(dt, rstd, rstdOff, r);
            long base = r * len;
            double s1 = 0;
            double s2 = 0;
            for (long j = 0; j < len; j++) {
                double gv = ld(dt, g, gOff, base + j);
                double dev = ld(dt, x, xOff, base + j) - m;
                double gw = gv * opt(dt, w, wOff, j, 1);
                s1 += gw;
                s2 += gw * dev;
                work[(int) j] += gv * dev * s;
                work[n + (int) j] += gv;
            }
            if (dx != null) {
                double m1 = s1 / len;
                double m2 = s * s2 / len;
                for (long j = 0; j < len; j++) {
                    double xhat = (ld(dt, x, xOff, base + j) - m) * s;
                    double gw = ld(dt, g, gOff, base + j) * opt(dt, w, wOff, j, 1);
                    st(dt, dx, dxOff, base + j, s * (gw - m1 - xhat * m2));
                }
            }
        }
        for (long j = 0; j < len; j++) {
            if (dw != null) {
                st(dt, dw, dwOff, j, work[(int) j]);
            }
            if (db != null) {
                st(dt, db, dbOff, j, work[n + (int) j]);
            }
        }
    }
}
