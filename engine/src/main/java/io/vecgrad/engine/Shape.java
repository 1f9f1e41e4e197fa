package io.vecgrad.engine;

import java.util.Arrays;

/**
 * Dimensions and element strides of an n-dimensional view, immutable.
 *
 * <p>A shape never owns data: {@link Buffer} pairs it with a {@link Storage} and an element
 * offset. Every view method here ({@link #transpose}, {@link #permute}, {@link #expand},
 * {@link #narrow}, {@link #view}) returns new dims and strides over the same elements and copies
 * nothing. Strides are in elements and may be 0 (a broadcast dimension created by
 * {@link #expand}).
 *
 * <p>Broadcasting follows NumPy/PyTorch: shapes are aligned on the right and each pair of dims
 * must be equal or one of them 1 (a missing dim counts as 1).
 */
public final class Shape {
    private static final int[] NO_DIMS = new int[0];
    private static final long[] NO_STRIDES = new long[0];
    private static final Shape SCALAR = new Shape(NO_DIMS, NO_STRIDES, 1);

    private final int[] dims;
    private final long[] strides;
    private final long size;
    /**
     * This shape with its two dims swapped, made on first request: a weight and its gradient
     * are transposed every training step (x·Wᵀ and its backward), and a long-lived shape then
     * costs no allocation per step. Racy but benign: threads may build equal copies.
     */
    private Shape swapped;

    private Shape(int[] dims, long[] strides, long size) {
        this.dims = dims;
        this.strides = strides;
        this.size = size;
    }

    /** The contiguous row-major shape with these dims; throws on a negative dim. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        int[] d = dims.clone();
        long[] s = new long[d.length];
        long size = checkedSize("shape", d);
        long stride = 1;
        for (int i = d.length - 1; i >= 0; i--) {
            s[i] = stride;
            stride *= Math.max(d[i], 1);
        }
        return new Shape(d, s, size);
    }

    /** The 0-d (scalar) shape: no dims, one element. */
    public static Shape scalar() {
        return SCALAR;
    }

    /**
     * A shape with explicit element strides (negative strides are not supported).
     *
     * @throws IllegalArgumentException if lengths differ or a dim or stride is negative
     */
    public static Shape strided(int[] dims, long[] strides) {
        if (dims.length != strides.length) {
            throw new IllegalArgumentException("shape: dims " + Arrays.toString(dims)
                    + " and strides " + Arrays.toString(strides) + " differ in length");
        }
        for (long s : strides) {
            if (s < 0) {
                throw new IllegalArgumentException("shape: negative stride in " + Arrays.toString(strides));
            }
        }
        return new Shape(dims.clone(), strides.clone(), checkedSize("shape", dims));
    }

