package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.vecgrad.engine.DType;
import org.junit.jupiter.api.Test;

/**
 * Hardening issue D1: {@code Shape.view} merged dims across a size-1 dim using that dim's
 * stride, so reshape/view/flatten/squeeze/unsqueeze/stack (and its backward) and batched matmul
 * returned wrong values with no error. Each test is one reported program with PyTorch's answer.
 */
class ViewAcrossSizeOneDimTest {

    @Test
    void reshapeOfNarrowedTensorWithSizeOneDim() {
        Tensor y = Tensor.arange(12).reshape(4, 1, 3).narrow(2, 1, 2).reshape(4, 2);
        assertArrayEquals(new double[] {1, 2, 4, 5, 7, 8, 10, 11}, y.toDoubleArray());
        Tensor f = Tensor.arange(12).reshape(4, 1, 3).narrow(2, 1, 2).flatten();
        assertArrayEquals(new double[] {1, 2, 4, 5, 7, 8, 10, 11}, f.toDoubleArray());
        Tensor s = Tensor.arange(12).reshape(4, 1, 3).narrow(2, 1, 2).squeeze();
        assertArrayEquals(new double[] {1, 2, 4, 5, 7, 8, 10, 11}, s.toDoubleArray());
    }

    @Test
    void batchedMatmulOfTransposedTensorWithSizeOneBatchDim() {
        Tensor a = Tensor.arange(DType.F32, 0, 24, 1).reshape(3, 1, 2, 4).transpose(-1, -2);
        Tensor v = Tensor.of(1f, 10f);
        assertArrayEquals(a.contiguous().matmul(v).toDoubleArray(), a.matmul(v).toDoubleArray());
        // row [i, 0, j] = a[i,0,j,0] + 10 a[i,0,j,1] = x[i,0,0,j] + 10 x[i,0,1,j]
        assertArrayEquals(new double[] {40, 51, 62, 73, 128, 139, 150, 161, 216, 227, 238, 249},
                a.matmul(v).toDoubleArray());
    }

    @Test
    void stackBackwardWithSizeOneDim() {
        Tensor a = Tensor.arange(DType.F64, 0, 4, 1).reshape(2, 1, 2).requiresGrad(true);
        Tensor b = Tensor.arange(DType.F64, 0, 4, 1).reshape(2, 1, 2).requiresGrad(true);
        Tensor.stack(2, a, b).backward(Tensor.arange(DType.F64, 0, 8, 1).reshape(2, 1, 2, 2));
        assertArrayEquals(new double[] {0, 1, 4, 5}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {2, 3, 6, 7}, b.grad().toDoubleArray());
    }

    @Test
    void unsqueezeOfExpandedTensorCopiesWithinItsStorage() {
        Tensor y = Tensor.ones(4, 2).expand(2, 1, 4, 2).unsqueeze(-1).copy();
        assertArrayEquals(new int[] {2, 1, 4, 2, 1}, y.dims());
        double[] want = new double[16];
        java.util.Arrays.fill(want, 1);
        assertArrayEquals(want, y.toDoubleArray());
    }
}
