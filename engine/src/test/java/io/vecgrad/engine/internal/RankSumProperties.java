package io.vecgrad.engine.internal;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorConfig;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The rank-ordered sum ({@link KernelProvider#rankSum}) is bit-identical between the vector
 * kernel and its scalar twin, and both equal the specification written as a plain loop
 * ({@code s = 0.0 + w0 x0; s = s + w_r x_r; round once}), for 1 to 6 ranks, lengths around the
 * lane counts (odd ones included; surefire re-runs this class at 512/256/128 bits), odd element
 * offsets, special values, f32 and f64; and the bits do not change when the range is cut in two
 * at any point (what the all-reduce's chunking and its split across tasks rely on), nor in place.
 * Every failure message starts with the seed.
 */
class RankSumProperties {
    private static final KernelProvider S = new ScalarKernelProvider();
    private static final KernelProvider V = new VectorKernelProvider();

    @Provide
    Arbitrary<Integer> sizes() {
        int fl = VectorConfig.FL;
        int dl = VectorConfig.DL;
        return Arbitraries.oneOf(
                Arbitraries.of(1, 2, dl - 1, dl, dl + 1, fl - 1, fl + 1, 3 * dl + 1, 4 * fl + 3, 2049, 4098),
                Arbitraries.integers().between(1, 300));
    }

    /** The specification, element by element, in plain Java double arithmetic. */
    private static double spec(DType dt, double[][] x, double[] w, int i) {
        double s = 0.0 + w[0] * x[0][i];
        for (int r = 1; r < x.length; r++) {
            s = s + w[r] * x[r][i];
        }
        return dt == DType.F32 ? (double) (float) s : s;
    }

    @Property(tries = 80)
    void vectorEqualsScalarEqualsSpec(@ForAll("sizes") int n, @ForAll @IntRange(min = 1, max = 6) int ranks,
                                      @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (DType dt : DType.values()) {
            long off = r.nextInt(5); // odd element offsets: unaligned vector loads
            double[] w = new double[ranks];
            double[][] xv = new double[ranks][];
            MemorySegment[] x = new MemorySegment[ranks];
            for (int k = 0; k < ranks; k++) {
                w[k] = r.nextInt(4) == 0 ? 1.0 / (k + 3) : r.nextDouble(-2, 2);
                xv[k] = VectorKernelProperties.values(r, dt, n, true);
                x[k] = VectorKernelProperties.buf(dt, xv[k], off, 1).seg();
            }
            long yOff = r.nextInt(3);
            MemorySegment ys = VectorKernelProperties.buf(dt, new double[n], yOff, 1).seg();
            MemorySegment yv = VectorKernelProperties.buf(dt, new double[n], yOff, 1).seg();
            MemorySegment yc = VectorKernelProperties.buf(dt, new double[n], yOff, 1).seg();
            S.rankSum(dt, n, x, off, w, ys, yOff);
            V.rankSum(dt, n, x, off, w, yv, yOff);
            int cut = r.nextInt(n + 1);
            V.rankSum(dt, cut, x, off, w, yc, yOff);
            V.rankSum(dt, n - cut, x, off + cut, w, yc, yOff + cut);
            String ctx = "seed=" + seed + " n=" + n + " ranks=" + ranks + " dt=" + dt + " off=" + off + " cut=" + cut
                    + " lanes=" + VectorConfig.FL + "/" + VectorConfig.DL;
            for (long j = 0; j < ys.byteSize() / dt.byteSize(); j++) {
                double s = VectorKernelProperties.get(dt, ys, j);
                double v = VectorKernelProperties.get(dt, yv, j);
                double c = VectorKernelProperties.get(dt, yc, j);
                long i = j - yOff;
                double want = i >= 0 && i < n ? spec(dt, xv, w, (int) i) : -7.25; // outside: the canary stays
                if (!VectorKernelProperties.same(want, s) || !VectorKernelProperties.same(s, v)
                        || !VectorKernelProperties.same(s, c)) {
                    throw new AssertionError(ctx + " at element " + j + ": spec " + want + " scalar " + s + " vector " + v
                            + " vector cut " + c);
                }
            }
            // in place into rank 0's own input (the facade allows exactly this alias)
            MemorySegment x0 = Arena.ofAuto().allocate(x[0].byteSize(), 64);
            x0.copyFrom(x[0]);
            MemorySegment[] xi = x.clone();
            xi[0] = x0;
            V.rankSum(dt, n, xi, off, w, x0, off);
            for (int e = 0; e < n; e++) {
                double got = VectorKernelProperties.get(dt, x0, off + e);
                if (!VectorKernelProperties.same(spec(dt, xv, w, e), got)) {
                    throw new AssertionError(ctx + " in place at element " + e + ": spec " + spec(dt, xv, w, e)
                            + " got " + got);
                }
            }
        }
    }
}
