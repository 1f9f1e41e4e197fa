package io.vecgrad.engine.internal.vector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The rank-ordered weighted sum ({@link io.vecgrad.engine.spi.KernelProvider#rankSum}) in double
 * lanes: for each block of {@link VectorConfig#DL} elements, {@code acc = 0 + w0 * x0}, then
 * {@code acc = acc + w_r * x_r} rank by rank, then one rounding to the output type. Per element
 * these are exactly the scalar twin's operations in the scalar twin's order (lanewise IEEE
 * multiply and add, separately rounded; f32 inputs widen exactly through the half-width species
 * {@link VectorConfig#FH}, the result narrows with one round-to-nearest like a {@code (float)}
 * cast), so the bits do not depend on the vector width or on where a caller cuts the range.
 *
 * <p>Measured before it moved here (JFR, SparkScaling local[2], 2026-12-02): the scalar loop over
 * segments was 86 % of the all-reduce thread's samples; C2 does not vectorize its float-to-double
 * widening. The loops return the elements they did; the provider finishes the tail (fewer than
 * one vector) with the scalar twin.
 */
final class VectorRankSum {
    private VectorRankSum() {}

    private static final ByteOrder BO = ByteOrder.nativeOrder();

    /** f32 in, f32 out; byte offsets. Returns the elements done (a multiple of DL). */
    static long sumF(long n, MemorySegment[] x, long xByte, double[] w, MemorySegment y, long yByte) {
        final int ranks = x.length;
        final MemorySegment x0 = x[0];
        final DoubleVector zero = DoubleVector.zero(VectorConfig.D);
        final double w0 = w[0];
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            long at = xByte + (i << 2);
            DoubleVector acc = zero.add(((DoubleVector) FloatVector.fromMemorySegment(VectorConfig.FH, x0, at, BO)
                    .convertShape(VectorOperators.F2D, VectorConfig.D, 0)).mul(w0));
            for (int r = 1; r < ranks; r++) {
                acc = acc.add(((DoubleVector) FloatVector.fromMemorySegment(VectorConfig.FH, x[r], at, BO)
                        .convertShape(VectorOperators.F2D, VectorConfig.D, 0)).mul(w[r]));
            }
            Mem.st((FloatVector) acc.convertShape(VectorOperators.D2F, VectorConfig.FH, 0), y, yByte + (i << 2));
        }
        return i;
    }

    /** f64 in, f64 out; byte offsets. Returns the elements done (a multiple of DL). */
    static long sumD(long n, MemorySegment[] x, long xByte, double[] w, MemorySegment y, long yByte) {
        final int ranks = x.length;
        final MemorySegment x0 = x[0];
        final DoubleVector zero = DoubleVector.zero(VectorConfig.D);
        final double w0 = w[0];
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            long at = xByte + (i << 3);
            DoubleVector acc = zero.add(DoubleVector.fromMemorySegment(VectorConfig.D, x0, at, BO).mul(w0));
            for (int r = 1; r < ranks; r++) {
                acc = acc.add(DoubleVector.fromMemorySegment(VectorConfig.D, x[r], at, BO).mul(w[r]));
            }
            Mem.st(acc, y, yByte + (i << 3));
        }
        return i;
    }
}
