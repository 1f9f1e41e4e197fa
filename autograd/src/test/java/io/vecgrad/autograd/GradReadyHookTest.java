package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradReadyHookTest {

    @Test
    void firesOnceAfterTheLastContributionWithTheFinalGradient() {
        Tensor w = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Tensor x = Tensor.of(4.0, 5.0, 6.0);
        List<double[]> seen = new ArrayList<>();
        w.onGradReady(t -> seen.add(t.grad().toDoubleArray()));
        // w is used twice: d/dw [sum(w*x) + sum(w*w)] = x + 2w
        w.mul(x).sum().add(w.mul(w).sum()).backward();
        assertEquals(1, seen.size(), "one call per pass");
        assertArrayEquals(new double[] {6, 9, 12}, seen.get(0));
        // a second pass accumulates and reports again
        w.mul(x).sum().backward();
        assertEquals(2, seen.size());
        assertArrayEquals(new double[] {10, 14, 18}, seen.get(1));
        // removed: no more calls
        w.onGradReady(null);
        w.mul(x).sum().backward();
        assertEquals(2, seen.size());
    }

    @Test
    void laterLayersAreReportedBeforeEarlierOnes() {
        Tensor w1 = Tensor.of(0.5, -1.0, 2.0, 1.5).reshape(2, 2).requiresGrad(true);
        Tensor w2 = Tensor.of(1.0, 3.0).reshape(2, 1).requiresGrad(true);
        Tensor x = Tensor.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0).reshape(3, 2);
        List<String> order = new ArrayList<>();
        List<double[]> atCall = new ArrayList<>();
        w1.onGradReady(t -> {
            order.add("w1");
            atCall.add(t.grad().toDoubleArray());
        });
        w2.onGradReady(t -> order.add("w2"));
        x.matmul(w1).relu().matmul(w2).sum().backward();
        assertEquals(List.of("w2", "w1"), order);
        assertArrayEquals(w1.grad().toDoubleArray(), atCall.get(0), "w1's gradient was complete when reported");
    }

    @Test
    void aLeafRootIsReportedAndNonLeavesAreRejected() {
        Tensor w = Tensor.of(2.0).requiresGrad(true);
        int[] calls = {0};
        w.onGradReady(t -> calls[0]++);
        w.backward();
        assertEquals(1, calls[0]);
        Tensor y = w.mul(3);
        var e = assertThrows(IllegalStateException.class, () -> y.onGradReady(t -> {}));
        assertTrue(e.getMessage().startsWith("onGradReady: tensor f64 [1] is not a leaf"), e.getMessage());
    }

    @Test
    void anExceptionFromTheHookEndsThePassAndLeavesNoStaleCount() {
        Tensor w = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor x = Tensor.of(3.0, 4.0);
        w.onGradReady(t -> {
            throw new IllegalStateException("hook failed");
        });
        var e = assertThrows(IllegalStateException.class, () -> w.mul(x).sum().add(w.sum()).backward());
        assertEquals("hook failed", e.getMessage());
        int[] calls = {0};
        w.onGradReady(t -> calls[0]++);
        w.zeroGrad();
        w.mul(x).sum().add(w.sum()).backward();
        assertEquals(1, calls[0], "the next pass counts afresh");
        assertArrayEquals(new double[] {4, 5}, w.grad().toDoubleArray());
    }
}
