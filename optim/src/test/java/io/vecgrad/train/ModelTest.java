package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.nn.Architecture;
import io.vecgrad.nn.AdaptiveAvgPool2d;
import io.vecgrad.nn.AdaptiveMaxPool2d;
import io.vecgrad.nn.AvgPool1d;
import io.vecgrad.nn.BatchNorm1d;
import io.vecgrad.nn.BatchNorm2d;
import io.vecgrad.nn.Conv1d;
import io.vecgrad.nn.ConvTranspose2d;
import io.vecgrad.nn.Embedding;
import io.vecgrad.nn.GRU;
import io.vecgrad.nn.GroupNorm;
import io.vecgrad.nn.Identity;
import io.vecgrad.nn.LSTM;
import io.vecgrad.nn.LayerNorm;
import io.vecgrad.nn.MaxPool1d;
import io.vecgrad.nn.MultiheadAttention;
import io.vecgrad.nn.PReLU;
import io.vecgrad.nn.RNN;
import io.vecgrad.nn.AvgPool2d;
import io.vecgrad.nn.ELU;
import io.vecgrad.nn.Hardtanh;
import io.vecgrad.nn.Mish;
import io.vecgrad.nn.SELU;
import io.vecgrad.nn.SiLU;
import io.vecgrad.nn.Softplus;
import io.vecgrad.nn.Softsign;
import io.vecgrad.nn.Conv2d;
import io.vecgrad.nn.Flatten;
import io.vecgrad.nn.MaxPool2d;
import io.vecgrad.nn.Unflatten;
import io.vecgrad.nn.Dropout;
import io.vecgrad.nn.GELU;
import io.vecgrad.nn.LeakyReLU;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.SafeTensors;
import io.vecgrad.nn.Sequential;
import io.vecgrad.nn.Tanh;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTest {
    @TempDir
    Path dir;

    @Test
    void bundleRebuildsArchitectureScalingAndLabels() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        Layer net = new Sequential(new Linear(4, 8, true, r, DType.F32), new LeakyReLU(0.2), new Dropout(0.3, r),
                new Linear(8, 6, false, r, DType.F32), new GELU("tanh"), new Tanh(), new Linear(6, 3, true, r, DType.F32),
                new ReLU());
        Standardizer z = new Standardizer(new double[] {1, 2, 3, 4}, new double[] {2, 2, 1, 0.5});
        Model m = new Model(net, DataSet.Task.CLASSIFICATION, List.of("a", "b", "c"), List.of("w", "x", "y", "z"), z,
                "kind");
        Path f = dir.resolve("m.safetensors");
        m.save(f);
        Model back = Model.load(f);
        assertEquals(Architecture.toJson(net), Architecture.toJson(back.module()));
        assertEquals(z, back.standardizer());
        assertEquals(List.of("a", "b", "c"), back.labelNames());
        assertEquals("kind", back.target());
        float[][] rows = {{1, 2, 3, 4}, {-3, 0.5f, 9, 2}, {0, 0, 0, 0}};
        assertArrayEquals(m.predict(rows)[1], back.predict(rows)[1]);
        assertArrayEquals(m.predictLabels(rows), back.predictLabels(rows));
        assertEquals(Model.FORMAT, SafeTensors.metadata(f).get("format"));
        assertEquals(5, SafeTensors.load(f).size(), "plain parameter tensors, loadable as a state dict");
        var e = assertThrows(IOException.class, () -> {
            net.save(dir.resolve("w.safetensors"));
            Model.load(dir.resolve("w.safetensors"));
        });
        assertTrue(e.getMessage().contains("not a vecgrad model bundle"), e.getMessage());
    }

    @Test
    void cnnBundleRebuildsConvolutionPoolingAndActivations() throws IOException {
        SplittableRandom r = new SplittableRandom(4);
        Layer net = new Sequential(new Unflatten(1, 1, 6, 6),
                new Conv2d(1, 3, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, r,
                        DType.F32),
                new ReLU(), new MaxPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, true),
                new Conv2d(3, 4, new int[] {2, 3}, new int[] {1, 2}, new int[] {0, 1}, new int[] {1, 1}, 1, false, r,
                        DType.F32),
                new ELU(0.5), new AvgPool2d(new int[] {1, 2}, new int[] {1, 1}, new int[] {0, 1}, false, true),
                new Softplus(2, 10), new Hardtanh(-0.5, 2), new SELU(), new SiLU(), new Softsign(), new Mish(),
                new Flatten(), new Linear(24, 2, true, r, DType.F32));
        List<String> pixels = java.util.stream.IntStream.range(0, 36).mapToObj(i -> "p" + i).toList();
        Model m = new Model(net, DataSet.Task.CLASSIFICATION, List.of("no", "yes"), pixels, null, "y");
        Path f = dir.resolve("cnn.safetensors");
        m.save(f);
        Model back = Model.load(f);
        assertEquals(Architecture.toJson(net), Architecture.toJson(back.module()));
        float[][] rows = new float[3][36];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 36; j++) {
                rows[i][j] = (float) Math.sin(i * 36 + j);
            }
        }
        assertArrayEquals(m.predict(rows)[2], back.predict(rows)[2]);
        // without feature names or a scaler (the bundled digits): the width comes from the Unflatten
        assertEquals(36, new Model(net, DataSet.Task.CLASSIFICATION, List.of("no", "yes"), List.of(), null, null)
                .standardizerOrWidth());
    }

    @Test
    void metricsByHand() {
        Metrics.Classification c = Metrics.classification(new int[] {0, 0, 1, 1, 2}, new int[] {0, 1, 1, 1, 0}, 3);
        assertEquals(0.6, c.accuracy(), 1e-12);
        assertArrayEquals(new double[] {0.5, 2.0 / 3, Double.NaN}, c.precision(), 1e-12);
        assertArrayEquals(new double[] {0.5, 1, 0}, c.recall(), 1e-12);
        assertEquals(0.8, c.f1()[1], 1e-12);
        assertArrayEquals(new long[] {1, 1, 0}, c.confusion()[0]);
        assertTrue(c.format(List.of("x", "y", "z")).contains("confusion matrix"));
        Metrics.Regression g = Metrics.regression(new double[] {1, 2, 3}, new double[] {1, 2, 5});
        assertEquals(4.0 / 3, g.mse(), 1e-12);
        assertEquals(2.0 / 3, g.mae(), 1e-12);
        assertEquals(1 - 4.0 / 2, g.r2(), 1e-12);
    }

    /** Rows of {@code width} values from a seeded generator; {@code tokens > 0}: whole numbers in [0, tokens). */
    private static float[][] rows(int n, int width, int tokens, long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        System.out.println("ModelTest rows seed " + seed);
        float[][] r = new float[n][width];
        for (float[] row : r) {
            for (int j = 0; j < width; j++) {
                row[j] = tokens > 0 ? g.nextInt(tokens) : (float) g.nextGaussian();
            }
        }
        return r;
    }

    /**
     * Saves {@code net} in eval mode as a bundle, rebuilds it from the file alone and checks the
     * architecture, every state tensor (parameters and buffers) and the predictions bit for bit.
     */
    private void roundTrip(String name, Layer net, float[][] rows) throws IOException {
        net.eval();
        int width = rows[0].length;
        List<String> features = java.util.stream.IntStream.range(0, width).mapToObj(i -> "f" + i).toList();
        Model m = new Model(net, DataSet.Task.CLASSIFICATION, List.of("a", "b", "c"), features, null, "y");
        Path f = dir.resolve(name + ".safetensors");
        m.save(f);
        Model back = Model.load(f);
        assertEquals(Architecture.toJson(net), Architecture.toJson(back.module()), name);
        assertFalse(back.module().isTraining(), name + ": rebuilt in eval mode");
        var want = net.stateDict();
        var got = back.module().stateDict();
        assertEquals(want.keySet(), got.keySet(), name);
        for (String k : want.keySet()) {
            assertArrayEquals(want.get(k).toDoubleArray(), got.get(k).toDoubleArray(), name + " " + k);
        }
        float[][] a = m.predict(rows);
        float[][] b = back.predict(rows);
        for (int i = 0; i < rows.length; i++) {
            assertArrayEquals(a[i], b[i], name + " row " + i); // float equality: bit-identical (no NaN here)
        }
    }

    /** Runs a few training-mode forwards so the norms' running statistics leave their initial values. */
    private static void warm(Layer net, float[][] rows) {
        net.train();
        double[] flat = new double[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[0].length; j++) {
                flat[i * rows[0].length + j] = rows[i][j];
            }
        }
        DType dt = net.parameters().get(0).dtype();
        try (var _ = io.vecgrad.autograd.Tensor.noGrad()) {
            for (int k = 0; k < 3; k++) {
                net.forward(io.vecgrad.autograd.Tensor.fromArray(dt, flat, rows.length, rows[0].length));
            }
        }
    }

    @Test
    void normLayerBundlesCarryTheirRunningStatistics() throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        BatchNorm1d bn = new BatchNorm1d(8);
        Layer net = new Sequential(new Linear(6, 8, true, r, DType.F32), bn, new PReLU(8, 0.1, DType.F32),
                new LayerNorm(new int[] {8}, 1e-4, true, DType.F32), new Unflatten(1, 4, 2),
                new GroupNorm(2, 4, 1e-5, true, DType.F32), new BatchNorm1d(4, 1e-3, 0.3, false, true, DType.F32),
                new Unflatten(2, 1, 2), new BatchNorm2d(4), new Flatten(), new Identity(),
                new LayerNorm(new int[] {8}, 1e-5, false, DType.F32), new Linear(8, 3, true, r, DType.F32));
        float[][] x = rows(16, 6, 0, 12);
        warm(net, x);
        assertTrue(bn.runningMean().toDoubleArray()[0] != 0, "the running mean moved");
        roundTrip("norms", net, x);
        // f64 layers keep their dtype
        Layer f64 = new Sequential(new Linear(6, 4, true, r, DType.F64),
                new BatchNorm1d(4, 1e-5, 0.1, true, true, DType.F64), new Linear(4, 3, true, r, DType.F64));
        warm(f64, x);
        roundTrip("norms-f64", f64, x);
    }

    @Test
    void convolutionAndPoolingVariantBundles() throws IOException {
        SplittableRandom r = new SplittableRandom(13);
        Layer conv1d = new Sequential(new Unflatten(1, 2, 12),
                new Conv1d(2, 4, 3, 1, 1, 1, 2, true, r, DType.F32), new ReLU(),
                new MaxPool1d(2, 2, 0, 1, false), new Conv1d(4, 3, 2, 1, 0, 2, 1, false, r, DType.F32),
                new AvgPool1d(2, 1, 1, true, false), new Flatten(), new Linear(15, 3, true, r, DType.F32));
        roundTrip("conv1d", conv1d, rows(5, 24, 0, 14));
        Layer deconv = new Sequential(new Unflatten(1, 1, 3, 3),
                new ConvTranspose2d(1, 2, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 0}, new int[] {1, 0}, 1, true,
                        new int[] {1, 1}, r, DType.F32),
                new AdaptiveAvgPool2d(3, 2), new AdaptiveMaxPool2d(2, 2), new Flatten(),
                new Linear(8, 3, true, r, DType.F32));
        roundTrip("conv-transpose", deconv, rows(4, 9, 0, 15));
    }

    @Test
    void sequenceLayerBundles() throws IOException {
        SplittableRandom r = new SplittableRandom(17);
        Layer net = new Sequential(new Embedding(10, 4, 0, r, DType.F32),
                new LSTM(4, 6, 2, true, true, 0.2, false, r, DType.F32),
                new GRU(6, 4, 1, false, true, 0, true, r, DType.F32),
                new RNN(8, 4, 1, "relu", true, true, 0, false, r, DType.F32),
                new MultiheadAttention(4, 2, true, true, r, DType.F32),
                new RNN(4, 4, 1, "tanh", false, true, 0, true, r, DType.F32),
                new Flatten(), new Linear(40, 3, true, r, DType.F32));
        roundTrip("sequence", net, rows(3, 5, 10, 18));
    }
}
