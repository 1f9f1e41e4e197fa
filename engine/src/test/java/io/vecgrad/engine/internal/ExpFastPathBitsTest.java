package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The f32 exp, sigmoid and tanh loops take a shorter path for a vector whose exp results are all normal floats: one 2^k factor instead of two, no clamp.
 * That path must give the bits of the general one, or a result would depend on its neighbours
 * (which lanes share a vector, where a thread's share starts). Each case computes the same values
 * once where every vector takes the fast path and once where every vector holds an input that
 * forces the general path, and compares the bits of the shared elements. (Softmax's fast loop:
 * {@code SoftmaxFastLoopBitsTest}.)
 */
class ExpFastPathBitsTest {
    private static final VectorKernelProvider V = new VectorKernelProvider();

    /** Inputs up to the fast path's limit; {@code breaker} forces the general path. */
    private static final float RANGE = 87f;

    enum Fn {
        EXP(UnaryOp.EXP, 100f),
        SIGMOID(UnaryOp.SIGMOID, -120f),
        TANH(UnaryOp.TANH, 1e4f);

        final UnaryOp op;
        final float breaker;

        Fn(UnaryOp op, float breaker) {
            this.op = op;
            this.breaker = breaker;
        }
    }

    private static MemorySegment segment(float[] v) {
        MemorySegment s = Arena.ofAuto().allocate(4L * v.length, 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, v.length);
        return s;
    }

    private static float get(MemorySegment s, int i) {
        return s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
    }

    @ParameterizedTest
    @EnumSource(Fn.class)
    void unaryFastPathHasTheGeneralPathsBits(Fn fn) {
        long seed = 0x5eed0000L + fn.ordinal();
        System.out.println("ExpFastPathBitsTest " + fn + " seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int n : new int[] {1, 15, 16, 17, 31, 32, 33, 64, 100, 1000, 4099}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (i % 3 == 0 ? r.nextDouble(-RANGE, RANGE) : r.nextDouble(-12, 12));
            }
            float[] forced = x.clone();
            for (int i = 0; i < n; i += 4) { // one in every four lanes: every vector of >= 4 lanes
                forced[i] = fn.breaker;
            }
            MemorySegment fast = Arena.ofAuto().allocate(4L * n, 64);
            MemorySegment general = Arena.ofAuto().allocate(4L * n, 64);
            V.unary(DType.F32, fn.op, 0, 0, n, segment(x), 0, 1, fast, 0, 1);
            V.unary(DType.F32, fn.op, 0, 0, n, segment(forced), 0, 1, general, 0, 1);
            for (int i = 0; i < n; i++) {
                if (i % 4 != 0) {
                    int k = i;
                    int nn = n;
                    int want = Float.floatToRawIntBits(get(general, i));
                    int got = Float.floatToRawIntBits(get(fast, i));
                    assertEquals(want, got, () -> fn + " n=" + nn + " element " + k + " x=" + x[k] + ": general "
                            + Float.intBitsToFloat(want) + ", fast " + Float.intBitsToFloat(got));
                }
            }
        }
    }
}
