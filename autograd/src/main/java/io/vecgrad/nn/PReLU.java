package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;

/**
 * {@code x > 0 ? x : a·x} with a learned slope {@code a}, PyTorch's {@code nn.PReLU}: one slope
 * shared by all channels ({@code numParameters = 1}) or one per channel (dim 1 of the input),
 * initialised to {@code init} (PyTorch: 0.25). Parameter {@code weight [numParameters]}.
 */
public final class PReLU extends Layer {
    private final Tensor weight;

    /** One shared f32 slope starting at 0.25. */
    public PReLU() {
        this(1, 0.25, DType.F32);
    }

    /**
     * {@code numParameters} slopes of the dtype, all starting at {@code init}.
     *
     * @throws IllegalArgumentException if numParameters is not positive or init not finite
     */
    public PReLU(int numParameters, double init, DType dtype) {
        if (numParameters <= 0 || !Double.isFinite(init)) {
            throw new IllegalArgumentException("PReLU: num_parameters must be positive and init finite, got "
                    + numParameters + ", " + init);
        }
        this.weight = registerParameter("weight", Tensor.full(dtype, init, numParameters));
    }

    /** The slopes (the registered parameter). */
    public Tensor weight() {
        return weight;
    }

    /**
     * Applies it; the output has the input's shape.
     *
     * @throws IllegalArgumentException if there is more than one slope and it does not match the
     *     input's channel count (dim 1)
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.prelu(weight);
    }

    @Override
    protected String extraRepr() {
        return "num_parameters=" + weight.numel();
    }
}
