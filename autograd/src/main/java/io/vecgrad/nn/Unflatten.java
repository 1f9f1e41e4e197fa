package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Shape;
import java.util.Arrays;

/**
 * Splits one dim into several (PyTorch's {@code nn.Unflatten}): {@code [N, 64]} with
 * {@code Unflatten(1, 1, 8, 8)} becomes {@code [N, 1, 8, 8]}, a view when the strides allow it.
 * The inverse of {@link Flatten}; typical use is feeding flat feature rows to a convolution.
 */
public final class Unflatten extends Layer {
    private final int dim;
    private final int[] sizes;

    /**
     * @param dim   the dim to split (negative counts from the end)
     * @param sizes its new sizes; their product must equal the dim's size
     * @throws IllegalArgumentException if no size is given or a size is not positive
     */
    public Unflatten(int dim, int... sizes) {
        if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("Unflatten: sizes must be one or more positive ints, got "
                    + Arrays.toString(sizes));
        }
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the dim is out of range or its size is not the product of the sizes
     */
    @Override
    public Tensor forward(Tensor input) {
        int[] d = input.dims();
        int k = dim < 0 ? dim + d.length : dim;
        long prod = 1;
        for (int s : sizes) {
            prod *= s;
        }
        if (k < 0 || k >= d.length || d[k] != prod) {
            throw new IllegalArgumentException("Unflatten: cannot split dim " + dim + " of shape " + Shape.format(d)
                    + " into " + Arrays.toString(sizes));
        }
        int[] nd = new int[d.length - 1 + sizes.length];
        System.arraycopy(d, 0, nd, 0, k);
        System.arraycopy(sizes, 0, nd, k, sizes.length);
        System.arraycopy(d, k + 1, nd, k + sizes.length, d.length - k - 1);
        return input.reshape(nd);
    }

    /** The dim and the sizes, for {@link Architecture}. */
    int[] config() {
        int[] c = new int[sizes.length + 1];
        c[0] = dim;
        System.arraycopy(sizes, 0, c, 1, sizes.length);
        return c;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + Arrays.toString(sizes);
    }
}
