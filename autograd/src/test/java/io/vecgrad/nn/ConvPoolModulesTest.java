package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The convolution and pooling modules: shapes, PyTorch's default initialisation bounds, forwards. */
class ConvPoolModulesTest {

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Values spread over most of [-bound, bound] and never past it. */
    private static void assertUniformWithin(Tensor t, double bound) {
        double m = maxAbs(t);
        assertTrue(m <= bound, "max |v| " + m + " > bound " + bound);
        assertTrue(m > 0.7 * bound, "max |v| " + m + " is far below the bound " + bound + ": wrong scale?");
    }

    @Test
    void conv2dInitAndForward() {
        Conv2d c = new Conv2d(6, 8, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 2, true,
                new SplittableRandom(1), DType.F64);
        assertArrayEquals(new int[] {8, 3, 3, 2}, c.weight().shape());
        assertEquals(List.of("weight", "bias"), List.copyOf(c.namedParameters().keySet()));
        double bound = 1 / Math.sqrt(3 * 3 * 2); // fan_in = in/groups * kH * kW
        assertUniformWithin(c.weight(), bound);
        assertTrue(maxAbs(c.bias()) <= bound);
        Tensor x = Tensor.randn(new SplittableRandom(2), DType.F64, 2, 6, 7, 5);
        Tensor y = c.forward(x);
        assertArrayEquals(new int[] {2, 8, 4, 4}, y.shape());
        assertArrayEquals(x.conv2d(c.weight(), c.bias(), new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 2)
                .toDoubleArray(), y.toDoubleArray(), 0);
        assertTrue(c.toString().contains("kernel_size=(3, 2)"), c.toString());
        // same seed, same weights
        Conv2d d = new Conv2d(6, 8, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 2, true,
                new SplittableRandom(1), DType.F64);
        assertArrayEquals(c.weight().toDoubleArray(), d.weight().toDoubleArray(), 0);
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 8, 3, 1, 0, new SplittableRandom(1)).forward(
                Tensor.zeros(1, 5, 7, 7)));
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 8, new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, 4, true, new SplittableRandom(1), DType.F32));
        assertTrue(e.getMessage().contains("groups 4"), e.getMessage());
    }

    @Test
    void conv1dAndTransposedInit() {
        Conv1d c = new Conv1d(4, 6, 5, 2, 2, 1, 2, false, new SplittableRandom(3), DType.F32);
        assertArrayEquals(new int[] {6, 2, 5}, c.weight().shape());
        assertNull(c.bias());
        assertUniformWithin(c.weight(), 1 / Math.sqrt(2 * 5));
        assertArrayEquals(new int[] {3, 6, 8}, c.forward(Tensor.zeros(3, 4, 16)).shape());

        ConvTranspose2d t = new ConvTranspose2d(4, 6, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
                new int[] {1, 1}, 2, true, new int[] {1, 1}, new SplittableRandom(4), DType.F32);
        assertArrayEquals(new int[] {4, 3, 3, 3}, t.weight().shape()); // [in, out / groups, kH, kW]
        double bound = 1 / Math.sqrt(3 * 3 * 3);                        // fan_in = (out / groups) * kH * kW
        assertUniformWithin(t.weight(), bound);
        assertTrue(maxAbs(t.bias()) <= bound);
        assertArrayEquals(new int[] {2, 6, 8, 10}, t.forward(Tensor.zeros(2, 4, 4, 5)).shape());
    }

    @Test
    void poolModulesApplyTheirOps() {
        Tensor x = Tensor.randn(new SplittableRandom(5), DType.F64, 2, 3, 7, 6);
        assertArrayEquals(x.maxPool2d(2).toDoubleArray(), new MaxPool2d(2).forward(x).toDoubleArray(), 0);
        assertArrayEquals(x.avgPool2d(2).toDoubleArray(), new AvgPool2d(2).forward(x).toDoubleArray(), 0);
        assertArrayEquals(new int[] {2, 3, 3, 3}, new MaxPool2d(2).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 1, 1}, new AdaptiveAvgPool2d(1).forward(x).shape());
        assertArrayEquals(x.adaptiveMaxPool2d(2, 3).toDoubleArray(), new AdaptiveMaxPool2d(2, 3).forward(x).toDoubleArray(), 0);
        Tensor s = Tensor.randn(new SplittableRandom(6), DType.F64, 2, 3, 9);
        assertArrayEquals(new int[] {2, 3, 4}, new MaxPool1d(2).forward(s).shape());
        assertArrayEquals(new int[] {2, 3, 5}, new AvgPool1d(3, 2, 1, false, true).forward(s).shape());
        assertNotEquals(new MaxPool2d(2).toString(), new AvgPool2d(2).toString());
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveMaxPool2d(0));
        // a small CNN end to end: conv -> relu -> pool -> flatten keeps the batch dim
        Sequential net = new Sequential(new Conv2d(3, 4, 3, 1, 1, new SplittableRandom(7)), new ReLU(),
                new MaxPool2d(2), new Flatten());
        assertArrayEquals(new int[] {2, 4 * 3 * 3}, net.forward(x.to(DType.F32)).shape());
    }
}
