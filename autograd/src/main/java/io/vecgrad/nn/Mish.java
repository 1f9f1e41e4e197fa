package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise {@code x·tanh(softplus(x))}, PyTorch's {@code nn.Mish}. */
public final class Mish extends Layer {
    /** Creates the activation (it has no parameters). */
    public Mish() {}

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.mish();
    }
}
