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

/**
 * f64 gradient checks ({@link GradCheck}: the VJP identity plus the full Jacobian for small
 * inputs) of the normalization, embedding and activation ops at awkward sizes — a batch of 1,
 * odd sizes, groups = channels, one slope or one per channel — with inputs kept away from the
 * kinks; plus the Tensor-level error messages. The seed is printed in every failure.
 */
class NormActivationGradTest {
    private static final long SEED = new SplittableRandom().nextLong();

    private static Tensor rnd(SplittableRandom r, double shift, int... dims) {
        return Tensor.randn(r, DType.F64, dims).add(shift).requiresGrad(true);
    }

    /** Values at least {@code gap} away from each kink. */
    private static Tensor awayFrom(SplittableRandom r, double gap, double[] kinks, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double x;
            boolean ok;
            do {
                x = r.nextDouble(-3, 3);
                ok = true;
                for (double k : kinks) {
                    ok &= Math.abs(x - k) > gap;
                }
            } while (!ok);
            v[i] = x;
        }
        return Tensor.fromArray(v, dims).requiresGrad(true);
    }

    private static void check(String what, GradCheck.Fn f, Tensor... in) {
        GradCheck.Result res = GradCheck.check(f, 1e-6, 1e-6, 1e-4, SEED, in);
        assertTrue(res.ok(), "seed=" + SEED + " " + what + ": " + res.detail());
    }

    @Test
    void batchNormTrainingAndEvaluation() {
        SplittableRandom r = new SplittableRandom(SEED);
        for (int[] dims : new int[][] {{1, 3, 5}, {4, 3}, {2, 3, 3, 5}, {3, 1, 1}}) {
            int c = dims[1];
            Tensor x = rnd(r, 1, dims);
            Tensor w = rnd(r, 0, c);
            Tensor b = rnd(r, 0, c);
            Tensor rm = Tensor.zeros(DType.F64, c);
            Tensor rv = Tensor.ones(DType.F64, c);
            String d = java.util.Arrays.toString(dims);
            check("batch_norm train " + d, in -> in[0].batchNorm(rm, rv, in[1], in[2], true, 0.1, 1e-5), x, w, b);
            check("batch_norm train no affine " + d, in -> in[0].batchNorm(null, null, null, null, true, 0.1, 1e-5), x);
            Tensor rv2 = Tensor.randn(r, DType.F64, c).abs().add(0.5);
            check("batch_norm eval " + d, in -> in[0].batchNorm(rm, rv2, in[1], in[2], false, 0.1, 1e-5), x, w, b);
        }
    }

    @Test
    void layerNormAndGroupNorm() {
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor x = rnd(r, 2, 1, 7);
        Tensor w = rnd(r, 0, 7);
        Tensor b = rnd(r, 0, 7);
        check("layer_norm [1,7]", in -> in[0].layerNorm(new int[] {7}, in[1], in[2], 1e-5), x, w, b);
        Tensor x3 = rnd(r, 0, 2, 3, 5);
        Tensor w2 = rnd(r, 0, 3, 5);
        Tensor b2 = rnd(r, 0, 3, 5);
        check("layer_norm [2,3,5] over [3,5]", in -> in[0].layerNorm(new int[] {3, 5}, in[1], in[2], 1e-5), x3, w2, b2);
        check("layer_norm no affine", in -> in[0].layerNorm(new int[] {5}, null, null, 1e-5), x3);
        for (int[] spec : new int[][] {{1, 4, 4, 3}, {2, 6, 3, 5}, {1, 6, 1, 7}, {3, 2, 2, 1}}) {
            int n = spec[0];
            int c = spec[1];
            int groups = spec[2];
            Tensor gx = rnd(r, 0.5, n, c, spec[3]);
            Tensor gw = rnd(r, 0, c);
            Tensor gb = rnd(r, 0, c);
            check("group_norm " + java.util.Arrays.toString(spec),
                    in -> in[0].groupNorm(groups, in[1], in[2], 1e-5), gx, gw, gb);
        }
    }

    @Test
    void activations() {
        SplittableRandom r = new SplittableRandom(SEED);
        double[] zero = {0};
        check("elu(0.7)", in -> in[0].elu(0.7), awayFrom(r, 1e-3, zero, 3, 5));
        check("selu", in -> in[0].selu(), awayFrom(r, 1e-3, zero, 1, 7));
        check("softplus(2, 3)", in -> in[0].softplus(2, 3), awayFrom(r, 1e-3, new double[] {1.5}, 2, 9));
        check("softplus()", in -> in[0].softplus(), awayFrom(r, 0, zero, 11));
        check("silu", in -> in[0].silu(), awayFrom(r, 0, zero, 3, 3));
        check("softsign", in -> in[0].softsign(), awayFrom(r, 1e-3, zero, 13));
        check("mish", in -> in[0].mish(), awayFrom(r, 0, zero, 2, 5));
        check("hardtanh(-0.5, 0.8)", in -> in[0].hardtanh(-0.5, 0.8), awayFrom(r, 1e-3, new double[] {-0.5, 0.8}, 17));
        Tensor x = awayFrom(r, 1e-3, zero, 2, 3, 4);
        check("prelu per channel", in -> in[0].prelu(in[1]), x, rnd(r, 0.25, 3));
        check("prelu one slope", in -> in[0].prelu(in[1]), x, rnd(r, 0.25, 1));
        check("prelu 1-D input", in -> in[0].prelu(in[1]), awayFrom(r, 1e-3, zero, 5), rnd(r, 0.25, 1));
    }

    @Test
    void hardtanhGradientIsZeroAtTheBoundsAsPyTorch() {
        Tensor x = Tensor.of(-1.0, -0.5, 1.0, 2.0).requiresGrad(true);
        x.hardtanh().sum().backward();
        assertArrayEquals(new double[] {0, 1, 0, 0}, x.grad().toDoubleArray());
        Tensor e = Tensor.of(-1.0, 0.0, 2.0).requiresGrad(true);
        e.elu(0.5).sum().backward();
        assertArrayEquals(new double[] {0.5 * Math.exp(-1), 0.5, 1}, e.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void embeddingGradientSumsPerIndexAndSkipsPadding() {
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor w = rnd(r, 0, 5, 3);
        Indices idx = Indices.of(new long[] {4, 0, 4, 2, 1, 4}, 2, 3);
        check("embedding", in -> Tensor.embedding(idx, in[0]), w);
        // padding_idx deliberately breaks the true derivative (PyTorch), so it is checked by value
        Tensor y = Tensor.embedding(idx, w, 0);
        assertArrayEquals(new int[] {2, 3, 3}, y.shape());
        y.sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 3, 3, 3}, w.grad().toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.embedding(Indices.of(new long[] {1, 5}, 2), w));
        assertTrue(e.getMessage().contains("embedding") && e.getMessage().contains("index 5")
                && e.getMessage().contains("size 5"), e.getMessage());
    }

    @Test
    void shapeOpsGradients() {
        SplittableRandom r = new SplittableRandom(SEED);
        Tensor x = rnd(r, 0, 2, 3, 1, 5);
        check("flatten(1, 2)", in -> in[0].flatten(1, 2), x);
        assertArrayEquals(new int[] {2, 15}, x.flatten(1, -1).shape());
        assertArrayEquals(new int[] {30}, x.flatten(0, -1).shape());
        assertArrayEquals(new int[] {1}, Tensor.scalar(DType.F64, 2).flatten(0, -1).shape());
        assertThrows(IllegalArgumentException.class, () -> x.flatten(2, 1));
        Tensor a = rnd(r, 0, 2, 3);
        Tensor b = rnd(r, 0, 1, 3);
        check("concat", in -> Tensor.concat(0, in[0], in[1]), a, b);
        check("stack", in -> Tensor.stack(1, in[0], in[0].mul(2)), a);
        check("index_select", in -> in[0].indexSelect(1, Indices.of(2, 0, 2)), a);
        check("gather", in -> in[0].gather(1, Indices.of(new long[] {0, 2, 1, 1}, 2, 2)), a);
    }

    @Test
    void badInputNamesOpAndShapesAndLeavesRunningStatsAlone() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3, 4).requiresGrad(true);
        Tensor rm = Tensor.zeros(DType.F32, 3);
        Tensor rv = Tensor.ones(DType.F32, 3);
        Tensor w4 = Tensor.ones(DType.F32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.batchNorm(rm, rv, w4, null, true, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("batch_norm") && e.getMessage().contains("[4]"), e.getMessage());
        assertArrayEquals(new double[] {1, 1, 1}, rv.toDoubleArray());
        e = assertThrows(IllegalArgumentException.class, () -> x.groupNorm(2, null, null, 1e-5));
        assertTrue(e.getMessage().contains("group_norm") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.layerNorm(new int[] {3}, null, null, 1e-5));
        assertTrue(e.getMessage().contains("layer_norm") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.prelu(Tensor.ones(DType.F32, 4)));
        assertTrue(e.getMessage().contains("prelu") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.batchNorm(null, null, null, null, false, 0.1, 1e-5));
        assertTrue(e.getMessage().contains("running_mean"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.hardtanh(1, -1));
        assertThrows(IllegalArgumentException.class, () -> x.softplus(0, 20));
        assertNull(x.grad());
    }

    @Test
    void batchNormRunningStatsFollowPyTorchsRule() {
        Tensor x = Tensor.fromArray(new double[] {1, 2, 3, 5}, 4, 1);
        Tensor rm = Tensor.zeros(DType.F64, 1);
        Tensor rv = Tensor.ones(DType.F64, 1);
        Tensor y = x.batchNorm(rm, rv, null, null, true, 0.1, 0);
        // mean 2.75, biased var 2.1875, unbiased 2.9166...
        assertEquals(0.1 * 2.75, rm.item(), 1e-15);
        assertEquals(0.9 + 0.1 * 2.1875 * 4 / 3, rv.item(), 1e-15);
        assertEquals((1 - 2.75) / Math.sqrt(2.1875), y.get(0, 0), 1e-14);
        Tensor ye = x.batchNorm(rm, rv, null, null, false, 0.1, 0);
        assertEquals((5 - rm.item()) / Math.sqrt(rv.item()), ye.get(3, 0), 1e-14);
        assertFalse(ye.requiresGrad());
    }
}
