package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.Recurrent;
import io.vecgrad.engine.internal.scalar.ScalarRecurrentKernels;
import io.vecgrad.engine.internal.vector.VectorConfig;
import io.vecgrad.engine.internal.vector.VectorRecurrentKernels;
import io.vecgrad.engine.spi.RecurrentKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector recurrent gate kernels against their scalar twin, forward and backward for the
 * tanh/relu RNN, GRU and LSTM steps, f32 and f64, at hidden sizes {1, lanes-1, lanes+1,
 * 3·lanes+3, 37} and batches {1, 3}, at non-zero element offsets with guard elements around
 * every operand (which must stay untouched). The twins round differently (the vector one in
 * the operand type, the scalar one in double), so they agree within a few ulps of the values'
 * scale. Re-run by surefire at forced widths 256 and 128.
 */
class RecurrentKernelProperties {
    private static final RecurrentKernels S = ScalarRecurrentKernels.INSTANCE;
    private static final RecurrentKernels V = new VectorRecurrentKernels(false);
    private static final long SEED = 0x5eedL;
    private static final int GUARD = 3;
    private static final double GUARD_VALUE = 12345;

    /** An operand: guarded segment with random values, one per twin. */
    private static final class Op {
        final MemorySegment s;
        final MemorySegment v;
        final long n;
        final DType dt;

        Op(Arena a, DType dt, long n, SplittableRandom r, double scale) {
            this.dt = dt;
            this.n = n;
            long bytes = (n + 2 * GUARD) * dt.byteSize();
            s = a.allocate(bytes, 8);
            v = a.allocate(bytes, 8);
            for (long i = 0; i < n + 2 * GUARD; i++) {
                double x = i < GUARD || i >= n + GUARD ? GUARD_VALUE : (r.nextDouble() * 2 - 1) * scale;
                set(s, i, x);
                set(v, i, x);
            }
        }

