package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Dropout;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.MSELoss;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.SGD;
import io.vecgrad.optim.StepLR;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /** Three Gaussian blobs in 4-D: learnable to high accuracy in a few epochs. */
    static DataSet blobs(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x[i][j] = r.nextGaussian() * 0.5 + (j == y[i] ? 2 : 0);
            }
        }
        return DataSet.classification(x, y, 3);
    }

    private static Layer model(long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        return new Sequential(new Linear(4, 16, true, g, DType.F32), new ReLU(), new Dropout(0.1, g),
                new Linear(16, 3, true, g, DType.F32));
    }

    private Trainer<Indices> trainer(Layer m, Optimizer opt, DataSet train, int epochs, Path ckpt) {
        DataLoader loader = DataLoader.builder(train).batchSize(16).shuffle(11).build();
        return Trainer.builder(m, new CrossEntropyLoss(), opt, loader, DataLoader.Batch::labels)
                .epochs(epochs).seed(5).checkpoint(ckpt).evaluateOn(train).build();
    }

    @Test
    void learnsBlobs() throws IOException {
        DataSet d = blobs(1, 300);
        Layer m = model(2);
        Optimizer opt = Adam.builder(m.parameters()).lr(0.01).build();
        List<Trainer.EpochMetrics> h = trainer(m, opt, d, 8, null).fit();
        assertEquals(8, h.size());
        assertTrue(h.get(7).trainLoss() < h.get(0).trainLoss(), h.toString());
        assertTrue(h.get(7).testAccuracy() > 0.9, h.toString());
        assertEquals(8L * 19, h.get(7).steps());
    }

    @Test
    void resumeGivesTheSameParametersBitForBit() throws IOException {
        DataSet d = blobs(3, 200);
        // uninterrupted: 6 epochs
        Layer a = model(4);
        Optimizer oa = SGD.builder(a.parameters()).lr(0.05).momentum(0.9).build();
        trainer(a, oa, d, 6, dir.resolve("a.ckpt")).fit();
        // interrupted after 3 epochs, then a fresh process resumes from the checkpoint
        Layer b = model(4);
        Optimizer ob = SGD.builder(b.parameters()).lr(0.05).momentum(0.9).build();
        Path ck = dir.resolve("b.ckpt");
        trainer(b, ob, d, 3, ck).fit();
        Layer c = model(99); // different init: everything must come from the checkpoint
        Optimizer oc = SGD.builder(c.parameters()).lr(0.05).momentum(0.9).build();
        Trainer<Indices> t = trainer(c, oc, d, 6, ck).resume(ck);
        assertEquals(3, t.startEpoch());
        t.fit();
        var pa = a.namedParameters();
        var pc = c.namedParameters();
        for (String k : pa.keySet()) {
            assertArrayEquals(pa.get(k).toFloatArray(), pc.get(k).toFloatArray(), "parameter " + k);
        }
        assertEquals(oa.stepCount(), oc.stepCount());
    }

    @Test
    void checkpointIsAtomicAndValidated() throws IOException {
        DataSet d = blobs(5, 60);
        Layer m = model(6);
        Optimizer opt = SGD.builder(m.parameters()).lr(0.1).build();
        Path ck = dir.resolve("run.ckpt");
        trainer(m, opt, d, 1, ck).fit();
        assertTrue(Files.exists(ck));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
        // a truncated checkpoint is refused and changes nothing
        byte[] bytes = Files.readAllBytes(ck);
        Path bad = dir.resolve("bad.ckpt");
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Layer fresh = model(7);
        float[] before = fresh.parameters().get(0).toFloatArray();
        Optimizer fo = SGD.builder(fresh.parameters()).lr(0.1).build();
        assertThrows(IOException.class, () -> Checkpoint.load(bad, fresh, fo));
        assertArrayEquals(before, fresh.parameters().get(0).toFloatArray());
        // a checkpoint of another optimizer is refused
        Optimizer adam = Adam.builder(fresh.parameters()).build();
        var e = assertThrows(IOException.class, () -> Checkpoint.load(ck, fresh, adam));
        assertTrue(e.getMessage().contains("holds SGD state"), e.getMessage());
    }

    @Test
    void regressionWithScheduleAndAccumulation() throws IOException {
        SplittableRandom r = new SplittableRandom(8);
        double[][] x = new double[128][2];
        double[] y = new double[128];
        for (int i = 0; i < 128; i++) {
            x[i][0] = r.nextDouble(-1, 1);
            x[i][1] = r.nextDouble(-1, 1);
            y[i] = 3 * x[i][0] - 2 * x[i][1] + 0.5;
        }
        DataSet d = DataSet.regression(x, y);
        Linear lin = new Linear(2, 1, true, new SplittableRandom(9), DType.F32);
        Optimizer opt = SGD.builder(lin.parameters()).lr(0.1).build();
        Trainer<Tensor> t = Trainer.builder(lin, new MSELoss(), opt, DataLoader.builder(d).batchSize(16).shuffle(1).build(),
                DataLoader.Batch::targets).epochs(40).accumulate(2).clipNorm(10)
                .scheduler(new StepLR(opt, 20, 0.5)).evaluateOn(d).build();
        List<Trainer.EpochMetrics> h = t.fit();
        assertTrue(h.get(39).testLoss() < 1e-3, h.get(39).toString());
        assertEquals(40L * 4, t.steps());
        assertEquals(0.025, h.get(39).lr(), 1e-12);
        assertEquals(3, lin.weight().get(0, 0), 0.05);
    }

    /**
     * evaluate runs each batch in a tensor scope, so its results come from the thread's native
     * pool and go back to it. Before, they were fresh heap arrays, and those heap segments, seen
     * by the JDK's shared segment-access code, made C2 recompile every kernel with a second
     * access path (several seconds more compile time in a default train run).
     */
    @Test
    void evaluateComputesInPooledNativeMemory() {
        SplittableRandom g = new SplittableRandom(3);
        HeapProbe probe = new HeapProbe();
        Layer m = new Sequential(new Linear(4, 64, true, g, DType.F32), probe, new Linear(64, 3, true, g, DType.F32));
        DataSet set = blobs(4, 256);
        Trainer<Indices> t = Trainer.builder(m, new CrossEntropyLoss(), Adam.builder(m.parameters()).build(),
                DataLoader.builder(set).batchSize(64).build(), DataLoader.Batch::labels).epochs(1).build();
        Trainer.Evaluation first = t.evaluate(set, 64);
        long nativeBefore = Tensor.nativeBytesAllocated();
        Trainer.Evaluation again = t.evaluate(set, 64);
        assertEquals(8, probe.calls);
        assertEquals(0, probe.onHeap, "evaluate results on the Java heap");
        assertEquals(nativeBefore, Tensor.nativeBytesAllocated(), "native bytes allocated by a warm evaluate");
        assertEquals(first, again);
    }

    /** ReLU that counts the calls whose result lives in a heap segment. */
    private static final class HeapProbe extends Layer {
        int calls;
        int onHeap;

        @Override
        public Tensor forward(Tensor input) {
            Tensor y = input.relu();
            calls++;
            onHeap += y.buffer().storage().segment("probe").isNative() ? 0 : 1;
            return y;
        }
    }
}
