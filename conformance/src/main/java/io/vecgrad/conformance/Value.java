package io.vecgrad.conformance;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * A copied result of a program: a float tensor's values or an integer tensor's values, with
 * its shape. Snapshots and final values are compared in this form.
 *
 * @param shape the dims ({@code []} for 0-d)
 * @param floats the row-major values of a float tensor, or null
 * @param ints the row-major values of an integer tensor, or null
 */
public record Value(int[] shape, double[] floats, long[] ints) {

    /** A copy of a tensor's current values. */
    public static Value of(Tensor t) {
        return new Value(t.shape(), t.toDoubleArray(), null);
    }

    /** A copy of an index tensor. */
    public static Value of(Indices t) {
        return new Value(t.shape(), null, t.toLongArray());
    }

    /** True for an integer tensor. */
    public boolean isInt() {
        return ints != null;
    }

    @Override
    public String toString() {
        return Arrays.toString(shape) + " " + (isInt() ? Arrays.toString(ints) : Arrays.toString(floats));
    }
}
