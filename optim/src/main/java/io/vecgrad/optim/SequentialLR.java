package io.vecgrad.optim;

import java.util.List;

/**
 * Runs schedules one after another (PyTorch {@code SequentialLR}): schedule {@code k} is in force
 * from epoch {@code milestones[k-1]} (0 for the first) and sees its own epoch counted from there:
 * {@code lr(e) = schedulers[k].lrAt(e - milestones[k-1])} for
 * {@code milestones[k-1] <= e < milestones[k]}. All schedules must be on this optimizer (so they
 * share its base rate); their own counters are not used. Typical use: warm-up then cosine, see
 * {@link LrScheduler#warmupCosine}.
 */
public final class SequentialLR extends LrScheduler {
    private final LrScheduler[] schedulers;
    private final long[] milestones;

    /**
     * @throws IllegalArgumentException if there is not exactly one milestone fewer than
     *                                  schedules, milestones are not positive and increasing, or
     *                                  a schedule belongs to another optimizer
     */
    public SequentialLR(Optimizer optimizer, List<? extends LrScheduler> schedulers, long[] milestones) {
        LrScheduler[] s = schedulers.toArray(new LrScheduler[0]);
        if (s.length == 0 || milestones.length != s.length - 1) {
            throw new IllegalArgumentException("SequentialLR: expected " + Math.max(0, s.length - 1)
                    + " milestones for " + s.length + " schedulers, got " + milestones.length);
        }
        for (int k = 0; k < s.length; k++) {
            if (s[k].optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + k + " (" + s[k].getClass().getSimpleName()
                        + ") belongs to another optimizer");
            }
        }
        for (int k = 0; k < milestones.length; k++) {
            if (milestones[k] < 1 || (k > 0 && milestones[k] <= milestones[k - 1])) {
                throw new IllegalArgumentException("SequentialLR: milestones must be positive and increasing, got "
                        + java.util.Arrays.toString(milestones));
            }
        }
        this.schedulers = s;
        this.milestones = milestones.clone();
        super(optimizer);
    }

    @Override
    public double lrAt(long epoch) {
        int k = 0;
        while (k < milestones.length && epoch >= milestones[k]) {
            k++;
        }
        return schedulers[k].lrAt(k == 0 ? epoch : epoch - milestones[k - 1]);
    }
}
