package io.vecgrad.spark;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The rank-ordered weighted gradient sum of {@link GradientExchange} in SIMD lanes: per element
 * {@code (((0 + g_0 w_0) + g_1 w_1) + ...)} in float64, rounded once to the output dtype, i.e.
 * the same operations in the same order as the scalar loop, so the same bits. Only loaded when
 * the {@code jdk.incubator.vector} module is present ({@link #AVAILABLE}); the scalar loop in
 * GradientExchange is the fallback. The scalar loop was 85 % of the all-reduce thread's samples
 * (JFR, SparkScaling local[2]): C2 did not vectorize its float-to-double widening over segments.
 */
final class VectorSum {
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats of half D's width: one float vector widens into exactly one double vector. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private VectorSum() {}

    /**
     * {@code out[o + 4e] = (float) sum_r w[r] * in[r][pos + 4e]} for e in [0, n); payloads are
     * little-endian f32, {@code out} native-order f32. Returns the elements done (a multiple of
     * the lane count); the caller finishes the tail.
     */
    static long sumF32(MemorySegment[] in, double[] w, int tasks, long pos, MemorySegment out, long o, long n) {
        int lanes = D.length();
        long full = n - n % lanes;
        ByteOrder native_ = ByteOrder.nativeOrder();
        DoubleVector zero = DoubleVector.zero(D);
        for (long e = 0; e < full; e += lanes) {
            DoubleVector acc = zero.add(widen(in[0], pos + 4 * e).mul(w[0]));
            for (int r = 1; r < tasks; r++) {
                acc = acc.add(widen(in[r], pos + 4 * e).mul(w[r]));
            }
            ((FloatVector) acc.convertShape(VectorOperators.D2F, F, 0)).intoMemorySegment(out, o + 4 * e, native_);
        }
        return full;
    }

    /** As {@link #sumF32} for f64 payloads and output. */
    static long sumF64(MemorySegment[] in, double[] w, int tasks, long pos, MemorySegment out, long o, long n) {
        int lanes = D.length();
        long full = n - n % lanes;
        ByteOrder native_ = ByteOrder.nativeOrder();
        DoubleVector zero = DoubleVector.zero(D);
        for (long e = 0; e < full; e += lanes) {
            DoubleVector acc = zero.add(DoubleVector.fromMemorySegment(D, in[0], pos + 8 * e, LE).mul(w[0]));
            for (int r = 1; r < tasks; r++) {
                acc = acc.add(DoubleVector.fromMemorySegment(D, in[r], pos + 8 * e, LE).mul(w[r]));
            }
            acc.intoMemorySegment(out, o + 8 * e, native_);
        }
        return full;
    }

    private static DoubleVector widen(MemorySegment in, long at) {
        return (DoubleVector) FloatVector.fromMemorySegment(F, in, at, LE).convertShape(VectorOperators.F2D, D, 0);
    }
}
