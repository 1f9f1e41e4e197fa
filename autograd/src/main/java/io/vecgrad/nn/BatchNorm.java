package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;

/**
 * The shared body of {@link BatchNorm1d} and {@link BatchNorm2d} (PyTorch's {@code _BatchNorm}):
 * per-channel normalization of {@code [N, C, *]} input with learnable {@code weight} (ones) and
 * {@code bias} (zeros) when affine, and running statistics ({@code runningMean} zeros,
 * {@code runningVar} ones) when tracked.
 *
 * <p>In training mode ({@link #train()}, the initial mode) the batch's statistics normalise the
 * input and the running ones are updated in place with {@code momentum} and the unbiased
 * variance; in evaluation mode ({@link #eval()}) the running statistics are used. They are
 * buffers ({@code running_mean}, {@code running_var}: in the state dict, not parameters). Without
 * tracked statistics the batch's are used in both modes, as PyTorch does.
 */
public abstract sealed class BatchNorm extends Layer permits BatchNorm1d, BatchNorm2d {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private long numBatchesTracked;

    /**
     * @param numFeatures the channel count C
     * @param eps added to the variance (PyTorch: 1e-5)
     * @param momentum weight of the new batch in the running statistics (PyTorch: 0.1)
     * @param affine learnable weight and bias
     * @param trackRunningStats keep running statistics for evaluation mode
     * @throws IllegalArgumentException if numFeatures is not positive, eps is negative or
     *     momentum is outside [0, 1]
     */
    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats,
                        DType dtype) {
        String who = getClass().getSimpleName();
        if (numFeatures <= 0 || !(eps >= 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(who + ": need num_features > 0, eps >= 0 and momentum in [0, 1], got "
                    + numFeatures + ", " + eps + ", " + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(dtype, numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(dtype, numFeatures)) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(dtype, numFeatures)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(dtype, numFeatures)) : null;
    }

    /** The input ranks this module accepts (e.g. 2 and 3 for BatchNorm1d). */
    protected abstract boolean acceptsRank(int rank);

    /** The expected input layout for messages, e.g. {@code "[N, C] or [N, C, L]"}. */
    protected abstract String expectedLayout();

    /**
     * Normalises the input per channel (see the class comment); the output has the input's shape.
     *
     * @throws IllegalArgumentException naming the module and the shape if the rank is wrong or
     *     dim 1 is not num_features, or (training) if a channel has a single value
     */
    @Override
    public Tensor forward(Tensor input) {
        if (!acceptsRank(input.ndim()) || input.dim(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected input " + expectedLayout()
                    + " with C = num_features = " + numFeatures + ", got " + Shape.format(input.dims()));
        }
        boolean useBatch = isTraining() || runningMean == null;
        Tensor out = input.batchNorm(runningMean, runningVar, weight, bias, useBatch, momentum, eps);
        if (isTraining() && runningMean != null) {
            numBatchesTracked++;
        }
        return out;
    }

    /** The running mean {@code [C]} (updated in place in training mode), or null when not tracked. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance {@code [C]}, or null when not tracked. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** The number of training batches that updated the running statistics. */
    public long numBatchesTracked() {
        return numBatchesTracked;
    }

    /** The scale {@code [C]}, or null without affine. */
    public Tensor weight() {
        return weight;
    }

    /** The shift {@code [C]}, or null without affine. */
    public Tensor bias() {
        return bias;
    }

    /** The channel count. */
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null)
                + ", track_running_stats=" + (runningMean != null);
    }

    /** Constructor arguments for {@link Architecture}: num_features, eps, momentum, affine, track_running_stats. */
    final double[] config() {
        return new double[] {numFeatures, eps, momentum, weight != null ? 1 : 0, runningMean != null ? 1 : 0};
    }
}
