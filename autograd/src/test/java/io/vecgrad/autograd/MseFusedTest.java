package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgrad.engine.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * MSE with a reduction is one fused node ({@link Op#MSE}); its value and both gradients must
 * have exactly the bits of the composed program {@code (input - target)^2} summed (and scaled
 * by 1/count for the mean) that it replaces.
 */
class MseFusedTest {
    private static final long SEED = 20261203L;

    private static Tensor copyOf(Tensor t) {
        return Tensor.fromArray(t.dtype(), t.buffer().toDoubleArray(), t.dims()).requiresGrad(true);
    }

    @Test
    void fusedMatchesComposedBitForBit() {
        System.out.println("MseFusedTest seed " + SEED);
        SplittableRandom r = new SplittableRandom(SEED);
        for (DType dt : new DType[] {DType.F32, DType.F64}) {
            for (Reduction red : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
                for (int[] dims : new int[][] {{32, 1}, {7, 13}, {1}, {3, 2, 5}, {100}}) {
                    Tensor x1 = Tensor.randn(r, dt, dims).requiresGrad(true);
                    Tensor t1 = Tensor.randn(r, dt, dims).requiresGrad(true);
                    Tensor x2 = copyOf(x1);
                    Tensor t2 = copyOf(t1);
                    Tensor fused = Losses.mse(x1, t1, red);
                    assertEquals("MseLossBackward", fused.gradFn());
                    Tensor sq = x2.sub(t2).square();
                    Tensor composed = red == Reduction.MEAN ? sq.mean() : sq.sum();
                    assertEquals(composed.item(), fused.item(), 0.0, dt + " " + red);
                    fused.mul(3).backward();
                    composed.mul(3).backward();
                    assertArrayEquals(x2.grad().buffer().toDoubleArray(), x1.grad().buffer().toDoubleArray(), 0.0);
                    assertArrayEquals(t2.grad().buffer().toDoubleArray(), t1.grad().buffer().toDoubleArray(), 0.0);
                }
            }
        }
    }

    @Test
    void targetWithoutGradAndNoGradMode() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        Tensor x = Tensor.randn(r, DType.F32, 4, 3).requiresGrad(true);
        Tensor t = Tensor.randn(r, DType.F32, 4, 3);
        Losses.mse(x, t, Reduction.MEAN).backward();
        Tensor x2 = copyOf(x);
        x2.sub(t).square().mean().backward();
        assertArrayEquals(x2.grad().buffer().toDoubleArray(), x.grad().buffer().toDoubleArray(), 0.0);
        try (var _ = Tensor.noGrad()) {
            Tensor v = Losses.mse(x, t, Reduction.SUM);
            assertEquals(null, v.gradFn());
            assertEquals(x.detach().sub(t).square().sum().item(), v.item(), 0.0);
        }
    }
}
