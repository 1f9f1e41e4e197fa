package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/** {@code x - logsumexp(x)} along {@code dim} (stable), PyTorch's {@code nn.LogSoftmax}. */
public final class LogSoftmax extends Layer {
    private final int dim;

    /** Along {@code dim} (negative counts from the end; PyTorch's usual choice is 1 or -1). */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    /**
     * Applies it along the dim; the output has the input's shape.
     *
     * @throws IndexOutOfBoundsException if the dim is out of range for the input
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
