package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** Elementwise {@code scale·(x > 0 ? x : alpha·(e^x - 1))} with PyTorch's fixed constants, {@code nn.SELU}. */
public final class SELU extends Layer {
    /** Creates the activation (it has no parameters). */
    public SELU() {}

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.selu();
    }
}
