package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Graphs built on different threads are independent; grad mode is per thread. */
class ThreadingTest {

    /** A small network's input gradient, computed from shared (read-only) weights. */
    private static double[] inputGradient(Tensor w1, Tensor w2, long seed) {
        Tensor x = Tensor.randn(new SplittableRandom(seed), DType.F64, 8, 5).requiresGrad(true);
        Tensor loss = x.matmul(w1).tanh().matmul(w2).square().mean();
        loss.backward();
        return x.grad().toDoubleArray();
    }

    @Test
    void graphsOnDifferentThreadsAreIndependent() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        // shared leaves that do not require grad: safe to read from every thread
        Tensor w1 = Tensor.randn(r, DType.F64, 5, 16);
        Tensor w2 = Tensor.randn(r, DType.F64, 16, 3);
        int tasks = 8;
        List<double[]> expected = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            expected.add(inputGradient(w1, w2, t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<double[]>> got = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                long seed = t;
                got.add(pool.submit(() -> {
                    start.await();
                    double[] g = null;
                    for (int rep = 0; rep < 20; rep++) {
                        g = inputGradient(w1, w2, seed);
                    }
                    return g;
                }));
            }
            start.countDown();
            for (int t = 0; t < tasks; t++) {
                assertArrayEquals(expected.get(t), got.get(t).get(), 0, "task " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);
        try (var _ = Tensor.noGrad()) {
            assertFalse(x.mul(2).requiresGrad());
            java.util.concurrent.atomic.AtomicBoolean recordedElsewhere = new java.util.concurrent.atomic.AtomicBoolean();
            Thread t = new Thread(() -> recordedElsewhere.set(x.mul(2).requiresGrad()));
            t.start();
            t.join();
            assertTrue(recordedElsewhere.get(), "another thread's grad mode is unaffected by this thread's noGrad");
        }
    }

    @Test
    void gradientWithRespectToTheInput() {
        // d/dx sum(W x) = column sums of W, whatever the weights need
        Tensor w = Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor x = Tensor.of(0.5, -1.0, 2.0).requiresGrad(true);
        w.matmul(x).sum().backward();
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray());
    }
}
