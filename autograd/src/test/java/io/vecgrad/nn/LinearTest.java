package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.GradCheck;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearTest {

    @Test
    void forwardIsXTimesWTransposedPlusBias() {
        Linear lin = new Linear(3, 2, true, new SplittableRandom(1), DType.F64);
        double[] w = {1, 2, 3, -1, 0, 2}; // [2, 3]
        double[] b = {0.5, -0.5};
        lin.loadStateDict(java.util.Map.of("weight", Tensor.fromArray(w, 2, 3), "bias", Tensor.fromArray(b, 2)));
        Tensor x = Tensor.fromArray(new double[] {1, 0, -1, 2, 1, 1}, 2, 3);
        Tensor y = lin.forward(x);
        assertArrayEquals(new int[] {2, 2}, y.shape());
        // row 0: [1*1+0*2-1*3, -1*1+0+(-1)*2] + b = [-2+.5, -3-.5]; row 1: [2+2+3, -2+0+2] + b
        assertArrayEquals(new double[] {-1.5, -3.5, 7.5, -0.5}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void acceptsAnyLeadingDimsAndOneDimensionalInput() {
        Linear lin = new Linear(4, 3, true, new SplittableRandom(2), DType.F64);
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.F64, 2, 5, 4);
        Tensor y = lin.forward(x);
        assertArrayEquals(new int[] {2, 5, 3}, y.shape());
        Tensor row = x.narrow(0, 1, 1).narrow(1, 2, 1).reshape(4);
        Tensor y1 = lin.forward(row);
        assertArrayEquals(new int[] {3}, y1.shape());
        for (int j = 0; j < 3; j++) {
            assertEquals(y.get(1, 2, j), y1.get(j), 1e-12);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesInF64() {
        long seed = 4;
        var gen = new SplittableRandom(seed);
        Tensor x = Tensor.randn(gen, DType.F64, 3, 4).requiresGrad(true);
        Tensor w = Tensor.randn(gen, DType.F64, 5, 4).requiresGrad(true);
        Tensor b = Tensor.randn(gen, DType.F64, 5).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(in -> Linear.linear(in[0], in[1], in[2]), x, w, b);
        assertTrue(r.ok(), "seed " + seed + ": " + r.detail());
        GradCheck.check(in -> Linear.linear(in[0], in[1], null), x, w).assertOk();
    }

    @Test
    void moduleAccumulatesTheGradientOfItsOwnParameters() {
        long seed = 5;
        var gen = new SplittableRandom(seed);
        Linear lin = new Linear(4, 3, true, gen, DType.F64);
        Tensor x = Tensor.randn(gen, DType.F64, 6, 4);
        Tensor c = Tensor.randn(gen, DType.F64, 6, 3);
        lin.forward(x).backward(c);
        // dW = cᵀ x, db = column sums of c
        double[] dw = new double[12];
        double[] db = new double[3];
        for (int n = 0; n < 6; n++) {
            for (int o = 0; o < 3; o++) {
                db[o] += c.get(n, o);
                for (int i = 0; i < 4; i++) {
                    dw[o * 4 + i] += c.get(n, o) * x.get(n, i);
                }
            }
        }
        assertArrayEquals(dw, lin.weight().grad().toDoubleArray(), 1e-12, "seed " + seed);
        assertArrayEquals(db, lin.bias().grad().toDoubleArray(), 1e-12, "seed " + seed);
    }

    @Test
    void defaultInitIsUniformWithinOneOverSqrtIn() {
        int in = 64;
        Linear lin = new Linear(in, 256, new SplittableRandom(6));
        double bound = 1 / Math.sqrt(in);
        double[] w = lin.weight().toDoubleArray();
        double sq = 0;
        for (double v : w) {
            assertTrue(Math.abs(v) <= bound, v + " outside ±" + bound);
            sq += v * v;
        }
        // U(-b, b) has variance b²/3
        assertEquals(bound * bound / 3, sq / w.length, 0.05 * bound * bound / 3);
        for (double v : lin.bias().toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertArrayEquals(lin.weight().toFloatArray(), new Linear(in, 256, new SplittableRandom(6)).weight().toFloatArray());
    }

    @Test
    void withoutBias() {
        Linear lin = new Linear(2, 2, false, new SplittableRandom(7), DType.F32);
        assertNull(lin.bias());
        assertEquals(java.util.List.of("weight"), java.util.List.copyOf(lin.namedParameters().keySet()));
    }

    @Test
    void wrongInputSizeNamesTheLayerAndTheShapes() {
        Linear lin = new Linear(4, 3, new SplittableRandom(8));
        var e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.zeros(2, 5)));
        assertEquals("Linear(in_features=4, out_features=3, bias=true): expected input [..., 4] (in_features=4), "
                + "got shape [2, 5]", e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.scalar(1)));
        assertTrue(s.getMessage().contains("got shape []"), s.getMessage());
        var d = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.zeros(DType.F64, 2, 4)));
        assertTrue(d.getMessage().contains("input is f64 but the layer is f32"), d.getMessage());
    }
}
