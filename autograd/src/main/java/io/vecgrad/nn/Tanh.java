package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise hyperbolic tangent, PyTorch's {@code nn.Tanh}. */
public final class Tanh extends Layer {
    /** Creates the activation (it has no parameters). */
    public Tanh() {}

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
