package io.vecgrad.engine.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The f32 softmax's exp-and-sum pass runs a shorter loop while every {@code x - max} of the row
 * is at least -87 (one 2^k factor, no clamp), and the general loop from the first vector that
 * has a smaller difference. Both must give the same bits: rows that take the fast loop for all,
 * part or none of their vectors, against the general loop alone.
 */
class SoftmaxFastLoopBitsTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fastLoopHasTheGeneralLoopsBits(boolean log) {
        long seed = log ? 0x5eed1001L : 0x5eed1000L;
        System.out.println("SoftmaxFastLoopBitsTest log=" + log + " seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int n : new int[] {1, 15, 16, 17, 33, 100, 1000, 5000}) {
            for (int breakAt : new int[] {-1, 0, 16, 32, n / 2, n - 1}) { // 16, 32: second and first vector of a pair
                if (breakAt >= n) {
                    continue;
                }
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) r.nextDouble(-43, 43);
                }
                if (breakAt >= 0) {
                    x[breakAt] = -200f; // x - max < -87: the general loop from this vector on
                }
                MemorySegment xs = Arena.ofAuto().allocate(4L * n, 64);
                MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, n);
                MemorySegment fast = Arena.ofAuto().allocate(4L * n, 64);
                MemorySegment general = Arena.ofAuto().allocate(4L * n, 64);
                VectorReductions.softmaxF(log, n, xs, 0, fast, 0, false);
                VectorReductions.softmaxF(log, n, xs, 0, general, 0, true);
                for (int i = 0; i < n; i++) {
                    int want = Float.floatToRawIntBits(general.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i));
                    int got = Float.floatToRawIntBits(fast.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i));
                    int k = i;
                    int nn = n;
                    assertEquals(want, got, () -> "softmax log=" + log + " n=" + nn + " break at " + breakAt
                            + " element " + k + ": general " + Float.intBitsToFloat(want) + ", fast "
                            + Float.intBitsToFloat(got));
                }
            }
        }
    }
}
