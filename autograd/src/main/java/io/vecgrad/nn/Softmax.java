package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** {@code exp(x) / sum(exp(x))} along {@code dim}, PyTorch's {@code nn.Softmax}. */
public final class Softmax extends Layer {
    private final int dim;

    /** Along {@code dim} (negative counts from the end; PyTorch's usual choice is 1 or -1). */
    public Softmax(int dim) {
        this.dim = dim;
    }

    /**
     * Applies it along the dim; the output has the input's shape.
     *
     * @throws IndexOutOfBoundsException if the dim is out of range for the input
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
