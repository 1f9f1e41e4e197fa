package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * Gaussian error linear unit, PyTorch's {@code nn.GELU}: exact {@code x/2·(1 + erf(x/√2))}
 * ({@code approximate = "none"}) or the tanh approximation ({@code "tanh"}).
 */
public final class GELU extends Layer {
    private final String approximate;

    /** The exact form. */
    public GELU() {
        this("none");
    }

    /**
     * With PyTorch's {@code approximate} argument.
     *
     * @throws IllegalArgumentException unless it is {@code "none"} or {@code "tanh"}
     */
    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    /** Applies it elementwise; the output has the input's shape. */
    @Override
    public Tensor forward(Tensor input) {
        return input.gelu(approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
