package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue, "freed intermediates": the contract of DESIGN §3. The root of backward stays
 * fully usable, retain() and detach() pin their storage so the pool never reuses it, reading a
 * freed tensor names the user's op and says how to keep it, and it never reads another graph's
 * data. Each graph below is followed by further graphs of the same sizes, which take exactly
 * the pool blocks a wrongly freed tensor would still point at.
 */
class FreedIntermediatesTest {

    private static Tensor leaf(double... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    /** Same-sized graphs that reuse every pool block freed so far, and write new values into them. */
    private static void churn(int n) {
        for (int i = 0; i < 5; i++) {
            Tensor x = Tensor.full(DType.F64, 100 + i, n).requiresGrad(true);
            Tensor h = x.mul(3);
            h.exp().mul(0).add(h).sum().backward();
        }
    }

    @Test
    void rootOfBackwardStaysFullyUsable() {
        Tensor x = leaf(1, 2, 3);
        Tensor loss = x.mul(2).sum();
        loss.backward();
        churn(3);
        assertEquals(12.0, loss.item());
        assertEquals(13.0, loss.add(1).item()); // new ops on the root, not only reads
        assertEquals(24.0, loss.mul(loss.div(6)).item());
        // a non-scalar root (backward with an explicit gradient), larger than any "small" limit
        Tensor big = Tensor.ones(DType.F64, 80, 80).requiresGrad(true).mul(2);
        big.backward(Tensor.ones(DType.F64, 80, 80));
        churn(6400);
        assertEquals(80 * 80 * 2 * 2 * 80.0, big.matmul(big).sum().item());
        List<Tensor> losses = new ArrayList<>(); // the usual "keep every loss" loop
        for (int i = 0; i < 4; i++) {
            Tensor l = leaf(i, 1).mul(2).sum();
            l.backward();
            losses.add(l);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(2 * (i + 1.0), losses.get(i).item());
        }
    }

    @Test
    void retainOfIntermediateIsNeverReusedByThePool() {
        Tensor x = leaf(1, 2, 3);
        Tensor h = x.mul(2).retain();
        Tensor v = x.mul(4).narrow(0, 1, 2).retain(); // a retained view pins the viewed storage
        h.exp().sum().add(v.sum()).backward();
        churn(3);
        assertArrayEquals(new double[] {2, 4, 6}, h.toDoubleArray());
        assertArrayEquals(new double[] {8, 12}, v.toDoubleArray());
        assertArrayEquals(new double[] {3, 5, 7}, h.add(1).toDoubleArray());
    }

    @Test
    void detachOfIntermediateSurvivesBackward() {
        Tensor x = leaf(1, 2, 3);
        Tensor h = x.mul(2);
        Tensor d = h.detach();
        Tensor dr = x.mul(5).detach().retain();
        h.exp().sum().backward();
        x.mul(5).sum().backward(); // the graph dr came from was never backpropagated: still alive
        churn(3);
        assertArrayEquals(new double[] {2, 4, 6}, d.toDoubleArray());
        assertArrayEquals(new double[] {5, 10, 15}, dr.toDoubleArray());
        assertArrayEquals(new double[] {3, 5, 7}, d.add(1).toDoubleArray());
        assertFalse(d.requiresGrad());
    }

    @Test
    void freedTensorMessageNamesUsersOpAndHowToKeepIt() {
        Tensor x = leaf(1, 2, 3);
        Tensor h = x.mul(2);
        h.exp().sum().backward();
        for (var call : List.<java.util.function.Supplier<Object>>of(() -> h.add(0), () -> h.mul(2),
                () -> h.toDoubleArray(), () -> h.copy(), () -> h.sum(), () -> h.item())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::get);
            String m = e.getMessage();
            assertTrue(m.contains("released by backward()"), m);
            assertTrue(m.contains("retain()"), m);
            assertFalse(m.startsWith("affine:") || m.startsWith("identity:") || m.startsWith("get:"), m);
        }
        assertTrue(assertThrows(IllegalStateException.class, () -> h.add(0)).getMessage().startsWith("add: "));
        assertTrue(assertThrows(IllegalStateException.class, () -> h.copy()).getMessage().startsWith("copy: "));
        assertTrue(assertThrows(IllegalStateException.class, () -> h.toDoubleArray()).getMessage()
                .startsWith("toDoubleArray: "));
        assertTrue(assertThrows(IllegalStateException.class, () -> Tensor.ones(3).mul(h)).getMessage()
                .startsWith("mul: "));
    }

    @Test
    void freedTensorNeverReadsAnotherGraphsData() {
        Tensor x = leaf(1, 2, 3);
        Tensor h = x.mul(2);
        Tensor view = h.narrow(0, 1, 1);
        h.exp().sum().backward();
        churn(3); // these graphs now own h's old memory, with other values in it
        assertThrows(IllegalStateException.class, h::toDoubleArray);
        assertThrows(IllegalStateException.class, view::item);
        assertThrows(IllegalStateException.class, () -> view.add(1));
        assertTrue(h.toString().contains("released"));
    }

    @Test
    void warmStepsWithRetainDetachAndRootAllocateNoNativeMemory() {
        Tensor w = Tensor.ones(DType.F32, 32, 32).requiresGrad(true);
        Tensor x = Tensor.ones(DType.F32, 8, 32);
        long warm = 0;
        double seen = 0;
        for (int step = 0; step < 12; step++) {
            if (step == 3) {
                warm = Tensor.nativeBytesAllocated();
            }
            Tensor h = x.matmul(w).tanh();
            Tensor kept = h.detach();
            Tensor r = h.mul(2).retain();
            Tensor loss = r.sum();
            loss.backward();
            try (var _ = Tensor.noGrad()) { // metrics: reads and new ops on root, detached and retained
                seen += loss.add(kept.sum()).item() + r.sum().item();
            }
            w.zeroGrad();
        }
        assertEquals(warm, Tensor.nativeBytesAllocated(), "native bytes allocated by steps 3..11");
        assertTrue(seen > 0);
    }
}
