package io.vecgrad.engine.internal.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector reductions and row kernels over <em>contiguous</em> rows (byte offsets).
 *
 * <p><b>Chunking (why).</b> Every kernel walks the row in chunks of {@link #CHUNK} elements: a
 * small {@code *Chunk} method does the vector work of one chunk and returns a <em>scalar</em>
 * (lanes reduced at the end of the chunk), and a driver loop combines those scalars. A single
 * long call (n ~ 1M) whose vector loop lives in the driver gets that loop compiled by on-stack
 * replacement, and in OSR code C2 keeps the loop-carried vector accumulators boxed: one
 * {@code FloatVector} allocation per vector step (6 MB per 1M-element sum, measured), and code
 * that sometimes never leaves tier 3 (every vector op boxed). A chunk method is instead invoked
 * n / CHUNK times per call, so it gets hot by invocations, is compiled normally (or inlined into
 * the driver's compilation), and only scalars cross the driver's loop: no allocation per call
 * once warm. Within a chunk, sums, dots and max/min keep four independent vector accumulators
 * (ILP), then a single-vector loop and a masked tail (only the last chunk has one).
 *
 * <p><b>Accuracy.</b> f32 sums, sums of squares and dot products accumulate in float lanes within
 * a chunk (each lane sums at most CHUNK / (4 * lanes) terms), and the chunk partials are added in
 * {@code double}, rounded to float once at the end: error {@code <~ eps_f * (CHUNK / 4L) * sum|x|}
 * instead of growing with n, and no float overflow of the running total when the scalar twin
 * (which sums everything in double) has none. f64 sums and dots are plain double lanes within a
 * chunk and combine chunk partials with Neumaier compensation; the scalar twin is fully
 * compensated, so they differ within {@code ~eps * (CHUNK / 4L) * sum|x|}. Max/min give {@link Math#max}'s
 * results (NaN if any element is NaN, -0 < +0), by compare and blend where that is exact (see
 * {@link #maxChunkBlendF}), else by the lanewise MAX/MIN ops. logsumexp and softmax evaluate exp in
 * double lanes (the {@link VectorMath} algorithm, written out here: see the exp section) and sum
 * in double.
 */
final class VectorReductions {
    private VectorReductions() {}

    private static final ByteOrder BO = ByteOrder.nativeOrder();

    /**
     * Elements per chunk: a multiple of four vectors at every width (so only the last chunk has a
     * tail), 32 KiB of f32 (L1-sized), and long enough that the per-chunk lane reduction and call
     * cost (~tens of cycles) is noise next to the 128+ vector steps.
     */
    static final int CHUNK = 8192;

    private static int chunkLen(long n, long i) {
        return (int) Math.min(CHUNK, n - i);
    }


    // ================================================================== float

    private static FloatVector ldF(MemorySegment s, long b, int i) {
        return FloatVector.fromMemorySegment(VectorConfig.F, s, b + ((long) i << 2), BO);
    }

    private static FloatVector ldmF(MemorySegment s, long b, int i, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(VectorConfig.F, s, b + ((long) i << 2), BO, m);
    }

    /** Sum (or sum of squares) of x[0..n); chunk partials in double (see class doc). */
    static float sumF(long n, MemorySegment x, long xb, boolean squares) {
        double s = 0;
        for (long i = 0; i < n; i += CHUNK) {
            int len = chunkLen(n, i);
            s += squares ? sumSqChunkF(x, xb + (i << 2), len) : sumChunkF(x, xb + (i << 2), len);
        }
        return (float) s;
    }

    private static float sumChunkF(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        FloatVector s0 = FloatVector.zero(VectorConfig.F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            s0 = s0.add(ldF(x, b, i));
            s1 = s1.add(ldF(x, b, i + VectorConfig.FL));
            s2 = s2.add(ldF(x, b, i + 2 * VectorConfig.FL));
            s3 = s3.add(ldF(x, b, i + 3 * VectorConfig.FL));
        }
        for (; i < ub; i += VectorConfig.FL) {
            s0 = s0.add(ldF(x, b, i));
        }
        if (i < len) {
            s1 = s1.add(ldmF(x, b, i, VectorConfig.F.indexInRange(i, len)));
        }
        FloatVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.FL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.F8));
        }
        if (VectorConfig.FL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.F4));
        }
        if (VectorConfig.FL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.F2));
        }
        return lanes.lane(0) + lanes.lane(1);
    }

    private static float sumSqChunkF(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        FloatVector s0 = FloatVector.zero(VectorConfig.F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            FloatVector v0 = ldF(x, b, i);
            FloatVector v1 = ldF(x, b, i + VectorConfig.FL);
            FloatVector v2 = ldF(x, b, i + 2 * VectorConfig.FL);
            FloatVector v3 = ldF(x, b, i + 3 * VectorConfig.FL);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, b, i);
            s0 = v.fma(v, s0);
        }
        if (i < len) {
            FloatVector v = ldmF(x, b, i, VectorConfig.F.indexInRange(i, len));
            s1 = v.fma(v, s1);
        }
        FloatVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.FL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.F8));
        }
        if (VectorConfig.FL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.F4));
        }
        if (VectorConfig.FL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.F2));
        }
        return lanes.lane(0) + lanes.lane(1);
    }

    /** Max ({@code max == true}) or min of x[0..n); NaN if any NaN; -inf / +inf if empty. */
    static float extremeF(long n, MemorySegment x, long xb, boolean max) {
        float r = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (long i = 0; i < n; i += CHUNK) {
            int len = chunkLen(n, i);
            float c = max ? maxChunkF(x, xb + (i << 2), len) : minChunkF(x, xb + (i << 2), len);
            if (c != c) {
                return c; // NaN: nothing after it can change the result
            }
            r = max ? Math.max(r, c) : Math.min(r, c);
        }
        return r;
    }

    private static float maxChunkF(MemorySegment x, long b, int len) {
        return len >= VectorConfig.FL ? maxChunkBlendF(x, b, len) : maxChunkExactF(x, b, len);
    }

    /**
     * {@link #maxChunkExactF}'s result, bit for bit, mostly by compare and blend. Needs
     * {@code len >= FL}.
     *
     * <p>Why: {@code FloatVector.max} has {@link Math#max}'s semantics (NaN wins, -0 < +0), which
     * C2 compiles to a five-instruction sequence per vector; the max of 1M floats ran at ~60 % of
     * the bandwidth the sum reaches. Compare and blend (as {@link #rowMaxChunkF}) is two
     * instructions but ignores NaN (it never wins a compare) and the sign of zero. So each
     * accumulator has a detector {@code z = v * 0 + z}, one fma: it stays +0 while every element
     * is finite (v * 0 is ±0, and +0 + -0 = +0) and becomes NaN, for good, at the first inf or
     * NaN. Compare and blend gets infinities right (+inf wins every compare, -inf none), so with no
     * NaN the blend's result is the largest element, and unless it is a zero its bits are unique:
     * it is the exact result. A detector hit costs a scan for a NaN (which stops at the first
     * one), a zero result a scan for a +0 (which stops at the first one); neither recomputes the
     * chunk with MAX. Measured at 1M f32: plain data 82 -> 51 µs; a -inf in every chunk 83 -> 78-93
     * (recomputing such chunks with MAX took 130); all -0 83 -> 78-107, all +0 83 -> 53-72.
     */
    private static float maxChunkBlendF(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        final FloatVector zero = FloatVector.zero(VectorConfig.F);
        FloatVector s0 = FloatVector.broadcast(VectorConfig.F, Float.NEGATIVE_INFINITY);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector z0 = zero;
        FloatVector z1 = zero;
        FloatVector z2 = zero;
        FloatVector z3 = zero;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            FloatVector v0 = ldF(x, b, i);
            FloatVector v1 = ldF(x, b, i + VectorConfig.FL);
            FloatVector v2 = ldF(x, b, i + 2 * VectorConfig.FL);
            FloatVector v3 = ldF(x, b, i + 3 * VectorConfig.FL);
            s0 = s0.blend(v0, v0.compare(VectorOperators.GT, s0));
            s1 = s1.blend(v1, v1.compare(VectorOperators.GT, s1));
            s2 = s2.blend(v2, v2.compare(VectorOperators.GT, s2));
            s3 = s3.blend(v3, v3.compare(VectorOperators.GT, s3));
            z0 = v0.fma(zero, z0);
            z1 = v1.fma(zero, z1);
            z2 = v2.fma(zero, z2);
            z3 = v3.fma(zero, z3);
        }
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, b, i);
            s0 = s0.blend(v, v.compare(VectorOperators.GT, s0));
            z0 = v.fma(zero, z0);
        }
        // the vector ending at len, whole (see rowMaxChunkF)
        FloatVector v = ldF(x, b, len - VectorConfig.FL);
        s1 = s1.blend(v, v.compare(VectorOperators.GT, s1));
        z1 = v.fma(zero, z1);
        s0 = s0.blend(s1, s1.compare(VectorOperators.GT, s0));
        s2 = s2.blend(s3, s3.compare(VectorOperators.GT, s2));
        s0 = s0.blend(s2, s2.compare(VectorOperators.GT, s0));
        float m = s0.reduceLanes(VectorOperators.MAX);
        if (z0.add(z1).add(z2.add(z3)).test(VectorOperators.IS_NAN).anyTrue() && findNaNChunkF(x, b, len) >= 0) {
            return Float.NaN; // an inf or NaN was seen, and there is a NaN
        }
        if (m == 0) {
            return hasBitsChunkF(x, b, len, 0) ? 0.0f : -0.0f; // +0 wins
        }
        return m;
    }

    /** Max of a chunk by the lanewise MAX op (rows shorter than a vector). */
    private static float maxChunkExactF(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        FloatVector s0 = FloatVector.broadcast(VectorConfig.F, Float.NEGATIVE_INFINITY);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            s0 = s0.max(ldF(x, b, i));
            s1 = s1.max(ldF(x, b, i + VectorConfig.FL));
            s2 = s2.max(ldF(x, b, i + 2 * VectorConfig.FL));
            s3 = s3.max(ldF(x, b, i + 3 * VectorConfig.FL));
        }
        for (; i < ub; i += VectorConfig.FL) {
            s0 = s0.max(ldF(x, b, i));
        }
        if (i < len) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, len);
            s1 = s1.lanewise(VectorOperators.MAX, ldmF(x, b, i, m), m);
        }
        FloatVector r = s0.max(s1).max(s2.max(s3));
        // lane-wise NaN check first: the result must be NaN if any element was
        if (r.test(VectorOperators.IS_NAN).anyTrue()) {
            return Float.NaN;
        }
        return r.reduceLanes(VectorOperators.MAX);
    }

    private static float minChunkF(MemorySegment x, long b, int len) {
        return len >= VectorConfig.FL ? minChunkBlendF(x, b, len) : minChunkExactF(x, b, len);
    }

    /** {@link #minChunkExactF}'s result, bit for bit (see {@link #maxChunkBlendF}); {@code len >= FL}. */
    private static float minChunkBlendF(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        final FloatVector zero = FloatVector.zero(VectorConfig.F);
        FloatVector s0 = FloatVector.broadcast(VectorConfig.F, Float.POSITIVE_INFINITY);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector z0 = zero;
        FloatVector z1 = zero;
        FloatVector z2 = zero;
        FloatVector z3 = zero;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            FloatVector v0 = ldF(x, b, i);
            FloatVector v1 = ldF(x, b, i + VectorConfig.FL);
            FloatVector v2 = ldF(x, b, i + 2 * VectorConfig.FL);
            FloatVector v3 = ldF(x, b, i + 3 * VectorConfig.FL);
            s0 = s0.blend(v0, v0.compare(VectorOperators.LT, s0));
            s1 = s1.blend(v1, v1.compare(VectorOperators.LT, s1));
            s2 = s2.blend(v2, v2.compare(VectorOperators.LT, s2));
            s3 = s3.blend(v3, v3.compare(VectorOperators.LT, s3));
            z0 = v0.fma(zero, z0);
            z1 = v1.fma(zero, z1);
            z2 = v2.fma(zero, z2);
            z3 = v3.fma(zero, z3);
        }
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, b, i);
            s0 = s0.blend(v, v.compare(VectorOperators.LT, s0));
            z0 = v.fma(zero, z0);
        }
        // the vector ending at len, whole (see rowMaxChunkF)
        FloatVector v = ldF(x, b, len - VectorConfig.FL);
        s1 = s1.blend(v, v.compare(VectorOperators.LT, s1));
        z1 = v.fma(zero, z1);
        s0 = s0.blend(s1, s1.compare(VectorOperators.LT, s0));
        s2 = s2.blend(s3, s3.compare(VectorOperators.LT, s2));
        s0 = s0.blend(s2, s2.compare(VectorOperators.LT, s0));
        float m = s0.reduceLanes(VectorOperators.MIN);
        if (z0.add(z1).add(z2.add(z3)).test(VectorOperators.IS_NAN).anyTrue() && findNaNChunkF(x, b, len) >= 0) {
            return Float.NaN; // an inf or NaN was seen, and there is a NaN
        }
        if (m == 0) {
            return hasBitsChunkF(x, b, len, 0x8000_0000) ? -0.0f : 0.0f; // -0 wins
        }
        return m;
    }

    /** Whether the chunk holds an element with these raw bits; {@code len >= FL}, a last partial vector read as the vector ending at len. */
    private static boolean hasBitsChunkF(MemorySegment x, long b, int len, int bits) {
        final int ub = VectorConfig.F.loopBound(len);
        for (int i = 0; i < ub; i += VectorConfig.FL) {
            if (ldF(x, b, i).reinterpretAsInts().compare(VectorOperators.EQ, bits).anyTrue()) {
                return true;
            }
        }
        return ldF(x, b, len - VectorConfig.FL).reinterpretAsInts().compare(VectorOperators.EQ, bits).anyTrue();
    }

    /** Min of a chunk by the lanewise MIN op (rows shorter than a vector). */
    private static float minChunkExactF(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        FloatVector s0 = FloatVector.broadcast(VectorConfig.F, Float.POSITIVE_INFINITY);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            s0 = s0.min(ldF(x, b, i));
            s1 = s1.min(ldF(x, b, i + VectorConfig.FL));
            s2 = s2.min(ldF(x, b, i + 2 * VectorConfig.FL));
            s3 = s3.min(ldF(x, b, i + 3 * VectorConfig.FL));
        }
        for (; i < ub; i += VectorConfig.FL) {
            s0 = s0.min(ldF(x, b, i));
        }
        if (i < len) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, len);
            s1 = s1.lanewise(VectorOperators.MIN, ldmF(x, b, i, m), m);
        }
        FloatVector r = s0.min(s1).min(s2.min(s3));
        if (r.test(VectorOperators.IS_NAN).anyTrue()) {
            return Float.NaN;
        }
        return r.reduceLanes(VectorOperators.MIN);
    }

    /** Index of the first max (min) element, or of the first NaN if there is one; -1 if empty. */
    static long argExtremeF(long n, MemorySegment x, long xb, boolean max) {
        if (n == 0) {
            return -1;
        }
        float m = extremeF(n, x, xb, max);
        for (long i = 0; i < n; i += CHUNK) {
            int len = chunkLen(n, i);
            int k = m != m ? findNaNChunkF(x, xb + (i << 2), len) : findChunkF(x, xb + (i << 2), len, m);
            if (k >= 0) {
                return i + k;
            }
        }
        throw new AssertionError("extreme value not found"); // m is an element of x
    }

    /** First index in the chunk whose element equals m, or -1. */
    private static int findChunkF(MemorySegment x, long b, int len, float m) {
        final int ub = VectorConfig.F.loopBound(len);
        int i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            VectorMask<Float> hit = ldF(x, b, i).compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        if (i < len) {
            VectorMask<Float> tail = VectorConfig.F.indexInRange(i, len);
            VectorMask<Float> hit = ldmF(x, b, i, tail).compare(VectorOperators.EQ, m).and(tail);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        return -1;
    }

    /** First index in the chunk holding a NaN, or -1. */
    private static int findNaNChunkF(MemorySegment x, long b, int len) {
        final int ub = VectorConfig.F.loopBound(len);
        int i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            VectorMask<Float> hit = ldF(x, b, i).test(VectorOperators.IS_NAN);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        if (i < len) {
            VectorMask<Float> tail = VectorConfig.F.indexInRange(i, len);
            VectorMask<Float> hit = ldmF(x, b, i, tail).test(VectorOperators.IS_NAN).and(tail);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        return -1;
    }

    /** Dot product of x[0..n) and y[0..n); chunk partials in double (see class doc). */
    static float dotF(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        double s = 0;
        for (long i = 0; i < n; i += CHUNK) {
            s += dotChunkF(x, xb + (i << 2), y, yb + (i << 2), chunkLen(n, i));
        }
        return (float) s;
    }

    private static float dotChunkF(MemorySegment x, long xb, MemorySegment y, long yb, int len) {
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        FloatVector s0 = FloatVector.zero(VectorConfig.F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            s0 = ldF(x, xb, i).fma(ldF(y, yb, i), s0);
            s1 = ldF(x, xb, i + VectorConfig.FL).fma(ldF(y, yb, i + VectorConfig.FL), s1);
            s2 = ldF(x, xb, i + 2 * VectorConfig.FL).fma(ldF(y, yb, i + 2 * VectorConfig.FL), s2);
            s3 = ldF(x, xb, i + 3 * VectorConfig.FL).fma(ldF(y, yb, i + 3 * VectorConfig.FL), s3);
        }
        for (; i < ub; i += VectorConfig.FL) {
            s0 = ldF(x, xb, i).fma(ldF(y, yb, i), s0);
        }
        if (i < len) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, len);
            s1 = ldmF(x, xb, i, m).fma(ldmF(y, yb, i, m), s1);
        }
        FloatVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.FL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.F8));
        }
        if (VectorConfig.FL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.F4));
        }
        if (VectorConfig.FL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.F2));
        }
        return lanes.lane(0) + lanes.lane(1);
    }
    // ================================================================== double

    private static DoubleVector ldD(MemorySegment s, long b, int i) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, b + ((long) i << 3), BO);
    }

    private static DoubleVector ldmD(MemorySegment s, long b, int i, VectorMask<Double> m) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, b + ((long) i << 3), BO, m);
    }

    /** Sum (or sum of squares) of x[0..n); chunk partials combined with compensation. */
    static double sumD(long n, MemorySegment x, long xb, boolean squares) {
        double s = 0;
        double comp = 0;
        for (long i = 0; i < n; i += CHUNK) {
            int len = chunkLen(n, i);
            double p = squares ? sumSqChunkD(x, xb + (i << 3), len) : sumChunkD(x, xb + (i << 3), len);
            double t = s + p;
            comp += Math.abs(s) >= Math.abs(p) ? (s - t) + p : (p - t) + s;
            s = t;
        }
        return Double.isFinite(s) ? s + comp : s;
    }

    private static double sumChunkD(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.DL);
        final int ub = VectorConfig.D.loopBound(len);
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.DL) {
            s0 = s0.add(ldD(x, b, i));
            s1 = s1.add(ldD(x, b, i + VectorConfig.DL));
            s2 = s2.add(ldD(x, b, i + 2 * VectorConfig.DL));
            s3 = s3.add(ldD(x, b, i + 3 * VectorConfig.DL));
        }
        for (; i < ub; i += VectorConfig.DL) {
            s0 = s0.add(ldD(x, b, i));
        }
        if (i < len) {
            s1 = s1.add(ldmD(x, b, i, VectorConfig.D.indexInRange(i, len)));
        }
        DoubleVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.DL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.D8));
        }
        if (VectorConfig.DL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.D4));
        }
        if (VectorConfig.DL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.D2));
        }
        return lanes.lane(0) + lanes.lane(1);
    }

    private static double sumSqChunkD(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.DL);
        final int ub = VectorConfig.D.loopBound(len);
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.DL) {
            DoubleVector v0 = ldD(x, b, i);
            DoubleVector v1 = ldD(x, b, i + VectorConfig.DL);
            DoubleVector v2 = ldD(x, b, i + 2 * VectorConfig.DL);
            DoubleVector v3 = ldD(x, b, i + 3 * VectorConfig.DL);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, b, i);
            s0 = v.fma(v, s0);
        }
        if (i < len) {
            DoubleVector v = ldmD(x, b, i, VectorConfig.D.indexInRange(i, len));
            s1 = v.fma(v, s1);
        }
        DoubleVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.DL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.D8));
        }
        if (VectorConfig.DL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.D4));
        }
        if (VectorConfig.DL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.D2));
        }
        return lanes.lane(0) + lanes.lane(1);
    }

    /** Max ({@code max == true}) or min of x[0..n); NaN if any NaN; -inf / +inf if empty. */
    static double extremeD(long n, MemorySegment x, long xb, boolean max) {
        double r = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (long i = 0; i < n; i += CHUNK) {
            int len = chunkLen(n, i);
            double c = max ? maxChunkD(x, xb + (i << 3), len) : minChunkD(x, xb + (i << 3), len);
            if (c != c) {
                return c; // NaN: nothing after it can change the result
            }
            r = max ? Math.max(r, c) : Math.min(r, c);
        }
        return r;
    }

    private static double maxChunkD(MemorySegment x, long b, int len) {
        return len >= VectorConfig.DL ? maxChunkBlendD(x, b, len) : maxChunkExactD(x, b, len);
    }

    /** {@link #maxChunkExactD}'s result, bit for bit (see {@link #maxChunkBlendF}); {@code len >= DL}. */
    private static double maxChunkBlendD(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.DL);
        final int ub = VectorConfig.D.loopBound(len);
        final DoubleVector zero = DoubleVector.zero(VectorConfig.D);
        DoubleVector s0 = DoubleVector.broadcast(VectorConfig.D, Double.NEGATIVE_INFINITY);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector z0 = zero;
        DoubleVector z1 = zero;
        DoubleVector z2 = zero;
        DoubleVector z3 = zero;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.DL) {
            DoubleVector v0 = ldD(x, b, i);
            DoubleVector v1 = ldD(x, b, i + VectorConfig.DL);
            DoubleVector v2 = ldD(x, b, i + 2 * VectorConfig.DL);
            DoubleVector v3 = ldD(x, b, i + 3 * VectorConfig.DL);
            s0 = s0.blend(v0, v0.compare(VectorOperators.GT, s0));
            s1 = s1.blend(v1, v1.compare(VectorOperators.GT, s1));
            s2 = s2.blend(v2, v2.compare(VectorOperators.GT, s2));
            s3 = s3.blend(v3, v3.compare(VectorOperators.GT, s3));
            z0 = v0.fma(zero, z0);
            z1 = v1.fma(zero, z1);
            z2 = v2.fma(zero, z2);
            z3 = v3.fma(zero, z3);
        }
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, b, i);
            s0 = s0.blend(v, v.compare(VectorOperators.GT, s0));
            z0 = v.fma(zero, z0);
        }
        // the vector ending at len, whole (see rowMaxChunkF)
        DoubleVector v = ldD(x, b, len - VectorConfig.DL);
        s1 = s1.blend(v, v.compare(VectorOperators.GT, s1));
        z1 = v.fma(zero, z1);
        s0 = s0.blend(s1, s1.compare(VectorOperators.GT, s0));
        s2 = s2.blend(s3, s3.compare(VectorOperators.GT, s2));
        s0 = s0.blend(s2, s2.compare(VectorOperators.GT, s0));
        double m = s0.reduceLanes(VectorOperators.MAX);
        if (z0.add(z1).add(z2.add(z3)).test(VectorOperators.IS_NAN).anyTrue() && findNaNChunkD(x, b, len) >= 0) {
            return Double.NaN; // an inf or NaN was seen, and there is a NaN
        }
        if (m == 0) {
            return hasBitsChunkD(x, b, len, 0L) ? 0.0 : -0.0; // +0 wins
        }
        return m;
    }

    /** Max of a chunk by the lanewise MAX op (rows shorter than a vector). */
    private static double maxChunkExactD(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.DL);
        final int ub = VectorConfig.D.loopBound(len);
        DoubleVector s0 = DoubleVector.broadcast(VectorConfig.D, Double.NEGATIVE_INFINITY);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.DL) {
            s0 = s0.max(ldD(x, b, i));
            s1 = s1.max(ldD(x, b, i + VectorConfig.DL));
            s2 = s2.max(ldD(x, b, i + 2 * VectorConfig.DL));
            s3 = s3.max(ldD(x, b, i + 3 * VectorConfig.DL));
        }
        for (; i < ub; i += VectorConfig.DL) {
            s0 = s0.max(ldD(x, b, i));
        }
        if (i < len) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, len);
            s1 = s1.lanewise(VectorOperators.MAX, ldmD(x, b, i, m), m);
        }
        DoubleVector r = s0.max(s1).max(s2.max(s3));
        // lane-wise NaN check first: the result must be NaN if any element was
        if (r.test(VectorOperators.IS_NAN).anyTrue()) {
            return Double.NaN;
        }
        return r.reduceLanes(VectorOperators.MAX);
    }

    private static double minChunkD(MemorySegment x, long b, int len) {
        return len >= VectorConfig.DL ? minChunkBlendD(x, b, len) : minChunkExactD(x, b, len);
    }

    /** {@link #minChunkExactD}'s result, bit for bit (see {@link #maxChunkBlendF}); {@code len >= DL}. */
    private static double minChunkBlendD(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.DL);
        final int ub = VectorConfig.D.loopBound(len);
        final DoubleVector zero = DoubleVector.zero(VectorConfig.D);
        DoubleVector s0 = DoubleVector.broadcast(VectorConfig.D, Double.POSITIVE_INFINITY);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector z0 = zero;
        DoubleVector z1 = zero;
        DoubleVector z2 = zero;
        DoubleVector z3 = zero;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.DL) {
            DoubleVector v0 = ldD(x, b, i);
            DoubleVector v1 = ldD(x, b, i + VectorConfig.DL);
            DoubleVector v2 = ldD(x, b, i + 2 * VectorConfig.DL);
            DoubleVector v3 = ldD(x, b, i + 3 * VectorConfig.DL);
            s0 = s0.blend(v0, v0.compare(VectorOperators.LT, s0));
            s1 = s1.blend(v1, v1.compare(VectorOperators.LT, s1));
            s2 = s2.blend(v2, v2.compare(VectorOperators.LT, s2));
            s3 = s3.blend(v3, v3.compare(VectorOperators.LT, s3));
            z0 = v0.fma(zero, z0);
            z1 = v1.fma(zero, z1);
            z2 = v2.fma(zero, z2);
            z3 = v3.fma(zero, z3);
        }
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, b, i);
            s0 = s0.blend(v, v.compare(VectorOperators.LT, s0));
            z0 = v.fma(zero, z0);
        }
        // the vector ending at len, whole (see rowMaxChunkF)
        DoubleVector v = ldD(x, b, len - VectorConfig.DL);
        s1 = s1.blend(v, v.compare(VectorOperators.LT, s1));
        z1 = v.fma(zero, z1);
        s0 = s0.blend(s1, s1.compare(VectorOperators.LT, s0));
        s2 = s2.blend(s3, s3.compare(VectorOperators.LT, s2));
        s0 = s0.blend(s2, s2.compare(VectorOperators.LT, s0));
        double m = s0.reduceLanes(VectorOperators.MIN);
        if (z0.add(z1).add(z2.add(z3)).test(VectorOperators.IS_NAN).anyTrue() && findNaNChunkD(x, b, len) >= 0) {
            return Double.NaN; // an inf or NaN was seen, and there is a NaN
        }
        if (m == 0) {
            return hasBitsChunkD(x, b, len, 0x8000_0000_0000_0000L) ? -0.0 : 0.0; // -0 wins
        }
        return m;
    }

    /** Whether the chunk holds an element with these raw bits; {@code len >= DL}, a last partial vector read as the vector ending at len. */
    private static boolean hasBitsChunkD(MemorySegment x, long b, int len, long bits) {
        final int ub = VectorConfig.D.loopBound(len);
        for (int i = 0; i < ub; i += VectorConfig.DL) {
            if (ldD(x, b, i).reinterpretAsLongs().compare(VectorOperators.EQ, bits).anyTrue()) {
                return true;
            }
        }
        return ldD(x, b, len - VectorConfig.DL).reinterpretAsLongs().compare(VectorOperators.EQ, bits).anyTrue();
    }

    /** Min of a chunk by the lanewise MIN op (rows shorter than a vector). */
    private static double minChunkExactD(MemorySegment x, long b, int len) {
        final int ub4 = len - len % (4 * VectorConfig.DL);
        final int ub = VectorConfig.D.loopBound(len);
        DoubleVector s0 = DoubleVector.broadcast(VectorConfig.D, Double.POSITIVE_INFINITY);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.DL) {
            s0 = s0.min(ldD(x, b, i));
            s1 = s1.min(ldD(x, b, i + VectorConfig.DL));
            s2 = s2.min(ldD(x, b, i + 2 * VectorConfig.DL));
            s3 = s3.min(ldD(x, b, i + 3 * VectorConfig.DL));
        }
        for (; i < ub; i += VectorConfig.DL) {
            s0 = s0.min(ldD(x, b, i));
        }
        if (i < len) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, len);
            s1 = s1.lanewise(VectorOperators.MIN, ldmD(x, b, i, m), m);
        }
        DoubleVector r = s0.min(s1).min(s2.min(s3));
        if (r.test(VectorOperators.IS_NAN).anyTrue()) {
            return Double.NaN;
        }
        return r.reduceLanes(VectorOperators.MIN);
    }

    /** Index of the first max (min) element, or of the first NaN if there is one; -1 if empty. */
    static long argExtremeD(long n, MemorySegment x, long xb, boolean max) {
        if (n == 0) {
            return -1;
        }
        double m = extremeD(n, x, xb, max);
        for (long i = 0; i < n; i += CHUNK) {
            int len = chunkLen(n, i);
            int k = m != m ? findNaNChunkD(x, xb + (i << 3), len) : findChunkD(x, xb + (i << 3), len, m);
            if (k >= 0) {
                return i + k;
            }
        }
        throw new AssertionError("extreme value not found"); // m is an element of x
    }

    /** First index in the chunk whose element equals m, or -1. */
    private static int findChunkD(MemorySegment x, long b, int len, double m) {
        final int ub = VectorConfig.D.loopBound(len);
        int i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            VectorMask<Double> hit = ldD(x, b, i).compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        if (i < len) {
            VectorMask<Double> tail = VectorConfig.D.indexInRange(i, len);
            VectorMask<Double> hit = ldmD(x, b, i, tail).compare(VectorOperators.EQ, m).and(tail);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        return -1;
    }

    /** First index in the chunk holding a NaN, or -1. */
    private static int findNaNChunkD(MemorySegment x, long b, int len) {
        final int ub = VectorConfig.D.loopBound(len);
        int i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            VectorMask<Double> hit = ldD(x, b, i).test(VectorOperators.IS_NAN);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        if (i < len) {
            VectorMask<Double> tail = VectorConfig.D.indexInRange(i, len);
            VectorMask<Double> hit = ldmD(x, b, i, tail).test(VectorOperators.IS_NAN).and(tail);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        return -1;
    }

    /** Dot product of x[0..n) and y[0..n); chunk partials combined with compensation. */
    static double dotD(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        double s = 0;
        double comp = 0;
        for (long i = 0; i < n; i += CHUNK) {
            double p = dotChunkD(x, xb + (i << 3), y, yb + (i << 3), chunkLen(n, i));
            double t = s + p;
            comp += Math.abs(s) >= Math.abs(p) ? (s - t) + p : (p - t) + s;
            s = t;
        }
        return Double.isFinite(s) ? s + comp : s;
    }

    private static double dotChunkD(MemorySegment x, long xb, MemorySegment y, long yb, int len) {
        final int ub4 = len - len % (4 * VectorConfig.DL);
        final int ub = VectorConfig.D.loopBound(len);
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.DL) {
            s0 = ldD(x, xb, i).fma(ldD(y, yb, i), s0);
            s1 = ldD(x, xb, i + VectorConfig.DL).fma(ldD(y, yb, i + VectorConfig.DL), s1);
            s2 = ldD(x, xb, i + 2 * VectorConfig.DL).fma(ldD(y, yb, i + 2 * VectorConfig.DL), s2);
            s3 = ldD(x, xb, i + 3 * VectorConfig.DL).fma(ldD(y, yb, i + 3 * VectorConfig.DL), s3);
        }
        for (; i < ub; i += VectorConfig.DL) {
            s0 = ldD(x, xb, i).fma(ldD(y, yb, i), s0);
        }
        if (i < len) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, len);
            s1 = ldmD(x, xb, i, m).fma(ldmD(y, yb, i, m), s1);
        }
        DoubleVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.DL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.D8));
        }
        if (VectorConfig.DL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.D4));
        }
        if (VectorConfig.DL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.D2));
        }
        return lanes.lane(0) + lanes.lane(1);
    }


    // ================================================================== exp sums and softmax

    // exp(d) for d = x - max <= 0, written out inside the chunk loops below rather than calling
    // VectorMath.exp: that call chain (exp -> expPoly/scale2k/c) is only allocation-free when C2
    // inlines all of it, and it measurably does not always (expPoly "already compiled into a big
    // method" once it has been compiled on its own; NodeCountInliningCutoff with two exps per
    // loop): every non-inlined call boxes its vector argument and result (24 MB per 1M-element
    // f32 logsumexp). Vector API methods are force-inlined, so a loop that calls nothing else
    // cannot box. Same algorithm as VectorMath.exp: k = rint(d / ln 2) by the shifter trick, r by
    // a two-part ln 2 with fma, degree-13 Taylor polynomial on |r| <= ln2/2, two-step scaling by
    // 2^k (correct subnormals); NaN propagates through the clamp.

    private static final double EXP_SHIFTER = 0x1.8p52;
    private static final long EXP_SHIFTER_BITS = Double.doubleToRawLongBits(EXP_SHIFTER);
    private static final double LOG2E = 1.4426950408889634;
    private static final double NEG_LN2_HI;
    private static final double NEG_LN2_LO;
    /** 1/n! (n! is exact in double for n <= 13, so one correctly rounded division each). */
    private static final double F2 = 1.0 / 2;
    private static final double F3 = 1.0 / 6;
    private static final double F4 = 1.0 / 24;
    private static final double F5 = 1.0 / 120;
    private static final double F6 = 1.0 / 720;
    private static final double F7 = 1.0 / 5040;
    private static final double F8 = 1.0 / 40320;
    private static final double F9 = 1.0 / 362880;
    private static final double F10 = 1.0 / 3628800;
    private static final double F11 = 1.0 / 39916800;
    private static final double F12 = 1.0 / 479001600;
    private static final double F13 = 1.0 / 6227020800L;

    static {
        java.math.BigDecimal ln2 = new java.math.BigDecimal(
                "0.69314718055994530941723212145817656807550013436025525412068");
        double hi = Double.longBitsToDouble(Double.doubleToRawLongBits(ln2.doubleValue()) & 0xFFFFFFFF00000000L);
        NEG_LN2_HI = -hi;
        NEG_LN2_LO = -ln2.subtract(new java.math.BigDecimal(hi)).doubleValue();
    }

    /**
     * {@code sum exp(x[i] - m)} in double; if {@code store}, also writes {@code exp(x[i] - m)}
     * (rounded to float) to y.
     */
    static double expSumF(long n, MemorySegment x, long xb, double m, boolean store, MemorySegment y, long yb) {
        double s = 0;
        for (long i = 0; i < n; i += CHUNK) {
            s += expChunkF(x, xb + (i << 2), m, store, y, yb + (i << 2), chunkLen(n, i));
        }
        return s;
    }

    /**
     * One chunk of {@link #expSumF}: half a float vector ({@code DL} elements, widened to double
     * lanes) per step, so the loop holds a single exp; steps load a whole float vector, so they
     * run while one fits in the chunk, and the last (< FL) elements use scalar Math.exp (a masked
     * load or store reaching past the end of the segment takes a checked path that was measured
     * to allocate ~48 B).
     */
    private static double expChunkF(MemorySegment x, long xb, double m, boolean store,
                                    MemorySegment y, long yb, int len) {
        final VectorMask<Float> low = VectorConfig.F.indexInRange(0, VectorConfig.DL);
        final DoubleVector log2e = DoubleVector.broadcast(VectorConfig.D, LOG2E);
        final DoubleVector shifter = DoubleVector.broadcast(VectorConfig.D, EXP_SHIFTER);
        final DoubleVector nln2hi = DoubleVector.broadcast(VectorConfig.D, NEG_LN2_HI);
        final DoubleVector nln2lo = DoubleVector.broadcast(VectorConfig.D, NEG_LN2_LO);
        final DoubleVector c13 = DoubleVector.broadcast(VectorConfig.D, F13);
        final DoubleVector c12 = DoubleVector.broadcast(VectorConfig.D, F12);
        final DoubleVector c11 = DoubleVector.broadcast(VectorConfig.D, F11);
        final DoubleVector c10 = DoubleVector.broadcast(VectorConfig.D, F10);
        final DoubleVector c9 = DoubleVector.broadcast(VectorConfig.D, F9);
        final DoubleVector c8 = DoubleVector.broadcast(VectorConfig.D, F8);
        final DoubleVector c7 = DoubleVector.broadcast(VectorConfig.D, F7);
        final DoubleVector c6 = DoubleVector.broadcast(VectorConfig.D, F6);
        final DoubleVector c5 = DoubleVector.broadcast(VectorConfig.D, F5);
        final DoubleVector c4 = DoubleVector.broadcast(VectorConfig.D, F4);
        final DoubleVector c3 = DoubleVector.broadcast(VectorConfig.D, F3);
        final DoubleVector c2 = DoubleVector.broadcast(VectorConfig.D, F2);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        DoubleVector acc = DoubleVector.zero(VectorConfig.D);
        int j = 0;
        for (; j + VectorConfig.FL <= len; j += VectorConfig.DL) {
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + ((long) j << 2), BO);
            DoubleVector d = ((DoubleVector) v.convertShape(VectorOperators.F2D, VectorConfig.D, 0))
                    .sub(m).max(-746.0).min(710.0);
            // ---- exp(d), as described above
            DoubleVector t = d.fma(log2e, shifter);
            DoubleVector k = t.sub(shifter);
            DoubleVector r = k.fma(nln2hi, d);
            r = k.fma(nln2lo, r);
            DoubleVector p = r.fma(c13, c12);
            p = p.fma(r, c11);
            p = p.fma(r, c10);
            p = p.fma(r, c9);
            p = p.fma(r, c8);
            p = p.fma(r, c7);
            p = p.fma(r, c6);
            p = p.fma(r, c5);
            p = p.fma(r, c4);
            p = p.fma(r, c3);
            p = p.fma(r, c2);
            p = p.fma(r, one);
            p = p.fma(r, one);
            LongVector kl = t.reinterpretAsLongs().sub(EXP_SHIFTER_BITS);
            LongVector k1 = kl.lanewise(VectorOperators.ASHR, 1);
            LongVector k2 = kl.sub(k1);
            DoubleVector e = p.mul(k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(k2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            // ----
            acc = acc.add(e);
            if (store) {
                e.convertShape(VectorOperators.D2F, VectorConfig.F, 0)
                        .intoMemorySegment(y, yb + ((long) j << 2), BO, low);
            }
        }
        DoubleVector lanes = acc; // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.DL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.D8));
        }
        if (VectorConfig.DL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.D4));
        }
        if (VectorConfig.DL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.D2));
        }
        double s = lanes.lane(0) + lanes.lane(1);
        for (; j < len; j++) { // < FL elements: scalar (Math.exp is as accurate)
            double e = Math.exp(x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, xb + ((long) j << 2)) - m);
            s += e;
            if (store) {
                y.set(ValueLayout.JAVA_FLOAT_UNALIGNED, yb + ((long) j << 2), (float) e);
            }
        }
        return s;
    }

    static double expSumD(long n, MemorySegment x, long xb, double m, boolean store, MemorySegment y, long yb) {
        double s = 0;
        for (long i = 0; i < n; i += CHUNK) {
            s += expChunkD(x, xb + (i << 3), m, store, y, yb + (i << 3), chunkLen(n, i));
        }
        return s;
    }

    /** One chunk of {@link #expSumD}: one vector per step, scalar tail (see {@link #expChunkF}). */
    private static double expChunkD(MemorySegment x, long xb, double m, boolean store,
                                    MemorySegment y, long yb, int len) {
        final DoubleVector log2e = DoubleVector.broadcast(VectorConfig.D, LOG2E);
        final DoubleVector shifter = DoubleVector.broadcast(VectorConfig.D, EXP_SHIFTER);
        final DoubleVector nln2hi = DoubleVector.broadcast(VectorConfig.D, NEG_LN2_HI);
        final DoubleVector nln2lo = DoubleVector.broadcast(VectorConfig.D, NEG_LN2_LO);
        final DoubleVector c13 = DoubleVector.broadcast(VectorConfig.D, F13);
        final DoubleVector c12 = DoubleVector.broadcast(VectorConfig.D, F12);
        final DoubleVector c11 = DoubleVector.broadcast(VectorConfig.D, F11);
        final DoubleVector c10 = DoubleVector.broadcast(VectorConfig.D, F10);
        final DoubleVector c9 = DoubleVector.broadcast(VectorConfig.D, F9);
        final DoubleVector c8 = DoubleVector.broadcast(VectorConfig.D, F8);
        final DoubleVector c7 = DoubleVector.broadcast(VectorConfig.D, F7);
        final DoubleVector c6 = DoubleVector.broadcast(VectorConfig.D, F6);
        final DoubleVector c5 = DoubleVector.broadcast(VectorConfig.D, F5);
        final DoubleVector c4 = DoubleVector.broadcast(VectorConfig.D, F4);
        final DoubleVector c3 = DoubleVector.broadcast(VectorConfig.D, F3);
        final DoubleVector c2 = DoubleVector.broadcast(VectorConfig.D, F2);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        DoubleVector acc = DoubleVector.zero(VectorConfig.D);
        int j = 0;
        for (; j + VectorConfig.DL <= len; j += VectorConfig.DL) {
            DoubleVector d = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + ((long) j << 3), BO)
                    .sub(m).max(-746.0).min(710.0);
            // ---- exp(d), as described above
            DoubleVector t = d.fma(log2e, shifter);
            DoubleVector k = t.sub(shifter);
            DoubleVector r = k.fma(nln2hi, d);
            r = k.fma(nln2lo, r);
            DoubleVector p = r.fma(c13, c12);
            p = p.fma(r, c11);
            p = p.fma(r, c10);
            p = p.fma(r, c9);
            p = p.fma(r, c8);
            p = p.fma(r, c7);
            p = p.fma(r, c6);
            p = p.fma(r, c5);
            p = p.fma(r, c4);
            p = p.fma(r, c3);
            p = p.fma(r, c2);
            p = p.fma(r, one);
            p = p.fma(r, one);
            LongVector kl = t.reinterpretAsLongs().sub(EXP_SHIFTER_BITS);
            LongVector k1 = kl.lanewise(VectorOperators.ASHR, 1);
            LongVector k2 = kl.sub(k1);
            DoubleVector e = p.mul(k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles())
                    .mul(k2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles());
            // ----
            acc = acc.add(e);
            if (store) {
                e.intoMemorySegment(y, yb + ((long) j << 3), BO);
            }
        }
        DoubleVector lanes = acc; // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.DL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.D8));
        }
        if (VectorConfig.DL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.D4));
        }
        if (VectorConfig.DL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.D2));
        }
        double s = lanes.lane(0) + lanes.lane(1);
        for (; j < len; j++) { // < DL elements: scalar
            double e = Math.exp(x.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, xb + ((long) j << 3)) - m);
            s += e;
            if (store) {
                y.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, yb + ((long) j << 3), e);
            }
        }
        return s;
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
        softmaxF(log, n, x, xb, y, yb, false);
    }

    /** {@link #softmaxF}; {@code generalOnly} skips the fast loop of {@link #expSumChunkFL} (tests compare the bits). */
    static void softmaxF(boolean log, long n, MemorySegment x, long xb, MemorySegment y, long yb, boolean generalOnly) {
        float m = rowMaxF(n, x, xb);
        double s = 0;
        for (long i = 0; i < n; i += CHUNK) {
            s += expSumChunkFL(x, xb + (i << 2), m, !log, y, yb + (i << 2), chunkLen(n, i), generalOnly);
        }
        if (log) {
            double ls = Math.log(s);
            float lsHi = (float) ls;
            float lsLo = (float) (ls - lsHi);
            boolean floatLanes = Float.isFinite(m) && Float.isFinite(lsHi);
            for (long i = 0; i < n; i += CHUNK) {
                int len = chunkLen(n, i);
                if (floatLanes && len >= VectorConfig.FL) {
                    logSoftmaxChunkFL(x, xb + (i << 2), y, yb + (i << 2), len, m, lsHi, lsLo);
                } else {
                    logSoftmaxChunkF(x, xb + (i << 2), y, yb + (i << 2), len, m, ls);
                }
            }
        } else {
            float inv = (float) (1.0 / s);
            for (long i = 0; i < n; i += CHUNK) {
                scaleChunkF(y, yb + (i << 2), chunkLen(n, i), inv);
            }
        }
    }

    /**
     * The largest non-NaN element of a softmax row (-inf when there is none), by compare and
     * blend: {@code max}'s Java semantics (NaN wins, -0 < +0) cost C2 a five-instruction sequence
     * per vector and made this pass a sixth of softmax's time. Neither is needed here: a NaN
     * element makes its e^(x - m), the row's sum and so every output NaN anyway, and e^(x - m),
     * the TwoSum of x - m and log-softmax's d + (dl - ls) come out the same for m = -0 and m = +0.
     * A last partial vector is read as the vector ending at the chunk's end (max is idempotent).
     */
    static float rowMaxF(long n, MemorySegment x, long xb) {
        float r = Float.NEGATIVE_INFINITY;
        for (long i = 0; i < n; i += CHUNK) {
            float c = rowMaxChunkF(x, xb + (i << 2), chunkLen(n, i));
            r = c > r ? c : r;
        }
        return r;
    }

    private static float rowMaxChunkF(MemorySegment x, long b, int len) {
        if (len < VectorConfig.FL) {
            float r = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                float v = x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, b + ((long) i << 2));
                r = v > r ? v : r;
            }
            return r;
        }
        final int ub4 = len - len % (4 * VectorConfig.FL);
        final int ub = VectorConfig.F.loopBound(len);
        FloatVector s0 = FloatVector.broadcast(VectorConfig.F, Float.NEGATIVE_INFINITY);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int i = 0;
        for (; i < ub4; i += 4 * VectorConfig.FL) {
            FloatVector v0 = ldF(x, b, i);
            FloatVector v1 = ldF(x, b, i + VectorConfig.FL);
            FloatVector v2 = ldF(x, b, i + 2 * VectorConfig.FL);
            FloatVector v3 = ldF(x, b, i + 3 * VectorConfig.FL);
            s0 = s0.blend(v0, v0.compare(VectorOperators.GT, s0));
            s1 = s1.blend(v1, v1.compare(VectorOperators.GT, s1));
            s2 = s2.blend(v2, v2.compare(VectorOperators.GT, s2));
            s3 = s3.blend(v3, v3.compare(VectorOperators.GT, s3));
        }
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, b, i);
            s0 = s0.blend(v, v.compare(VectorOperators.GT, s0));
        }
        // the last vector, whole, merged last: a NaN never wins a compare, so no accumulator lane
        // holds one (an accumulator started from a NaN lane would ignore that lane from then on)
        FloatVector v = ldF(x, b, len - VectorConfig.FL);
        s1 = s1.blend(v, v.compare(VectorOperators.GT, s1));
        s0 = s0.blend(s1, s1.compare(VectorOperators.GT, s0));
        s2 = s2.blend(s3, s3.compare(VectorOperators.GT, s2));
        s0 = s0.blend(s2, s2.compare(VectorOperators.GT, s0));
        return s0.reduceLanes(VectorOperators.MAX);
    }

    // f32 softmax in float lanes: twice the lanes of the double-lane exp above and no widening,
    // which made softmax 3x slower than PyTorch's. Accuracy is kept where it matters:
    // - d = x - m is rounded in float, but its rounding error dl is recovered exactly (TwoSum)
    //   and added to the reduced argument r, so e^(x - m) is computed from the exact difference
    //   (without it, |d| = 20 would cost ~8 ulp);
    // - e^r uses VectorMath.expF's algorithm (<= 1 ulp measured, <= 2 ulp tested);
    // - the sum is compensated (TwoSum per step, lane partials widened to double at the end), so
    //   it is as good as a double sum (up to FL = 16 float lanes, 8 widened); softmax is then e * (1/s): within 4 ulp of the double
    //   scalar twin (VectorKernelProperties), and log-softmax keeps its double-lane last pass.
    // logsumexp keeps the double-lane exp: its result m + log s can cancel to near 0.

    /**
     * {@code sum exp(x[i] - m)} of one chunk in float lanes (compensated), written to y (rounded
     * to float) if {@code store}; a row shorter than a vector in double with Math.exp.
     */
    private static double expSumChunkFL(MemorySegment x, long xb, float m, boolean store,
                                        MemorySegment y, long yb, int len, boolean generalOnly) {
        final FloatVector log2e = FloatVector.broadcast(VectorConfig.F, LOG2E_F);
        final FloatVector shifter = FloatVector.broadcast(VectorConfig.F, SHIFTER_F);
        final FloatVector nln2hi = FloatVector.broadcast(VectorConfig.F, -LN2_HI_F);
        final FloatVector nln2lo = FloatVector.broadcast(VectorConfig.F, -LN2_LO_F);
        final FloatVector e7 = FloatVector.broadcast(VectorConfig.F, 1f / 5040);
        final FloatVector e6 = FloatVector.broadcast(VectorConfig.F, 1f / 720);
        final FloatVector e5 = FloatVector.broadcast(VectorConfig.F, 1f / 120);
        final FloatVector e4 = FloatVector.broadcast(VectorConfig.F, 1f / 24);
        final FloatVector e3 = FloatVector.broadcast(VectorConfig.F, 1f / 6);
        final FloatVector e2 = FloatVector.broadcast(VectorConfig.F, 1f / 2);
        final FloatVector negM = FloatVector.broadcast(VectorConfig.F, -m);
        final int ub = VectorConfig.F.loopBound(len);
        FloatVector s = FloatVector.zero(VectorConfig.F);
        FloatVector c = s;
        int j = 0;
        // A last partial vector (len % FL != 0, len >= FL) is done as the vector ending at len,
        // loaded before the loop (y may alias x): its lanes that the loop already did are left out
        // of the sum, and its store rewrites them with the same values. No scalar exp per row.
        // (Loaded unconditionally: a vector chosen by a condition merges at a phi, where C2 boxed
        // it, 96 B per call.)
        if (len < VectorConfig.FL) {
            return expSumScalarF(x, xb, m, store, y, yb, len);
        }
        final int rem = len % VectorConfig.FL;
        final FloatVector tailV = ldF(x, xb, len - VectorConfig.FL);
        // Fast loop while every x - m >= -87: then e^(x - m) is normal, so 2^k is one normal
        // float built from t's low bits and the clamp is not needed; the bits are those of the
        // general loop below, which takes over from the first vector with a smaller difference.
        for (; j < ub && !generalOnly; j += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, j);
            FloatVector d = v.add(negM);
            if (d.lt(EXP_FAST_MIN_F).anyTrue()) {
                break;
            }
            FloatVector bv = d.sub(v);
            FloatVector dl = v.sub(d.sub(bv)).add(negM.sub(bv));
            FloatVector t = d.fma(log2e, shifter);
            FloatVector k = t.sub(shifter);
            FloatVector r = k.fma(nln2hi, d); // exact
            r = k.fma(nln2lo, r).add(dl);
            FloatVector q = r.fma(e7, e6);
            q = q.fma(r, e5);
            q = q.fma(r, e4);
            q = q.fma(r, e3);
            q = q.fma(r, e2);
            FloatVector e = r.mul(r).fma(q, r).add(1f)
                    .mul(t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector ns = s.add(e);
            FloatVector be = ns.sub(s);
            c = c.add(s.sub(ns.sub(be)).add(e.sub(be)));
            s = ns;
            if (store) {
                e.intoMemorySegment(y, yb + ((long) j << 2), BO);
            }
        }
        for (; j < ub; j += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, j);
            // d + dl == x - m exactly (TwoSum); dl = 0 where d is clamped (and for x = -inf)
            FloatVector d = v.add(negM);
            FloatVector bv = d.sub(v);
            FloatVector dl = v.sub(d.sub(bv)).add(negM.sub(bv));
            VectorMask<Float> tiny = d.lt(-104f);
            FloatVector dc = d.blend(-104f, tiny); // e^-104 rounds to 0; NaN propagates (no max: see expLoopF)
            dl = dl.blend(0f, tiny);
            // ---- e^(dc + dl), VectorMath.expF's algorithm with the low part added to r
            FloatVector t = dc.fma(log2e, shifter);
            FloatVector k = t.sub(shifter);
            FloatVector r = k.fma(nln2hi, dc); // exact
            r = k.fma(nln2lo, r).add(dl);
            FloatVector q = r.fma(e7, e6);
            q = q.fma(r, e5);
            q = q.fma(r, e4);
            q = q.fma(r, e3);
            q = q.fma(r, e2);
            FloatVector p = r.mul(r).fma(q, r).add(1f);
            IntVector kl = t.reinterpretAsInts().sub(SHIFTER_F_BITS);
            IntVector k1 = kl.lanewise(VectorOperators.ASHR, 1);
            IntVector k2 = kl.sub(k1);
            FloatVector e = p.mul(k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            // ---- s + c += e, compensated (TwoSum)
            FloatVector ns = s.add(e);
            FloatVector be = ns.sub(s);
            c = c.add(s.sub(ns.sub(be)).add(e.sub(be)));
            s = ns;
            if (store) {
                e.intoMemorySegment(y, yb + ((long) j << 2), BO);
            }
        }
        if (rem != 0) {
            FloatVector v = tailV;
            // d + dl == x - m exactly (TwoSum); dl = 0 where d is clamped (and for x = -inf)
            FloatVector d = v.add(negM);
            FloatVector bv = d.sub(v);
            FloatVector dl = v.sub(d.sub(bv)).add(negM.sub(bv));
            VectorMask<Float> tiny = d.lt(-104f);
            FloatVector dc = d.blend(-104f, tiny); // e^-104 rounds to 0; NaN propagates (no max: see expLoopF)
            dl = dl.blend(0f, tiny);
            // ---- e^(dc + dl), VectorMath.expF's algorithm with the low part added to r
            FloatVector t = dc.fma(log2e, shifter);
            FloatVector k = t.sub(shifter);
            FloatVector r = k.fma(nln2hi, dc); // exact
            r = k.fma(nln2lo, r).add(dl);
            FloatVector q = r.fma(e7, e6);
            q = q.fma(r, e5);
            q = q.fma(r, e4);
            q = q.fma(r, e3);
            q = q.fma(r, e2);
            FloatVector p = r.mul(r).fma(q, r).add(1f);
            IntVector kl = t.reinterpretAsInts().sub(SHIFTER_F_BITS);
            IntVector k1 = kl.lanewise(VectorOperators.ASHR, 1);
            IntVector k2 = kl.sub(k1);
            FloatVector e = p.mul(k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            // ---- s + c += e, compensated (TwoSum)
            FloatVector en = e.blend(0f, VectorConfig.F.indexInRange(0, VectorConfig.FL - rem)); // new lanes only
            FloatVector ns = s.add(en);
            FloatVector be = ns.sub(s);
            c = c.add(s.sub(ns.sub(be)).add(en.sub(be)));
            s = ns;
            if (store) {
                e.intoMemorySegment(y, yb + ((long) (len - VectorConfig.FL) << 2), BO);
            }
        }
        // s + c in double lanes (each half of a float vector widened; exact but for exponents 29
        // apart), then the fixed tree of Lanes, written out (see Lanes on why not a call)
        DoubleVector lanes = ((DoubleVector) s.convertShape(VectorOperators.F2D, VectorConfig.D, 0))
                .add((DoubleVector) s.rearrange(Lanes.FH).convertShape(VectorOperators.F2D, VectorConfig.D, 0))
                .add(((DoubleVector) c.convertShape(VectorOperators.F2D, VectorConfig.D, 0))
                        .add((DoubleVector) c.rearrange(Lanes.FH).convertShape(VectorOperators.F2D, VectorConfig.D, 0)));
        if (VectorConfig.DL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.D8));
        }
        if (VectorConfig.DL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.D4));
        }
        if (VectorConfig.DL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.D2));
        }
        return lanes.lane(0) + lanes.lane(1);
    }

    /** {@link #expSumChunkFL} of a row shorter than one vector: scalar, in double. */
    private static double expSumScalarF(MemorySegment x, long xb, float m, boolean store,
                                        MemorySegment y, long yb, int len) {
        double sum = 0;
        for (int j = 0; j < len; j++) {
            double e = Math.exp((double) x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, xb + ((long) j << 2)) - m);
            sum += e;
            if (store) {
                y.set(ValueLayout.JAVA_FLOAT_UNALIGNED, yb + ((long) j << 2), (float) e);
            }
        }
        return sum;
    }

    private static final float SHIFTER_F = 0x1.8p23f;
    private static final int SHIFTER_F_BITS = Float.floatToRawIntBits(SHIFTER_F);
    /** Down to e^-87 the result is a normal float: 2^k is one float (see VectorMath's fast path). */
    private static final float EXP_FAST_MIN_F = -87f;
    /** Added to t's bits and shifted left by 23: 2^k as a float, for k in [-126, 127]. */
    private static final int EXP_FAST_BIAS = 127 - SHIFTER_F_BITS;
    private static final float LOG2E_F = 0x1.715476p0f;
    /** ln 2 to 16 significant bits: k * LN2_HI_F is exact for |k| < 256. */
    private static final float LN2_HI_F = 0x1.62e4p-1f;
    private static final float LN2_LO_F = 0x1.7f7d1cp-20f;

    /**
     * y = (x - m) - ls in double lanes, one rounding (as the scalar twin); half a float vector
     * per step and a scalar tail, like {@link #expChunkF} (conversions written out, no helper
     * calls).
     */
    private static void logSoftmaxChunkF(MemorySegment x, long xb, MemorySegment y, long yb, int len,
                                         double m, double ls) {
        final VectorMask<Float> low = VectorConfig.F.indexInRange(0, VectorConfig.DL);
        int j = 0;
        for (; j + VectorConfig.FL <= len; j += VectorConfig.DL) {
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + ((long) j << 2), BO);
            ((DoubleVector) v.convertShape(VectorOperators.F2D, VectorConfig.D, 0)).sub(m).sub(ls)
                    .convertShape(VectorOperators.D2F, VectorConfig.F, 0)
                    .intoMemorySegment(y, yb + ((long) j << 2), BO, low);
        }
        for (; j < len; j++) {
            double v = x.get(ValueLayout.JAVA_FLOAT_UNALIGNED, xb + ((long) j << 2));
            y.set(ValueLayout.JAVA_FLOAT_UNALIGNED, yb + ((long) j << 2), (float) (v - m - ls));
        }
    }

    /**
     * y = (x - m) - ls in float lanes, ls = lsHi + lsLo to about 2^-48 relative:
     * {@code d = x - m} with its rounding error dl recovered exactly (TwoSum), then
     * {@code d + ((dl - lsHi) - lsLo)}. Both d and -ls are <= 0, so nothing cancels: the result is
     * within about one ulp of the double-lane {@code (x - m) - ls} of {@link #logSoftmaxChunkF}
     * (the scalar twin's formula; tests allow 4) at a fraction of its cost (no widening, whole
     * vectors). m and ls are kept apart: folded into one constant {@code m + ls}, ls is lost next to
     * a large m (log-softmax of [MAX, MAX] gave 0, not -ln 2) and loses relative precision when it is
     * tiny (a dominant element's value near -1e-9). x = -inf gives -inf, NaN stays NaN. A last
     * partial vector is done as the vector ending at len, loaded before the loop (y may alias x),
     * as in {@link #expSumChunkFL}. Needs {@code len >= FL} and finite m, lsHi.
     */
    private static void logSoftmaxChunkFL(MemorySegment x, long xb, MemorySegment y, long yb, int len,
                                          float m, float lsHi, float lsLo) {
        final FloatVector negHi = FloatVector.broadcast(VectorConfig.F, -m);
        final FloatVector negLsHi = FloatVector.broadcast(VectorConfig.F, -lsHi);
        final FloatVector negLo = FloatVector.broadcast(VectorConfig.F, -lsLo);
        final int ub = VectorConfig.F.loopBound(len);
        final int rem = len % VectorConfig.FL;
        final FloatVector tailV = ldF(x, xb, len - VectorConfig.FL);
        for (int j = 0; j < ub; j += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, j);
            FloatVector d = v.add(negHi);
            FloatVector bv = d.sub(v);
            FloatVector dl = v.sub(d.sub(bv)).add(negHi.sub(bv));
            dl = dl.blend(0f, d.test(VectorOperators.IS_INFINITE)).add(negLsHi).add(negLo);
            Mem.st(d.add(dl), y, yb + ((long) j << 2));
        }
        if (rem != 0) {
            FloatVector v = tailV;
            FloatVector d = v.add(negHi);
            FloatVector bv = d.sub(v);
            FloatVector dl = v.sub(d.sub(bv)).add(negHi.sub(bv));
            dl = dl.blend(0f, d.test(VectorOperators.IS_INFINITE)).add(negLsHi).add(negLo);
            Mem.st(d.add(dl), y, yb + ((long) (len - VectorConfig.FL) << 2));
        }
    }

    /** y *= inv. */
    private static void scaleChunkF(MemorySegment y, long yb, int len, float inv) {
        final int ub = VectorConfig.F.loopBound(len);
        int i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            Mem.st(ldF(y, yb, i).mul(inv), y, yb + ((long) i << 2));
        }
        for (; i < len; i++) { // scalar tail: see expChunkF on masked stores at a segment's end
            long o = yb + ((long) i << 2);
            y.set(ValueLayout.JAVA_FLOAT_UNALIGNED, o, y.get(ValueLayout.JAVA_FLOAT_UNALIGNED, o) * inv);
        }
    }

    /** Softmax / log-softmax of a contiguous f64 row; y may alias x exactly. */
    static void softmaxD(boolean log, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        double m = extremeD(n, x, xb, true);
        double s = expSumD(n, x, xb, m, !log, y, yb);
        if (log) {
            double ls = Math.log(s);
            for (long i = 0; i < n; i += CHUNK) {
                logSoftmaxChunkD(x, xb + (i << 3), y, yb + (i << 3), chunkLen(n, i), m, ls);
            }
        } else {
            double inv = 1.0 / s;
            for (long i = 0; i < n; i += CHUNK) {
                scaleChunkD(y, yb + (i << 3), chunkLen(n, i), inv);
            }
        }
    }

    private static void logSoftmaxChunkD(MemorySegment x, long xb, MemorySegment y, long yb, int len,
                                         double m, double ls) {
        final int ub = VectorConfig.D.loopBound(len);
        int i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            ldD(x, xb, i).sub(m).sub(ls).intoMemorySegment(y, yb + ((long) i << 3), BO);
        }
        for (; i < len; i++) { // scalar tail
            double v = x.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, xb + ((long) i << 3));
            y.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, yb + ((long) i << 3), v - m - ls);
        }
    }

    private static void scaleChunkD(MemorySegment y, long yb, int len, double inv) {
        final int ub = VectorConfig.D.loopBound(len);
        int i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            Mem.st(ldD(y, yb, i).mul(inv), y, yb + ((long) i << 3));
        }
        for (; i < len; i++) { // scalar tail
            long o = yb + ((long) i << 3);
            y.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, o, y.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, o) * inv);
        }
    }
}
