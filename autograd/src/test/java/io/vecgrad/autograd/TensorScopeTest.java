package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.Storage;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A tensor scope frees what was made inside it, and a warm loop inside scopes allocates nothing. */
class TensorScopeTest {

    @Test
    void closingFreesResultsAndFactoryTensors() {
        Tensor w = Tensor.randn(new SplittableRandom(1), DType.F32, 4, 3);
        Tensor x;
        Tensor y;
        try (TensorScope s = Tensor.scope()) {
            x = Tensor.fromArray(new float[] {1, 2, 3, 4}, 1, 4);
            y = x.matmul(w).relu();
            assertTrue(s.liveBuffers() >= 3, "input, matmul, relu owned: " + s.liveBuffers());
            assertEquals(3, y.toFloatArray().length);
        }
        Tensor dead = y;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dead.add(1));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertThrows(IllegalStateException.class, dead::toFloatArray);
        assertEquals(4 * 3, w.toFloatArray().length, "tensors made outside the scope stay alive");
    }

    @Test
    void keepMovesATensorOutAndNestedScopesHandItUp() {
        Tensor kept;
        try (TensorScope outer = Tensor.scope()) {
            Tensor inner;
            try (TensorScope in = Tensor.scope()) {
                inner = in.keep(Tensor.full(DType.F64, 2.5, 3));
                Tensor.zeros(5); // freed with `in`
            }
            assertArrayEquals(new double[] {2.5, 2.5, 2.5}, inner.toDoubleArray(), "kept past the inner scope");
            assertEquals(1, outer.liveBuffers(), "the kept tensor now belongs to the outer scope");
            kept = inner;
        }
        assertThrows(IllegalStateException.class, kept::toDoubleArray);

        Tensor free;
        try (TensorScope s = Tensor.scope()) {
            free = s.keep(Tensor.of(1f, 2f));
        }
        assertArrayEquals(new float[] {1, 2}, free.toFloatArray(), "kept with no outer scope: GC-owned");
    }

    @Test
    void scopesCloseInOrderAndOnTheirThread() throws Exception {
        TensorScope outer = Tensor.scope();
        TensorScope inner = Tensor.scope();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        inner.close();
        ExecutionException ex = assertThrows(ExecutionException.class,
                () -> CompletableFuture.runAsync(outer::close).get());
        assertTrue(ex.getCause().getMessage().contains("must be closed there"), ex.getCause().getMessage());
        outer.close();
        outer.close(); // idempotent
        assertFalse(outer.isOpen());
    }

    @Test
    void backwardInsideAScopeKeepsLeafGradients() {
        Tensor w = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        for (int step = 0; step < 3; step++) {
            try (TensorScope _ = Tensor.scope()) {
                Tensor loss = w.mul(Tensor.of(2.0, 2.0, 2.0)).square().sum();
                loss.backward();
                assertEquals(4 * 14, loss.item(), 1e-12);
            }
        }
        assertNotNull(w.grad());
        assertArrayEquals(new double[] {24, 48, 72}, w.grad().toDoubleArray(), 1e-12, "3 accumulated steps of 8w");
    }

    @Test
    void warmNoGradLoopInScopesAllocatesNoNativeMemory() {
        SplittableRandom r = new SplittableRandom(7);
        Tensor w1 = Tensor.randn(r, DType.F32, 32, 64);
        Tensor w2 = Tensor.randn(r, DType.F32, 64, 10);
        float[] row = new float[32];
        long warm = 0;
        long warmGlobal = 0;
        for (int i = 0; i < 200; i++) {
            if (i == 5) {
                warm = Tensor.nativeBytesAllocated();
                warmGlobal = Storage.nativeBytesAllocated();
            }
            row[i % 32] = i;
            try (TensorScope _ = Tensor.scope(); var _ = Tensor.noGrad()) {
                Tensor y = Tensor.fromArray(row, 1, 32).matmul(w1).relu().matmul(w2).div(3).softmax(-1);
                assertEquals(10, y.toFloatArray().length);
            }
        }
        assertEquals(warm, Tensor.nativeBytesAllocated(), "native bytes allocated by warm scoped passes");
        assertEquals(warmGlobal, Storage.nativeBytesAllocated(), "GC-managed native bytes allocated");
    }
}
