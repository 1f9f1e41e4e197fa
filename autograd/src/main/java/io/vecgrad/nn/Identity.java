package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Returns its input unchanged (the same tensor), PyTorch's {@code nn.Identity}. */
public final class Identity extends Layer {
    /** Creates the module (it has no parameters). */
    public Identity() {}

    /** Returns {@code input} itself. */
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
