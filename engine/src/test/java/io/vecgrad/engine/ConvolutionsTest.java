package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vecgrad.engine.Convolutions.ConvArgs;
import io.vecgrad.engine.Convolutions.PoolArgs;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Convolution and pooling through the checked facade, against plain nested-loop references
 * written here from the definitions (not from the kernels): random awkward geometries (odd
 * sizes, stride above the kernel, padding above half the kernel, dilation, groups = channels,
 * batch 1), f32 and f64, with the scalar and the vector kernels (GEMM and conv kernels alike).
 * The adjoint identities tie the three convolution passes together; bad arguments must throw an
 * {@link IllegalArgumentException} naming the op and shapes and leave the output untouched.
 */
class ConvolutionsTest {

    private static final long SEED = Long.getLong("vecgrad.test.seed", System.nanoTime());

    static {
        System.out.println("ConvolutionsTest seed: " + SEED + " (rerun with -Dvecgrad.test.seed=" + SEED + ")");
    }

    private static Convolutions[] facades() {
        return new Convolutions[] {
            Convolutions.of(Kernels.of(new ScalarKernelProvider()), Convolutions.scalarKernels()),
            Convolutions.of(Kernels.of(new VectorKernelProvider()), Convolutions.vectorKernels()),
        };
    }

    private static Buffer random(SplittableRandom r, DType dt, int... dims) {
        Buffer b = Buffer.zeros(dt, dims);
        double[] v = new double[Math.toIntExact(b.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return b.copyFrom(v);
    }

    /** A random convolution problem: x, weight dims and args. */
    private record Problem(int n, int c, int h, int w, int o, int kh, int kw, ConvArgs a) {}

    private static Problem problem(SplittableRandom r) {
        int groups = r.nextInt(1, 4);
        int cg = r.nextInt(1, 3);
        int og = r.nextInt(1, 3);
        int kh = r.nextInt(1, 4);
        int kw = r.nextInt(1, 4);
        int sh = r.nextInt(1, 4);
        int sw = r.nextInt(1, 4);
        int dh = r.nextInt(1, 3);
        int dw = r.nextInt(1, 3);
        int ph = r.nextInt(0, 4);
        int pw = r.nextInt(0, 4);
        int h = Math.max(r.nextInt(1, 10), dh * (kh - 1) + 1 - 2 * ph);
        int w = Math.max(r.nextInt(1, 10), dw * (kw - 1) + 1 - 2 * pw);
        return new Problem(r.nextInt(1, 3), groups * cg, h, w, groups * og, kh, kw,
                new ConvArgs("conv2d", sh, sw, ph, pw, dh, dw, groups, 0, 0));
    }

    /** The definition of conv2d (cross-correlation), in double. */
    private static double[] referenceConv(Problem p, double[] x, double[] wt, double[] bias, int oh, int ow) {
        ConvArgs a = p.a;
        int cg = p.c / a.groups();
        int og = p.o / a.groups();
        double[] y = new double[p.n * p.o * oh * ow];
        for (int n = 0; n < p.n; n++) {
            for (int o = 0; o < p.o; o++) {
                int g = o / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int c = 0; c < cg; c++) {
                            for (int u = 0; u < p.kh; u++) {
                                for (int v = 0; v < p.kw; v++) {
                                    int ih = i * a.strideH() - a.padH() + u * a.dilH();
                                    int iw = j * a.strideW() - a.padW() + v * a.dilW();
                                    if (ih >= 0 && ih < p.h && iw >= 0 && iw < p.w) {
                                        s += wt[((o * cg + c) * p.kh + u) * p.kw + v]
                                                * x[((n * p.c + g * cg + c) * p.h + ih) * p.w + iw];
                                    }
                                }
                            }
                        }
                        y[((n * p.o + o) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return y;
    }

    private static double dot(Buffer a, Buffer b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double scale = 1;
        for (double v : want) {
            scale = Double.isFinite(v) ? Math.max(scale, Math.abs(v)) : scale;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i] && !(Math.abs(want[i] - got[i]) <= tol * scale)) {
                fail(what + ": element " + i + " expected " + want[i] + " got " + got[i] + " (seed " + SEED + ")");
            }
        }
    }

    @Test
    void conv2dMatchesTheDefinitionAndItsAdjoints() {
        SplittableRandom r = new SplittableRandom(SEED);
        Workspace ws = new Workspace();
        for (int trial = 0; trial < 30; trial++) {
            Problem p = problem(r);
            for (DType dt : DType.values()) {
                double tol = dt == DType.F32 ? 2e-5 : 1e-12;
                for (Convolutions cv : facades()) {
                    String what = "trial " + trial + " " + dt + " " + cv.convKernels().name() + " " + p;
                    Buffer x = random(r, dt, p.n, p.c, p.h, p.w);
                    Buffer wt = random(r, dt, p.o, p.c / p.a.groups(), p.kh, p.kw);
                    Buffer b = trial % 2 == 0 ? random(r, dt, p.o) : null;
                    int[] od = Convolutions.conv2dDims(x.shape(), wt.shape(), p.a);
                    Buffer y = Buffer.zeros(dt, od);
                    cv.conv2d(x, wt, b, p.a, y, ws);
                    assertClose(referenceConv(p, x.toDoubleArray(), wt.toDoubleArray(),
                            b == null ? null : b.toDoubleArray(), od[2], od[3]), y.toDoubleArray(), tol, what);

                    // <conv(x), gy> = <x, dx(gy)> = <w, dw(gy)> (bias-free conv is bilinear)
                    Buffer gy = random(r, dt, od);
                    Buffer y0 = Buffer.zeros(dt, od);
                    cv.conv2d(x, wt, null, p.a, y0, ws);
                    Buffer gx = Buffer.zeros(dt, x.dims());
                    cv.conv2dBackwardInput(gy, wt, p.a, gx, ws);
                    Buffer gw = Buffer.zeros(dt, wt.dims());
                    cv.conv2dBackwardWeight(gy, x, p.a, gw, ws);
                    double lhs = dot(y0, gy);
                    double s = Math.max(1, Math.abs(lhs));
                    assertEquals(lhs, dot(x, gx), 50 * tol * s, what + ": input adjoint");
                    assertEquals(lhs, dot(wt, gw), 50 * tol * s, what + ": weight adjoint");

                    // conv_transpose2d(gy) is the input gradient of conv2d when the sizes round-trip
                    ConvArgs ta = new ConvArgs("conv_transpose2d", p.a.strideH(), p.a.strideW(), p.a.padH(), p.a.padW(),
                            p.a.dilH(), p.a.dilW(), p.a.groups(), 0, 0);
                    long th = (long) (od[2] - 1) * ta.strideH() - 2L * ta.padH() + (long) ta.dilH() * (p.kh - 1) + 1;
                    long tw = (long) (od[3] - 1) * ta.strideW() - 2L * ta.padW() + (long) ta.dilW() * (p.kw - 1) + 1;
                    if (th == p.h && tw == p.w) {
                        int[] td = Convolutions.convTranspose2dDims(gy.shape(), wt.shape(), ta);
                        Buffer t = Buffer.zeros(dt, td);
                        cv.convTranspose2d(gy, wt, null, ta, t, ws);
                        assertClose(gx.toDoubleArray(), t.toDoubleArray(), tol, what + ": transposed = input gradient");
                        Buffer tdx = Buffer.zeros(dt, gy.dims());
                        cv.convTranspose2dBackwardInput(t, wt, ta, tdx, ws);
                        Buffer tdw = Buffer.zeros(dt, wt.dims());
                        cv.convTranspose2dBackwardWeight(x, gy, ta, tdw, ws);
                        // <convT(gy), x> = <gy, conv(x)> and the weight gradient of convT is conv's with roles swapped
                        assertClose(gw.toDoubleArray(), tdw.toDoubleArray(), tol, what + ": transposed weight gradient");
                        assertEquals(dot(t, t), dot(gy, tdx), 50 * tol * Math.max(1, dot(t, t)), what + ": transposed adjoint");
                    }
                }
            }
        }
        assertEquals(0, ws.outstanding(), "every workspace buffer went back");
    }

    /**
     * Small maps are batched several images per GEMM ({@code MIN_GEMM_COLUMNS}); batches that do
     * not divide the image count leave a short last batch: 5 images of 7x7 (2 per GEMM), 5 images
     * with 4x4 outputs (4 per GEMM), and a 1x1 convolution (never batched: it reads x in place).
     */
    @Test
    void batchedSmallImagesMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(SEED + 3);
        Workspace ws = new Workspace();
        Problem[] ps = {
            new Problem(5, 4, 7, 7, 6, 3, 3, new ConvArgs("conv2d", 1, 1, 1, 1, 1, 1, 2, 0, 0)),
            new Problem(7, 6, 6, 5, 4, 1, 1, new ConvArgs("conv2d", 1, 1, 0, 0, 1, 1, 1, 0, 0)),
            new Problem(5, 3, 9, 9, 3, 3, 3, new ConvArgs("conv2d", 2, 2, 0, 0, 1, 1, 3, 0, 0)),
        };
        assertTrue(Convolutions.MIN_GEMM_COLUMNS > 49, "these maps are batched");
        for (Problem p : ps) {
            for (DType dt : DType.values()) {
                double tol = dt == DType.F32 ? 2e-5 : 1e-12;
                for (Convolutions cv : facades()) {
                    String what = dt + " " + cv.convKernels().name() + " " + p;
                    Buffer x = random(r, dt, p.n, p.c, p.h, p.w);
                    Buffer wt = random(r, dt, p.o, p.c / p.a.groups(), p.kh, p.kw);
                    Buffer b = random(r, dt, p.o);
                    int[] od = Convolutions.conv2dDims(x.shape(), wt.shape(), p.a);
                    Buffer y = Buffer.zeros(dt, od);
                    cv.conv2d(x, wt, b, p.a, y, ws);
                    assertClose(referenceConv(p, x.toDoubleArray(), wt.toDoubleArray(), b.toDoubleArray(), od[2], od[3]),
                            y.toDoubleArray(), tol, what);
                    // the gradients against image-by-image sums of the definition's adjoints
                    Buffer gy = random(r, dt, od);
                    Buffer gx = Buffer.zeros(dt, x.dims());
                    Buffer gw = Buffer.zeros(dt, wt.dims());
                    cv.conv2dBackwardInput(gy, wt, p.a, gx, ws);
                    cv.conv2dBackwardWeight(gy, x, p.a, gw, ws);
                    double[] dx = new double[Math.toIntExact(x.size())];
                    double[] dw = new double[Math.toIntExact(wt.size())];
                    double[] xv = x.toDoubleArray();
                    double[] wv = wt.toDoubleArray();
                    double[] gv = gy.toDoubleArray();
                    int cg = p.c / p.a.groups();
                    int og = p.o / p.a.groups();
                    for (int n = 0; n < p.n; n++) {
                        for (int o = 0; o < p.o; o++) {
                            for (int i = 0; i < od[2]; i++) {
                                for (int j = 0; j < od[3]; j++) {
                                    double gval = gv[((n * p.o + o) * od[2] + i) * od[3] + j];
                                    for (int c = 0; c < cg; c++) {
                                        for (int u = 0; u < p.kh; u++) {
                                            for (int v = 0; v < p.kw; v++) {
                                                int ih = i * p.a.strideH() - p.a.padH() + u;
                                                int iw = j * p.a.strideW() - p.a.padW() + v;
                                                if (ih >= 0 && ih < p.h && iw >= 0 && iw < p.w) {
                                                    int xi = ((n * p.c + o / og * cg + c) * p.h + ih) * p.w + iw;
                                                    int wi = ((o * cg + c) * p.kh + u) * p.kw + v;
                                                    dx[xi] += wv[wi] * gval;
                                                    dw[wi] += xv[xi] * gval;
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    assertClose(dx, gx.toDoubleArray(), tol, what + ": input gradient");
                    assertClose(dw, gw.toDoubleArray(), 4 * tol, what + ": weight gradient");
                }
            }
        }
        assertEquals(0, ws.outstanding());
    }

    // =================================================================================== pools

    private record PoolProblem(int n, int c, int h, int w, PoolArgs a) {}

    private static PoolProblem poolProblem(SplittableRandom r, boolean avg) {
        int kh = r.nextInt(1, 5);
        int kw = r.nextInt(1, 5);
        int dh = avg ? 1 : r.nextInt(1, 3);
        int dw = avg ? 1 : r.nextInt(1, 3);
        int ph = r.nextInt(0, kh / 2 + 1);
        int pw = r.nextInt(0, kw / 2 + 1);
        int sh = r.nextInt(1, 5);
        int sw = r.nextInt(1, 4) == 1 ? 1 : r.nextInt(1, 5); // stride 1 often: the vector path
        int h = Math.max(r.nextInt(1, 12), dh * (kh - 1) + 1 - 2 * ph);
        int w = Math.max(r.nextInt(1, 12), dw * (kw - 1) + 1 - 2 * pw);
        return new PoolProblem(r.nextInt(1, 3), r.nextInt(1, 4), h, w, new PoolArgs(avg ? "avg_pool2d" : "max_pool2d",
                kh, kw, sh, sw, ph, pw, dh, dw, r.nextBoolean(), r.nextBoolean()));
    }

    /** The definition: window values, first maximum / PyTorch's average divisor. */
    private static double[][] referencePool(PoolProblem p, boolean avg, double[] x, double[] gy, int oh, int ow) {
        PoolArgs a = p.a;
        double[] y = new double[p.n * p.c * oh * ow];
        double[] gx = new double[x.length];
        for (int pl = 0; pl < p.n * p.c; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int yi = (pl * oh + i) * ow + j;
                    double best = Double.NEGATIVE_INFINITY;
                    int arg = -1;
                    double sum = 0;
                    int count = 0;
                    for (int u = 0; u < a.kH(); u++) {
                        for (int v = 0; v < a.kW(); v++) {
                            int ih = i * a.strideH() - a.padH() + u * a.dilH();
                            int iw = j * a.strideW() - a.padW() + v * a.dilW();
                            if (ih >= 0 && ih < p.h && iw >= 0 && iw < p.w) {
                                int xi = (pl * p.h + ih) * p.w + iw;
                                if (x[xi] > best) {
                                    best = x[xi];
                                    arg = xi;
                                }
                                sum += x[xi];
                                count++;
                            }
                        }
                    }
                    if (avg) {
                        // include-pad divisor: the window clipped to the padded input
                        int h0 = i * a.strideH() - a.padH();
                        int w0 = j * a.strideW() - a.padW();
                        int div = a.countIncludePad()
                                ? (Math.min(h0 + a.kH(), p.h + a.padH()) - h0) * (Math.min(w0 + a.kW(), p.w + a.padW()) - w0)
                                : count;
                        y[yi] = count == 0 ? 0 : sum / div;
                        for (int u = 0; u < a.kH() && count > 0; u++) {
                            for (int v = 0; v < a.kW(); v++) {
                                int ih = h0 + u;
                                int iw = w0 + v;
                                if (ih >= 0 && ih < p.h && iw >= 0 && iw < p.w) {
                                    gx[(pl * p.h + ih) * p.w + iw] += gy[yi] / div;
                                }
                            }
                        }
                    } else {
                        y[yi] = best;
                        if (arg >= 0) {
                            gx[arg] += gy[yi];
                        }
                    }
                }
            }
        }
        return new double[][] {y, gx};
    }

    @Test
    void poolsMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        Workspace ws = new Workspace();
        for (int trial = 0; trial < 120; trial++) {
            boolean avg = trial % 2 == 1;
            PoolProblem p = poolProblem(r, avg);
            for (DType dt : DType.values()) {
                double tol = dt == DType.F32 ? 1e-5 : 1e-13;
                for (Convolutions cv : facades()) {
                    String what = "trial " + trial + " " + dt + " " + cv.convKernels().name() + " " + p;
                    Buffer x = random(r, dt, p.n, p.c, p.h, p.w);
                    if (!avg && trial % 4 == 0) { // ties: the gradient must go to the first maximum
                        x.copyFrom(java.util.Arrays.stream(x.toDoubleArray()).map(v -> Math.round(v * 2) / 2.0).toArray());
                    }
                    int[] od;
                    try {
                        od = Convolutions.pool2dDims(x.shape(), p.a);
                    } catch (IllegalArgumentException e) {
                        assertTrue(e.getMessage().contains(p.a.op()), e.getMessage());
                        continue; // a rejected geometry (output too small)
                    }
                    Buffer y = Buffer.zeros(dt, od);
                    Buffer gy = random(r, dt, od);
                    Buffer gx = Buffer.zeros(dt, x.dims());
                    if (avg) {
                        cv.avgPool2d(x, p.a, y, ws);
                        cv.avgPool2dBackward(gy, p.a, gx, ws);
                    } else {
                        cv.maxPool2d(x, p.a, y, ws);
                        cv.maxPool2dBackward(x, gy, p.a, gx, ws);
                    }
                    double[][] want = referencePool(p, avg, x.toDoubleArray(), gy.toDoubleArray(), od[2], od[3]);
                    assertClose(want[0], y.toDoubleArray(), tol, what + ": forward");
                    assertClose(want[1], gx.toDoubleArray(), tol, what + ": backward");
                }
            }
        }
        assertEquals(0, ws.outstanding());
    }

    @Test
    void adaptivePoolsMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        Workspace ws = new Workspace();
        for (int trial = 0; trial < 30; trial++) {
            int h = r.nextInt(1, 11);
            int w = r.nextInt(1, 11);
            int oh = trial % 5 == 0 ? 1 : r.nextInt(1, 13); // global pools, and outputs larger than the input
            int ow = trial % 5 == 0 ? 1 : r.nextInt(1, 13);
            for (DType dt : DType.values()) {
                double tol = dt == DType.F32 ? 1e-5 : 1e-13;
                for (Convolutions cv : facades()) {
                    for (boolean max : new boolean[] {false, true}) {
                        Buffer x = random(r, dt, 2, 3, h, w);
                        Buffer y = Buffer.zeros(dt, 2, 3, oh, ow);
                        Buffer gy = random(r, dt, 2, 3, oh, ow);
                        Buffer gx = Buffer.zeros(dt, 2, 3, h, w);
                        cv.adaptivePool2d(max, x, y, ws);
                        cv.adaptivePool2dBackward(max, x, gy, gx, ws);
                        double[] xv = x.toDoubleArray();
                        double[] gv = gy.toDoubleArray();
                        double[] wy = new double[6 * oh * ow];
                        double[] wg = new double[xv.length];
                        for (int pl = 0; pl < 6; pl++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    int h0 = (int) Math.floor((double) i * h / oh);
                                    int h1 = (int) Math.ceil((double) (i + 1) * h / oh);
                                    int w0 = (int) Math.floor((double) j * w / ow);
                                    int w1 = (int) Math.ceil((double) (j + 1) * w / ow);
                                    double s = 0;
                                    double best = Double.NEGATIVE_INFINITY;
                                    int arg = -1;
                                    for (int u = h0; u < h1; u++) {
                                        for (int v = w0; v < w1; v++) {
                                            int xi = (pl * h + u) * w + v;
                                            s += xv[xi];
                                            if (xv[xi] > best) {
                                                best = xv[xi];
                                                arg = xi;
                                            }
                                        }
                                    }
                                    int cnt = (h1 - h0) * (w1 - w0);
                                    int yi = (pl * oh + i) * ow + j;
                                    wy[yi] = max ? best : s / cnt;
                                    if (max) {
                                        wg[arg] += gv[yi];
                                    } else {
                                        for (int u = h0; u < h1; u++) {
                                            for (int v = w0; v < w1; v++) {
                                                wg[(pl * h + u) * w + v] += gv[yi] / cnt;
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        String what = "adaptive " + (max ? "max" : "avg") + " [" + h + ", " + w + "] -> [" + oh + ", "
                                + ow + "] " + dt + " " + cv.convKernels().name();
                        assertClose(wy, y.toDoubleArray(), tol, what + ": forward");
                        assertClose(wg, gx.toDoubleArray(), tol, what + ": backward");
                    }
                }
            }
        }
    }

    // ============================================================================ bad inputs

    private static void rejects(String op, Buffer out, Runnable call, String... mentions) {
        double[] before = out.toDoubleArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(op + ":"), e.getMessage());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + m + "' in: " + e.getMessage());
        }
        assertTrue(java.util.Arrays.equals(before, out.toDoubleArray()), "output untouched: " + e.getMessage());
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        Convolutions cv = Convolutions.get();
        Workspace ws = new Workspace();
        DType dt = DType.F64;
        Buffer x = Buffer.zeros(dt, 2, 4, 5, 5);
        Buffer w = Buffer.zeros(dt, 6, 2, 3, 3);
        Buffer out = Buffer.zeros(dt, 2, 6, 3, 3);
        Kernels.get().fill(out, 7);
        ConvArgs ok = new ConvArgs("conv2d", 1, 1, 0, 0, 1, 1, 2, 0, 0);
        // mismatched channels
        rejects("conv2d", out, () -> cv.conv2d(x, Buffer.zeros(dt, 6, 3, 3, 3), null, ok, out, ws), "[6, 3, 3, 3]", "[2, 4, 5, 5]");
        // groups not dividing the channels
        rejects("conv2d", out, () -> cv.conv2d(x, w, null, new ConvArgs("conv2d", 1, 1, 0, 0, 1, 1, 3, 0, 0), out, ws),
                "groups 3");
        // zero and negative strides
        rejects("conv2d", out, () -> cv.conv2d(x, w, null, new ConvArgs("conv2d", 0, 1, 0, 0, 1, 1, 2, 0, 0), out, ws), "stride");
        rejects("conv2d", out, () -> cv.conv2d(x, w, null, new ConvArgs("conv2d", 1, -2, 0, 0, 1, 1, 2, 0, 0), out, ws), "stride");
        // kernel larger than the padded input
        rejects("conv2d", out, () -> cv.conv2d(x, Buffer.zeros(dt, 6, 2, 7, 3), null, ok, out, ws), "larger than the padded input",
                "[2, 4, 5, 5]");
        // wrong output shape, wrong bias, dtype
        rejects("conv2d", out, () -> cv.conv2d(x, w, null, ok, Buffer.zeros(dt, 2, 6, 4, 4), ws), "[2, 6, 4, 4]");
        rejects("conv2d", out, () -> cv.conv2d(x, w, Buffer.zeros(dt, 5), ok, out, ws), "bias");
        rejects("conv2d", out, () -> cv.conv2d(Buffer.zeros(DType.F32, 2, 4, 5, 5), w, null, ok, out, ws), "f32");
        rejects("conv2d", out, () -> cv.conv2d(Buffer.zeros(dt, 4, 5, 5), w, null, ok, out, ws), "4-D");
        // transposed: channel mismatch and output padding not below stride
        Buffer tout = Buffer.zeros(dt, 2, 4, 7, 7);
        rejects("conv_transpose2d", tout, () -> cv.convTranspose2d(Buffer.zeros(dt, 2, 5, 5, 5), Buffer.zeros(dt, 4, 2, 3, 3),
                null, new ConvArgs("conv_transpose2d", 1, 1, 0, 0, 1, 1, 2, 0, 0), tout, ws), "[4, 2, 3, 3]", "[2, 5, 5, 5]");
        rejects("conv_transpose2d", tout, () -> cv.convTranspose2d(Buffer.zeros(dt, 2, 4, 5, 5), Buffer.zeros(dt, 4, 2, 3, 3),
                null, new ConvArgs("conv_transpose2d", 1, 1, 0, 0, 1, 1, 2, 1, 0), tout, ws), "output_padding");
        // pools: padding above half the kernel, zero stride, too small an input
        Buffer pout = Buffer.zeros(dt, 2, 4, 2, 2);
        rejects("max_pool2d", pout, () -> cv.maxPool2d(x, new PoolArgs("max_pool2d", 2, 2, 2, 2, 2, 0, 1, 1, false, false),
                pout, ws), "padding");
        rejects("avg_pool2d", pout, () -> cv.avgPool2d(x, new PoolArgs("avg_pool2d", 2, 2, 0, 2, 0, 0, 1, 1, false, true),
                pout, ws), "stride");
        rejects("max_pool2d", pout, () -> cv.maxPool2d(x, new PoolArgs("max_pool2d", 6, 2, 1, 1, 0, 0, 1, 1, false, false),
                pout, ws), "[2, 4, 5, 5]");
        rejects("adaptive_max_pool2d", pout, () -> cv.adaptivePool2d(true, Buffer.zeros(dt, 4, 5, 5), pout, ws), "4-D");
        assertEquals(0, ws.outstanding());
    }
}
