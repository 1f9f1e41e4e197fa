package io.vecgrad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Gradients through DJL's GradientCollector on vecgrad's autograd, against hand derivatives. */
class VgGradientCollectorTest {

    @Test
    void gradientsOfACompositeExpression() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray w = m.create(new float[] {0.5f, -1, 2, 0.25f}, new Shape(2, 2));
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // L = sum((x @ w) * x) + sum(exp(x) / 10)
                NDArray y = x.matMul(w).mul(x).sum().add(x.exp().div(10).sum());
                gc.backward(y);
            }
            // dL/dx = g @ w^T + (x @ w) + exp(x)/10 with g = x ; dL/dw = x^T @ x
            float[] xv = {1, 2, 3, 4};
            float[] wv = {0.5f, -1, 2, 0.25f};
            float[] dx = new float[4];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    float gwt = 0;
                    float xw = 0;
                    for (int k = 0; k < 2; k++) {
                        gwt += xv[i * 2 + k] * wv[j * 2 + k];
                        xw += xv[i * 2 + k] * wv[k * 2 + j];
                    }
                    dx[i * 2 + j] = gwt + xw + (float) Math.exp(xv[i * 2 + j]) / 10;
                }
            }
            assertArrayEquals(dx, x.getGradient().toFloatArray(), 1e-4f);
            assertArrayEquals(new float[] {10, 14, 14, 20}, w.getGradient().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void gradientsAccumulateWithinACollectorAndNothingRecordsOutside() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            for (int i = 0; i < 2; i++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(x.mul(x).sum());
                    gc.backward(x.sum());
                }
                // a new collector starts from zero: 2x + 1 each time, not accumulated across collectors
                assertArrayEquals(new float[] {3, 5, 7}, x.getGradient().toFloatArray());
            }
            NDArray outside = x.mul(2);
            assertFalse(((VgNDArray) outside).tensor().requiresGrad());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertThrows(IllegalStateException.class, () -> gc.backward(outside.sum()));
                gc.zeroGradients();
            }
            assertArrayEquals(new float[] {0, 0, 0}, x.getGradient().toFloatArray());
        }
    }
}
