package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.nn.Architecture;
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
}
