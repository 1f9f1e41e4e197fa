package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue, "messages and edges": each test is one reported case; messages must name the
 * user's op, and the gradients at the edges follow PyTorch.
 */
class MessagesAndEdgesTest {

    @Test
    void addInPlaceBroadcastMessageNamesAddAndBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(3).add_(Tensor.ones(2)));
        assertTrue(e.getMessage().startsWith("add_: "), e.getMessage());
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(3).mul_(Tensor.ones(2, 3)));
        assertTrue(m.getMessage().startsWith("mul_: "), m.getMessage());
        assertArrayEquals(new double[] {2, 2, 2}, Tensor.ones(3).add_(Tensor.ones(1)).toDoubleArray());
    }

    @Test
    void minOverEmptyDimSaysMin() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).min(-1, false));
        assertTrue(e.getMessage().startsWith("min: "), e.getMessage());
        assertFalse(e.getMessage().contains("argmax"), e.getMessage());
        var x = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).max(1, true));
        assertTrue(x.getMessage().startsWith("max: "), x.getMessage());
    }

    @Test
    void hugeShapesAreIllegalArgumentsNamingShapeAndBytes() {
        int max = Integer.MAX_VALUE;
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(max, max, max));
        assertTrue(e.getMessage().contains("[2147483647, 2147483647, 2147483647]"), e.getMessage());
        var a = assertThrows(IllegalArgumentException.class, () -> Tensor.arange(DType.F32, 0, 1e12, 1));
        assertTrue(a.getMessage().startsWith("arange: ") && a.getMessage().contains("4000000000000 bytes"),
                a.getMessage());
        // fits a long but not in memory: named with its bytes, not an OutOfMemoryError
        var b = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F64, max, max));
        assertTrue(b.getMessage().contains("[2147483647, 2147483647]") && b.getMessage().contains("bytes"),
                b.getMessage());
    }

    @Test
    void softmaxMaxMinOnZeroDimAcceptOnlyDimZeroOrMinusOne() {
        Tensor s = Tensor.scalar(2);
        for (int ok : new int[] {0, -1}) {
            assertEquals(1.0, s.softmax(ok).item());
            assertEquals(2.0, s.max(ok, false).item());
            assertEquals(2.0, s.min(ok, false).item());
            assertEquals(0.0, s.logSoftmax(ok).item());
        }
        for (int bad : new int[] {1, -2, 5}) {
            assertThrows(IndexOutOfBoundsException.class, () -> s.softmax(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> s.logSoftmax(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> s.max(bad, false));
            var e = assertThrows(IndexOutOfBoundsException.class, () -> s.min(bad, false));
            assertTrue(e.getMessage().startsWith("min: "), e.getMessage());
        }
    }

    @Test
    void indicesOfNegativeShapeRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Indices.of(new long[] {0, 1}, -1, -2));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void noGradScopesClosedOutOfOrderRestoreGradMode() {
        GradMode outer = Tensor.noGrad();
        GradMode inner = Tensor.noGrad();
        outer.close();
        assertFalse(GradMode.isEnabled(), "the inner scope is still open");
        inner.close();
        assertTrue(GradMode.isEnabled());
        GradMode off = Tensor.noGrad();
        GradMode on = Tensor.enableGrad();
        off.close();
        assertTrue(GradMode.isEnabled(), "enableGrad is the innermost open scope");
        on.close();
        assertTrue(GradMode.isEnabled());
        try (var _ = Tensor.noGrad()) {
            try (var _ = Tensor.enableGrad()) {
                assertTrue(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void clampGradientAtPlusInfinityIsOne() {
        Tensor x = Tensor.of(Double.POSITIVE_INFINITY, 1.0, -3.0, Double.NEGATIVE_INFINITY).requiresGrad(true);
        x.clamp(0, Double.POSITIVE_INFINITY).sum().backward();
        assertArrayEquals(new double[] {1, 1, 0, 0}, x.grad().toDoubleArray()); // PyTorch
        Tensor y = Tensor.of(Float.NEGATIVE_INFINITY, 2f, Float.POSITIVE_INFINITY).requiresGrad(true);
        y.clampMax(1).sum().backward();
        assertArrayEquals(new double[] {1, 0, 0}, y.grad().toDoubleArray());
        Tensor z = Tensor.of(Double.NEGATIVE_INFINITY).requiresGrad(true);
        z.clampMax(5).sum().backward();
        assertArrayEquals(new double[] {1}, z.grad().toDoubleArray());
    }

    @Test
    void minimumWithNaNGradientGoesToTheNaN() {
        Tensor x = Tensor.of(Double.NaN, 1.0).requiresGrad(true);
        x.minimum(Tensor.scalar(DType.F64, 0.5)).sum().backward();
        assertArrayEquals(new double[] {1, 0}, x.grad().toDoubleArray()); // PyTorch
        // maximum, ties (half each), both inputs, infinities tie too
        Tensor a = Tensor.of(Double.NaN, 1.0, 2.0, 3.0, Double.POSITIVE_INFINITY).requiresGrad(true);
        Tensor b = Tensor.of(0.0, 1.0, 5.0, 1.0, Double.POSITIVE_INFINITY).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {1, 0.5, 0, 1, 0.5}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 0.5, 1, 0, 0.5}, b.grad().toDoubleArray());
    }
}
