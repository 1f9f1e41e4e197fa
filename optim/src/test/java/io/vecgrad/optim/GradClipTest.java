package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gradient clipping and accumulation. */
class GradClipTest {

    private static Tensor param(DType dt, double[] grad, int... dims) {
        Tensor p = Tensor.zeros(dt, dims).requiresGrad(true);
        if (grad != null) {
            p.setGrad(Tensor.fromArray(dt, grad, dims));
        }
        return p;
    }

    @Test
    void clipNormScalesAllGradientsByOneFactor() {
        for (DType dt : DType.values()) {
            double[] g1 = {3, 0, -4};          // |g1|^2 = 25
            double[] g2 = {12, 0, 0, 0};       // |g2|^2 = 144, total 13
            Tensor a = param(dt, g1, 3);
            Tensor b = param(dt, g2, 2, 2);
            Tensor none = param(dt, null, 2);
            double total = GradClip.clipNorm(List.of(a, b, none), 1.3);
            assertEquals(13.0, total, 1e-6);
            double coef = 1.3 / (13.0 + 1e-6);
            double tol = dt == DType.F32 ? 1e-6 : 1e-15;
            double[] got1 = a.grad().toDoubleArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(g1[i] * coef, got1[i], tol);
            }
            assertEquals(12 * coef, b.grad().toDoubleArray()[0], tol * 12);
            assertNull(none.grad());
        }
    }

    @Test
    void clipNormLeavesSmallGradientsExactlyAlone() {
        double[] g = {0.1, -0.2, 0.3};
        Tensor a = param(DType.F64, g, 3);
        double total = GradClip.clipNorm(List.of(a), 10);
        assertEquals(Math.sqrt(0.14), total, 1e-15);
        assertArrayEquals(g, a.grad().toDoubleArray());
    }

    @Test
    void infinityNormAndNoGradients() {
        Tensor a = param(DType.F64, new double[] {1, -5, 2}, 3);
        assertEquals(5.0, GradClip.clipNorm(List.of(a), 1, Double.POSITIVE_INFINITY));
        assertEquals(-5.0 / (5 + 1e-6), a.grad().toDoubleArray()[1], 1e-15);
        assertEquals(0.0, GradClip.clipNorm(List.of(param(DType.F32, null, 2)), 1));
        var e = assertThrows(IllegalArgumentException.class, () -> GradClip.clipNorm(List.of(a), -1));
        assertTrue(e.getMessage().contains("maxNorm") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipNorm(List.of(a), 1, 1));
    }

    @Test
    void clipValueClamps() {
        Tensor a = param(DType.F32, new double[] {-3, 0.5, 2, -0.25}, 4);
        GradClip.clipValue(List.of(a), 1);
        assertArrayEquals(new double[] {-1, 0.5, 1, -0.25}, a.grad().toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipValue(List.of(a), -1));
    }

    @Test
    void accumulatorAveragesStepsAndZeroes() {
        // Two micro-batches of gradients 1 and 3 -> one SGD step with their mean 2.
        Tensor p = Tensor.fromArray(DType.F64, new double[] {10, 10}, 2).requiresGrad(true);
        SGD sgd = SGD.builder(p).lr(0.5).build();
        Accumulator acc = new Accumulator(sgd, 2);
        p.setGrad(Tensor.fromArray(DType.F64, new double[] {1, 1}, 2));
        assertFalse(acc.ready());
        assertFalse(acc.step());
        assertEquals(1, acc.pending());
        // the user's second backward would add 3:
        p.setGrad(Tensor.fromArray(DType.F64, new double[] {4, 4}, 2));
        assertTrue(acc.ready());
        assertTrue(acc.step());
        assertArrayEquals(new double[] {9, 9}, p.toDoubleArray());
        assertArrayEquals(new double[] {0, 0}, p.grad().toDoubleArray());
        assertEquals(1, sgd.stepCount());
        assertThrows(IllegalArgumentException.class, () -> new Accumulator(sgd, 0));
    }
}
