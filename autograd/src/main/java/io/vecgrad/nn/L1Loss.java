package io.vecgrad.nn;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;

import java.util.Objects;

/**
 * Absolute error {@code |output - target|}, reduced.
 * PyTorch's {@code nn.L1Loss}; see {@link Losses#l1}.
 */
public final class L1Loss implements Loss<Tensor> {
    private final Reduction reduction;

    /** With the mean reduction. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction. */
    public L1Loss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    /** How per-element losses are combined. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * {@inheritDoc}
     *
     * @param output predictions, any shape
     * @param target the same shape and dtype
     */
    @Override
    public Tensor apply(Tensor output, Tensor target) {
        return Losses.l1(output, target, reduction);
    }

    @Override
    public String toString() {
        return "L1Loss(reduction=" + reduction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
