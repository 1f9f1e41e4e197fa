package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The normalization facade against plain float64 loops (the definition), the vector kernels
 * against their scalar twin at awkward sizes (1, odd, around and above the vector width), and
 * the facade's checks: a bad input throws naming the op and the shapes before anything —
 * output, saved statistics, running statistics — is written. Every message carries the seed.
 */
class NormalizationTest {
    private static final Normalization SCALAR = Normalization.of(Normalization.scalarKernels());
    private static final Normalization VECTOR = vectorOrScalar();

    private static Normalization vectorOrScalar() {
        try {
            return Normalization.of(Normalization.vectorKernels());
        } catch (IllegalStateException e) {
            return SCALAR; // no vector module: the comparison degenerates, the definition tests still run
        }
    }

    private static Buffer rnd(SplittableRandom r, DType dt, double shift, int... dims) {
        Buffer b = Buffer.zeros(dt, dims);
        double[] v = new double[Math.toIntExact(b.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + r.nextGaussian();
        }
        return b.copyFrom(v);
    }

    private static Buffer zeros(DType dt, int... dims) {
        return Buffer.zeros(dt, dims);
    }

    private static void close(String ctx, double[] want, double[] got, double tol) {
        assertTrue(want.length == got.length, ctx + ": lengths " + want.length + " vs " + got.length);
        double scale = 1;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            if (!(err <= tol * (Math.abs(want[i]) + scale))) {
                throw new AssertionError(ctx + " at " + i + ": want " + want[i] + " got " + got[i] + " (tol " + tol + ")");
            }
        }
    }

    private static double tol(DType dt) {
        return dt == DType.F32 ? 2e-6 : 1e-12;
    }

    // ----------------------------------------------------------- definitions in plain doubles

