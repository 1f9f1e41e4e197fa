package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise {@code x / (1 + |x|)}, PyTorch's {@code nn.Softsign}. */
public final class Softsign extends Layer {
    /** Creates the activation (it has no parameters). */
    public Softsign() {}

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.softsign();
    }
}
