package io.vecgrad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The composed layers (convolution, transposed convolution, pooling, LSTM) against direct
 * nested-loop definitions, and the convolution's weight gradient against central differences
 * in float64.
 */
class VgLayersTest {

    /** Naive conv2d: x (N, C, H, W), w (O, C/g, KH, KW). */
    static double[] naiveConv(double[] x, int n, int c, int h, int wd, double[] w, int o, int kh, int kw,
                              int s, int p, int dil, int groups, int oh, int ow) {
        double[] out = new double[n * o * oh * ow];
        int cg = c / groups;
        int og = o / groups;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = 0;
                        for (int ic = 0; ic < cg; ic++) {
                            for (int a = 0; a < kh; a++) {
                                for (int bb = 0; bb < kw; bb++) {
                                    int y = i * s - p + a * dil;
                                    int xx = j * s - p + bb * dil;
                                    if (y >= 0 && y < h && xx >= 0 && xx < wd) {
                                        acc += x[((b * c + g * cg + ic) * h + y) * wd + xx]
                                                * w[((oc * cg + ic) * kh + a) * kw + bb];
                                    }
                                }
                            }
                        }
                        out[((b * o + oc) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return out;
    }

    static double[] rand(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    @Test
    void conv2dMatchesTheDefinition() {
        long seed = 20261202L;
        System.out.println("VgLayersTest seed " + seed);
        Random r = new Random(seed);
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 2;
            int c = 4;
            int h = 7;
            int wd = 6;
            int o = 6;
            int groups = 2;
            int k = 3;
            int s = 2;
            int p = 1;
            int dil = 2;
            int oh = (h + 2 * p - dil * (k - 1) - 1) / s + 1;
            int ow = (wd + 2 * p - dil * (k - 1) - 1) / s + 1;
            double[] x = rand(r, n * c * h * wd);
            double[] w = rand(r, o * (c / groups) * k * k);
            NDArray xa = m.create(x, new Shape(n, c, h, wd));
            NDArray wa = m.create(w, new Shape(o, c / groups, k, k));
            NDArray y = xa.getNDArrayInternal().convolution(xa, wa, null, new Shape(s, s), new Shape(p, p),
                    new Shape(dil, dil), groups).singletonOrThrow();
            assertEquals(new Shape(n, o, oh, ow), y.getShape());
            assertArrayEquals(naiveConv(x, n, c, h, wd, w, o, k, k, s, p, dil, groups, oh, ow), y.toDoubleArray(),
                    1e-9);
        }
    }

    @Test
    void transposedConvolutionIsTheAdjointOfConvolution() {
        // <conv(x, w), y> == <x, convT(y, w)> for every x, y (stride 2, padding 1)
        Random r = new Random(7);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(rand(r, 1 * 3 * 6 * 5), new Shape(1, 3, 6, 5));
            NDArray w = m.create(rand(r, 4 * 3 * 3 * 3), new Shape(4, 3, 3, 3));
            Shape st = new Shape(2, 2);
            Shape pd = new Shape(1, 1);
            NDArray cx = x.getNDArrayInternal().convolution(x, w, null, st, pd, new Shape(1, 1), 1).head();
            NDArray y = m.create(rand(r, (int) cx.getShape().size()), cx.getShape());
            NDArray ty = y.getNDArrayInternal().deconvolution(y, w, null, st, pd, new Shape(1, 0), new Shape(1, 1), 1)
                    .head();
            assertEquals(x.getShape(), ty.getShape());
            assertEquals(cx.mul(y).sum().getDouble(), x.mul(ty).sum().getDouble(), 1e-9);
        }
    }

    @Test
    void convolutionWeightGradientMatchesCentralDifferences() {
        Random r = new Random(11);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(rand(r, 2 * 2 * 5 * 5), new Shape(2, 2, 5, 5));
            double[] wv = rand(r, 3 * 2 * 2 * 2);
            NDArray w = m.create(wv, new Shape(3, 2, 2, 2));
            NDArray coef = m.create(rand(r, 2 * 3 * 2 * 2), new Shape(2, 3, 2, 2));
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = x.getNDArrayInternal().convolution(x, w, null, new Shape(2, 2), new Shape(0, 0),
                        new Shape(1, 1), 1).head();
                gc.backward(y.mul(coef).sum());
            }
            double[] g = w.getGradient().toDoubleArray();
            double eps = 1e-6;
            for (int i = 0; i < wv.length; i++) {
                double[] plus = wv.clone();
                double[] minus = wv.clone();
                plus[i] += eps;
                minus[i] -= eps;
                double fp = loss(m, x, plus, coef);
                double fm = loss(m, x, minus, coef);
                assertEquals((fp - fm) / (2 * eps), g[i], 1e-6, "d/dw[" + i + "]");
            }
        }
    }

    private static double loss(NDManager m, NDArray x, double[] w, NDArray coef) {
        NDArray wa = m.create(w, new Shape(3, 2, 2, 2));
        return x.getNDArrayInternal().convolution(x, wa, null, new Shape(2, 2), new Shape(0, 0), new Shape(1, 1), 1)
                .head().mul(coef).sum().getDouble();
    }

    @Test
    void poolingMatchesTheDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[25];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i * 7) % 11;
            }
            NDArray x = m.create(v, new Shape(1, 1, 5, 5));
            // 3x3 max, stride 2, padding 1: windows centred on rows/cols 0, 2, 4
            NDArray mx = x.getNDArrayInternal().maxPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
            float[] expect = new float[9];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    for (int a = -1; a <= 1; a++) {
                        for (int b = -1; b <= 1; b++) {
                            int y = 2 * i + a;
                            int z = 2 * j + b;
                            if (y >= 0 && y < 5 && z >= 0 && z < 5) {
                                best = Math.max(best, v[y * 5 + z]);
                            }
                        }
                    }
                    expect[i * 3 + j] = best;
                }
            }
            assertArrayEquals(expect, mx.toFloatArray());
            // 2x2 average without padding, ceil mode: the last window holds one column/row
            NDArray av = x.getNDArrayInternal().avgPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true, false);
            assertEquals(new Shape(1, 1, 3, 3), av.getShape());
            assertEquals((v[24]), av.toFloatArray()[8], 1e-6);
            assertEquals((v[0] + v[1] + v[5] + v[6]) / 4, av.toFloatArray()[0], 1e-6);
        }
    }

    @Test
    void lstmMatchesAStepByStepDefinition() {
        Random r = new Random(3);
        try (NDManager m = NDManager.newBaseManager()) {
            int t = 3;
            int b = 2;
            int f = 3;
            int hd = 2;
            NDArray x = m.create(rand(r, t * b * f), new Shape(t, b, f)).toType(DataType.FLOAT64, false);
            double[] wih = rand(r, 4 * hd * f);
            double[] whh = rand(r, 4 * hd * hd);
            NDList params = new NDList(m.create(wih, new Shape(4 * hd, f)), m.create(whh, new Shape(4 * hd, hd)));
            NDArray h0 = m.zeros(new Shape(1, b, hd), DataType.FLOAT64);
            NDList out = x.getNDArrayInternal().lstm(x, new NDList(h0, h0.duplicate()), params, false, 1, 0, false,
                    false, false);
            double[] xv = x.toDoubleArray();
            double[] h = new double[b * hd];
            double[] c = new double[b * hd];
            double[] y = out.get(0).toDoubleArray();
            for (int s = 0; s < t; s++) {
                double[] nh = new double[b * hd];
                for (int bi = 0; bi < b; bi++) {
                    for (int u = 0; u < hd; u++) {
                        double[] gate = new double[4];
                        for (int q = 0; q < 4; q++) {
                            double acc = 0;
                            for (int k = 0; k < f; k++) {
                                acc += wih[(q * hd + u) * f + k] * xv[(s * b + bi) * f + k];
                            }
                            for (int k = 0; k < hd; k++) {
                                acc += whh[(q * hd + u) * hd + k] * h[bi * hd + k];
                            }
                            gate[q] = acc;
                        }
                        double in = 1 / (1 + Math.exp(-gate[0]));
                        double fg = 1 / (1 + Math.exp(-gate[1]));
                        double g = Math.tanh(gate[2]);
                        double o = 1 / (1 + Math.exp(-gate[3]));
                        c[bi * hd + u] = fg * c[bi * hd + u] + in * g;
                        nh[bi * hd + u] = o * Math.tanh(c[bi * hd + u]);
                    }
                }
                h = nh;
                for (int i = 0; i < b * hd; i++) {
                    assertEquals(h[i], y[s * b * hd + i], 1e-12, "step " + s);
                }
            }
            assertArrayEquals(h, out.get(1).toDoubleArray(), 1e-12);
            assertArrayEquals(c, out.get(2).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void multiBoxPriorAnchorsFollowTheSsdDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray fmap = m.zeros(new Shape(1, 1, 2, 2));
            NDArray a = fmap.getNDArrayInternal().multiBoxPrior(java.util.List.of(0.5f), java.util.List.of(1f, 4f),
                    java.util.List.of(-1f, -1f), java.util.List.of(0.5f, 0.5f), false).head();
            assertEquals(new Shape(1, 8, 4), a.getShape());
            float[] v = a.toFloatArray();
            // pixel (0, 0), centre (0.25, 0.25): size 0.5 ratio 1, then size 0.5 ratio 4 (w x2, h /2)
            assertArrayEquals(new float[] {0, 0, 0.5f, 0.5f, -0.25f, 0.125f, 0.75f, 0.375f},
                    java.util.Arrays.copyOf(v, 8), 1e-6f);
        }
    }
}
