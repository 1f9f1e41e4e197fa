package io.vecgrad.optim;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs (PyTorch
 * {@code CosineAnnealingLR}, closed form, no restarts):
 * {@code lr(e) = etaMin + (base - etaMin) * (1 + cos(pi * e / tMax)) / 2}.
 * Past {@code tMax} the closed form keeps following the cosine back up, as PyTorch's does.
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final long tMax;
    private final double etaMin;

    /** @throws IllegalArgumentException if {@code tMax < 1} or {@code etaMin} is negative or NaN */
    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin) {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: invalid tMax " + tMax + ", expected >= 1");
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("CosineAnnealingLR: invalid etaMin " + etaMin
                    + ", expected a finite value >= 0");
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer);
    }

    /** Anneals to 0 (PyTorch's default eta_min). */
    public CosineAnnealingLR(Optimizer optimizer, long tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    public double lrAt(long epoch) {
        return etaMin + (baseLr() - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
