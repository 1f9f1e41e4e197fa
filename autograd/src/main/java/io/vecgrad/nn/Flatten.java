package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Shape;
import java.util.Arrays;

/**
 * Merges dims {@code startDim..endDim} into one, PyTorch's {@code nn.Flatten}: with the
 * defaults {@code [N, C, H, W] -> [N, C·H·W]}. A view when the strides allow it, else a copy.
 */
public final class Flatten extends Layer {
    private final int startDim;
    private final int endDim;

    /** {@code Flatten(1, -1)}: keeps the batch dim. */
    public Flatten() {
        this(1, -1);
    }

    /** Merges dims {@code startDim..endDim} inclusive (negative counts from the end). */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /**
     * Reshapes the input.
     *
     * @throws IllegalArgumentException if the dims are out of range or start after end
     */
    @Override
    public Tensor forward(Tensor input) {
        int[] d = input.dims();
        int r = Math.max(d.length, 1);
        int s = startDim < 0 ? startDim + r : startDim;
        int e = endDim < 0 ? endDim + r : endDim;
        if (s < 0 || e >= r || s > e) {
            throw new IllegalArgumentException(this + ": cannot flatten dims " + startDim + ".." + endDim
                    + " of shape " + Shape.format(d));
        }
        if (d.length == 0) {
            return input.reshape(1);
        }
        int merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= d[i];
        }
        int[] nd = new int[d.length - (e - s)];
        System.arraycopy(d, 0, nd, 0, s);
        nd[s] = merged;
        System.arraycopy(d, e + 1, nd, s + 1, d.length - e - 1);
        return Arrays.equals(nd, d) ? input : input.reshape(nd);
    }

    /** The constructor's arguments, for {@link Architecture}: start and end dim. */
    int[] config() {
        return new int[] {startDim, endDim};
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
