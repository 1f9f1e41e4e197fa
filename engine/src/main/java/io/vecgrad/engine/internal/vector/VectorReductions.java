package io.vecgrad.engine.internal.vector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector reductions and row kernels over <em>contiguous</em> rows (byte offsets). Sums and dot
 * products keep four independent accumulators in the element type (f32 sums in float lanes,
 * as the SPI specifies), so their rounding differs from the scalar twin's (which sums in double /
 * compensated) within {@code ~eps * n * sum|x|}. Max/min use the lanewise MAX/MIN ops, which
 * propagate NaN like {@link Math#max}. logsumexp and softmax evaluate exp in double lanes
 * ({@link VectorMath}) and sum in double.
 */
final class VectorReductions {
    private VectorReductions() {}

    private static final ByteOrder BO = ByteOrder.nativeOrder();


    // ================================================================== float

    private static FloatVector ldF(MemorySegment s, long b, long i) {
        return FloatVector.fromMemorySegment(VectorConfig.F, s, b + (i << 2), BO);
    }

    private static FloatVector ldmF(MemorySegment s, long b, long i, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(VectorConfig.F, s, b + (i << 2), BO, m);
    }

    /** Sum (or sum of squares) of x[0..n). */
    static float sumF(long n, MemorySegment x, long xb, boolean squares) {
        final long ub4 = n - n % (4L * VectorConfig.FL);
        final long ub = VectorConfig.F.loopBound(n);
        FloatVector s0 = FloatVector.zero(VectorConfig.F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        long i = 0;
        if (squares) {
            for (; i < ub4; i += 4L * VectorConfig.FL) {
                FloatVector v0 = ldF(x, xb, i);
                FloatVector v1 = ldF(x, xb, i + VectorConfig.FL);
                FloatVector v2 = ldF(x, xb, i + 2L * VectorConfig.FL);
                FloatVector v3 = ldF(x, xb, i + 3L * VectorConfig.FL);
                s0 = v0.fma(v0, s0);
                s1 = v1.fma(v1, s1);
                s2 = v2.fma(v2, s2);
                s3 = v3.fma(v3, s3);
            }
            for (; i < ub; i += VectorConfig.FL) {
                FloatVector v = ldF(x, xb, i);
                s0 = v.fma(v, s0);
            }
            if (i < n) {
                FloatVector v = ldmF(x, xb, i, VectorConfig.F.indexInRange(i, n));
                s1 = v.fma(v, s1);
            }
        } else {
            for (; i < ub4; i += 4L * VectorConfig.FL) {
                s0 = s0.add(ldF(x, xb, i));
                s1 = s1.add(ldF(x, xb, i + VectorConfig.FL));
                s2 = s2.add(ldF(x, xb, i + 2L * VectorConfig.FL));
                s3 = s3.add(ldF(x, xb, i + 3L * VectorConfig.FL));
            }
            for (; i < ub; i += VectorConfig.FL) {
                s0 = s0.add(ldF(x, xb, i));
            }
            if (i < n) {
                s1 = s1.add(ldmF(x, xb, i, VectorConfig.F.indexInRange(i, n)));
            }
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }

    /** Max ({@code max == true}) or min of x[0..n); NaN if any NaN; -inf / +inf if empty. */
    static float extremeF(long n, MemorySegment x, long xb, boolean max) {
        final long ub4 = n - n % (4L * VectorConfig.FL);
        final long ub = VectorConfig.F.loopBound(n);
        final VectorOperators.Associative op = max ? VectorOperators.MAX : VectorOperators.MIN;
        FloatVector s0 = FloatVector.broadcast(VectorConfig.F, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        long i = 0;
        if (max) {
            for (; i < ub4; i += 4L * VectorConfig.FL) {
                s0 = s0.max(ldF(x, xb, i));
                s1 = s1.max(ldF(x, xb, i + VectorConfig.FL));
                s2 = s2.max(ldF(x, xb, i + 2L * VectorConfig.FL));
                s3 = s3.max(ldF(x, xb, i + 3L * VectorConfig.FL));
            }
            for (; i < ub; i += VectorConfig.FL) {
                s0 = s0.max(ldF(x, xb, i));
            }
        } else {
            for (; i < ub4; i += 4L * VectorConfig.FL) {
                s0 = s0.min(ldF(x, xb, i));
                s1 = s1.min(ldF(x, xb, i + VectorConfig.FL));
                s2 = s2.min(ldF(x, xb, i + 2L * VectorConfig.FL));
                s3 = s3.min(ldF(x, xb, i + 3L * VectorConfig.FL));
            }
            for (; i < ub; i += VectorConfig.FL) {
                s0 = s0.min(ldF(x, xb, i));
            }
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            s1 = s1.lanewise(op, ldmF(x, xb, i, m), m);
        }
        FloatVector r = s0.lanewise(op, s1).lanewise(op, s2.lanewise(op, s3));
        // lane-wise NaN check first: the result must be NaN if any element was
        if (r.test(VectorOperators.IS_NAN).anyTrue()) {
            return Float.NaN;
        }
        return r.reduceLanes(op);
    }

    /** Index of the first max (min) element, or of the first NaN if there is one; -1 if empty. */
    static long argExtremeF(long n, MemorySegment x, long xb, boolean max) {
        if (n == 0) {
            return -1;
        }
        float m = extremeF(n, x, xb, max);
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        if (m != m) {
            for (; i < ub; i += VectorConfig.FL) {
                VectorMask<Float> hit = ldF(x, xb, i).test(VectorOperators.IS_NAN);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            VectorMask<Float> tail = VectorConfig.F.indexInRange(i, n);
            return i + ldmF(x, xb, i, tail).test(VectorOperators.IS_NAN).and(tail).firstTrue();
        }
        for (; i < ub; i += VectorConfig.FL) {
            VectorMask<Float> hit = ldF(x, xb, i).compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        VectorMask<Float> tail = VectorConfig.F.indexInRange(i, n);
        return i + ldmF(x, xb, i, tail).compare(VectorOperators.EQ, m).and(tail).firstTrue();
    }

    /** Dot product of x[0..n) and y[0..n). */
    static float dotF(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub4 = n - n % (4L * VectorConfig.FL);
        final long ub = VectorConfig.F.loopBound(n);
        FloatVector s0 = FloatVector.zero(VectorConfig.F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        long i = 0;
        for (; i < ub4; i += 4L * VectorConfig.FL) {
            s0 = ldF(x, xb, i).fma(ldF(y, yb, i), s0);
            s1 = ldF(x, xb, i + VectorConfig.FL).fma(ldF(y, yb, i + VectorConfig.FL), s1);
            s2 = ldF(x, xb, i + 2L * VectorConfig.FL).fma(ldF(y, yb, i + 2L * VectorConfig.FL), s2);
            s3 = ldF(x, xb, i + 3L * VectorConfig.FL).fma(ldF(y, yb, i + 3L * VectorConfig.FL), s3);
        }
        for (; i < ub; i += VectorConfig.FL) {
            s0 = ldF(x, xb, i).fma(ldF(y, yb, i), s0);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            s1 = ldmF(x, xb, i, m).fma(ldmF(y, yb, i, m), s1);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }


    // ================================================================== double

    private static DoubleVector ldD(MemorySegment s, long b, long i) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, b + (i << 3), BO);
    }

    private static DoubleVector ldmD(MemorySegment s, long b, long i, VectorMask<Double> m) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, b + (i << 3), BO, m);
    }

    /** Sum (or sum of squares) of x[0..n). */
    static double sumD(long n, MemorySegment x, long xb, boolean squares) {
        final long ub4 = n - n % (4L * VectorConfig.DL);
        final long ub = VectorConfig.D.loopBound(n);
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        long i = 0;
        if (squares) {
            for (; i < ub4; i += 4L * VectorConfig.DL) {
                DoubleVector v0 = ldD(x, xb, i);
                DoubleVector v1 = ldD(x, xb, i + VectorConfig.DL);
                DoubleVector v2 = ldD(x, xb, i + 2L * VectorConfig.DL);
                DoubleVector v3 = ldD(x, xb, i + 3L * VectorConfig.DL);
                s0 = v0.fma(v0, s0);
                s1 = v1.fma(v1, s1);
                s2 = v2.fma(v2, s2);
                s3 = v3.fma(v3, s3);
            }
            for (; i < ub; i += VectorConfig.DL) {
                DoubleVector v = ldD(x, xb, i);
                s0 = v.fma(v, s0);
            }
            if (i < n) {
                DoubleVector v = ldmD(x, xb, i, VectorConfig.D.indexInRange(i, n));
                s1 = v.fma(v, s1);
            }
        } else {
            for (; i < ub4; i += 4L * VectorConfig.DL) {
                s0 = s0.add(ldD(x, xb, i));
                s1 = s1.add(ldD(x, xb, i + VectorConfig.DL));
                s2 = s2.add(ldD(x, xb, i + 2L * VectorConfig.DL));
                s3 = s3.add(ldD(x, xb, i + 3L * VectorConfig.DL));
            }
            for (; i < ub; i += VectorConfig.DL) {
                s0 = s0.add(ldD(x, xb, i));
            }
            if (i < n) {
                s1 = s1.add(ldmD(x, xb, i, VectorConfig.D.indexInRange(i, n)));
            }
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }

    /** Max ({@code max == true}) or min of x[0..n); NaN if any NaN; -inf / +inf if empty. */
    static double extremeD(long n, MemorySegment x, long xb, boolean max) {
        final long ub4 = n - n % (4L * VectorConfig.DL);
        final long ub = VectorConfig.D.loopBound(n);
        final VectorOperators.Associative op = max ? VectorOperators.MAX : VectorOperators.MIN;
        DoubleVector s0 = DoubleVector.broadcast(VectorConfig.D, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        long i = 0;
        if (max) {
            for (; i < ub4; i += 4L * VectorConfig.DL) {
                s0 = s0.max(ldD(x, xb, i));
                s1 = s1.max(ldD(x, xb, i + VectorConfig.DL));
                s2 = s2.max(ldD(x, xb, i + 2L * VectorConfig.DL));
                s3 = s3.max(ldD(x, xb, i + 3L * VectorConfig.DL));
            }
            for (; i < ub; i += VectorConfig.DL) {
                s0 = s0.max(ldD(x, xb, i));
            }
        } else {
            for (; i < ub4; i += 4L * VectorConfig.DL) {
                s0 = s0.min(ldD(x, xb, i));
                s1 = s1.min(ldD(x, xb, i + VectorConfig.DL));
                s2 = s2.min(ldD(x, xb, i + 2L * VectorConfig.DL));
                s3 = s3.min(ldD(x, xb, i + 3L * VectorConfig.DL));
            }
            for (; i < ub; i += VectorConfig.DL) {
                s0 = s0.min(ldD(x, xb, i));
            }
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            s1 = s1.lanewise(op, ldmD(x, xb, i, m), m);
        }
        DoubleVector r = s0.lanewise(op, s1).lanewise(op, s2.lanewise(op, s3));
        // lane-wise NaN check first: the result must be NaN if any element was
        if (r.test(VectorOperators.IS_NAN).anyTrue()) {
            return Double.NaN;
        }
        return r.reduceLanes(op);
    }

    /** Index of the first max (min) element, or of the first NaN if there is one; -1 if empty. */
    static long argExtremeD(long n, MemorySegment x, long xb, boolean max) {
        if (n == 0) {
            return -1;
        }
        double m = extremeD(n, x, xb, max);
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        if (m != m) {
            for (; i < ub; i += VectorConfig.DL) {
                VectorMask<Double> hit = ldD(x, xb, i).test(VectorOperators.IS_NAN);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            VectorMask<Double> tail = VectorConfig.D.indexInRange(i, n);
            return i + ldmD(x, xb, i, tail).test(VectorOperators.IS_NAN).and(tail).firstTrue();
        }
        for (; i < ub; i += VectorConfig.DL) {
            VectorMask<Double> hit = ldD(x, xb, i).compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        VectorMask<Double> tail = VectorConfig.D.indexInRange(i, n);
        return i + ldmD(x, xb, i, tail).compare(VectorOperators.EQ, m).and(tail).firstTrue();
    }

    /** Dot product of x[0..n) and y[0..n). */
    static double dotD(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub4 = n - n % (4L * VectorConfig.DL);
        final long ub = VectorConfig.D.loopBound(n);
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        long i = 0;
        for (; i < ub4; i += 4L * VectorConfig.DL) {
            s0 = ldD(x, xb, i).fma(ldD(y, yb, i), s0);
            s1 = ldD(x, xb, i + VectorConfig.DL).fma(ldD(y, yb, i + VectorConfig.DL), s1);
            s2 = ldD(x, xb, i + 2L * VectorConfig.DL).fma(ldD(y, yb, i + 2L * VectorConfig.DL), s2);
            s3 = ldD(x, xb, i + 3L * VectorConfig.DL).fma(ldD(y, yb, i + 3L * VectorConfig.DL), s3);
        }
        for (; i < ub; i += VectorConfig.DL) {
            s0 = ldD(x, xb, i).fma(ldD(y, yb, i), s0);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            s1 = ldmD(x, xb, i, m).fma(ldmD(y, yb, i, m), s1);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }


    // ================================================================== exp sums and softmax

    /**
     * {@code sum exp(x[i] - m)} in double; if {@code store}, also writes {@code exp(x[i] - m)}
     * (rounded to float) to y. Masked-off tail lanes are set to -inf so they contribute 0.
     */
    static double expSumF(long n, MemorySegment x, long xb, double m, boolean store, MemorySegment y, long yb) {
        // DL floats per step, loaded as a half-width vector and widened (see VectorConfig.FH)
        final int dl = VectorConfig.DL;
        final long ub = n - n % dl;
        final FloatVector ninf = FloatVector.broadcast(VectorConfig.FH, Float.NEGATIVE_INFINITY);
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = s0;
        long i = 0;
        for (; i + dl < ub; i += 2L * dl) {
            DoubleVector e0 = VectorMath.exp(ldwF(x, xb, i).sub(m));
            DoubleVector e1 = VectorMath.exp(ldwF(x, xb, i + dl).sub(m));
            s0 = s0.add(e0);
            s1 = s1.add(e1);
            if (store) {
                VectorMath.narrow(e0).intoMemorySegment(y, yb + (i << 2), BO);
                VectorMath.narrow(e1).intoMemorySegment(y, yb + ((i + dl) << 2), BO);
            }
        }
        for (; i < ub; i += dl) {
            DoubleVector e0 = VectorMath.exp(ldwF(x, xb, i).sub(m));
            s0 = s0.add(e0);
            if (store) {
                VectorMath.narrow(e0).intoMemorySegment(y, yb + (i << 2), BO);
            }
        }
        if (i < n) {
            VectorMask<Float> msk = VectorConfig.FH.indexInRange(i, n);
            FloatVector v = ninf.blend(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, msk), msk);
            DoubleVector e0 = VectorMath.exp(VectorMath.widen(v).sub(m));
            s1 = s1.add(e0);
            if (store) {
                VectorMath.narrow(e0).intoMemorySegment(y, yb + (i << 2), BO, msk);
            }
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    private static DoubleVector ldwF(MemorySegment s, long byteOff, long i) {
        return VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, s, byteOff + (i << 2), BO));
    }

    static double expSumD(long n, MemorySegment x, long xb, double m, boolean store, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector ninf = DoubleVector.broadcast(VectorConfig.D, Double.NEGATIVE_INFINITY);
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = s0;
        long i = 0;
        for (; i + VectorConfig.DL < ub; i += 2L * VectorConfig.DL) {
            DoubleVector e0 = VectorMath.exp(ldD(x, xb, i).sub(m));
            DoubleVector e1 = VectorMath.exp(ldD(x, xb, i + VectorConfig.DL).sub(m));
            s0 = s0.add(e0);
            s1 = s1.add(e1);
            if (store) {
                e0.intoMemorySegment(y, yb + (i << 3), BO);
                e1.intoMemorySegment(y, yb + ((i + VectorConfig.DL) << 3), BO);
            }
        }
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector e0 = VectorMath.exp(ldD(x, xb, i).sub(m));
            s0 = s0.add(e0);
            if (store) {
                e0.intoMemorySegment(y, yb + (i << 3), BO);
            }
        }
        if (i < n) {
            VectorMask<Double> msk = VectorConfig.D.indexInRange(i, n);
            DoubleVector e0 = VectorMath.exp(ninf.blend(ldmD(x, xb, i, msk), msk).sub(m));
            s1 = s1.add(e0);
            if (store) {
                e0.intoMemorySegment(y, yb + (i << 3), BO, msk);
            }
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    /** {@code log(sum(exp(x)))}, contiguous f32 row. */
    static double logsumexpF(long n, MemorySegment x, long xb) {
        double m = extremeF(n, x, xb, true);
        if (Double.isNaN(m) || Double.isInfinite(m)) {
            return m;
        }
        return (float) (m + Math.log(expSumF(n, x, xb, m, false, null, 0)));
    }

    static double logsumexpD(long n, MemorySegment x, long xb) {
        double m = extremeD(n, x, xb, true);
        if (Double.isNaN(m) || Double.isInfinite(m)) {
            return m;
        }
        return m + Math.log(expSumD(n, x, xb, m, false, null, 0));
    }

    /** Softmax / log-softmax of a contiguous f32 row; y may alias x exactly. */
    static void softmaxF(boolean log, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        double m = extremeF(n, x, xb, true);
        double s = expSumF(n, x, xb, m, !log, y, yb);
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        if (log) {
            // y = (x - m) - log s in double lanes, one rounding (as the scalar twin)
            double ls = Math.log(s);
            final long ubd = n - n % VectorConfig.DL;
            for (; i < ubd; i += VectorConfig.DL) {
                VectorMath.narrow(ldwF(x, xb, i).sub(m).sub(ls)).intoMemorySegment(y, yb + (i << 2), BO);
            }
            if (i < n) {
                VectorMask<Float> msk = VectorConfig.FH.indexInRange(i, n);
                FloatVector v = FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, msk);
                VectorMath.narrow(VectorMath.widen(v).sub(m).sub(ls)).intoMemorySegment(y, yb + (i << 2), BO, msk);
            }
        } else {
            float inv = (float) (1.0 / s);
            for (; i < ub; i += VectorConfig.FL) {
                ldF(y, yb, i).mul(inv).intoMemorySegment(y, yb + (i << 2), BO);
            }
            if (i < n) {
                VectorMask<Float> msk = VectorConfig.F.indexInRange(i, n);
                ldmF(y, yb, i, msk).mul(inv).intoMemorySegment(y, yb + (i << 2), BO, msk);
            }
        }
    }

    /** Softmax / log-softmax of a contiguous f64 row; y may alias x exactly. */
    static void softmaxD(boolean log, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        double m = extremeD(n, x, xb, true);
        double s = expSumD(n, x, xb, m, !log, y, yb);
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        if (log) {
            double ls = Math.log(s);
            for (; i < ub; i += VectorConfig.DL) {
                ldD(x, xb, i).sub(m).sub(ls).intoMemorySegment(y, yb + (i << 3), BO);
            }
            if (i < n) {
                VectorMask<Double> msk = VectorConfig.D.indexInRange(i, n);
                ldmD(x, xb, i, msk).sub(m).sub(ls).intoMemorySegment(y, yb + (i << 3), BO, msk);
            }
        } else {
            double inv = 1.0 / s;
            for (; i < ub; i += VectorConfig.DL) {
                ldD(y, yb, i).mul(inv).intoMemorySegment(y, yb + (i << 3), BO);
            }
            if (i < n) {
                VectorMask<Double> msk = VectorConfig.D.indexInRange(i, n);
                ldmD(y, yb, i, msk).mul(inv).intoMemorySegment(y, yb + (i << 3), BO, msk);
            }
        }
    }
}
