package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise {@code max(x, 0)}, PyTorch's {@code nn.ReLU}. */
public final class ReLU extends Layer {
    /** Creates the activation (it has no parameters). */
    public ReLU() {}

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
