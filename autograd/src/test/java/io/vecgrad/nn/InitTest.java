package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.Init.FanMode;
import io.vecgrad.nn.Init.Nonlinearity;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class InitTest {
    private static final long SEED = 20240607;

    /** A parameter-like leaf [out=300, in=200]: fan_in 200, fan_out 300, 60000 samples. */
    private static Tensor param() {
        return Tensor.zeros(DType.F64, 300, 200).requiresGrad(true);
    }

    private static double[] meanStd(Tensor t) {
        double[] v = t.toDoubleArray();
        double s = 0;
        double sq = 0;
        for (double x : v) {
            s += x;
            sq += x * x;
        }
        double mean = s / v.length;
        return new double[] {mean, Math.sqrt(sq / v.length - mean * mean)};
    }

    /** Checks mean and std within 3% of std (≈ 5 standard errors for 60000 samples). */
    private static void assertStats(String what, Tensor t, double mean, double std) {
        double[] ms = meanStd(t);
        assertEquals(mean, ms[0], 0.03 * std, what + " mean (seed " + SEED + ")");
        assertEquals(std, ms[1], 0.03 * std, what + " std (seed " + SEED + ")");
    }

    private static void assertBounded(String what, Tensor t, double a, double b) {
        for (double v : t.toDoubleArray()) {
            assertTrue(v >= a && v <= b, what + ": " + v + " outside [" + a + ", " + b + "] (seed " + SEED + ")");
        }
        assertStats(what, t, (a + b) / 2, (b - a) / Math.sqrt(12));
    }

    @Test
    void fansAndGainsFollowPyTorch() {
        assertArrayEquals(new long[] {200, 300}, Init.fans(Tensor.zeros(300, 200)));
        assertArrayEquals(new long[] {3 * 25, 16 * 25}, Init.fans(Tensor.zeros(16, 3, 5, 5)));
        var e = assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(7)));
        assertTrue(e.getMessage().contains("fewer than 2 dims, got shape [7]"), e.getMessage());
        assertEquals(Math.sqrt(2), Init.gain(Nonlinearity.RELU, 0));
        assertEquals(5.0 / 3, Init.gain(Nonlinearity.TANH, 0));
        assertEquals(1, Init.gain(Nonlinearity.SIGMOID, 0));
        assertEquals(1, Init.gain(Nonlinearity.LINEAR, 0));
        assertEquals(Math.sqrt(2 / 1.04), Init.gain(Nonlinearity.LEAKY_RELU, 0.2), 1e-15);
    }

    @Test
    void uniformAndNormal() {
        var g = new SplittableRandom(SEED);
        assertBounded("uniform", Init.uniform(param(), g, -0.5, 1.5), -0.5, 1.5);
        assertStats("normal", Init.normal(param(), g, 2, 0.25), 2, 0.25);
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(param(), g, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(param(), g, 0, -1));
    }

    @Test
    void kaimingAndXavier() {
        var g = new SplittableRandom(SEED);
        double b = Math.sqrt(2) * Math.sqrt(3.0 / 200);
        assertBounded("kaimingUniform fan_in relu",
                Init.kaimingUniform(param(), g, FanMode.FAN_IN, Nonlinearity.RELU), -b, b);
        double bo = Math.sqrt(3.0 / 300);
        assertBounded("kaimingUniform fan_out linear",
                Init.kaimingUniform(param(), g, FanMode.FAN_OUT, Nonlinearity.LINEAR), -bo, bo);
        double bl = 1 / Math.sqrt(200); // a = √5: PyTorch's Linear default
        assertBounded("kaimingUniform a=√5",
                Init.kaimingUniform(param(), g, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU), -bl, bl);
        assertStats("kaimingNormal fan_in relu",
                Init.kaimingNormal(param(), g, FanMode.FAN_IN, Nonlinearity.RELU), 0, Math.sqrt(2.0 / 200));
        assertStats("kaimingNormal fan_out tanh",
                Init.kaimingNormal(param(), g, FanMode.FAN_OUT, Nonlinearity.TANH), 0, 5.0 / 3 / Math.sqrt(300));
        double bx = 2 * Math.sqrt(6.0 / 500);
        assertBounded("xavierUniform gain 2", Init.xavierUniform(param(), g, 2), -bx, bx);
        assertStats("xavierNormal", Init.xavierNormal(param(), g, 1), 0, Math.sqrt(2.0 / 500));
    }

    @Test
    void constants() {
        Tensor p = param();
        assertSame(p, Init.constant(p, 0.25));
        assertStats("constant", p, 0.25, 0);
        Init.ones(p);
        assertEquals(1, p.get(299, 199));
        Init.zeros(p);
        assertEquals(0, p.get(0, 0));
    }

    @Test
    void sameSeedSameValuesAndF32Works() {
        BiFunction<DType, RandomGenerator, Tensor> make = (dt, g) ->
                Init.xavierNormal(Tensor.zeros(dt, 30, 20).requiresGrad(true), g, 1);
        assertArrayEquals(make.apply(DType.F64, new SplittableRandom(SEED)).toDoubleArray(),
                make.apply(DType.F64, new SplittableRandom(SEED)).toDoubleArray());
        Tensor f = make.apply(DType.F32, new SplittableRandom(SEED));
        assertEquals(DType.F32, f.dtype());
        assertTrue(f.requiresGrad());
        // f32 holds the same draws rounded
        double[] d = make.apply(DType.F64, new SplittableRandom(SEED)).toDoubleArray();
        float[] fv = f.toFloatArray();
        for (int i = 0; i < d.length; i++) {
            assertEquals((float) d[i], fv[i]);
        }
    }

    @Test
    void writesThroughNonContiguousViews() {
        Tensor base = Tensor.zeros(DType.F64, 4, 6);
        Tensor view = base.t(); // [6, 4] view of the same storage
        Init.constant(view, 3);
        Init.uniform(view, new SplittableRandom(SEED), 1, 2);
        for (double v : base.toDoubleArray()) {
            assertTrue(v >= 1 && v <= 2);
        }
    }
}
