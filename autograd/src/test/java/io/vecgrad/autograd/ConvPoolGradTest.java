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
 * f64 gradient checks of every convolution and pooling op at awkward sizes (odd spatial sizes,
 * stride larger than the kernel, padding larger than half the kernel, groups = channels, a batch
 * of 1, dilation, ceil mode), the recorded graph, and the op-level argument errors.
 */
class ConvPoolGradTest {

    private static final long SEED = Long.getLong("vecgrad.test.seed", System.nanoTime());

    static {
        System.out.println("ConvPoolGradTest seed: " + SEED + " (rerun with -Dvecgrad.test.seed=" + SEED + ")");
    }

    private final SplittableRandom rnd = new SplittableRandom(SEED);

    private Tensor randn(int... dims) {
        return Tensor.randn(rnd, DType.F64, dims).requiresGrad(true);
    }

    private static int[] p(int a, int b) {
        return new int[] {a, b};
    }

    private static void check(String what, GradCheck.Fn f, Tensor... in) {
        GradCheck.Result r = GradCheck.check(f, 1e-6, 1e-6, 1e-5, SEED, in);
        assertTrue(r.ok(), what + " (seed " + SEED + "): " + r.detail());
    }

    @Test
    void conv2dStrideAbovePaddingAboveHalfDilatedWithBias() {
        // batch 1, odd sizes, stride 3 > kernel 2 (rows), padding 2 > kernel/2, dilation 2 (columns)
        check("conv2d", in -> in[0].conv2d(in[1], in[2], p(3, 1), p(2, 1), p(1, 2), 1),
                randn(1, 3, 5, 7), randn(4, 3, 2, 3), randn(4));
        check("conv2d 1x1", in -> in[0].conv2d(in[1], null, p(1, 1), p(0, 0), p(1, 1), 1),
                randn(2, 3, 3, 5), randn(2, 3, 1, 1));
    }

    @Test
    void conv2dDepthwiseAndGrouped() {
        check("conv2d groups = channels", in -> in[0].conv2d(in[1], in[2], p(2, 2), p(1, 1), p(1, 1), 3),
                randn(2, 3, 5, 5), randn(3, 1, 3, 3), randn(3));
        check("conv2d groups 2", in -> in[0].conv2d(in[1], null, p(1, 2), p(0, 1), p(2, 1), 2),
                randn(1, 4, 7, 5), randn(6, 2, 2, 2));
    }

    @Test
    void conv1d() {
        check("conv1d", in -> in[0].conv1d(in[1], in[2], 3, 2, 2, 2), randn(1, 2, 9), randn(4, 1, 3), randn(4));
        check("conv1d default", in -> in[0].conv1d(in[1], null), randn(2, 3, 5), randn(2, 3, 5));
    }

    @Test
    void convTranspose2d() {
        check("conv_transpose2d", in -> in[0].convTranspose2d(in[1], in[2], p(2, 3), p(1, 0), p(1, 2), 2, p(1, 1)),
                randn(1, 4, 3, 4), randn(4, 3, 3, 2), randn(6));
        check("conv_transpose2d dilated", in -> in[0].convTranspose2d(in[1], null, p(1, 2), p(2, 1), p(1, 0), 1, p(2, 2)),
                randn(2, 2, 3, 3), randn(2, 3, 3, 2));
    }

    @Test
    void maxPools() {
        check("max_pool2d", in -> in[0].maxPool2d(p(3, 2), p(2, 3), p(1, 1), p(1, 2), true), randn(1, 2, 7, 5));
        check("max_pool2d stride > kernel", in -> in[0].maxPool2d(p(2, 2), p(3, 3), p(0, 1), p(1, 1), false),
                randn(2, 1, 7, 8));
        check("max_pool1d", in -> in[0].maxPool1d(3, 2, 1, 2, true), randn(2, 3, 9));
    }

    @Test
    void avgPools() {
        check("avg_pool2d exclude pad", in -> in[0].avgPool2d(p(3, 2), p(2, 3), p(1, 1), true, false), randn(1, 2, 7, 6));
        check("avg_pool2d include pad", in -> in[0].avgPool2d(p(3, 3), p(1, 4), p(1, 1), false, true), randn(2, 1, 5, 9));
        check("avg_pool1d", in -> in[0].avgPool1d(2, 3, 1, true, true), randn(1, 3, 8));
    }

