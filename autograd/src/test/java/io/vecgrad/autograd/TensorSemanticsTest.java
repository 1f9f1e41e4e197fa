package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One test per autograd semantic promised in the Tensor Javadoc. */
class TensorSemanticsTest {

    @Test
    void scalarGraphFromTheNotes() {
        // x=2, w=3, b=1, loss=|4-(x*w+b)|: grad w = x = 2, grad b = 1 (the notes claim 2)
        Tensor x = Tensor.scalar(DType.F64, 2);
        Tensor w = Tensor.scalar(DType.F64, 3).requiresGrad(true);
        Tensor b = Tensor.scalar(DType.F64, 1).requiresGrad(true);
        Tensor loss = Tensor.scalar(DType.F64, 4).sub(x.mul(w).add(b)).abs();
        loss.backward();
        assertEquals(3, loss.item());
        assertEquals(2, w.grad().item());
        assertEquals(1, b.grad().item());
    }

    @Test
    void gradAccumulatesUntilZeroedAndSumsOverPaths() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Tensor y = x.mul(x).mul(2).sum(); // y = 2 x.x, grad 4x
        y.backward();
        assertArrayEquals(new double[] {4, 8, 12}, x.grad().toDoubleArray());
        x.mul(x).mul(2).sum().backward();
        assertArrayEquals(new double[] {8, 16, 24}, x.grad().toDoubleArray());
        x.zeroGrad();
        x.sum().backward();
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toDoubleArray());
    }

    @Test
    void zeroGradIsDeferredButAlwaysReadsAsZeros() {
        // Linear's weight takes its gradient straight from a GEMM (beta 0 after zeroGrad, else 1),
        // its bias and x through the walker (copy after zeroGrad, else add)
        Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor w = Tensor.fromArray(new double[] {1, -1, 2, 0.5, 3, -2}, 2, 3).requiresGrad(true);
        Tensor b = Tensor.fromArray(new double[] {0.25, -0.5}, 2).requiresGrad(true);
        x.linear(w, b).sum().backward();
        double[] gw = w.grad().toDoubleArray();
        double[] gb = b.grad().toDoubleArray();
        double[] gx = x.grad().toDoubleArray();
        assertArrayEquals(new double[] {5, 7, 9, 5, 7, 9}, gw);
        assertArrayEquals(new double[] {2, 2}, gb);
        x.linear(w, b).sum().backward(); // accumulates
        assertArrayEquals(new double[] {10, 14, 18, 10, 14, 18}, w.grad().toDoubleArray());
        assertArrayEquals(new double[] {4, 4}, b.grad().toDoubleArray());
        Tensor wGrad = w.grad();
        for (Tensor p : new Tensor[] {x, w, b}) {
            p.zeroGrad();
        }
        x.linear(w, b).sum().backward(); // overwrites: the same values as the first pass
        assertArrayEquals(gw, w.grad().toDoubleArray());
        assertArrayEquals(gb, b.grad().toDoubleArray());
        assertArrayEquals(gx, x.grad().toDoubleArray());
        assertTrue(wGrad == w.grad(), "the gradient tensor stays the same object");
        // not reached by the next pass: read as zeros, through the same tensor object
        w.zeroGrad();
        x.sum().backward();
        assertArrayEquals(new double[6], w.grad().toDoubleArray());
        assertArrayEquals(new double[6], wGrad.toDoubleArray());
        // setGrad and clearGrad drop a pending zero
        b.zeroGrad();
        b.setGrad(Tensor.fromArray(new double[] {7, 8}, 2));
        assertArrayEquals(new double[] {7, 8}, b.grad().toDoubleArray());
        b.zeroGrad();
        b.clearGrad();
        x.linear(w, b).sum().backward();
        assertArrayEquals(gb, b.grad().toDoubleArray());
    }

    @Test
    void broadcastGradientsAreSummedToTheInputShape() {
        Tensor a = Tensor.fromArray(new double[] {1, 2, 3}, 3, 1).requiresGrad(true);
        Tensor b = Tensor.fromArray(new double[] {10, 20, 30, 40}, 1, 4).requiresGrad(true);
        a.mul(b).sum().backward();
        assertArrayEquals(new double[] {100, 100, 100}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {6, 6, 6, 6}, b.grad().toDoubleArray());
        assertArrayEquals(new int[] {1, 4}, b.grad().shape());
    }

    @Test
    void backwardErrors() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = x.mul(2);
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("implicitly created only for one-element outputs, got shape [2]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.of(1.0, 2.0, 3.0)));
        assertTrue(e2.getMessage().contains("gradient shape [3] does not match the tensor's shape [2]"), e2.getMessage());
        Tensor s = x.exp().sum();
        s.backward();
        var e3 = assertThrows(IllegalStateException.class, s::backward);
        assertTrue(e3.getMessage().contains("backward through the graph a second time: SumBackward"), e3.getMessage());
        Tensor d = x.mul(3).sum().detach();
        var e4 = assertThrows(IllegalStateException.class, d::backward);
        assertTrue(e4.getMessage().contains("detached"), e4.getMessage());
        Tensor n;
        try (var _ = Tensor.noGrad()) {
            n = x.mul(3).sum();
        }
        assertFalse(n.requiresGrad());
        assertThrows(IllegalStateException.class, n::backward);
        assertThrows(IllegalStateException.class, () -> Tensor.of(1.0).sum().backward());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward(null, false);
        assertEquals(2 * Math.exp(2), x.grad().toDoubleArray()[1], 1e-12);
    }

    @Test
    void noGradNestsAndBackwardInsideNoGradWorks() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = x.mul(x).sum();
        try (var _ = Tensor.noGrad()) {
            try (var _ = Tensor.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
            y.backward();
        }
        assertTrue(GradMode.isEnabled());
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray());
    }

    @Test
    void inPlaceChecks() {
        Tensor w = Tensor.of(1.0, 2.0).requiresGrad(true);
        var e = assertThrows(IllegalStateException.class, () -> w.add_(Tensor.of(1.0, 1.0)));
        assertTrue(e.getMessage().startsWith("add_: a leaf tensor that requires grad"), e.getMessage());
        assertArrayEquals(new double[] {1, 2}, w.toDoubleArray());
        try (var _ = Tensor.noGrad()) {
            w.add_(Tensor.of(1.0, 1.0));
        }
        assertArrayEquals(new double[] {2, 3}, w.toDoubleArray());
        // modifying a saved tensor is caught with both versions
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = x.exp();
        Tensor z = y.sum();
        try (var _ = Tensor.noGrad()) {
            y.mul_(2);
        }
        Tensor yy = y.mul(y).sum();
        var e2 = assertThrows(IllegalStateException.class, yy::backward);
        assertTrue(e2.getMessage().contains("modified by an in-place operation: it is at version"), e2.getMessage());
        assertNull(z.grad());
    }

    @Test
    void bufferReuseAllocatesNoNewNativeMemoryAfterFirstPass() {
        SplittableRandom r = new SplittableRandom(1);
        Tensor w1 = Tensor.randn(r, 16, 8).requiresGrad(true);
        Tensor w2 = Tensor.randn(r, 4, 16).requiresGrad(true);
        Tensor x = Tensor.randn(r, 32, 8);
        long bytes = -1;
        for (int pass = 0; pass < 4; pass++) {
            Tensor h = x.matmul(w1.t()).relu();
            Tensor loss = h.matmul(w2.t()).logSoftmax(1).mean();
            loss.backward();
            if (pass == 0) {
                bytes = Pool.ws().nativeBytesAllocated();
            }
            Tensor hh = h;
            var e = assertThrows(IllegalStateException.class, hh::toDoubleArray);
            assertTrue(e.getMessage().contains("released"), e.getMessage());
            loss.item(); // the root stays readable
        }
        assertEquals(bytes, Pool.ws().nativeBytesAllocated());
    }

    @Test
    void customFunctionWithSavedTensors() {
        class Cube extends Function {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return in[0].pow(3);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
                Tensor x = ctx.savedTensors()[0];
                return new Tensor[] {grad.mul(x.mul(x).mul(3))};
            }
        }
        Tensor x = Tensor.of(1.0, -2.0).requiresGrad(true);
        new Cube().apply(x).sum().backward();
        assertArrayEquals(new double[] {3, 12}, x.grad().toDoubleArray(), 1e-12);
        GradCheck.check(in -> new Cube().apply(in[0]).mul(in[0].sin()).sum(), x).assertOk();
    }

    @Test
    void gradCheckCatchesAWrongRule() {
        class Wrong extends Function {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                return in[0].mul(in[0]);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
                return new Tensor[] {grad.mul(3)};
            }
        }
        Tensor x = Tensor.of(0.5, 1.5).requiresGrad(true);
        assertFalse(GradCheck.check(in -> new Wrong().apply(in[0]).sum(), x).ok());
    }

    @Test
    void maxOverSeveralDimsRoutesTheGradientToTheArgmax() {
        Tensor x = Tensor.fromArray(new double[] {1, 9, 3, 4, 5, 6, 7, 8, 2, 0, 11, 10}, 2, 3, 2).requiresGrad(true);
        Tensor m = x.max(new int[] {0, 2}, true);
        assertArrayEquals(new int[] {1, 3, 1}, m.shape());
        assertArrayEquals(new double[] {9, 4, 11}, m.toDoubleArray());
        m.sum().backward();
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0}, x.grad().toDoubleArray());
        assertEquals(10, Tensor.fromArray(new double[] {1, 9, 3, 4, 5, 6, 7, 8, 2, 0, 11, 10}, 2, 3, 2).argmax());
    }
}
