package io.vecgrad.engine.internal;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The f32 log-softmax's float-lane last pass against the scalar twin on the rows that broke a
 * first version of it (found by VectorKernelProperties): a row of float MAX (the log-sum was lost
 * next to the huge max: 0 instead of -ln 2) and a row with one dominant element (the value near
 * -1e-9 lost its relative precision), plus -inf and a length that leaves a partial last vector.
 */
class LogSoftmaxFloatLanesTest {
    private static final KernelProvider S = new ScalarKernelProvider();
    private static final KernelProvider V = new VectorKernelProvider();

    private static void check(String what, float[] row) {
        int n = row.length;
        MemorySegment x = Arena.ofAuto().allocate(4L * n, 64);
        MemorySegment want = Arena.ofAuto().allocate(4L * n, 64);
        MemorySegment got = Arena.ofAuto().allocate(4L * n, 64);
        MemorySegment.copy(row, 0, x, ValueLayout.JAVA_FLOAT, 0, n);
        S.softmax(DType.F32, true, n, x, 0, 1, want, 0, 1);
        V.softmax(DType.F32, true, n, x, 0, 1, got, 0, 1);
        for (int i = 0; i < n; i++) {
            float w = want.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            float g = got.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            boolean ok = w == g || Math.abs(w - g) <= 4 * Math.ulp(w) + 1e-15 * (n + 1);
            if (!ok) {
                throw new AssertionError(what + ": log_softmax element " + i + ": want " + w + " got " + g);
            }
        }
    }

    @Test
    void hugeMaximum() {
        float[] row = new float[33];
        java.util.Arrays.fill(row, -1f);
        row[13] = Float.MAX_VALUE;
        row[20] = Float.MAX_VALUE;
        check("two MAX_VALUE in 33", row);
        java.util.Arrays.fill(row, Float.MAX_VALUE);
        check("all MAX_VALUE", row);
        row[3] = -Float.MAX_VALUE;
        check("MAX_VALUE and -MAX_VALUE", row);
    }

    @Test
    void dominantElement() {
        float[] row = new float[254];
        for (int i = 0; i < row.length; i++) {
            row[i] = -20f - (i % 7);
        }
        row[237] = 5f;
        check("one element 25 above the rest", row);
    }

    @Test
    void negativeInfinity() {
        float[] row = new float[40];
        for (int i = 0; i < row.length; i++) {
            row[i] = i % 3 == 0 ? Float.NEGATIVE_INFINITY : i * 0.25f;
        }
        check("-inf every third element", row);
    }
}
