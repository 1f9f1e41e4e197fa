package io.vecgrad.engine.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cold path of {@link JitGate}: rows split between vector prefix and scalar twin stay correct. */
class JitGateTest {
    private static final VectorKernelProvider V = new VectorKernelProvider();
    private static final ScalarKernelProvider S = new ScalarKernelProvider();

    @AfterEach
    void restore() {
        JitGate.resetForTests();
        if (!JitGate.ENABLED) {
            JitGate.allHotForTests();
        }
    }

    @Test
    void coldSplitCallsMatchTheTwin() {
        JitGate.resetForTests(); // every slot cold, whatever -ea says
        try (Arena a = Arena.ofConfined()) {
            for (int n : new int[] {1, 7, 16, 33, 1000, 5000}) {
                MemorySegment x = a.allocate(4L * n, 64);
                MemorySegment b = a.allocate(4L * n, 64);
                MemorySegment yv = a.allocate(4L * n, 64);
                MemorySegment ys = a.allocate(4L * n, 64);
                for (int i = 0; i < n; i++) {
                    x.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.sin(i) * 5);
                    b.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.cos(i) * 3);
                }
                for (int rep = 0; rep < 40; rep++) {
                    V.unary(DType.F32, UnaryOp.EXP, 0, 0, n, x, 0, 1, yv, 0, 1);
                    S.unary(DType.F32, UnaryOp.EXP, 0, 0, n, x, 0, 1, ys, 0, 1);
                    for (int i = 0; i < n; i++) {
                        float e = ys.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        float g = yv.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                        assertTrue(Math.abs(e - g) <= 2 * Math.ulp(e), "exp n=" + n + " i=" + i);
                    }
                    V.binary(DType.F32, BinaryOp.ADD, 0, n, x, 0, 1, b, 0, 1, yv, 0, 1);
                    S.binary(DType.F32, BinaryOp.ADD, 0, n, x, 0, 1, b, 0, 1, ys, 0, 1);
                    assertEquals(-1L, yv.mismatch(ys), "add n=" + n);
                    V.softmax(DType.F32, false, n, x, 0, 1, yv, 0, 1);
                    S.softmax(DType.F32, false, n, x, 0, 1, ys, 0, 1);
                    assertEquals(-1L, yv.mismatch(ys), "softmax n=" + n); // cold: the twin's answer
                    double sv = V.reduce(DType.F32, ReduceOp.SUM, n, x, 0, 1);
                    double ss = S.reduce(DType.F32, ReduceOp.SUM, n, x, 0, 1);
                    assertEquals(ss, sv, 1e-3 * n, "sum n=" + n);
                }
            }
        }
    }
}
