package io.vecgrad.optim;

/**
 * Linear warm-up (PyTorch {@code LinearLR} with {@code end_factor = 1}): the factor on the base
 * rate grows linearly from {@code startFactor} at epoch 0 to 1 at epoch {@code warmupSteps},
 * then stays 1:
 * {@code lr(e) = base * (startFactor + (1 - startFactor) * min(e, warmupSteps) / warmupSteps)}.
 */
public final class LinearWarmup extends LrScheduler {
    private final long warmupSteps;
    private final double startFactor;

    /**
     * @throws IllegalArgumentException if {@code warmupSteps < 1} or {@code startFactor} is not
     *                                  in (0, 1]
     */
    public LinearWarmup(Optimizer optimizer, long warmupSteps, double startFactor) {
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("LinearWarmup: invalid warmupSteps " + warmupSteps + ", expected >= 1");
        }
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearWarmup: invalid startFactor " + startFactor
                    + ", expected 0 < startFactor <= 1");
        }
        this.warmupSteps = warmupSteps;
        this.startFactor = startFactor;
        super(optimizer);
    }

    /** PyTorch's default start factor 1/3. */
    public LinearWarmup(Optimizer optimizer, long warmupSteps) {
        this(optimizer, warmupSteps, 1.0 / 3);
    }

    @Override
    public double lrAt(long epoch) {
        long e = Math.min(epoch, warmupSteps);
        return baseLr() * (startFactor + (1 - startFactor) * e / warmupSteps);
    }
}
