package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * f32 accuracy of the vector transcendental kernels: within 2 ulp of the correctly rounded
 * result (reference: the double computation rounded to float) over random and edge inputs.
 * sin/cos are checked on |x| <= 1e4 in the random part (larger |x| take the exact library path).
 */
class VectorMathUlpTest {
    private static final VectorKernelProvider V = new VectorKernelProvider();
    private static final float[] EDGES = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -Float.MAX_VALUE,
        88.72283f, 88.72284f, 88.7228f, -87.33654f, -87.3366f, -103.972f, -103.98f, -104f, 1f, -1f,
        0.5f, 1e-8f, -1e-8f, 9.999f, 20f, -20f, 1000f, -1000f, 1e4f, -1e4f, 3.1415927f, 1.5707964f,
        1e5f, 2e5f, 1e30f, -5.5f, -9.5f, -13f, 0.55f, 0.625f
    };

    static float[] inputs(long seed, float range) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 40_000;
        float[] x = new float[n + EDGES.length];
        for (int i = 0; i < n; i++) {
            int k = i % 4;
            x[i] = switch (k) {
                case 0 -> (float) r.nextDouble(-range, range);
                case 1 -> (float) r.nextDouble(-10, 10);
                case 2 -> (float) (Math.scalb(r.nextDouble(1, 2), r.nextInt(-30, 7)) * (r.nextBoolean() ? 1 : -1));
                default -> (float) r.nextDouble(-1, 1);
            };
        }
        System.arraycopy(EDGES, 0, x, n, EDGES.length);
        return x;
    }

    static double ulpError(float got, float want) {
        if (Float.isNaN(want) || Float.isNaN(got)) {
            return Float.isNaN(want) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Float.isInfinite(want) || Float.isInfinite(got)) {
            return want == got ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs((double) got - want) / Math.ulp(want);
    }

    static double maxUlp(UnaryOp op, float range, DoubleUnaryOperator ref) {
        float[] x = inputs(op.ordinal() * 31L + 5, range);
        int n = x.length;
        MemorySegment xs = Arena.ofAuto().allocate(4L * n);
        MemorySegment ys = Arena.ofAuto().allocate(4L * n);
        MemorySegment.copy(x, 0, xs, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, n);
        V.unary(DType.F32, op, 0, 0, n, xs, 0, 1, ys, 0, 1);
        double worst = 0;
        float worstX = 0;
        for (int i = 0; i < n; i++) {
            float got = ys.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
            float want = (float) ref.applyAsDouble(x[i]);
            double e = ulpError(got, want);
            if (e > worst || Double.isNaN(e)) {
                worst = e;
                worstX = x[i];
            }
        }
        System.out.println("f32 " + op + ": max ulp error " + worst + " at x=" + worstX + " (" + n + " inputs, lanes "
                + V.vectorBits() + " bits)");
        assertTrue(worst <= 2.0, op + ": max ulp error " + worst + " at x=" + worstX);
        return worst;
    }

    @Test
    void exp() {
        maxUlp(UnaryOp.EXP, 110, Math::exp);
    }

    @Test
    void log() {
        maxUlp(UnaryOp.LOG, 1e6f, Math::log);
    }

    @Test
    void sqrt() {
        maxUlp(UnaryOp.SQRT, 1e6f, Math::sqrt);
    }

    @Test
    void sin() {
        maxUlp(UnaryOp.SIN, 1e4f, Math::sin);
    }

    @Test
    void cos() {
        maxUlp(UnaryOp.COS, 1e4f, Math::cos);
    }

    @Test
    void tanh() {
        maxUlp(UnaryOp.TANH, 30, Math::tanh);
    }

    @Test
    void sigmoid() {
        maxUlp(UnaryOp.SIGMOID, 120, ScalarKernelProvider::sigmoid);
    }

    @Test
    void gelu() {
        maxUlp(UnaryOp.GELU, 30, ScalarKernelProvider::gelu);
    }

    @Test
    void geluTanh() {
        maxUlp(UnaryOp.GELU_TANH, 30, ScalarKernelProvider::geluTanh);
    }
}
