package io.vecgrad.nn;

import io.vecgrad.engine.DType;

/**
 * Batch normalization of 4-D {@code [N, C, H, W]} input, PyTorch's {@code nn.BatchNorm2d}: see
 * {@link BatchNorm} for the training/evaluation behaviour and the running statistics.
 */
public final class BatchNorm2d extends BatchNorm {
    /** An f32 layer with PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracked statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.F32);
    }

    /**
     * A layer with the given settings (see {@link BatchNorm#BatchNorm}).
     *
     * @throws IllegalArgumentException for invalid settings
     */
    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats,
                       DType dtype) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, dtype);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    protected String expectedLayout() {
        return "[N, C, H, W]";
    }
}
