package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.vecgrad.engine.DType;
import org.junit.jupiter.api.Test;

/** Regressions found by the acceptance runner (ops/reshape/5). */
class ViewCopyBackwardTest {

    private static Tensor x() {
        return Tensor.fromArray(DType.F64, new double[] {0, 1, 2, 3, 4, 5}, 2, 3).requiresGrad(true);
    }

    @Test
    void reshapeOfTransposedTensorBackpropagates() {
        Tensor x = x();
        Tensor y = x.transpose(0, 1).reshape(6); // not a view: copies, then views the copy
        y.backward(Tensor.fromArray(DType.F64, new double[] {1, 2, 3, 4, 5, 6}, 6));
        // y = [x00, x10, x01, x11, x02, x12]
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, x.grad().toDoubleArray());
    }

    @Test
    void retainedViewOfAnInternalCopyStaysReadable() {
        Tensor x = x();
        Tensor y = x.transpose(0, 1).reshape(6).retain();
        y.mul(2).sum().backward();
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, y.toDoubleArray());
        assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, x.grad().toDoubleArray());
    }
}
