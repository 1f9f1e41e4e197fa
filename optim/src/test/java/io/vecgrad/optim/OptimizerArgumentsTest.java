package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hardening issue, "messages and edges": optimizer arguments. */
class OptimizerArgumentsTest {

    @Test
    void optimizersRejectNonLeafParameters() {
        Tensor w = Tensor.ones(3).requiresGrad(true);
        Tensor nonLeaf = w.mul(2);
        for (Runnable make : List.<Runnable>of(
                () -> SGD.builder(List.of(nonLeaf)).lr(0.1).build(),
                () -> Adam.builder(List.of(nonLeaf)).build(),
                () -> AdamW.builder(List.of(nonLeaf)).build(),
                () -> Adagrad.builder(List.of(nonLeaf)).build(),
                () -> RMSprop.builder(List.of(nonLeaf)).build(),
                () -> SGD.builder(List.of(w.narrow(0, 0, 2))).lr(0.1).build())) {
            var e = assertThrows(IllegalArgumentException.class, make::run);
            assertTrue(e.getMessage().contains("not a leaf"), e.getMessage());
        }
    }

    @Test
    void sgdWithNaNLearningRateSaysLrIsInvalidNotMissing() {
        Tensor w = Tensor.ones(3).requiresGrad(true);
        var e = assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(w)).lr(Double.NaN).build());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(e.getMessage().contains("required"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> SGD.builder(List.of(w)).build());
        assertTrue(missing.getMessage().contains("lr is required"), missing.getMessage());
    }
}
