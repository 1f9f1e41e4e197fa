package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarConvKernels;
import io.vecgrad.engine.internal.vector.VectorConfig;
import io.vecgrad.engine.internal.vector.VectorConvKernels;
import io.vecgrad.engine.spi.ConvKernels;
import io.vecgrad.engine.spi.Window2d;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorConvKernels} against {@link ScalarConvKernels} on raw segments: plane widths
 * around the vector length ({@code 1, lanes - 1, lanes + 1, 3 lanes + odd}), column stride 1 (the
 * vector runs) and above, padding, dilation, non-zero element offsets with guard elements around
 * every operand, column matrices with rows wider than one image. im2col, col2im and max pooling move values, so they must agree bit for bit;
 * the average pools sum in a different order (float lanes vs double), so they agree within a few
 * ulps. Guards must stay untouched. Re-run at forced widths by surefire like the other kernels.
 */
class ConvKernelProperties {

    private static final long SEED = Long.getLong("vecgrad.test.seed", System.nanoTime());
    private static final ConvKernels SCALAR = ScalarConvKernels.INSTANCE;
    private static final ConvKernels VECTOR = new VectorConvKernels();
    private static final int GUARD = 5;
    private static final double SENTINEL = 1234.5;

    static {
        System.out.println("ConvKernelProperties seed: " + SEED + " (rerun with -Dvecgrad.test.seed=" + SEED + ")");
    }

    private static int width(DType dt, SplittableRandom r) {
        int l = dt == DType.F32 ? VectorConfig.FL : VectorConfig.DL;
        return switch (r.nextInt(5)) {
            case 0 -> 1;
            case 1 -> Math.max(1, l - 1);
            case 2 -> l + 1;
            case 3 -> 3 * l + 2 * r.nextInt(l / 2 + 1) + 1;
            default -> r.nextInt(1, 40);
        };
    }

    /** A segment of {@code n} random elements after {@code off} guard elements, followed by guards. */
    private static MemorySegment segment(Arena a, DType dt, long off, long n, SplittableRandom r, boolean random) {
        long total = off + n + GUARD;
        MemorySegment s = a.allocate(total * dt.byteSize(), 64);
        for (long i = 0; i < total; i++) {
            double v = i >= off && i < off + n && random ? r.nextDouble(-1, 1) : (i >= off && i < off + n ? 0 : SENTINEL);
            put(dt, s, i, v);
        }
        return s;
    }