    @Test
    void adaptivePools() {
        check("adaptive_avg_pool2d", in -> in[0].adaptiveAvgPool2d(3, 4), randn(2, 3, 5, 7));
        check("adaptive_max_pool2d", in -> in[0].adaptiveMaxPool2d(2, 3), randn(1, 2, 5, 7));
        check("global pools", in -> in[0].globalAvgPool2d().add(in[0].globalMaxPool2d()), randn(2, 3, 3, 5));
        check("adaptive larger than input", in -> in[0].adaptiveAvgPool2d(4, 5), randn(1, 1, 3, 3));
    }

    @Test
    void maxPoolGradientGoesToTheFirstMaximum() {
        Tensor x = Tensor.fromArray(new double[] {1, 5, 5, 2, 5, 0, 3, 4}, 1, 1, 2, 4).requiresGrad(true);
        Tensor y = x.maxPool2d(p(2, 2), p(2, 2), p(0, 0), p(1, 1), false);
        assertArrayEquals(new double[] {5, 5}, y.toDoubleArray());
        assertEquals("MaxPool2dBackward", y.gradFn());
        y.sum().backward();
        assertArrayEquals(new double[] {0, 1, 1, 0, 0, 0, 0, 0}, x.grad().toDoubleArray());
    }

    @Test
    void noGraphWithoutGrad() {
        Tensor x = Tensor.randn(rnd, DType.F32, 1, 2, 4, 4);
        Tensor w = Tensor.randn(rnd, DType.F32, 3, 2, 3, 3);
        assertNull(x.conv2d(w, null).gradFn());
        assertFalse(x.maxPool2d(2).requiresGrad());
    }

    private static void rejects(Runnable r, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + m + "' in: " + e.getMessage());
        }
    }

    @Test
    void badArgumentsNameTheOpAndShapes() {
        Tensor x = randn(2, 4, 5, 5);
        Tensor w = randn(6, 2, 3, 3);
        rejects(() -> x.conv2d(randn(6, 3, 3, 3), null, p(1, 1), p(0, 0), p(1, 1), 2), "conv2d", "[6, 3, 3, 3]", "[2, 4, 5, 5]");
        rejects(() -> x.conv2d(w, null, p(1, 1), p(0, 0), p(1, 1), 3), "conv2d", "groups 3");
        rejects(() -> x.conv2d(w, null, p(0, 1), p(0, 0), p(1, 1), 2), "conv2d", "stride");
        rejects(() -> x.conv2d(w, null, p(-1, 1), p(0, 0), p(1, 1), 2), "conv2d", "stride");
        rejects(() -> x.conv2d(randn(6, 2, 9, 3), null, p(1, 1), p(1, 1), p(1, 1), 2), "conv2d", "larger than the padded input");
        rejects(() -> x.conv2d(w, randn(5), p(1, 1), p(0, 0), p(1, 1), 2), "conv2d", "bias");
        rejects(() -> x.conv2d(w, null, new int[] {1}, p(0, 0), p(1, 1), 2), "conv2d", "stride");
        rejects(() -> x.conv2d(Tensor.randn(rnd, DType.F32, 6, 2, 3, 3), null), "conv2d", "dtypes");
        rejects(() -> x.conv1d(randn(6, 2, 3), null), "conv1d", "3-D");
        rejects(() -> randn(2, 4, 5).conv1d(randn(6, 3, 3), null, 1, 0, 1, 2), "conv1d", "[2, 4, 1, 5]");
        rejects(() -> x.convTranspose2d(randn(3, 2, 3, 3), null, p(1, 1), p(0, 0), p(0, 0), 1, p(1, 1)),
                "conv_transpose2d", "[3, 2, 3, 3]");
        rejects(() -> x.maxPool2d(p(2, 2), p(2, 2), p(2, 0), p(1, 1), false), "max_pool2d", "padding");
        rejects(() -> x.maxPool2d(p(6, 6), p(1, 1), p(0, 0), p(1, 1), false), "max_pool2d", "[2, 4, 5, 5]");
        rejects(() -> x.avgPool2d(p(2, 2), p(0, 2), p(0, 0), false, true), "avg_pool2d", "stride");
        rejects(() -> x.maxPool1d(2, 2, 0, 1, false), "max_pool1d", "3-D", "[2, 4, 5, 5]");
        rejects(() -> x.adaptiveAvgPool2d(0, 2), "adaptive_avg_pool2d", "output_size");
        rejects(() -> randn(5, 5).adaptiveMaxPool2d(1, 1), "adaptive_max_pool2d", "4-D");
    }
}