    private static long checkedSize(String op, int[] dims) {
        long size = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in " + Arrays.toString(dims));
            }
            if (d != 0 && size > Long.MAX_VALUE / d) {
                throw new IllegalArgumentException(op + ": " + Arrays.toString(dims)
                        + " has more elements than fit in a long (2^63 - 1)");
            }
            size *= d;
        }
        return size;
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return dims[normalizeDim("dim", i)];
    }

    /** Element stride of dimension {@code i}; negative {@code i} counts from the end. */
    public long stride(int i) {
        return strides[normalizeDim("stride", i)];
    }

    /** A copy of the dims. */
    public int[] dims() {
        return dims.clone();
    }

    /** A copy of the element strides. */
    public long[] strides() {
        return strides.clone();
    }

    /** Number of elements (1 for a scalar, 0 if any dim is 0). */
    public long size() {
        return size;
    }

    /** True if the elements are laid out densely in row-major order (size-1 dims ignored). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            if (dims[i] != 1 && strides[i] != expected) {
                return size == 0;
            }
            expected *= dims[i];
        }
        return true;
    }

    /** True if these dims equal {@code other}'s dims (strides are not compared). */
    public boolean sameDims(Shape other) {
        return Arrays.equals(dims, other.dims);
    }

    /** True if this is a matrix {@code [d0, d1]} (no array, for the 2-D fast paths). */
    public boolean hasDims(int d0, int d1) {
        return dims.length == 2 && dims[0] == d0 && dims[1] == d1;
    }

    /** True if these dims equal {@code d}. */
    public boolean hasDims(int... d) {
        return Arrays.equals(dims, d);
    }

    /** The contiguous shape with the same dims. */
    public Shape contiguous() {
        return isDense() ? this : of(dims);
    }

    /** True if the strides are exactly the row-major ones of {@link #of} (size-1 dims included). */
    boolean isDense() {
        long expected = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            if (strides[i] != expected) {
                return false;
            }
            expected *= Math.max(dims[i], 1);
        }
        return true;
    }

    /** The dims array itself, for engine code that only reads it (no copy). */
    int[] dimsView() {
        return dims;
    }

    /**
     * Normalises a possibly negative dim ({@code -1} = last) against this rank.
     *
     * @param op the operation to name in the error
     * @throws IndexOutOfBoundsException if the dim is out of {@code [-rank, rank)}
     */
    public int normalizeDim(String op, int dim) {
        int r = dims.length;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " out of range for shape "
                    + this + " (expected in [" + (-r) + ", " + (r - 1) + "])");
        }
        return d;
    }

    // ----------------------------------------------------------------------------------- views

    /** Swaps two dims (a view). */
    public Shape transpose(int dim0, int dim1) {
        int a = normalizeDim("transpose", dim0);
        int b = normalizeDim("transpose", dim1);
        if (dims.length == 2 && a != b) {
            return swapped();
        }
        int[] d = dims.clone();
        long[] s = strides.clone();
        d[a] = dims[b];
        d[b] = dims[a];
        s[a] = strides[b];
        s[b] = strides[a];
        return new Shape(d, s, size);
    }

    /** The rank-2 transpose, cached (see {@link #swapped}). */
    private Shape swapped() {
        Shape t = swapped;
        if (t == null) {
            t = new Shape(new int[] {dims[1], dims[0]}, new long[] {strides[1], strides[0]}, size);
            t.swapped = this;
            swapped = t;
        }
        return t;
    }

    /** Reorders dims: result dim {@code i} is this shape's dim {@code order[i]} (a view). */
    public Shape permute(int... order) {
        if (order.length != dims.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order)
                    + " does not match rank " + dims.length + " of shape " + this);
        }
        for (int i = 0; i < order.length; i++) { // rank is small: a quadratic repeat check allocates nothing
            int o = normalizeDim("permute", order[i]);
            for (int j = 0; j < i; j++) {
                if (normalizeDim("permute", order[j]) == o) {
                    throw new IllegalArgumentException("permute: dim " + order[i] + " repeated in "
                            + Arrays.toString(order));
                }
            }
        }
        if (order.length == 2 && normalizeDim("permute", order[0]) == 1) {
            return swapped();
        }
        int[] d = new int[order.length];
        long[] s = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            int o = normalizeDim("permute", order[i]);
            d[i] = dims[o];
            s[i] = strides[o];
        }
        return new Shape(d, s, size);
    }

    /**
     * Broadcasts to {@code target} dims without copying: new leading dims and dims of size 1
     * get stride 0 (a view).
     *
     * @throws IllegalArgumentException if this shape does not broadcast to {@code target}
     */
    public Shape expand(int... target) {
        if (target.length < dims.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + this + " to "
                    + Arrays.toString(target) + " (fewer dims)");
        }
        int[] d = target.clone();
        long[] s = new long[target.length];
        int lead = target.length - dims.length;
        for (int i = 0; i < target.length; i++) {
            if (i < lead) {
                s[i] = 0;
                continue;
            }
            int own = dims[i - lead];
            if (own == target[i]) {
                s[i] = strides[i - lead];
            } else if (own == 1) {
                s[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: cannot expand shape " + this + " to "
                        + Arrays.toString(target) + " (dim " + i + ": " + own + " vs " + target[i] + ")");
            }
        }
        return new Shape(d, s, checkedSize("expand", d));
    }

    /**
     * Restricts dim {@code dim} to {@code length} elements; the caller adds
     * {@code start * stride(dim)} to its offset (see {@link Buffer#narrow}).
     */
    public Shape narrow(int dim, int start, int length) {
        int d = normalizeDim("narrow", dim);
        if (start < 0 || length < 0 || (long) start + length > dims[d]) {
            throw new IndexOutOfBoundsException("narrow: range [" + start + ", " + ((long) start + length)
                    + ") out of bounds for dim " + dim + " of size " + dims[d] + " in shape " + this);
        }
        int[] nd = dims.clone();
        nd[d] = length;
        return new Shape(nd, strides.clone(), checkedSize("narrow", nd));
    }

    /**
     * Resolves a requested shape with at most one {@code -1} against this element count.
     *
     * @throws IllegalArgumentException if the element counts differ or the request is malformed
     */
    public int[] resolveReshape(String op, int... request) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < request.length; i++) {
            if (request[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1 in "
                            + Arrays.toString(request));
                }
                infer = i;
            } else if (request[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dimension " + request[i] + " in "
                        + Arrays.toString(request));
            } else {
                known *= request[i];
            }
        }
        int[] out = request.clone();
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(request)
                        + " is invalid for input of size " + size + " (shape " + this + ")");
            }
            out[infer] = Math.toIntExact(size / known);
        } else if (known != size) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(request)
                    + " is invalid for input of size " + size + " (shape " + this + ")");
        }
        return out;
    }

    /**
     * The same elements seen with new dims (row-major order), without copying, if the strides
     * allow it; {@code null} if a copy is needed (e.g. reshaping a transposed matrix).
     *
     * @throws IllegalArgumentException if the element counts differ
     */
    public Shape view(int... request) {
        int[] nd = resolveReshape("reshape", request);
        if (size == 0 || isContiguous()) {
            return of(nd);
        }
        // Walk both shapes grouping dims whose elements are contiguous in this view (the rule
        // PyTorch's view() uses): each group of old dims must map onto a run of new dims.
        long[] ns = new long[nd.length];
        int oi = dims.length - 1;
        int ni = nd.length - 1;
        while (oi >= 0 || ni >= 0) {
            // skip size-1 dims on both sides
            if (ni >= 0 && nd[ni] == 1) {
                ns[ni] = ni + 1 < nd.length ? ns[ni + 1] * nd[ni + 1] : 1;
                ni--;
                continue;
            }
            if (oi >= 0 && dims[oi] == 1) {
                oi--;
                continue;
            }
            if (oi < 0 || ni < 0) {
                return null;
            }
            // Take a chunk of old dims that is contiguous in memory. Size-1 dims are skipped
            // without looking at their strides (any stride is valid for them): the next outer
            // dim must continue from the last dim of size > 1, never from a size-1 dim's stride.
            long chunk = dims[oi];
            long base = strides[oi];
            long next = strides[oi] * dims[oi]; // stride an outer dim needs to extend the chunk
            int oj = oi;
            for (int p = oi - 1; p >= 0; p--) {
                if (dims[p] == 1) {
                    continue;
                }
                if (strides[p] != next) {
                    break;
                }
                chunk *= dims[p];
                next = strides[p] * dims[p];
                oj = p;
            }
            // and match it with new dims of the same product
            long prod = 1;
            long stride = base;
            while (ni >= 0 && prod < chunk) {
                ns[ni] = stride;
                stride *= nd[ni];
                prod *= nd[ni];
                ni--;
            }
            if (prod != chunk) {
                return null;
            }
            oi = oj - 1;
        }
        return new Shape(nd, ns, size);
    }

    // ---------------------------------------------------------------------------- broadcasting

    /**
     * The broadcast dims of {@code a} and {@code b} (NumPy rule).
     *
     * @param op the operation to name in the error
     * @throws IllegalArgumentException naming both shapes and the first mismatching dim
     */
    public static int[] broadcastDims(String op, Shape a, Shape b) {
        int r = Math.max(a.dims.length, b.dims.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int ai = i - (r - a.dims.length);
            int bi = i - (r - b.dims.length);
            int da = ai >= 0 ? a.dims[ai] : 1;
            int db = bi >= 0 ? b.dims[bi] : 1;
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " cannot be broadcast (dim " + (i - r) + ": " + da + " vs " + db + ")");
            }
        }
        return out;
    }

    /**
     * True if these dims are exactly the broadcast of {@code a}'s and {@code b}'s dims (the
     * check {@link #broadcastDims} would make, without building the array).
     */
    public boolean isBroadcastOf(Shape a, Shape b) {
        int r = dims.length;
        if (r != Math.max(a.dims.length, b.dims.length)) {
            return false;
        }
        for (int i = 0; i < r; i++) {
            int ai = i - (r - a.dims.length);
            int bi = i - (r - b.dims.length);
            int da = ai >= 0 ? a.dims[ai] : 1;
            int db = bi >= 0 ? b.dims[bi] : 1;
            if (!(da == db || da == 1 || db == 1) || dims[i] != (da == 1 ? db : da)) {
                return false;
            }
        }
        return true;
    }

    /** True if this shape broadcasts to {@code target}'s dims; see {@link #broadcastsTo(int[])}. */
    public boolean broadcastsTo(Shape target) {
        return broadcastsTo(target.dims);
    }

    /** True if this shape broadcasts to {@code target} (each dim equal or 1, not more dims). */
    public boolean broadcastsTo(int[] target) {
        if (dims.length > target.length) {
            return false;
        }
        int lead = target.length - dims.length;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != target[lead + i] && dims[i] != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims) && Arrays.equals(strides, s.strides);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(strides);
    }

    /** The dims as {@code [2, 3]}; strides are shown only by {@link #describe()}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }

    /** Dims and strides, e.g. {@code [2, 3] strides [1, 2]}. */
    public String describe() {
        return Arrays.toString(dims) + " strides " + Arrays.toString(strides);
    }

    /** Formats dims as {@code [2, 3]}. */
    public static String format(int[] dims) {
        return Arrays.toString(dims);
    }
}
