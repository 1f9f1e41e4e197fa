package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.autograd.TensorScope;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many predictions from 8 threads: bit-identical to sequential ones, and no native memory
 * allocated once every thread is warm. CI runs {@link #TOTAL} predictions; the 10^6 run with
 * NMT and RSS is {@code PredictorSoakMain}.
 */
class PredictorTest {
    static final int THREADS = 8;
    static final int TOTAL = Integer.getInteger("predictor.total", 20_000);
    static final int DISTINCT = 37;

    /** The 64-256-10 model, seeded. */
    static Layer model(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Sequential(new Linear(64, 256, true, r, DType.F32), new ReLU(), new Dropout(0.5, r),
                new Linear(256, 10, true, r, DType.F32));
    }

    static float[][] rows(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[DISTINCT][64];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return rows;
    }

    @Test
    void eightThreadsAreBitIdenticalToSequentialAndAllocateNoNativeMemory() throws Exception {
        long seed = 20261202L;
        System.out.println("PredictorTest seed " + seed + ", " + TOTAL + " predictions on " + THREADS + " threads");
        Predictor p = new Predictor(model(seed));
        float[][] rows = rows(seed + 1);
        float[][] expected = new float[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            expected[i] = p.probabilities(new float[][] {rows[i]})[0];
        }
        int perThread = TOTAL / THREADS;
        CyclicBarrier warm = new CyclicBarrier(THREADS + 1);
        CyclicBarrier done = new CyclicBarrier(THREADS + 1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 5;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        p.probabilities(new float[][] {rows[(offset + i) % DISTINCT]});
                    }
                    warm.await();
                    long before = Tensor.nativeBytesAllocated();
                    long mismatches = 0;
                    for (int i = 0; i < perThread; i++) {
                        int k = (offset + i) % DISTINCT;
                        float[] got = p.probabilities(new float[][] {rows[k]})[0];
                        if (!Arrays.equals(got, expected[k])) {
                            mismatches++;
                        }
                    }
                    long after = Tensor.nativeBytesAllocated();
                    done.await();
                    return new long[] {mismatches, after - before};
                }));
            }
            warm.await();
            long globalBefore = Storage.nativeBytesAllocated();
            done.await();
            long globalAfter = Storage.nativeBytesAllocated();
            for (int t = 0; t < THREADS; t++) {
                long[] r = results.get(t).get();
                assertEquals(0, r[0], "thread " + t + ": predictions that differ from the sequential ones");
                assertEquals(0, r[1], "thread " + t + ": native bytes allocated by warm predictions");
            }
            assertEquals(globalBefore, globalAfter, "GC-managed native bytes allocated during the run");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void outputsMatchAPlainForwardPass() {
        Layer m = model(5);
        Predictor p = new Predictor(m);
        float[][] rows = Arrays.copyOf(rows(6), 3);
        float[] flat = new float[3 * 64];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(rows[i], 0, flat, i * 64, 64);
        }
        float[] logits;
        float[] probs;
        try (var _ = Tensor.noGrad()) {
            Tensor y = m.forward(Tensor.fromArray(flat, 3, 64));
            logits = y.toFloatArray();
            probs = y.softmax(-1).toFloatArray();
        }
        float[][] out = p.predict(rows);
        float[][] pr = p.probabilities(rows);
        int[] cls = p.classify(rows);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Arrays.copyOfRange(logits, i * 10, i * 10 + 10), out[i]);
            assertArrayEquals(Arrays.copyOfRange(probs, i * 10, i * 10 + 10), pr[i]);
            int best = 0;
            for (int j = 1; j < 10; j++) {
                best = out[i][j] > out[i][best] ? j : best;
            }
            assertEquals(best, cls[i]);
        }
        float[] single;
        try (var _ = Tensor.noGrad()) {
            single = m.forward(Tensor.fromArray(rows[1], 1, 64)).toFloatArray();
        }
        // one row takes the matrix-vector kernel, a batch the GEMM: same values, maybe not same bits
        assertArrayEquals(single, p.predict(rows[1]));
        assertArrayEquals(out[1], p.predict(rows[1]), 1e-5f);
        Tensor t;
        try (TensorScope _ = Tensor.scope()) {
            t = p.predict(Tensor.fromArray(flat, 3, 64));
            assertArrayEquals(logits, t.toFloatArray());
        }
        assertThrows(IllegalStateException.class, t::toFloatArray, "belongs to the caller's scope");
        assertArrayEquals(logits, p.predict(Tensor.fromArray(flat, 3, 64)).toFloatArray(), "GC-owned without a scope");
    }

    @Test
    void badInputsAreRefusedWithTheirShapes() {
        Predictor p = new Predictor(model(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.predict(new float[][] {new float[64], new float[63]}));
        assertTrue(e.getMessage().contains("row 1 has 63"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[][] {new float[5]}));
        assertTrue(e.getMessage().contains("in_features=64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.predict(new float[0][]));
    }
}
