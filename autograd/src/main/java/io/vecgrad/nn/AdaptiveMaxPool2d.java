package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * Adaptive max pooling, PyTorch's {@code nn.AdaptiveMaxPool2d}: {@code [N, C, H, W] -> [N, C, outH, outW]},
 * output row i covering input rows {@code [floor(i H / outH), ceil((i + 1) H / outH))}, likewise
 * columns. {@code AdaptiveMaxPool2d(1)} is the global max pool. No parameters.
 */
public final class AdaptiveMaxPool2d extends Layer {
    private final int outH;
    private final int outW;

    /**
     * Pools to {@code [outH, outW]}.
     *
     * @throws IllegalArgumentException for a non-positive size
     */
    public AdaptiveMaxPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveMaxPool2d: output_size must be positive, got (" + outH + ", "
                    + outW + ")");
        }
        this.outH = outH;
        this.outW = outW;
    }

    /** Pools to {@code [size, size]}. */
    public AdaptiveMaxPool2d(int size) {
        this(size, size);
    }

    /**
     * The pooled input.
     *
     * @throws IllegalArgumentException on a non-4-D input
     */
    @Override
    public Tensor forward(Tensor input) {
        return input.adaptiveMaxPool2d(outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=(" + outH + ", " + outW + ")";
    }

    /** The output size {H, W}, for {@link Architecture}. */
    int[] config() {
        return new int[] {outH, outW};
    }
}
