package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout, PyTorch's {@code nn.Dropout}: in training mode each element is zeroed with
 * probability {@code p} and the survivors are scaled by {@code 1/(1-p)}, so the expected value
 * is unchanged; in evaluation mode (and for {@code p = 0}) it returns the input itself. The
 * masks are drawn from the given generator, so a seeded generator makes runs reproducible.
 * Works on inputs of any shape (0-d included); see {@link Tensor#dropout}.
 */
public final class Dropout extends Layer {
    private final double p;
    private RandomGenerator gen;

    /**
     * Drops with probability {@code p}, drawing masks from {@code gen}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public Dropout(double p, RandomGenerator gen) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability must be between 0 and 1, got " + p);
        }
        this.p = p;
        this.gen = gen;
    }

    /**
     * Restarts the mask generator from a seed. A training loop reseeds every epoch from
     * (run seed, epoch) so a run resumed from a checkpoint draws the same masks as one that
     * never stopped.
     */
    public void reseed(long seed) {
        this.gen = new java.util.SplittableRandom(seed);
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    /**
     * Training: {@code input · mask} with mask elements {@code 0} (probability p) or
     * {@code 1/(1-p)}, a fresh mask per call; all zeros for {@code p = 1}. Evaluation or
     * {@code p = 0}: the input itself. Output shape = input shape.
     */
    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        return input.dropout(p, gen); // any shape; the mask comes from the graph's buffer pool
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
