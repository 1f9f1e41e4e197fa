package io.vecgrad.nn;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;

import java.util.Objects;

/**
 * Binary cross-entropy of logits against probabilities {@code t ∈ [0, 1]}, computed stably as {@code max(x, 0) - x·t + log(1 + exp(-|x|))}, reduced.
 * PyTorch's {@code nn.BCEWithLogitsLoss}; see {@link Losses#bceWithLogits}.
 */
public final class BCEWithLogitsLoss implements Loss<Tensor> {
    private final Reduction reduction;

    /** With the mean reduction. */
    public BCEWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction. */
    public BCEWithLogitsLoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    /** How per-element losses are combined. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * {@inheritDoc}
     *
     * @param output logits, any shape
     * @param target targets in [0, 1], the same shape and dtype
     */
    @Override
    public Tensor apply(Tensor output, Tensor target) {
        return Losses.bceWithLogits(output, target, reduction);
    }

    @Override
    public String toString() {
        return "BCEWithLogitsLoss(reduction=" + reduction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
