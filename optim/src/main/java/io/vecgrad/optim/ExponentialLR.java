package io.vecgrad.optim;

/** Decays the rate by {@code gamma} every epoch (PyTorch {@code ExponentialLR}): {@code lr(e) = base * gamma^e}. */
public final class ExponentialLR extends LrScheduler {
    private final double gamma;

    /** @throws IllegalArgumentException if {@code gamma} is not finite and positive */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        this.gamma = checkPositive("ExponentialLR", "gamma", gamma);
        super(optimizer);
    }

    @Override
    public double lrAt(long epoch) {
        return baseLr() * Math.pow(gamma, (double) epoch);
    }
}
