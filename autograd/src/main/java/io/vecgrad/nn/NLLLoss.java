package io.vecgrad.nn;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.autograd.Indices;
import java.util.Objects;

/**
 * Negative log-likelihood of log-probabilities against class labels: {@code -output[i, target_i]}, reduced over the batch; follows {@link LogSoftmax}.
 * PyTorch's {@code nn.NLLLoss}; see {@link Losses#nll}.
 */
public final class NLLLoss implements Loss<Indices> {
    private final Reduction reduction;

    /** With the mean reduction. */
    public NLLLoss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction. */
    public NLLLoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    /** How per-element losses are combined. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * {@inheritDoc}
     *
     * @param output log-probabilities {@code [N, C]} (or {@code [C]} for one sample)
     * @param target class indices {@code [N]} in {@code 0..C-1}
     */
    @Override
    public Tensor apply(Tensor output, Indices target) {
        return Losses.nll(output, target, reduction);
    }

    @Override
    public String toString() {
        return "NLLLoss(reduction=" + reduction.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
