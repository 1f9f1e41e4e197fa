package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import org.junit.jupiter.api.Test;

/** Hardening issue, anomaly mode: the first op whose output or gradient is NaN/Inf is named with its shapes. */
class AnomalyModeTest {

    @Test
    void forwardNaNNamesTheOpAndShapes() {
        Tensor x = Tensor.of(1.0, -1.0, 4.0).requiresGrad(true);
        try (var _ = Anomaly.detect()) {
            Tensor y = x.mul(2);
            var e = assertThrows(IllegalStateException.class, () -> y.sqrt());
            assertTrue(e.getMessage().startsWith("anomaly: sqrt produced NaN/Inf"), e.getMessage());
            assertTrue(e.getMessage().contains("f64 [3]"), e.getMessage());
        }
        assertFalse(Anomaly.isEnabled());
        assertDoesNotThrow(() -> x.mul(2).sqrt()); // off again: NaN flows silently, as in PyTorch
    }

    @Test
    void backwardInfNamesTheRuleAndShapes() {
        // sqrt at 0 is finite forward (0) but its gradient 1/(2 sqrt 0) is infinite
        Tensor x = Tensor.of(0.0, 1.0, 4.0).reshape(3, 1).requiresGrad(true);
        Tensor y = x.sqrt().sum();
        try (var _ = Anomaly.detect()) {
            var e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().startsWith("anomaly: SqrtBackward returned NaN/Inf in its gradient for input 0"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("f64 [3, 1]"), e.getMessage());
        }
    }

    @Test
    void largeFiniteValuesAreNotAnomalies() {
        Tensor x = Tensor.full(DType.F32, 3e38f, 4).requiresGrad(true); // their f32 sum overflows
        try (var _ = Anomaly.detect()) {
            assertDoesNotThrow(() -> x.mul(1).neg());
        }
    }
}
