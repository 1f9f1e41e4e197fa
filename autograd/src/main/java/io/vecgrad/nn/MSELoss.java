package io.vecgrad.nn;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;

import java.util.Objects;

/**
 * Squared error {@code (output - target)²}, reduced.
 * PyTorch's {@code nn.MSELoss}; see {@link Losses#mse}.
 */
public final class MSELoss implements Loss<Tensor> {
    private final Reduction reduction;

    /** With the mean reduction. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction. */
    public MSELoss(Reduction reduction) {
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
        return Losses.mse(output, target, reduction);
    }

    @Override
    public String toString() {
        return "MSELoss(reduction=" + reduction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
