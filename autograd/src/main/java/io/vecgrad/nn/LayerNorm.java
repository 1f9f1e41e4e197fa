package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;

/**
 * Layer normalization over the trailing {@code normalizedShape} dims, PyTorch's
 * {@code nn.LayerNorm}: with {@code elementwiseAffine}, learnable {@code weight} (ones) and
 * {@code bias} (zeros) of shape normalizedShape. Same behaviour in training and evaluation.
 */
public final class LayerNorm extends Layer {
    private final int[] normalizedShape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** An f32 layer over the last dim of size {@code size}, eps 1e-5, affine. */
    public LayerNorm(int size) {
        this(new int[] {size}, 1e-5, true, DType.F32);
    }

    /**
     * A layer over the trailing dims {@code normalizedShape}.
     *
     * @throws IllegalArgumentException if normalizedShape is empty or has a non-positive size,
     *     or eps is negative
     */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, DType dtype) {
        if (normalizedShape.length == 0 || java.util.Arrays.stream(normalizedShape).anyMatch(d -> d <= 0)
                || !(eps >= 0)) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must be non-empty with positive sizes and "
                    + "eps >= 0, got " + Shape.format(normalizedShape) + ", eps " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(dtype, normalizedShape)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(dtype, normalizedShape)) : null;
    }

    /**
     * Normalises over the trailing dims; the output has the input's shape.
     *
     * @throws IllegalArgumentException if the input does not end with normalized_shape
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.layerNorm(normalizedShape, weight, bias, eps);
    }

    /** The scale, or null without affine. */
    public Tensor weight() {
        return weight;
    }

    /** The shift, or null without affine. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return Shape.format(normalizedShape) + ", eps=" + eps + ", elementwise_affine=" + (weight != null);
    }

    /** Constructor arguments for {@link Architecture}: eps, elementwise_affine, then normalized_shape. */
    double[] config() {
        double[] c = new double[2 + normalizedShape.length];
        c[0] = eps;
        c[1] = weight != null ? 1 : 0;
        for (int i = 0; i < normalizedShape.length; i++) {
            c[2 + i] = normalizedShape[i];
        }
        return c;
    }
}
