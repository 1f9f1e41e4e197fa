package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Vector reductions over rows longer than one chunk (VectorReductions works in chunks of 8192
 * elements) agree with the scalar twin: sizes around chunk boundaries, extremes and NaNs placed
 * in later chunks, rows ending exactly at their segment's end.
 */
class ReductionChunkProperties {
    private static final KernelProvider S = new ScalarKernelProvider();
    private static final KernelProvider V = new VectorKernelProvider();
    private static final int[] SIZES = {8191, 8192, 8193, 16384 + 67, 3 * 8192 + 4 * 16 + 3};

    private static MemorySegment seg(DType dt, double[] v) {
        MemorySegment s = Arena.ofAuto().allocate(v.length * dt.byteSize(), 64);
        for (int i = 0; i < v.length; i++) {
            if (dt == DType.F32) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) v[i]);
            } else {
                s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, v[i]);
            }
        }
        return s;
    }

    private static double get(DType dt, MemorySegment s, long i) {
        return dt == DType.F32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i)
                : s.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
    }

    @Test
    void multiChunkRowsMatchScalar() {
        SplittableRandom r = new SplittableRandom(42);
        for (DType dt : DType.values()) {
            double eps = dt == DType.F32 ? 0x1p-23 : 0x1p-52;
            for (int n : SIZES) {
                for (int variant = 0; variant < 4; variant++) {
                    double[] xv = new double[n];
                    double[] yv = new double[n];
                    for (int i = 0; i < n; i++) {
                        xv[i] = dt.round(r.nextDouble(-50, 50));
                        yv[i] = dt.round(r.nextDouble(-3, 3));
                    }
                    int late = n - 1 - r.nextInt(Math.min(n, 9000)); // usually in the last chunk
                    if (variant == 1) {
                        xv[late] = 1000; // unique max in a late chunk
                        xv[r.nextInt(n)] = -1000;
                    } else if (variant == 2) {
                        xv[late] = Double.NaN;
                    } else if (variant == 3) {
                        xv[late] = 77;
                        xv[n - 1] = 77; // tie: first index wins
                    }
                    MemorySegment x = seg(dt, xv);
                    MemorySegment y = seg(dt, yv);
                    String ctx = dt + " n=" + n + " variant=" + variant;
                    double sumAbs = 0;
                    double sumSq = 0;
                    double sumAbsDot = 0;
                    for (int i = 0; i < n; i++) {
                        sumAbs += Math.abs(xv[i]);
                        sumSq += xv[i] * xv[i];
                        sumAbsDot += Math.abs(xv[i] * yv[i]);
                    }
                    for (ReduceOp op : ReduceOp.values()) {
                        double w = S.reduce(dt, op, n, x, 0, 1);
                        double g = V.reduce(dt, op, n, x, 0, 1);
                        double tol = switch (op) {
                            case SUM -> eps * (n + 1) * sumAbs;
                            case SUM_SQUARES -> eps * (n + 1) * sumSq;
                            default -> 0;
                        };
                        assertTrue(close(w, g, tol), ctx + " " + op + ": want " + w + " got " + g);
                    }
                    assertEquals(S.argmax(dt, n, x, 0, 1), V.argmax(dt, n, x, 0, 1), ctx + " argmax");
                    assertEquals(S.argmin(dt, n, x, 0, 1), V.argmin(dt, n, x, 0, 1), ctx + " argmin");
                    double wd = S.dot(dt, n, x, 0, 1, y, 0, 1);
                    double gd = V.dot(dt, n, x, 0, 1, y, 0, 1);
                    assertTrue(close(wd, gd, eps * (n + 1) * sumAbsDot), ctx + " dot: want " + wd + " got " + gd);
                    double wl = S.logsumexp(dt, n, x, 0, 1);
                    double gl = V.logsumexp(dt, n, x, 0, 1);
                    assertTrue(close(wl, gl, 2 * Math.ulp(dt == DType.F32 ? (float) wl : wl) + 1e-13 * Math.abs(wl)),
                            ctx + " logsumexp: want " + wl + " got " + gl);
                    for (boolean log : new boolean[] {false, true}) {
                        MemorySegment ws = Arena.ofAuto().allocate(x.byteSize(), 64);
                        MemorySegment gs = Arena.ofAuto().allocate(x.byteSize(), 64);
                        S.softmax(dt, log, n, x, 0, 1, ws, 0, 1);
                        V.softmax(dt, log, n, x, 0, 1, gs, 0, 1);
                        for (int i = 0; i < n; i++) {
                            double w = get(dt, ws, i);
                            double g = get(dt, gs, i);
                            double tol = (dt == DType.F32 ? 4 * Math.ulp((float) w) : 1e-14 * Math.abs(w) + 1e-300)
                                    + (log ? 1e-15 * (n + 1) : 0);
                            if (!close(w, g, tol)) {
                                throw new AssertionError(ctx + (log ? " log_softmax" : " softmax") + " at " + i
                                        + ": want " + w + " got " + g);
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean close(double w, double g, double tol) {
        if (Double.isNaN(w) || Double.isNaN(g)) {
            return Double.isNaN(w) && Double.isNaN(g);
        }
        if (w == g) {
            return true;
        }
        return Math.abs(w - g) <= tol;
    }
}
