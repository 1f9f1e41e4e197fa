package io.vecgrad.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A strided n-dimensional view of a {@link Storage}: storage + {@link Shape} + element offset.
 * Immutable as a view; the elements it sees are written by {@link Kernels} (which bump the
 * storage version) or by {@link #copyFrom}.
 *
 * <p>View methods ({@link #transpose}, {@link #permute}, {@link #expand}, {@link #narrow},
 * {@link #view}) share the storage and copy nothing. {@link #reshape} and {@link #contiguous}
 * copy only when the strides make a view impossible, and say so in their Javadoc.
 */
public final class Buffer {
    private final Storage storage;
    private final Shape shape;
    private final long offset;

    Buffer(Storage storage, Shape shape, long offset) {
        this.storage = storage;
        this.shape = shape;
        this.offset = offset;
    }

    /**
     * A view of {@code storage} with the given shape and element offset.
     *
     * @throws IndexOutOfBoundsException if the view reaches outside the storage
     */
    public static Buffer view(Storage storage, Shape shape, long offset) {
        if (shape.size() > 0) {
            long last = offset;
            for (int i = 0; i < shape.rank(); i++) {
                last += (long) (shape.dim(i) - 1) * shape.stride(i);
            }
            if (offset < 0 || last >= storage.length()) {
                throw new IndexOutOfBoundsException("view: shape " + shape.describe() + " at offset "
                        + offset + " reaches element " + last + " of storage with " + storage.length());
            }
        }
        return new Buffer(storage, shape, offset);
    }

    /** A new zero-filled contiguous buffer, reclaimed by the GC. */
    public static Buffer zeros(DType dtype, int... dims) {
        return zeros(dtype, Shape.of(dims));
    }

    /** A new zero-filled contiguous buffer with the dims of {@code shape}. */
    public static Buffer zeros(DType dtype, Shape shape) {
        Shape s = shape.contiguous();
        Storage st;
        try {
            st = Storage.allocate(dtype, s.size());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("zeros: shape " + Shape.format(s.dims()) + ": " + e.getMessage(), e);
        }
        return new Buffer(st, s, 0);
    }

    /** A new zero-filled contiguous buffer on the Java heap; see {@link Storage#onHeap}. */
    public static Buffer onHeap(DType dtype, Shape shape) {
        Shape s = shape.contiguous();
        return new Buffer(Storage.onHeap(dtype, s.size()), s, 0);
    }

    /** A new f32 buffer holding {@code data} in row-major order. */
    public static Buffer of(float[] data, int... dims) {
        Buffer b = zeros(DType.F32, dims);
        b.copyFrom(data);
        return b;
    }

    /** A new f64 buffer holding {@code data} in row-major order. */
    public static Buffer of(double[] data, int... dims) {
        Buffer b = zeros(DType.F64, dims);
        b.copyFrom(data);
        return b;
    }

    /** A new 0-d buffer holding {@code value} (rounded to {@code dtype}). */
    public static Buffer scalar(DType dtype, double value) {
        Buffer b = zeros(dtype);
        b.setFlat(0, value);
        return b;
    }

    /** The storage this view reads. */
    public Storage storage() {
        return storage;
    }

    /** The element type. */
    public DType dtype() {
        return storage.dtype();
    }

    /** Dims and strides. */
    public Shape shape() {
        return shape;
    }

    /** A copy of the dims. */
    public int[] dims() {
        return shape.dims();
    }

    /** Number of dims. */
    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public long size() {
        return shape.size();
    }

    /** Element offset of the first element in the storage. */
    public long offset() {
        return offset;
    }

    /** True if the view is dense row-major. */
    public boolean isContiguous() {
        return shape.isContiguous();
    }

    /** The raw segment after a liveness check naming {@code op}. */
    public MemorySegment segment(String op) {
        return storage.segment(op);
    }

    // ----------------------------------------------------------------------------------- views

    /** Swaps two dims (a view). */
    public Buffer transpose(int dim0, int dim1) {
        return new Buffer(storage, shape.transpose(dim0, dim1), offset);
    }

    /** Reorders dims (a view); see {@link Shape#permute}. */
    public Buffer permute(int... order) {
        return new Buffer(storage, shape.permute(order), offset);
    }

    /** Broadcasts to {@code dims} with stride-0 dims (a view). */
    public Buffer expand(int... dims) {
        return new Buffer(storage, shape.expand(dims), offset);
    }

    /** Elements {@code [start, start + length)} along {@code dim} (a view). */
    public Buffer narrow(int dim, int start, int length) {
        Shape s = shape.narrow(dim, start, length);
        return new Buffer(storage, s, offset + (long) start * shape.stride(dim));
    }

    /**
     * The same elements with new dims and no copy.
     *
     * @throws IllegalArgumentException if the element count differs, or the strides make a view
     *                                  impossible (use {@link #reshape}, which copies then)
     */
    public Buffer view(int... dims) {
        Shape s = shape.view(dims);
        if (s == null) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(dims)
                    + " is not compatible with the strides of " + shape.describe()
                    + "; use reshape, which copies");
        }
        return new Buffer(storage, s, offset);
    }

    /**
     * New dims in row-major order: a view when the strides allow it, otherwise one copy into a
     * new contiguous buffer (e.g. reshaping a transposed matrix).
     */
    public Buffer reshape(int... dims) {
        Shape s = shape.view(dims);
        if (s != null) {
            return new Buffer(storage, s, offset);
        }
        return contiguous().view(dims);
    }

    /** This buffer if it is contiguous, otherwise a contiguous copy (the one explicit copy). */
    public Buffer contiguous() {
        if (shape.isContiguous()) {
            return this;
        }
        Buffer out = zeros(dtype(), shape.dims());
        Kernels.get().copy(this, out);
        return out;
    }

    // ------------------------------------------------------------------ element access (slow path)

    /** Element at a multi-index (checked; for tests and I/O, not hot loops). */
    public double get(int... index) {
        return getAt(elementOffset("get", index));
    }

    /** Sets the element at a multi-index (checked; bumps the version). */
    public void set(double value, int... index) {
        long e = elementOffset("set", index);
        putAt(e, value);
        storage.bumpVersion();
    }

    /** Element {@code i} in row-major logical order. */
    public double getFlat(long i) {
        return getAt(flatToElement("getFlat", i));
    }

    /** Sets element {@code i} in row-major logical order (bumps the version). */
    public void setFlat(long i, double value) {
        putAt(flatToElement("setFlat", i), value);
        storage.bumpVersion();
    }

    /** The elements in row-major order as floats (rounded if f64). */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(size())];
        if (out.length == 0) { // an empty view may sit at an offset past its (empty) storage
            segment("toFloatArray");
            return out;
        }
        if (shape.isContiguous() && dtype() == DType.F32) {
            MemorySegment.copy(segment("toFloatArray"), ValueLayout.JAVA_FLOAT_UNALIGNED,
                    offset * 4, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getFlat(i);
        }
        return out;
    }

    /** The elements in row-major order as doubles. */
    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(size())];
        if (out.length == 0) {
            segment("toDoubleArray");
            return out;
        }
        if (shape.isContiguous() && dtype() == DType.F64) {
            MemorySegment.copy(segment("toDoubleArray"), ValueLayout.JAVA_DOUBLE_UNALIGNED,
                    offset * 8, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = getFlat(i);
        }
        return out;
    }

    /**
     * Copies {@code data} (row-major) into this view, rounding to the dtype; bumps the version.
     *
     * @throws IllegalArgumentException if the length differs from {@link #size()}
     */
    public Buffer copyFrom(float[] data) {
        checkLength("copyFrom", data.length);
        if (data.length == 0) {
            segment("copyFrom");
            return this;
        }
        if (shape.isContiguous() && dtype() == DType.F32) {
            MemorySegment.copy(data, 0, segment("copyFrom"), ValueLayout.JAVA_FLOAT_UNALIGNED,
                    offset * 4, data.length);
        } else if (shape.isContiguous()) { // f64 storage: widen in one pass, no per-element index arithmetic
            MemorySegment seg = segment("copyFrom");
            long base = offset * 8;
            for (int i = 0; i < data.length; i++) {
                seg.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, base + 8L * i, data[i]);
            }
        } else {
            checkNoBroadcast("copyFrom");
            for (int i = 0; i < data.length; i++) {
                putAt(flatToElement("copyFrom", i), data[i]);
            }
        }
        storage.bumpVersion();
        return this;
    }

    /**
     * Gathers rows into this contiguous view: its row i ({@code rowLength} elements) becomes
     * {@code data[rows[from + i] * rowLength, ...]}, for each of its {@code size() / rowLength}
     * rows, rounding to the dtype; bumps the version. A data loader's batch in one pass, without
     * staging the rows in a second array first. Every index is checked before anything is written.
     *
     * @throws IllegalArgumentException if the view is not contiguous, {@code rowLength} is not a
     *         positive divisor of {@link #size()}, or a row index lies outside {@code data}
     */
    public Buffer copyRowsFrom(float[] data, int rowLength, int[] rows, int from) {
        if (!shape.isContiguous()) {
            throw new IllegalArgumentException("copyRowsFrom: view of shape " + shape + " is not contiguous");
        }
        if (rowLength < 1 || size() % rowLength != 0) {
            throw new IllegalArgumentException("copyRowsFrom: row length " + rowLength + " does not divide the "
                    + size() + " elements of shape " + shape);
        }
        int count = (int) (size() / rowLength);
        if (from < 0 || from > rows.length - count) {
            throw new IllegalArgumentException("copyRowsFrom: rows " + from + ".." + ((long) from + count) + " of an index of "
                    + rows.length + " rows");
        }
        long available = data.length / rowLength;
        for (int i = 0; i < count; i++) {
            int r = rows[from + i];
            if (r < 0 || r >= available) {
                throw new IllegalArgumentException("copyRowsFrom: row index " + r + " (position " + (from + i)
                        + ") outside the " + available + " rows of " + rowLength + " values in data");
            }
        }
        MemorySegment seg = segment("copyRowsFrom");
        if (dtype() == DType.F32) {
            for (int i = 0; i < count; i++) {
                MemorySegment.copy(data, rows[from + i] * rowLength, seg, ValueLayout.JAVA_FLOAT_UNALIGNED,
                        (offset + (long) i * rowLength) * 4, rowLength);
            }
        } else {
            for (int i = 0; i < count; i++) {
                int src = rows[from + i] * rowLength;
                long dst = (offset + (long) i * rowLength) * 8;
                for (int j = 0; j < rowLength; j++) {
                    seg.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, dst + 8L * j, data[src + j]);
                }
            }
        }
        storage.bumpVersion();
        return this;
    }

    /** Copies {@code data} (row-major) into this view, rounding to the dtype; bumps the version. */
    public Buffer copyFrom(double[] data) {
        checkLength("copyFrom", data.length);
        if (data.length == 0) {
            segment("copyFrom");
            return this;
        }
        if (shape.isContiguous() && dtype() == DType.F64) {
            MemorySegment.copy(data, 0, segment("copyFrom"), ValueLayout.JAVA_DOUBLE_UNALIGNED,
                    offset * 8, data.length);
        } else if (shape.isContiguous()) {
            // f32 storage: round in one pass. The general path below pays two long divisions per
            // element (flat index -> element offset); for a DataLoader's 256 x 784 batch that was
            // about 40 % of a training step (JFR, SparkScaling local[1])
            MemorySegment seg = segment("copyFrom");
            long base = offset * 4;
            for (int i = 0; i < data.length; i++) {
                seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, base + 4L * i, (float) data[i]);
            }
        } else {
            checkNoBroadcast("copyFrom");
            for (int i = 0; i < data.length; i++) {
                putAt(flatToElement("copyFrom", i), data[i]);
            }
        }
        storage.bumpVersion();
        return this;
    }

    private void checkLength(String op, int n) {
        if (n != size()) {
            throw new IllegalArgumentException(op + ": " + n + " values for shape " + shape
                    + " with " + size() + " elements");
        }
    }

    private void checkNoBroadcast(String op) {
        for (int i = 0; i < shape.rank(); i++) {
            if (shape.stride(i) == 0 && shape.dim(i) > 1) {
                throw new IllegalArgumentException(op + ": cannot write into expanded (stride 0) view "
                        + shape.describe());
            }
        }
    }

    private long elementOffset(String op, int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException(op + ": index " + Arrays.toString(index)
                    + " has " + index.length + " dims, shape " + shape + " has " + shape.rank());
        }
        long e = offset;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index)
                        + " out of bounds for shape " + shape);
            }
            e += index[i] * shape.stride(i);
        }
        return e;
    }

    private long flatToElement(String op, long flat) {
        if (flat < 0 || flat >= size()) {
            throw new IndexOutOfBoundsException(op + ": flat index " + flat + " out of bounds for shape "
                    + shape + " with " + size() + " elements");
        }
        long e = offset;
        long rem = flat;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            e += (rem % d) * shape.stride(i);
            rem /= d;
        }
        return e;
    }

    private double getAt(long element) {
        MemorySegment seg = segment("get");
        return dtype() == DType.F32
                ? seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED, element * 4)
                : seg.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, element * 8);
    }

    private void putAt(long element, double v) {
        MemorySegment seg = segment("set");
        if (dtype() == DType.F32) {
            seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, element * 4, (float) v);
        } else {
            seg.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, element * 8, v);
        }
    }

    /** Shape and dtype, e.g. {@code Buffer[f32 [2, 3]]}. */
    @Override
    public String toString() {
        return "Buffer[" + dtype() + " " + shape + "]";
    }
}
