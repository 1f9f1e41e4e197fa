package io.vecgrad.autograd;

import java.util.Arrays;

/**
 * An integer (int64) tensor: class labels for losses, indices for {@code indexSelect} and
 * {@code gather}, results of {@code argmax}. Immutable; never part of a graph.
 */
public final class Indices {
    private final long[] data;
    private final int[] shape;

    private Indices(long[] data, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("indices: negative dim in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("indices: " + data.length + " values for shape "
                    + Arrays.toString(shape));
        }
        this.data = data;
        this.shape = shape;
    }

    /** A 1-D index tensor. */
    public static Indices of(long... values) {
        return new Indices(values.clone(), new int[] {values.length});
    }

    /** A 1-D index tensor from ints. */
    public static Indices of(int... values) {
        return new Indices(Arrays.stream(values).asLongStream().toArray(), new int[] {values.length});
    }

    /** An index tensor of the given shape (row-major data). */
    public static Indices of(long[] values, int... shape) {
        return new Indices(values.clone(), shape.clone());
    }

    /** A copy of the dims. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dims. */
    public int ndim() {
        return shape.length;
    }

    /** Number of elements. */
    public int numel() {
        return data.length;
    }

    /** Element {@code i} in row-major order. */
    public long get(int i) {
        return data[i];
    }

    /** A copy of the values. */
    public long[] toLongArray() {
        return data.clone();
    }

    /** The same values with another shape. */
    public Indices reshape(int... dims) {
        return new Indices(data, dims.clone());
    }

    long[] raw() {
        return data;
    }

    @Override
    public String toString() {
        return "Indices" + Arrays.toString(shape) + " " + (data.length <= 16 ? Arrays.toString(data) : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Indices i && Arrays.equals(data, i.data) && Arrays.equals(shape, i.shape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + Arrays.hashCode(shape);
    }
}
