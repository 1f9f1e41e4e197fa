package io.vecgrad.nn;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.autograd.Indices;
import java.util.Objects;

/**
 * Cross-entropy of logits against class labels: {@code -log softmax(output)[i, target_i]} (a fused, stable log-softmax + NLL), reduced over the batch.
 * PyTorch's {@code nn.CrossEntropyLoss}; see {@link Losses#crossEntropy}.
 */
public final class CrossEntropyLoss implements Loss<Indices> {
    private final Reduction reduction;

    /** With the mean reduction. */
    public CrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction. */
    public CrossEntropyLoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    /** How per-element losses are combined. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * {@inheritDoc}
     *
     * @param output logits {@code [N, C]} (or {@code [C]} for one sample)
     * @param target class indices {@code [N]} in {@code 0..C-1}
     */
    @Override
    public Tensor apply(Tensor output, Indices target) {
        return Losses.crossEntropy(output, target, reduction);
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss(reduction=" + reduction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
