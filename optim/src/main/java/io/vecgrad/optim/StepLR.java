package io.vecgrad.optim;

/**
 * Decays the rate by {@code gamma} every {@code stepSize} epochs (PyTorch {@code StepLR}):
 * {@code lr(e) = base * gamma^floor(e / stepSize)}.
 */
public final class StepLR extends LrScheduler {
    private final long stepSize;
    private final double gamma;

    /**
     * @throws IllegalArgumentException if {@code stepSize < 1} or {@code gamma} is not finite and positive
     */
    public StepLR(Optimizer optimizer, long stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: invalid stepSize " + stepSize + ", expected >= 1");
        }
        this.stepSize = stepSize;
        this.gamma = checkPositive("StepLR", "gamma", gamma);
        super(optimizer);
    }

    /** PyTorch's default gamma 0.1. */
    public StepLR(Optimizer optimizer, long stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    @Override
    public double lrAt(long epoch) {
        return baseLr() * Math.pow(gamma, (double) (epoch / stepSize));
    }
}
