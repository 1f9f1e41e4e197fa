package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise {@code x·sigmoid(x)} (swish), PyTorch's {@code nn.SiLU}. */
public final class SiLU extends Layer {
    /** Creates the activation (it has no parameters). */
    public SiLU() {}

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.silu();
    }
}
