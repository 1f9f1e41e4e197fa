package io.vecgrad.optim;

/**
 * A learning-rate schedule: the optimizer's rate as a closed-form function of an epoch counter,
 * with PyTorch's semantics. Constructing a scheduler sets the optimizer's rate to the value at
 * epoch 0; each {@link #step()} advances the counter by one and sets the rate for the new value.
 * Whether an "epoch" is an epoch or a batch is up to the caller: call {@link #step()} after
 * {@link Optimizer#step()} once per epoch, or once per batch.
 *
 * <p>The base rate is the optimizer's rate when the first scheduler was attached to it
 * (PyTorch's {@code initial_lr}), so several schedulers built on one optimizer (for
 * {@link SequentialLR}) share it.
 *
 * <pre>{@code
 * var sched = new CosineAnnealingLR(opt, epochs, 0);
 * for (int e = 0; e < epochs; e++) { trainOneEpoch(opt); sched.step(); }
 * }</pre>
 */
public abstract class LrScheduler {
    private final Optimizer optimizer;
    private final double baseLr;
    private long lastEpoch;

    /**
     * Attaches to {@code optimizer} and sets its rate to {@code lrAt(0)}. Subclasses assign
     * their fields before calling this constructor (it calls {@link #lrAt}).
     */
    @SuppressWarnings("this-escape") // by design: subclasses set their fields before super() (JEP 513)
    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = java.util.Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.initialLr();
        optimizer.setLr(lrAt(0));
    }

    /** The rate at {@code epoch} (>= 0) for this schedule's base rate. */
    public abstract double lrAt(long epoch);

    /** Advances the epoch counter and sets the optimizer's rate for it. */
    public final void step() {
        lastEpoch++;
        optimizer.setLr(lrAt(lastEpoch));
    }

    /** The epoch counter: 0 after construction, +1 per {@link #step()}. */
    public final long lastEpoch() {
        return lastEpoch;
    }

    /**
     * Jumps to {@code epoch} (for resuming from a checkpoint) and sets the rate for it.
     *
     * @throws IllegalArgumentException if {@code epoch < 0}
     */
    public final void setLastEpoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": epoch must be >= 0, got " + epoch);
        }
        lastEpoch = epoch;
        optimizer.setLr(lrAt(epoch));
    }

    /** The rate this schedule last set ({@code lrAt(lastEpoch())}). */
    public final double lastLr() {
        return lrAt(lastEpoch);
    }

    /** The base rate the schedule scales. */
    public final double baseLr() {
        return baseLr;
    }

    /** The optimizer whose rate this schedule sets. */
    public final Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Linear warm-up from {@code startFactor * lr} over {@code warmupSteps} steps, then cosine
     * annealing to {@code etaMin} at step {@code totalSteps}: a {@link SequentialLR} of
     * {@link LinearWarmup} and {@link CosineAnnealingLR} with {@code tMax = totalSteps - warmupSteps}.
     */
    public static SequentialLR warmupCosine(Optimizer optimizer, long warmupSteps, double startFactor,
                                            long totalSteps, double etaMin) {
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("warmupCosine: totalSteps " + totalSteps
                    + " must exceed warmupSteps " + warmupSteps);
        }
        LinearWarmup warm = new LinearWarmup(optimizer, warmupSteps, startFactor);
        CosineAnnealingLR cos = new CosineAnnealingLR(optimizer, totalSteps - warmupSteps, etaMin);
        return new SequentialLR(optimizer, java.util.List.of(warm, cos), new long[] {warmupSteps});
    }

    static double checkPositive(String who, String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(who + ": invalid " + what + " " + v + ", expected a finite value > 0");
        }
        return v;
    }
}