    private static void put(DType dt, MemorySegment s, long i, double v) {
        if (dt == DType.F32) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
        } else {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
        }
    }

    private static double get(DType dt, MemorySegment s, long i) {
        return dt == DType.F32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT, i) : s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
    }

    private static MemorySegment copy(Arena a, MemorySegment s) {
        return a.allocate(s.byteSize(), 64).copyFrom(s);
    }

    private static void same(String what, DType dt, MemorySegment want, MemorySegment got, double ulps) {
        long n = want.byteSize() / dt.byteSize();
        for (long i = 0; i < n; i++) {
            double w = get(dt, want, i);
            double g = get(dt, got, i);
            double tol = ulps * (dt == DType.F32 ? Math.ulp((float) Math.max(1, Math.abs(w))) : Math.ulp(Math.max(1, Math.abs(w))));
            if (Double.compare(w, g) != 0 && !(Math.abs(w - g) <= tol)) {
                fail(what + ": element " + i + " scalar " + w + " vector " + g + " (seed " + SEED + ")");
            }
        }
    }

    private static Window2d window(SplittableRandom r, int inW, boolean pool, boolean avg) {
        int kh = r.nextInt(1, 4);
        int kw = r.nextInt(1, 5);
        int dh = avg ? 1 : r.nextInt(1, 3);
        int dw = avg ? 1 : r.nextInt(1, 3);
        int ph = pool ? r.nextInt(0, kh / 2 + 1) : r.nextInt(0, 3);
        int pw = pool ? r.nextInt(0, kw / 2 + 1) : r.nextInt(0, 3);
        int sh = r.nextInt(1, 3);
        int sw = r.nextInt(3) == 0 ? r.nextInt(2, 4) : 1;
        int inH = r.nextInt(1, 7);
        inW = Math.max(inW, dw * (kw - 1) + 1 - 2 * pw);
        inH = Math.max(inH, dh * (kh - 1) + 1 - 2 * ph);
        int outH = (inH + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int outW = (inW + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        return new Window2d(inH, inW, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW);
    }

    @Test
    void vectorKernelsMatchTheScalarTwin() {
        SplittableRandom r = new SplittableRandom(SEED);
        for (int trial = 0; trial < 300; trial++) {
            DType dt = trial % 2 == 0 ? DType.F32 : DType.F64;
            int kind = trial % 4;
            boolean avg = kind == 3;
            Window2d w = window(r, width(dt, r), kind >= 2, avg);
            int ch = r.nextInt(1, 4);
            long xo = r.nextInt(0, 4);
            long yo = r.nextInt(0, 4);
            String what = "trial " + trial + " " + dt + " " + w;
            try (Arena a = Arena.ofConfined()) {
                long in = ch * w.inPlane();
                // a column matrix with rows wider than one image (as when images share it), or exact
                long ld = w.outPlane() + (trial % 3 == 0 ? r.nextInt(1, 9) : 0);
                long out = kind < 2 ? ch * w.taps() * ld : ch * w.outPlane();
                MemorySegment x = segment(a, dt, xo, in, r, true);
                MemorySegment y = segment(a, dt, yo, out, r, true);
                MemorySegment xs = copy(a, x);
                MemorySegment xv = copy(a, x);
                MemorySegment ys = copy(a, y);
                MemorySegment yv = copy(a, y);
                switch (kind) {
                    case 0 -> {
                        SCALAR.im2col(dt, w, ch, xs, xo, ys, yo, ld);
                        VECTOR.im2col(dt, w, ch, xv, xo, yv, yo, ld);
                        same(what + " im2col", dt, ys, yv, 0);
                    }
                    case 1 -> {
                        SCALAR.col2im(dt, w, ch, ys, yo, ld, xs, xo);
                        VECTOR.col2im(dt, w, ch, yv, yo, ld, xv, xo);
                        same(what + " col2im", dt, xs, xv, 0);
                    }
                    case 2 -> {
                        SCALAR.maxPool(dt, w, ch, xs, xo, ys, yo);
                        VECTOR.maxPool(dt, w, ch, xv, xo, yv, yo);
                        same(what + " maxPool", dt, ys, yv, 0);
                        SCALAR.maxPoolBackward(dt, w, ch, x, xo, y, yo, xs, xo);
                        VECTOR.maxPoolBackward(dt, w, ch, x, xo, y, yo, xv, xo);
                        same(what + " maxPoolBackward", dt, xs, xv, 0);
                    }
                    default -> {
                        boolean cip = r.nextBoolean();
                        SCALAR.avgPool(dt, w, cip, ch, xs, xo, ys, yo);
                        VECTOR.avgPool(dt, w, cip, ch, xv, xo, yv, yo);
                        same(what + " avgPool", dt, ys, yv, 4 * w.taps());
                        SCALAR.avgPoolBackward(dt, w, cip, ch, y, yo, xs, xo);
                        VECTOR.avgPoolBackward(dt, w, cip, ch, y, yo, xv, xo);
                        same(what + " avgPoolBackward", dt, xs, xv, 4 * w.taps());
                    }
                }
                // adaptive pools, including the global one the vector twin specialises
                int oh = trial % 3 == 0 ? 1 : r.nextInt(1, 6);
                int ow = trial % 3 == 0 ? 1 : r.nextInt(1, 6);
                MemorySegment p = segment(a, dt, yo, (long) ch * oh * ow, r, true);
                MemorySegment ps = copy(a, p);
                MemorySegment pv = copy(a, p);
                SCALAR.adaptiveAvgPool(dt, w.inH(), w.inW(), oh, ow, ch, x, xo, ps, yo);
                VECTOR.adaptiveAvgPool(dt, w.inH(), w.inW(), oh, ow, ch, x, xo, pv, yo);
                same(what + " adaptiveAvgPool", dt, ps, pv, 4 * w.inPlane());
                MemorySegment gs = copy(a, x);
                MemorySegment gv = copy(a, x);
                SCALAR.adaptiveAvgPoolBackward(dt, w.inH(), w.inW(), oh, ow, ch, p, yo, gs, xo);
                VECTOR.adaptiveAvgPoolBackward(dt, w.inH(), w.inW(), oh, ow, ch, p, yo, gv, xo);
                same(what + " adaptiveAvgPoolBackward", dt, gs, gv, 4);
                SCALAR.adaptiveMaxPool(dt, w.inH(), w.inW(), oh, ow, ch, x, xo, ps, yo);
                VECTOR.adaptiveMaxPool(dt, w.inH(), w.inW(), oh, ow, ch, x, xo, pv, yo);
                same(what + " adaptiveMaxPool", dt, ps, pv, 0);
            }
        }
    }
}
