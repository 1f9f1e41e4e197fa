package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise logistic function {@code 1 / (1 + exp(-x))}, PyTorch's {@code nn.Sigmoid}. */
public final class Sigmoid extends Layer {
    /** Creates the activation (it has no parameters). */
    public Sigmoid() {}

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
