package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;

/**
 * Group normalization, PyTorch's {@code nn.GroupNorm}: the channels of {@code [N, C, *]} input
 * split into {@code numGroups} groups, each (sample, group) normalised by its own statistics,
 * then a per-channel affine transform ({@code weight} ones, {@code bias} zeros, when affine).
 * Same behaviour in training and evaluation.
 */
public final class GroupNorm extends Layer {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** An f32 layer with eps 1e-5 and affine parameters. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true, DType.F32);
    }

    /**
     * A layer with the given settings.
     *
     * @throws IllegalArgumentException if numChannels is not a positive multiple of a positive
     *     numGroups, or eps is negative
     */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine, DType dtype) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0 || !(eps >= 0)) {
            throw new IllegalArgumentException("GroupNorm: num_channels (" + numChannels
                    + ") must be a positive multiple of num_groups (" + numGroups + ") and eps >= 0 (" + eps + ")");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.ones(dtype, numChannels)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(dtype, numChannels)) : null;
    }

    /**
     * Normalises; the output has the input's shape.
     *
     * @throws IllegalArgumentException if dim 1 of the input is not num_channels
     */
    @Override
    public Tensor forward(Tensor input) {
        if (input.ndim() < 2 || input.dim(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm: expected input [N, " + numChannels + ", *], got "
                    + io.vecgrad.engine.Shape.format(input.dims()));
        }
        return input.groupNorm(numGroups, weight, bias, eps);
    }

    /** The scale {@code [C]}, or null without affine. */
    public Tensor weight() {
        return weight;
    }

    /** The shift {@code [C]}, or null without affine. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (weight != null);
    }

    /** Constructor arguments for {@link Architecture}: num_groups, num_channels, eps, affine. */
    double[] config() {
        return new double[] {numGroups, numChannels, eps, weight != null ? 1 : 0};
    }
}