        void set(MemorySegment m, long i, double x) {
            if (dt == DType.F32) {
                m.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) x);
            } else {
                m.setAtIndex(ValueLayout.JAVA_DOUBLE, i, x);
            }
        }

        double get(MemorySegment m, long i) {
            return dt == DType.F32 ? m.getAtIndex(ValueLayout.JAVA_FLOAT, i) : m.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }

        void assertClose(String what) {
            double tol = dt == DType.F32 ? 2e-6 : 1e-14;
            for (long i = 0; i < n + 2 * GUARD; i++) {
                double a = get(s, i);
                double b = get(v, i);
                if (i < GUARD || i >= n + GUARD) {
                    assertEquals(GUARD_VALUE, b, 0, what + ": vector kernel wrote guard element " + i);
                    continue;
                }
                if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(a)))) {
                    fail(what + ": element " + (i - GUARD) + " scalar " + a + " vector " + b + " (seed " + SEED + ")");
                }
            }
        }
    }

    @Test
    void vectorMatchesScalar() {
        System.out.println("RecurrentKernelProperties seed " + SEED + ", vector " + V.name());
        SplittableRandom r = new SplittableRandom(SEED);
        assertEquals(Recurrent.scalar().name(), "scalar");
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            int lanes = dt == DType.F32 ? VectorConfig.FL : VectorConfig.DL;
            for (int h : new int[] {1, lanes - 1, lanes + 1, 3 * lanes + 3, 37}) {
                if (h < 1) {
                    continue;
                }
                for (int b : new int[] {1, 3}) {
                    String what = dt + " B=" + b + " H=" + h;
                    try (Arena a = Arena.ofConfined()) {
                        check(a, dt, b, h, r, what);
                    }
                }
            }
        }
    }

    private static void check(Arena a, DType dt, int b, int h, SplittableRandom r, String what) {
        long bh = (long) b * h;
        long g = GUARD;
        for (boolean relu : new boolean[] {false, true}) {
            Op xp = new Op(a, dt, bh, r, 2);
            Op bih = new Op(a, dt, h, r, 0.5);
            Op hp = new Op(a, dt, bh, r, 2);
            Op bhh = new Op(a, dt, h, r, 0.5);
            Op y = new Op(a, dt, bh, r, 1);
            S.rnnForward(dt, relu, b, h, xp.s, g, bih.s, g, hp.s, g, bhh.s, g, y.s, g);
            V.rnnForward(dt, relu, b, h, xp.v, g, bih.v, g, hp.v, g, bhh.v, g, y.v, g);
            y.assertClose(what + " rnn forward relu=" + relu);
            Op gy = new Op(a, dt, bh, r, 1);
            Op dh = new Op(a, dt, bh, r, 1);
            Op da = new Op(a, dt, bh, r, 1);
            S.rnnBackward(dt, relu, b, h, y.s, g, gy.s, g, dh.s, g, da.s, g);
            V.rnnBackward(dt, relu, b, h, y.s, g, gy.v, g, dh.v, g, da.v, g); // same y: relu ties
            da.assertClose(what + " rnn backward relu=" + relu);
        }
        { // LSTM
            Op xp = new Op(a, dt, 4 * bh, r, 2);
            Op bih = new Op(a, dt, 4L * h, r, 0.5);
            Op hp = new Op(a, dt, 4 * bh, r, 2);
            Op bhh = new Op(a, dt, 4L * h, r, 0.5);
            Op cPrev = new Op(a, dt, bh, r, 1);
            Op act = new Op(a, dt, 4 * bh, r, 1);
            Op c = new Op(a, dt, bh, r, 1);
            Op y = new Op(a, dt, bh, r, 1);
            S.lstmForward(dt, b, h, xp.s, g, bih.s, g, hp.s, g, bhh.s, g, cPrev.s, g, act.s, g, c.s, g, y.s, g);
            V.lstmForward(dt, b, h, xp.v, g, bih.v, g, hp.v, g, bhh.v, g, cPrev.v, g, act.v, g, c.v, g, y.v, g);
            act.assertClose(what + " lstm forward gates");
            c.assertClose(what + " lstm forward c");
            y.assertClose(what + " lstm forward h");
            Op gy = new Op(a, dt, bh, r, 1);
            Op dh = new Op(a, dt, bh, r, 1);
            Op dc = new Op(a, dt, bh, r, 1);
            Op da = new Op(a, dt, 4 * bh, r, 1);
            S.lstmBackward(dt, b, h, act.s, g, cPrev.s, g, c.s, g, gy.s, g, dh.s, g, dc.s, g, da.s, g);
            V.lstmBackward(dt, b, h, act.s, g, cPrev.s, g, c.s, g, gy.v, g, dh.v, g, dc.v, g, da.v, g);
            da.assertClose(what + " lstm backward da");
            dc.assertClose(what + " lstm backward dc");
        }
        { // GRU
            Op xp = new Op(a, dt, 3 * bh, r, 2);
            Op bih = new Op(a, dt, 3L * h, r, 0.5);
            Op hp = new Op(a, dt, 3 * bh, r, 2);
            Op bhh = new Op(a, dt, 3L * h, r, 0.5);
            Op hPrev = new Op(a, dt, bh, r, 1);
            Op act = new Op(a, dt, 4 * bh, r, 1);
            Op y = new Op(a, dt, bh, r, 1);
            S.gruForward(dt, b, h, xp.s, g, bih.s, g, hp.s, g, bhh.s, g, hPrev.s, g, act.s, g, y.s, g);
            V.gruForward(dt, b, h, xp.v, g, bih.v, g, hp.v, g, bhh.v, g, hPrev.v, g, act.v, g, y.v, g);
            act.assertClose(what + " gru forward gates");
            y.assertClose(what + " gru forward h");
            Op gy = new Op(a, dt, bh, r, 1);
            Op dh = new Op(a, dt, bh, r, 1);
            Op dxp = new Op(a, dt, 3 * bh, r, 1);
            Op dhp = new Op(a, dt, 3 * bh, r, 1);
            S.gruBackward(dt, b, h, act.s, g, hPrev.s, g, gy.s, g, dh.s, g, dxp.s, g, dhp.s, g);
            V.gruBackward(dt, b, h, act.s, g, hPrev.s, g, gy.v, g, dh.v, g, dxp.v, g, dhp.v, g);
            dxp.assertClose(what + " gru backward dxp");
            dhp.assertClose(what + " gru backward dhp");
            dh.assertClose(what + " gru backward dh");
        }
    }
}
