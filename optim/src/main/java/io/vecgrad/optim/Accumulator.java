package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Kernels;

/**
 * Gradient accumulation over {@code every} micro-batches. Gradients already accumulate
 * ({@code +=}) across {@code backward()} calls until {@link Optimizer#zeroGrad()}, so the loop is:
 * <pre>{@code
 * var acc = new Accumulator(opt, 4);             // one update per 4 micro-batches
 * for (var batch : batches) {
 *     loss(batch).backward();                     // grads += this batch's gradient
 *     acc.step();                                 // every 4th call: average, step, zero
 * }
 * }</pre>
 * On every {@code every}-th call {@link #step()} scales the summed gradients by
 * {@code 1/every} (so a mean loss over micro-batches equals the mean loss over the large batch;
 * same as dividing each micro-batch loss by {@code every}), runs {@link Optimizer#step()} and
 * zeroes the gradients. On the other calls it does nothing. Clip in {@link #beforeStep}
 * if needed (subclass) or by calling {@link GradClip} when {@link #ready()} is true.
 */
public class Accumulator {
    private final Optimizer optimizer;
    private final int every;
    private final boolean average;
    private int pending;

    /**
     * Averages over {@code every} micro-batches.
     *
     * @throws IllegalArgumentException if {@code every < 1}
     */
    public Accumulator(Optimizer optimizer, int every) {
        this(optimizer, every, true);
    }

    /**
     * @param average scale by {@code 1/every} before stepping (false: step on the plain sum,
     *                e.g. when each micro-batch loss was already divided)
     * @throws IllegalArgumentException if {@code every < 1}
     */
    public Accumulator(Optimizer optimizer, int every, boolean average) {
        if (every < 1) {
            throw new IllegalArgumentException("Accumulator: invalid every " + every + ", expected >= 1");
        }
        this.optimizer = java.util.Objects.requireNonNull(optimizer, "optimizer");
        this.every = every;
        this.average = average;
    }

    /** True if the next {@link #step()} call will update the parameters. */
    public final boolean ready() {
        return pending + 1 == every;
    }

    /** Micro-batches accumulated since the last update. */
    public final int pending() {
        return pending;
    }

    /**
     * Records one micro-batch; on every {@code every}-th call averages, steps and zeroes.
     *
     * @return true if the parameters were updated
     */
    public final boolean step() {
        if (++pending < every) {
            return false;
        }
        pending = 0;
        if (average && every > 1) {
            Kernels k = Kernels.get();
            double scale = 1.0 / every;
            for (Tensor p : optimizer.params()) {
                Tensor g = p.grad();
                if (g != null) {
                    k.affine(g.buffer(), scale, 0, g.buffer());
                }
            }
        }
        beforeStep(optimizer);
        optimizer.step();
        optimizer.zeroGrad();
        return true;
    }

    /** Hook run after averaging and before the update (for clipping); does nothing by default. */
    protected void beforeStep(Optimizer optimizer) {}
}
