package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The normalization, embedding and new activation modules, train/eval, and Dropout on any shape. */
class NormLayersTest {

    @Test
    void batchNormUsesBatchStatsInTrainingAndRunningStatsInEval() {
        long seed = 11;
        SplittableRandom r = new SplittableRandom(seed);
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, true, true, DType.F64);
        Sequential model = new Sequential(bn, new Dropout(0.5, r));
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(model.namedParameters().keySet()));
        Tensor x = Tensor.randn(r, DType.F64, 4, 3, 5, 5).mul(2).add(1);
        Tensor y = bn.forward(x);
        // training: every channel of the output has mean 0 and biased variance 1
        double[] v = y.toDoubleArray();
        for (int c = 0; c < 3; c++) {
            double s = 0;
            double q = 0;
            for (int n = 0; n < 4; n++) {
                for (int i = 0; i < 25; i++) {
                    double e = v[(n * 3 + c) * 25 + i];
                    s += e;
                    q += e * e;
                }
            }
            assertEquals(0, s / 100, 1e-12, "seed " + seed);
            assertEquals(1, q / 100, 1e-4, "seed " + seed);
        }
        assertEquals(1, bn.numBatchesTracked());
        double[] rm = bn.runningMean().toDoubleArray();
        assertNotEquals(0, rm[0]);
        model.eval();
        assertFalse(bn.isTraining(), "eval() reaches children");
        Tensor ye = model.forward(x);
        assertArrayEquals(rm, bn.runningMean().toDoubleArray(), "eval leaves the running stats alone");
        double want = (x.get(0, 1, 2, 3) - rm[1]) / Math.sqrt(bn.runningVar().toDoubleArray()[1] + 1e-5);
        assertEquals(want, ye.get(0, 1, 2, 3), 1e-12);
        model.train();
        assertTrue(bn.isTraining());
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(DType.F64, 4, 3, 5)));
        assertTrue(e.getMessage().contains("BatchNorm2d") && e.getMessage().contains("[4, 3, 5]"), e.getMessage());
        BatchNorm1d bn1 = new BatchNorm1d(2);
        assertArrayEquals(new int[] {3, 2}, bn1.forward(Tensor.randn(r, 3, 2)).shape());
        assertArrayEquals(new int[] {3, 2, 7}, bn1.forward(Tensor.randn(r, 3, 2, 7)).shape());
        e = assertThrows(IllegalArgumentException.class, () -> bn1.forward(Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("num_features = 2") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    @Test
    void layerAndGroupNormModules() {
        SplittableRandom r = new SplittableRandom(3);
        LayerNorm ln = new LayerNorm(new int[] {4, 5}, 1e-5, true, DType.F64);
        assertArrayEquals(new int[] {4, 5}, ln.weight().shape());
        Tensor x = Tensor.randn(r, DType.F64, 2, 4, 5);
        assertArrayEquals(x.layerNorm(new int[] {4, 5}, null, null, 1e-5).toDoubleArray(),
                ln.forward(x).toDoubleArray(), 1e-15);
        GroupNorm gn = new GroupNorm(2, 4, 1e-5, true, DType.F64);
        Tensor g = Tensor.randn(r, DType.F64, 1, 4, 3);
        assertArrayEquals(g.groupNorm(2, null, null, 1e-5).toDoubleArray(), gn.forward(g).toDoubleArray(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> gn.forward(Tensor.zeros(DType.F64, 1, 6, 3)));
        assertTrue(e.getMessage().contains("GroupNorm") && e.getMessage().contains("[1, 6, 3]"), e.getMessage());
    }

    @Test
    void embeddingModule() {
        Embedding emb = new Embedding(6, 3, 2, new SplittableRandom(9), DType.F64);
        assertArrayEquals(new double[3], emb.weight().narrow(0, 2, 1).toDoubleArray(), "padding row starts at zero");
        Tensor y = emb.forward(Indices.of(new long[] {2, 5, 2, 0}, 2, 2)).retain();
        assertArrayEquals(new int[] {2, 2, 3}, y.shape());
        y.sum().backward();
        double[] g = emb.weight().grad().toDoubleArray();
        assertArrayEquals(new double[] {1, 1, 1, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(g, 9));
        assertArrayEquals(new double[] {1, 1, 1}, java.util.Arrays.copyOfRange(g, 15, 18));
        assertArrayEquals(y.narrow(0, 1, 1).toDoubleArray(),
                emb.forward(Tensor.fromArray(new double[] {2, 0}, 1, 2)).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(0.5)));
        var e = assertThrows(IllegalArgumentException.class, () -> emb.forward(Indices.of(6L)));
        assertTrue(e.getMessage().contains("index 6") && e.getMessage().contains("size 6"), e.getMessage());
    }

    @Test
    void activationModulesMatchTheTensorMethods() {
        Tensor x = Tensor.randn(new SplittableRandom(4), DType.F64, 2, 3, 4);
        assertArrayEquals(x.elu(0.5).toDoubleArray(), new ELU(0.5).forward(x).toDoubleArray());
        assertArrayEquals(x.selu().toDoubleArray(), new SELU().forward(x).toDoubleArray());
        assertArrayEquals(x.softplus(2, 5).toDoubleArray(), new Softplus(2, 5).forward(x).toDoubleArray());
        assertArrayEquals(x.silu().toDoubleArray(), new SiLU().forward(x).toDoubleArray());
        assertArrayEquals(x.softsign().toDoubleArray(), new Softsign().forward(x).toDoubleArray());
        assertArrayEquals(x.mish().toDoubleArray(), new Mish().forward(x).toDoubleArray());
        assertArrayEquals(x.hardtanh(-0.5, 0.5).toDoubleArray(), new Hardtanh(-0.5, 0.5).forward(x).toDoubleArray());
        PReLU pr = new PReLU(3, 0.25, DType.F64);
        assertEquals(List.of("weight"), List.copyOf(pr.namedParameters().keySet()));
        double[] y = pr.forward(x).toDoubleArray();
        double[] xv = x.toDoubleArray();
        for (int i = 0; i < xv.length; i++) {
            assertEquals(xv[i] > 0 ? xv[i] : 0.25 * xv[i], y[i], 0);
        }
        // a few spot values against PyTorch's formulas
        Tensor t = Tensor.of(-2.0, 0.5, 30.0);
        assertArrayEquals(new double[] {Math.expm1(-2), 0.5, 30}, t.elu().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {Math.log1p(Math.exp(-2)), Math.log1p(Math.exp(0.5)), 30},
                t.softplus().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-2 / 3.0, 0.5 / 1.5, 30 / 31.0}, t.softsign().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-2 * Math.tanh(Math.log1p(Math.exp(-2))), 0.5 * Math.tanh(Math.log1p(Math.exp(0.5))),
                30}, t.mish().toDoubleArray(), 1e-14);
    }

    @Test
    void dropoutWorksOnAnyShapeAndHonoursEval() {
        long seed = 21;
        for (int[] dims : new int[][] {{}, {7}, {2, 3, 4, 5}, {1, 1, 3}}) {
            Tensor x = Tensor.ones(DType.F64, dims).requiresGrad(true);
            Dropout d = new Dropout(0.4, new SplittableRandom(seed));
            Tensor y = d.forward(x).retain();
            assertArrayEquals(dims, y.shape());
            for (double v : y.toDoubleArray()) {
                assertTrue(v == 0 || Math.abs(v - 1 / 0.6) < 1e-12, "seed " + seed + ": " + v);
            }
            y.sum().backward();
            assertArrayEquals(y.toDoubleArray(), x.grad().toDoubleArray(), "the gradient is the mask");
            d.eval();
            assertTrue(d.forward(x) == x);
        }
        // a transposed (non-contiguous) input
        Tensor xt = Tensor.ones(DType.F64, 3, 4).t();
        Tensor yt = new Dropout(0.5, new SplittableRandom(seed)).forward(xt);
        assertArrayEquals(new int[] {4, 3}, yt.shape());
    }

    @Test
    void warmTrainingStepAllocatesNoNativeMemory() {
        SplittableRandom r = new SplittableRandom(8);
        Embedding emb = new Embedding(20, 8, 0, r, DType.F32);
        Sequential net = new Sequential(new LayerNorm(8), new Linear(8, 6, true, r, DType.F32), new BatchNorm1d(6),
                new Mish(), new Dropout(0.2, r), new PReLU(), new Linear(6, 4, true, r, DType.F32));
        Sequential conv = new Sequential(new GroupNorm(2, 4), new BatchNorm2d(4), new SiLU(), new ELU(), new Softplus());
        Indices idx = Indices.of(new long[] {1, 4, 0, 19, 7}, 5);
        Tensor img = Tensor.randn(r, 3, 4, 5, 5);
        long warm = 0;
        for (int step = 0; step < 12; step++) {
            if (step == 3) {
                warm = Tensor.nativeBytesAllocated();
            }
            emb.zeroGrad();
            net.zeroGrad();
            conv.zeroGrad();
            Tensor loss = net.forward(emb.forward(idx)).square().mean().add(conv.forward(img).mean());
            loss.backward();
            try (var _ = Tensor.noGrad()) {
                for (Tensor p : net.parameters()) {
                    p.add_(p.grad(), -0.01);
                }
            }
            loss.item();
        }
        assertEquals(warm, Tensor.nativeBytesAllocated(), "native bytes allocated by warm steps");
    }

    @Test
    void runningStatsAreBuffersInTheStateDict() {
        Sequential a = new Sequential(new BatchNorm1d(3, 1e-5, 0.1, true, true, DType.F64));
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(a.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "0.running_mean", "0.running_var"),
                List.copyOf(a.stateDict().keySet()));
        a.forward(Tensor.randn(new SplittableRandom(2), DType.F64, 5, 3));
        Sequential b = new Sequential(new BatchNorm1d(3, 1e-5, 0.1, true, true, DType.F64));
        b.loadStateDict(a.stateDict());
        BatchNorm1d bn = (BatchNorm1d) b.children().get(0);
        BatchNorm1d an = (BatchNorm1d) a.children().get(0);
        assertArrayEquals(an.runningMean().toDoubleArray(), bn.runningMean().toDoubleArray());
        assertArrayEquals(an.runningVar().toDoubleArray(), bn.runningVar().toDoubleArray());
        assertNotEquals(0, bn.runningMean().toDoubleArray()[0]);
        var bad = new java.util.LinkedHashMap<>(a.stateDict());
        bad.remove("0.running_var");
        var e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
        assertTrue(e.getMessage().contains("0.running_var"), e.getMessage());
    }
}
