package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue, "valid programs rejected with internal errors": each program below is one
 * PyTorch accepts, with PyTorch's answer. They used to fail with an internal message (a view
 * past an empty storage, a reshape of [-1, 0], a partial-overlap check, a raw JDK exception).
 */
class ValidProgramsRejectedTest {

    @Test
    void sumOfEmptyIsZero() {
        assertEquals(0.0, Tensor.zeros(0).sum().item());
        assertArrayEquals(new double[] {0, 0, 0}, Tensor.zeros(DType.F64, 3, 0).sum(1).toDoubleArray());
        Tensor x = Tensor.zeros(0).requiresGrad(true);
        x.sum().backward();
        assertArrayEquals(new int[] {0}, x.grad().dims());
    }

    @Test
    void meanOfEmptyIsNaN() {
        assertTrue(Double.isNaN(Tensor.zeros(0).mean().item()));
        assertTrue(Double.isNaN(Tensor.zeros(DType.F64, 0, 2).mean().item()));
    }

    @Test
    void maxAlongNonEmptyDimOfEmptyTensorIsEmpty() {
        Tensor m = Tensor.zeros(0, 4).max(1, false);
        assertArrayEquals(new int[] {0}, m.dims());
        assertArrayEquals(new int[] {0, 1}, Tensor.zeros(0, 4).max(1, true).dims());
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 4).min(1, false).dims());
        assertEquals(0, Tensor.zeros(0, 4).argmax(1).raw().length);
    }

    @Test
    void matmulWithEmptyInnerDimIsZerosAndSoIsItsBackward() {
        Tensor a = Tensor.zeros(1, 4, 0).requiresGrad(true);
        Tensor b = Tensor.zeros(0, 3).requiresGrad(true);
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {1, 4, 3}, c.dims());
        assertArrayEquals(new double[12], c.toDoubleArray());
        c.sum().backward();
        assertArrayEquals(new int[] {1, 4, 0}, a.grad().dims());
        assertArrayEquals(new int[] {0, 3}, b.grad().dims());
        // the 2-D case through gemm too, in f64
        assertArrayEquals(new double[6], Tensor.zeros(DType.F64, 2, 0).matmul(Tensor.zeros(DType.F64, 0, 3))
                .toDoubleArray());
    }

    @Test
    void logSoftmaxOfZeroDimTensorBackward() {
        Tensor s = Tensor.scalar(1.5).requiresGrad(true);
        Tensor y = s.logSoftmax(0);
        assertEquals(0.0, y.item());
        y.backward();
        assertEquals(0.0, s.grad().item()); // d/ds (s - logsumexp(s)) = 1 - 1
        Tensor t = Tensor.scalar(DType.F64, -2).requiresGrad(true);
        t.softmax(-1).backward();
        assertEquals(0.0, t.grad().item());
    }

    @Test
    void concatOfTheSameNonLeafTwice() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0, 4.0).reshape(2, 2).requiresGrad(true);
        Tensor y = x.mul(2);
        Tensor c = Tensor.concat(1, y, y);
        assertArrayEquals(new double[] {2, 4, 2, 4, 6, 8, 6, 8}, c.toDoubleArray());
        c.backward(Tensor.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0).reshape(2, 4));
        // dy = g[:, :2] + g[:, 2:], dx = 2 dy
        assertArrayEquals(new double[] {8, 12, 24, 28}, x.grad().toDoubleArray());
    }

    @Test
    void narrowOfEmptyTensorToDoubleArray() {
        assertArrayEquals(new double[0], Tensor.zeros(DType.F64, 2, 0).narrow(0, 1, 1).toDoubleArray());
        assertArrayEquals(new float[0], Tensor.zeros(DType.F32, 2, 0).narrow(0, 1, 1).toFloatArray());
        assertEquals(0, Tensor.zeros(DType.F64, 2, 0).narrow(0, 1, 1).add(1).numel());
    }
}
