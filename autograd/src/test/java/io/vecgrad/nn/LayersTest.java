package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Activations, Flatten, Identity and Dropout. */
class LayersTest {
    private static final Tensor X = Tensor.fromArray(new double[] {-2, -0.5, 0, 0.5, 1, 3}, 2, 3);

    private static void assertSameValues(Tensor expected, Tensor got) {
        assertArrayEquals(expected.shape(), got.shape());
        assertArrayEquals(expected.toDoubleArray(), got.toDoubleArray(), 1e-15);
    }

    @Test
    void activationsApplyTheirTensorOp() {
        assertSameValues(X.relu(), new ReLU().forward(X));
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 1, 3}, new ReLU().forward(X).toDoubleArray());
        assertSameValues(X.leakyRelu(0.2), new LeakyReLU(0.2).forward(X));
        assertEquals(-0.4, new LeakyReLU(0.2).forward(X).get(0, 0), 1e-15);
        assertEquals(-0.02, new LeakyReLU().forward(X).get(0, 0), 1e-15);
        assertSameValues(X.tanh(), new Tanh().forward(X));
        assertSameValues(X.sigmoid(), new Sigmoid().forward(X));
        assertSameValues(X.gelu(), new GELU().forward(X));
        assertSameValues(X.gelu("tanh"), new GELU("tanh").forward(X));
        assertSameValues(X.softmax(1), new Softmax(1).forward(X));
        assertSameValues(X.logSoftmax(-1), new LogSoftmax(-1).forward(X));
        assertSame(X, new Identity().forward(X));
        var e = assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
        assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
    }

    @Test
    void activationsPassGradients() {
        Tensor x = X.detach().to(DType.F64).requiresGrad(true);
        new Sequential(new Tanh(), new Softmax(1)).forward(x).mul(Tensor.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3))
                .sum().backward();
        assertArrayEquals(new int[] {2, 3}, x.grad().shape());
    }

    @Test
    void flattenMergesDims() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).forward(x).shape());
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(x).shape());
        assertArrayEquals(new int[] {2, 3}, new Flatten().forward(Tensor.zeros(2, 3)).shape());
        Tensor t = Tensor.arange(6).reshape(2, 3).t(); // non-contiguous: flatten copies in row-major order
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, new Flatten(0, 1).forward(t).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1).forward(x));
        assertTrue(e.getMessage().contains("cannot flatten dims 2..1 of shape [2, 3, 4, 5]"), e.getMessage());
    }

    @Test
    void dropoutIsSeededInvertedAndIdentityInEval() {
        long seed = 42;
        double p = 0.3;
        Tensor x = Tensor.ones(DType.F64, 100, 100);
        Dropout d = new Dropout(p, new SplittableRandom(seed));
        double[] y = d.forward(x).toDoubleArray();
        int kept = 0;
        double sum = 0;
        for (double v : y) {
            assertTrue(v == 0 || Math.abs(v - 1 / (1 - p)) < 1e-12, "seed " + seed + ": value " + v);
            kept += v == 0 ? 0 : 1;
            sum += v;
        }
        // 10000 Bernoulli(0.7) draws: sd of the kept fraction is ~0.0046
        assertEquals(1 - p, kept / 10000.0, 0.02, "seed " + seed);
        assertEquals(1, sum / 10000, 0.03, "seed " + seed + ": inverted dropout keeps the mean");
        assertArrayEquals(y, new Dropout(p, new SplittableRandom(seed)).forward(x).toDoubleArray(),
                "same seed, same mask");
        double[] y2 = d.forward(x).toDoubleArray();
        assertTrue(!java.util.Arrays.equals(y, y2), "a fresh mask per call");
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        assertTrue(!java.util.Arrays.equals(x.toDoubleArray(), d.forward(x).toDoubleArray()));
    }

    @Test
    void dropoutEdgeProbabilities() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 4, 5).requiresGrad(true);
        assertSame(x, new Dropout(0, new SplittableRandom(2)).forward(x));
        Tensor z = new Dropout(1, new SplittableRandom(3)).forward(x);
        for (double v : z.toDoubleArray()) {
            assertEquals(0.0, v, 0.0); // -0.0 for negative inputs, as PyTorch
        }
        z.sum().backward();
        for (double g : x.grad().toDoubleArray()) {
            assertEquals(0.0, g, 0.0);
        }
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new Dropout(bad, new SplittableRandom(4)));
            assertTrue(e.getMessage().contains("between 0 and 1, got " + bad), e.getMessage());
        }
    }

    @Test
    void dropoutGradientIsTheMask() {
        Tensor x = Tensor.ones(DType.F64, 50).requiresGrad(true);
        Tensor y = new Dropout(0.5, new SplittableRandom(5)).forward(x).retain();
        y.sum().backward();
        assertArrayEquals(y.toDoubleArray(), x.grad().toDoubleArray());
    }
}