    /** Batch norm forward by definition over [N, C, S]; returns y, mean, biased var. */
    private static double[][] batchNormRef(double[] x, int n, int c, int s, double[] w, double[] b, double eps) {
        double[] y = new double[x.length];
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int a = 0; a < n; a++) {
                for (int i = 0; i < s; i++) {
                    sum += x[(a * c + ch) * s + i];
                }
            }
            double m = sum / (n * s);
            double q = 0;
            for (int a = 0; a < n; a++) {
                for (int i = 0; i < s; i++) {
                    double d = x[(a * c + ch) * s + i] - m;
                    q += d * d;
                }
            }
            double v = q / (n * s);
            mean[ch] = m;
            var[ch] = v;
            for (int a = 0; a < n; a++) {
                for (int i = 0; i < s; i++) {
                    int k = (a * c + ch) * s + i;
                    y[k] = (x[k] - m) / Math.sqrt(v + eps) * w[ch] + b[ch];
                }
            }
        }
        return new double[][] {y, mean, var};
    }

    @Test
    void batchNormTrainMatchesDefinitionAndUpdatesRunningStatsInPlace() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        for (DType dt : DType.values()) {
            for (int[] dims : new int[][] {{1, 3, 5}, {4, 3}, {2, 5, 3, 7}, {3, 2, 33}}) {
                int n = dims[0];
                int c = dims[1];
                int s = Math.toIntExact(Arrays.stream(dims).asLongStream().reduce(1, (p, q) -> p * q) / n / c);
                String ctx = "seed=" + seed + " dt=" + dt + " dims=" + Arrays.toString(dims);
                Buffer x = rnd(r, dt, 3, dims); // a shifted mean: the two-pass variance must not cancel
                Buffer w = rnd(r, dt, 0, c);
                Buffer b = rnd(r, dt, 0, c);
                Buffer rm = rnd(r, dt, 0, c);
                Buffer rv = rnd(r, dt, 2, c);
                double[] rm0 = rm.toDoubleArray();
                double[] rv0 = rv.toDoubleArray();
                Buffer y = zeros(dt, dims);
                Buffer mean = zeros(dt, c);
                Buffer rstd = zeros(dt, c);
                Buffer var = zeros(dt, c);
                double momentum = 0.3;
                Normalization.get().batchNormTrain(x, w, b, rm, rv, momentum, 1e-5, y, mean, rstd, var);
                double[][] ref = batchNormRef(x.toDoubleArray(), n, c, s, w.toDoubleArray(), b.toDoubleArray(), 1e-5);
                close(ctx + " y", ref[0], y.toDoubleArray(), tol(dt) * 10);
                close(ctx + " mean", ref[1], mean.toDoubleArray(), tol(dt));
                close(ctx + " var", ref[2], var.toDoubleArray(), tol(dt) * 10);
                double[] wantRm = new double[c];
                double[] wantRv = new double[c];
                int count = n * s;
                for (int i = 0; i < c; i++) {
                    wantRm[i] = (1 - momentum) * rm0[i] + momentum * ref[1][i];
                    wantRv[i] = (1 - momentum) * rv0[i] + momentum * ref[2][i] * count / (count - 1);
                }
                close(ctx + " running_mean", wantRm, rm.toDoubleArray(), tol(dt) * 10);
                close(ctx + " running_var", wantRv, rv.toDoubleArray(), tol(dt) * 10);
            }
        }
    }

    @Test
    void vectorKernelsAgreeWithScalarTwin() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        for (DType dt : DType.values()) {
            for (int[] dims : new int[][] {{1, 1, 1}, {2, 3, 7}, {3, 4, 17}, {2, 6, 5, 5}, {5, 2, 64}, {1, 8, 1}}) {
                String ctx = "seed=" + seed + " dt=" + dt + " dims=" + Arrays.toString(dims) + " vector="
                        + VECTOR.kernels().name();
                int c = dims[1];
                Buffer x = rnd(r, dt, 1.5, dims);
                Buffer g = rnd(r, dt, 0, dims);
                Buffer w = rnd(r, dt, 0, c);
                Buffer b = rnd(r, dt, 0, c);
                // batch norm, training and evaluation statistics (training needs > 1 value per channel)
                boolean train = dims[0] * (x.size() / dims[0] / c) > 1;
                Buffer[] s = new Buffer[6];
                Buffer[] v = new Buffer[6];
                for (int k = 0; k < 2; k++) {
                    Normalization f = k == 0 ? SCALAR : VECTOR;
                    Buffer[] o = k == 0 ? s : v;
                    o[0] = zeros(dt, dims);
                    o[1] = zeros(dt, c);
                    o[2] = zeros(dt, c);
                    if (train) {
                        f.batchNormTrain(x, w, b, null, null, 0.1, 1e-5, o[0], o[1], o[2], zeros(dt, c));
                    } else {
                        Buffer rv = rnd(new SplittableRandom(seed), dt, 3, c);
                        Kernels.get().abs(rv, rv);
                        f.batchNormEval(x, w, b, b, rv, 1e-5, o[0], o[1], o[2]);
                    }
                    o[3] = zeros(dt, dims);
                    o[4] = zeros(dt, c);
                    o[5] = zeros(dt, c);
                    f.batchNormBackward(g, x, w, o[1], o[2], train, o[3], o[4], o[5]);
                }
                for (int i = 0; i < 6; i++) {
                    close(ctx + " batch_norm out " + i, s[i].toDoubleArray(), v[i].toDoubleArray(), tol(dt) * 20);
                }
                // group norm with groups = 1, channels (when it divides) and a middle value
                for (int groups : new int[] {1, c, c % 2 == 0 ? 2 : 1}) {
                    for (int k = 0; k < 2; k++) {
                        Normalization f = k == 0 ? SCALAR : VECTOR;
                        Buffer[] o = k == 0 ? s : v;
                        o[0] = zeros(dt, dims);
                        o[1] = zeros(dt, dims[0], groups);
                        o[2] = zeros(dt, dims[0], groups);
                        f.groupNorm(x, groups, w, b, 1e-5, o[0], o[1], o[2]);
                        o[3] = zeros(dt, dims);
                        o[4] = zeros(dt, c);
                        o[5] = zeros(dt, c);
                        f.groupNormBackward(g, x, groups, w, o[1], o[2], o[3], o[4], o[5]);
                    }
                    for (int i = 0; i < 6; i++) {
                        close(ctx + " group_norm(" + groups + ") out " + i, s[i].toDoubleArray(), v[i].toDoubleArray(),
                                tol(dt) * 20);
                    }
                }
                // layer norm over the last dim, with and without affine
                int[] ns = {dims[dims.length - 1]};
                int[] sd = Normalization.layerNormStatDims(dims, ns);
                for (boolean affine : new boolean[] {true, false}) {
                    Buffer lw = affine ? rnd(r, dt, 0, ns) : null;
                    Buffer lb = affine ? rnd(r, dt, 0, ns) : null;
                    for (int k = 0; k < 2; k++) {
                        Normalization f = k == 0 ? SCALAR : VECTOR;
                        Buffer[] o = k == 0 ? s : v;
                        o[0] = zeros(dt, dims);
                        o[1] = zeros(dt, sd);
                        o[2] = zeros(dt, sd);
                        f.layerNorm(x, ns, lw, lb, 1e-5, o[0], o[1], o[2]);
                        o[3] = zeros(dt, dims);
                        o[4] = zeros(dt, ns);
                        o[5] = zeros(dt, ns);
                        f.layerNormBackward(g, x, ns, lw, o[1], o[2], o[3], o[4], o[5]);
                    }
                    for (int i = 0; i < 6; i++) {
                        close(ctx + " layer_norm(affine=" + affine + ") out " + i, s[i].toDoubleArray(),
                                v[i].toDoubleArray(), tol(dt) * 20);
                    }
                }
            }
        }
    }

    @Test
    void badInputThrowsNamingOpAndShapesBeforeWritingAnything() {
        DType dt = DType.F64;
        SplittableRandom r = new SplittableRandom(7);
        Buffer x = rnd(r, dt, 0, 2, 3, 4);
        Buffer y = Buffer.zeros(dt, 2, 3, 4);
        Buffer rm = rnd(r, dt, 0, 3);
        Buffer rv = rnd(r, dt, 1, 3);
        double[] rm0 = rm.toDoubleArray();
        double[] rv0 = rv.toDoubleArray();
        Buffer mean = Buffer.zeros(dt, 3);
        Buffer rstd = Buffer.zeros(dt, 3);
        Buffer var = Buffer.zeros(dt, 3);
        Buffer badW = rnd(r, dt, 0, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.get().batchNormTrain(x, badW, null, rm, rv, 0.1, 1e-5, y, mean, rstd, var));
        assertTrue(e.getMessage().contains("batch_norm") && e.getMessage().contains("[4]")
                && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        assertArrayEquals(rm0, rm.toDoubleArray(), "running_mean untouched");
        assertArrayEquals(rv0, rv.toDoubleArray(), "running_var untouched");
        assertArrayEquals(new double[24], y.toDoubleArray(), "output untouched");
        assertArrayEquals(new double[3], mean.toDoubleArray(), "saved mean untouched");
        // one value per channel in training
        Buffer one = rnd(r, dt, 0, 1, 3);
        e = assertThrows(IllegalArgumentException.class, () -> Normalization.get().batchNormTrain(one, null, null,
                rm, rv, 0.1, 1e-5, Buffer.zeros(dt, 1, 3), mean, rstd, var));
        assertTrue(e.getMessage().contains("more than 1 value per channel") && e.getMessage().contains("[1, 3]"),
                e.getMessage());
        assertArrayEquals(rm0, rm.toDoubleArray(), "running_mean untouched");
        // group norm: channels not divisible
        e = assertThrows(IllegalArgumentException.class, () -> Normalization.get().groupNorm(x, 2, null, null, 1e-5,
                y, Buffer.zeros(dt, 2, 2), Buffer.zeros(dt, 2, 2)));
        assertTrue(e.getMessage().contains("group_norm") && e.getMessage().contains("num_groups 2"), e.getMessage());
        // layer norm: shape does not end with normalized_shape
        e = assertThrows(IllegalArgumentException.class, () -> Normalization.get().layerNorm(x, new int[] {3}, null,
                null, 1e-5, y, Buffer.zeros(dt, 2, 3), Buffer.zeros(dt, 2, 3)));
        assertTrue(e.getMessage().contains("layer_norm") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        // dtype mismatch
        Buffer w32 = Buffer.zeros(DType.F32, 3);
        e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.get().batchNormEval(x, w32, null, rm, rv, 1e-5, y, mean, rstd));
        assertTrue(e.getMessage().contains("f32") && e.getMessage().contains("f64"), e.getMessage());
        assertArrayEquals(new double[24], y.toDoubleArray(), "output untouched");
    }

    @Test
    void embeddingLookupAndScatterAdd() {
        Buffer w = Buffer.of(new double[] {0, 1, 10, 11, 20, 21}, 3, 2);
        Buffer out = Buffer.zeros(DType.F64, 4, 2);
        Embeddings.lookup(w, new long[] {2, 0, 2, 1}, out);
        assertArrayEquals(new double[] {20, 21, 0, 1, 20, 21, 10, 11}, out.toDoubleArray());
        Buffer g = Buffer.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        Buffer dw = Buffer.zeros(DType.F64, 3, 2);
        Embeddings.backward(g, new long[] {2, 0, 2, 1}, 1, dw); // row 1 is padding
        assertArrayEquals(new double[] {3, 4, 0, 0, 6, 8}, dw.toDoubleArray());
        Buffer before = Buffer.zeros(DType.F64, 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Embeddings.lookup(w, new long[] {0, 3}, before));
        assertTrue(e.getMessage().contains("embedding") && e.getMessage().contains("index 3")
                && e.getMessage().contains("size 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Embeddings.lookup(w, new long[] {-1}, before));
        assertArrayEquals(new double[8], before.toDoubleArray(), "nothing written");
    }
}
