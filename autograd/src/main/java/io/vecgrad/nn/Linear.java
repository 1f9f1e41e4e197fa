package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;
import java.util.random.RandomGenerator;

/**
 * Affine map {@code y = x·Wᵀ + b}, PyTorch's {@code nn.Linear}: weight {@code [out, in]},
 * bias {@code [out]}; input {@code [..., in]}, output {@code [..., out]}.
 *
 * <p>Initialised as PyTorch does by default: the weight by {@link Init#kaimingUniform} with
 * {@code a = √5} (which is {@code U(-1/√in, 1/√in)}), then the bias from
 * {@code U(-1/√in, 1/√in)}, both drawn from the given generator in that order.
 */
public final class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A layer with freshly initialised parameters of the given dtype.
     *
     * @param bias whether to add a learnable bias
     * @param gen the seeded generator the initial values are drawn from
     * @throws IllegalArgumentException if a size is negative
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, RandomGenerator gen, DType dtype) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: sizes must be non-negative, got in_features=" + inFeatures
                    + ", out_features=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(dtype, outFeatures, inFeatures));
        Init.kaimingUniform(weight, gen, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU);
        if (bias) {
            this.bias = registerParameter("bias", Tensor.zeros(dtype, outFeatures));
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform(this.bias, gen, -bound, bound);
        } else {
            this.bias = null;
        }
    }

    /** An f32 layer with bias. */
    public Linear(int inFeatures, int outFeatures, RandomGenerator gen) {
        this(inFeatures, outFeatures, true, gen, DType.F32);
    }

    /**
     * The functional form {@code x·Wᵀ + b} (PyTorch's {@code F.linear}); {@code bias} may be null.
     * One recorded op ({@link Tensor#linear}).
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return x.linear(weight, bias);
    }

    /**
     * {@code x·Wᵀ + b}.
     *
     * @param input {@code [..., in_features]} of the layer's dtype
     * @return {@code [..., out_features]}
     * @throws IllegalArgumentException naming the layer, in_features and the input's shape if
     *     the last dim is not in_features, or if the dtype differs
     */
    @Override
    public Tensor forward(Tensor input) {
        if (input.ndim() == 0 || input.dim(-1) != inFeatures) {
            throw new IllegalArgumentException(this + ": expected input [..., " + inFeatures + "] (in_features="
                    + inFeatures + "), got shape " + Shape.format(input.dims()));
        }
        if (input.dtype() != weight.dtype()) {
            throw new IllegalArgumentException(this + ": input is " + input.dtype() + " but the layer is "
                    + weight.dtype() + "; convert with input.to(" + weight.dtype() + ")");
        }
        return linear(input, weight, bias);
    }

    /** The weight {@code [out_features, in_features]} (the registered parameter itself). */
    public Tensor weight() {
        return weight;
    }

    /** The bias {@code [out_features]}, or null for a layer without bias. */
    public Tensor bias() {
        return bias;
    }

    /** Size of the last input dim. */
    public int inFeatures() {
        return inFeatures;
    }

    /** Size of the last output dim. */
    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}
