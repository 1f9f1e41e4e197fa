package io.vecgrad.engine;

import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The checked public facade over a {@link KernelProvider}: every method validates dtypes,
 * shapes, broadcasting, aliasing and liveness once, names the operation and the shapes in its
 * message, and only then calls the trusting kernel. On a bad argument nothing is written.
 *
 * <p>Every method writes its result into a caller-provided {@code out} (and returns it), bumps
 * out's storage version, and allocates no native memory. Elementwise methods may write in place
 * ({@code out} exactly equal to an input view); any other overlap of {@code out} with an input
 * is rejected. Strided and broadcast (stride-0) inputs are read directly; {@code out} must not
 * be a broadcast view.
 *
 * <p>{@link #get()} returns the facade over the provider chosen at start-up (see
 * {@link #providerInfo()}); {@link #of} wraps any provider (tests use it to compare the scalar
 * and vector kernels). Instances are immutable and thread-safe.
 */
public final class Kernels {
    private final KernelProvider provider;
    private final Parallel parallel;
    /** True for facades on the default pool: they follow {@link Parallel#callWith}. */
    private final boolean scoped;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private Kernels(KernelProvider provider, Parallel parallel, boolean scoped) {
        this.provider = provider;
        this.parallel = parallel;
        this.scoped = scoped;
    }

    private static final class Default {
        static final Kernels INSTANCE = new Kernels(ProviderSelection.DEFAULT, Parallel.defaults(), true);
    }

    /** The facade over the default provider and the engine's thread pool. */
    public static Kernels get() {
        return Default.INSTANCE;
    }

    /** A facade over {@code provider}, running parallel work with {@code parallel}. */
    public static Kernels of(KernelProvider provider, Parallel parallel) {
        return new Kernels(java.util.Objects.requireNonNull(provider, "provider"),
                java.util.Objects.requireNonNull(parallel, "parallel"), false);
    }

    /** A facade over {@code provider} with the engine's default pool (or the {@link Parallel#callWith} setting). */
    public static Kernels of(KernelProvider provider) {
        return new Kernels(java.util.Objects.requireNonNull(provider, "provider"), Parallel.defaults(), true);
    }

    /** The same provider with another thread setting. */
    public Kernels withParallel(Parallel p) {
        return new Kernels(provider, java.util.Objects.requireNonNull(p, "parallel"), false);
    }

    /** The provider this facade calls. */
    public KernelProvider provider() {
        return provider;
    }

    /**
     * The thread setting for GEMM and the split elementwise passes: this facade's, or on the
     * default pool the one {@link Parallel#callWith} set.
     */
    public Parallel parallel() {
        return scoped ? Parallel.current(parallel) : parallel;
    }

    /** One line on the default provider and why it was chosen, for logs and benchmark metadata. */
    public static String providerInfo() {
        return ProviderSelection.DEFAULT.name() + " (" + ProviderSelection.REASON + ")";
    }

    /** Per-thread reusable state: the row walker and a native cell for scalar operands. */
    private static final class Scratch {
        final StridedLoop loop = new StridedLoop();
        /** A second walker for whole-view reductions nested inside a walk with {@link #loop}. */
        final StridedLoop inner = new StridedLoop();
        final MemorySegment cell = Arena.ofAuto().allocate(64, 64);
        /** Reusable share jobs of the split elementwise passes (no allocation per call). */
        final UnaryJob unaryJob = new UnaryJob();
        final BinaryJob binaryJob = new BinaryJob();
    }

    // ---- splitting the large contiguous elementwise passes across the pool

    /**
     * Elements per share below which an elementwise pass stays on the calling thread: a share
     * must outweigh waking a worker and the handshake (a few µs). Memory-bound ops (a few cycles
     * per element) need far more elements than the transcendental ones (exp, tanh, ...).
     */
    static final long SPLIT_CHEAP = 1 << 16;
    static final long SPLIT_MATH = 1 << 13;

    private static boolean cheap(UnaryOp op) {
        return switch (op) {
            case IDENTITY, NEG, ABS, RELU, LEAKY_RELU, CLAMP, AFFINE, SQUARE, SIGN, FILL -> true;
            default -> false;
        };
    }

    private static boolean cheap(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, MAX, MIN, ADD_SCALED, RELU_BACKWARD, LEAKY_RELU_BACKWARD, ABS_BACKWARD,
                 TANH_BACKWARD, SIGMOID_BACKWARD -> true;
            default -> false;
        };
    }

    /** One share of a contiguous unary pass. */
    private static final class UnaryJob implements Splitter.Job {
        KernelProvider provider;
        DType dt;
        UnaryOp op;
        double p0;
        double p1;
        MemorySegment xs;
        long xOff;
        MemorySegment os;
        long oOff;

        @Override
        public void run(long from, long to) {
            provider.unary(dt, op, p0, p1, to - from, xs, xOff + from, 1, os, oOff + from, 1);
        }
    }

    /** One share of a contiguous binary pass. */
    private static final class BinaryJob implements Splitter.Job {
        KernelProvider provider;
        DType dt;
        BinaryOp op;
        double p0;
        MemorySegment as;
        long aOff;
        MemorySegment bs;
        long bOff;
        MemorySegment os;
        long oOff;

        @Override
        public void run(long from, long to) {
            provider.binary(dt, op, p0, to - from, as, aOff + from, 1, bs, bOff + from, 1, os, oOff + from, 1);
        }
    }

    // ========================================================================== elementwise

    /** {@code out = src} broadcast to out's dims (a strided copy). */
    public Buffer copy(Buffer src, Buffer out) {
        return unary("copy", UnaryOp.IDENTITY, 0, 0, src, out);
    }

    /** Sets every element of {@code out} to {@code value}. */
    public Buffer fill(Buffer out, double value) {
        String op = "fill";
        checkWritable(op, out);
        MemorySegment o = out.segment(op);
        StridedLoop l = scratch.get().loop.begin(out);
        if (l.start()) {
            do {
                provider.unary(out.dtype(), UnaryOp.FILL, value, 0, l.n, o, l.off[0], l.inc[0], o, l.off[0], l.inc[0]);
            } while (l.next());
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * {@code out = op(x; p0, p1)} elementwise; x broadcasts to out's dims.
     *
     * @throws IllegalArgumentException on a dtype or shape mismatch or a partial overlap
     * @throws IllegalStateException if a buffer is dead
     */
    public Buffer unary(UnaryOp op, double p0, double p1, Buffer x, Buffer out) {
        return unary(UNARY_NAMES[op.ordinal()], op, p0, p1, x, out);
    }

    private static final String[] UNARY_NAMES = names(UnaryOp.values());
    private static final String[] BINARY_NAMES = names(BinaryOp.values());

    private static String[] names(Enum<?>[] values) {
        String[] n = new String[values.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = switch (values[i].name()) {
                case "MAX" -> "maximum";
                case "MIN" -> "minimum";
                default -> values[i].name().toLowerCase(java.util.Locale.ROOT);
            };
        }
        return n;
    }

    private Buffer unary(String name, UnaryOp op, double p0, double p1, Buffer x, Buffer out) {
        checkDType(name, out, x);
        checkBroadcastsTo(name, x, out);
        checkWritable(name, out);
        checkAlias(name, x, out);
        Warmup.gate(out.size() / 4.0);
        MemorySegment xs = x.segment(name);
        MemorySegment os = out.segment(name);
        DType dt = out.dtype();
        if (x.isContiguous() && out.isContiguous() && x.size() == out.size()) {
            long n = out.size();
            Splitter sp = parallel().splitter();
            long min = cheap(op) ? SPLIT_CHEAP : SPLIT_MATH;
            if (sp != null && n >= 2 * min && Splitter.shareable(xs) && Splitter.shareable(os)) {
                UnaryJob j = scratch.get().unaryJob;
                j.provider = provider;
                j.dt = dt;
                j.op = op;
                j.p0 = p0;
                j.p1 = p1;
                j.xs = xs;
                j.xOff = x.offset();
                j.os = os;
                j.oOff = out.offset();
                try {
                    sp.run(j, n, min);
                } finally {
                    j.xs = null;
                    j.os = null;
                }
            } else {
                provider.unary(dt, op, p0, p1, n, xs, x.offset(), 1, os, out.offset(), 1);
            }
        } else {
            StridedLoop l = scratch.get().loop.begin(out).add(x);
            if (l.start()) {
                do {
                    provider.unary(dt, op, p0, p1, l.n, xs, l.off[1], l.inc[1], os, l.off[0], l.inc[0]);
                } while (l.next());
            }
        }
        out.storage().bumpVersion();
        return out;
    }

    /** {@code out = -x}. */
    public Buffer neg(Buffer x, Buffer out) { return unary("neg", UnaryOp.NEG, 0, 0, x, out); }
    /** {@code out = |x|}. */
    public Buffer abs(Buffer x, Buffer out) { return unary("abs", UnaryOp.ABS, 0, 0, x, out); }
    /** {@code out = e^x}. */
    public Buffer exp(Buffer x, Buffer out) { return unary("exp", UnaryOp.EXP, 0, 0, x, out); }
    /** {@code out = ln x}. */
    public Buffer log(Buffer x, Buffer out) { return unary("log", UnaryOp.LOG, 0, 0, x, out); }
    /** {@code out = sqrt x}. */
    public Buffer sqrt(Buffer x, Buffer out) { return unary("sqrt", UnaryOp.SQRT, 0, 0, x, out); }
    /** {@code out = sin x}. */
    public Buffer sin(Buffer x, Buffer out) { return unary("sin", UnaryOp.SIN, 0, 0, x, out); }
    /** {@code out = cos x}. */
    public Buffer cos(Buffer x, Buffer out) { return unary("cos", UnaryOp.COS, 0, 0, x, out); }
    /** {@code out = tanh x}. */
    public Buffer tanh(Buffer x, Buffer out) { return unary("tanh", UnaryOp.TANH, 0, 0, x, out); }
    /** {@code out = 1 / (1 + e^-x)}. */
    public Buffer sigmoid(Buffer x, Buffer out) { return unary("sigmoid", UnaryOp.SIGMOID, 0, 0, x, out); }
    /** {@code out = max(x, 0)}. */
    public Buffer relu(Buffer x, Buffer out) { return unary("relu", UnaryOp.RELU, 0, 0, x, out); }
    /** {@code out = x > 0 ? x : slope * x}. */
    public Buffer leakyRelu(Buffer x, double slope, Buffer out) {
        return unary("leaky_relu", UnaryOp.LEAKY_RELU, slope, 0, x, out);
    }
    /** Exact GELU {@code x/2 (1 + erf(x/sqrt 2))}. */
    public Buffer gelu(Buffer x, Buffer out) { return unary("gelu", UnaryOp.GELU, 0, 0, x, out); }
    /** Tanh-approximated GELU. */
    public Buffer geluTanh(Buffer x, Buffer out) { return unary("gelu_tanh", UnaryOp.GELU_TANH, 0, 0, x, out); }
    /** {@code out = x^exponent}. */
    public Buffer pow(Buffer x, double exponent, Buffer out) {
        return unary("pow", UnaryOp.POW, exponent, 0, x, out);
    }
    /** {@code out = min(max(x, min), max)}; pass infinities for a missing bound. */
    public Buffer clamp(Buffer x, double min, double max, Buffer out) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        }
        return unary("clamp", UnaryOp.CLAMP, min, max, x, out);
    }
    /** {@code out = x * scale + shift}. */
    public Buffer affine(Buffer x, double scale, double shift, Buffer out) {
        return unary("affine", UnaryOp.AFFINE, scale, shift, x, out);
    }

    /**
     * {@code out = op(a, b; p0)} elementwise with broadcasting: a and b broadcast together to
     * out's dims, which must be exactly their broadcast shape.
     *
     * @throws IllegalArgumentException on incompatible shapes, dtypes, or a partial overlap
     */
    public Buffer binary(BinaryOp op, double p0, Buffer a, Buffer b, Buffer out) {
        return binary(opName(op), op, p0, a, b, out);
    }

    private Buffer binary(String name, BinaryOp op, double p0, Buffer a, Buffer b, Buffer out) {
        checkDType(name, out, a, b);
        boolean same = a.shape().sameDims(b.shape()) && out.shape().sameDims(a.shape()); // no allocation
        if (!same && !out.shape().isBroadcastOf(a.shape(), b.shape())) {
            int[] dims = Shape.broadcastDims(name, a.shape(), b.shape());
            if (!out.shape().hasDims(dims)) {
                throw new IllegalArgumentException(name + ": output shape " + out.shape() + " does not match "
                        + "the broadcast shape " + Shape.format(dims) + " of " + a.shape() + " and " + b.shape());
            }
        }
        checkWritable(name, out);
        checkAlias(name, a, out);
        checkAlias(name, b, out);
        MemorySegment as = a.segment(name);
        MemorySegment bs = b.segment(name);
        MemorySegment os = out.segment(name);
        DType dt = out.dtype();
        long n = out.size();
        Warmup.gate(n / 4.0);
        if (a.isContiguous() && b.isContiguous() && out.isContiguous() && a.size() == n && b.size() == n) {
            Splitter sp = parallel().splitter();
            long min = cheap(op) ? SPLIT_CHEAP : SPLIT_MATH;
            if (sp != null && n >= 2 * min && Splitter.shareable(as) && Splitter.shareable(bs)
                    && Splitter.shareable(os)) {
                BinaryJob j = scratch.get().binaryJob;
                j.provider = provider;
                j.dt = dt;
                j.op = op;
                j.p0 = p0;
                j.as = as;
                j.aOff = a.offset();
                j.bs = bs;
                j.bOff = b.offset();
                j.os = os;
                j.oOff = out.offset();
                try {
                    sp.run(j, n, min);
                } finally {
                    j.as = null;
                    j.bs = null;
                    j.os = null;
                }
            } else {
                provider.binary(dt, op, p0, n, as, a.offset(), 1, bs, b.offset(), 1, os, out.offset(), 1);
            }
        } else {
            StridedLoop l = scratch.get().loop.begin(out).add(a).add(b);
            if (l.start()) {
                do {
                    provider.binary(dt, op, p0, l.n, as, l.off[1], l.inc[1], bs, l.off[2], l.inc[2],
                            os, l.off[0], l.inc[0]);
                } while (l.next());
            }
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * {@code out = op(a, s)} (or {@code op(s, a)} when {@code scalarFirst}) for a scalar
     * {@code s} rounded to the dtype; a broadcasts to out.
     */
    public Buffer binaryScalar(BinaryOp op, Buffer a, double s, boolean scalarFirst, Buffer out) {
        String name = opName(op);
        checkDType(name, out, a);
        checkBroadcastsTo(name, a, out);
        checkWritable(name, out);
        checkAlias(name, a, out);
        DType dt = out.dtype();
        Scratch sc = scratch.get();
        if (dt == DType.F32) {
            sc.cell.set(ValueLayout.JAVA_FLOAT, 0, (float) s);
        } else {
            sc.cell.set(ValueLayout.JAVA_DOUBLE, 0, s);
        }
        MemorySegment as = a.segment(name);
        MemorySegment os = out.segment(name);
        StridedLoop l = sc.loop.begin(out).add(a);
        if (l.start()) {
            do {
                if (scalarFirst) {
                    provider.binary(dt, op, 0, l.n, sc.cell, 0, 0, as, l.off[1], l.inc[1], os, l.off[0], l.inc[0]);
                } else {
                    provider.binary(dt, op, 0, l.n, as, l.off[1], l.inc[1], sc.cell, 0, 0, os, l.off[0], l.inc[0]);
                }
            } while (l.next());
        }
        out.storage().bumpVersion();
        return out;
    }

    /** {@code out = a + b} with broadcasting. */
    public Buffer add(Buffer a, Buffer b, Buffer out) { return binary("add", BinaryOp.ADD, 0, a, b, out); }
    /** {@code out = a - b} with broadcasting. */
    public Buffer sub(Buffer a, Buffer b, Buffer out) { return binary("sub", BinaryOp.SUB, 0, a, b, out); }
    /** {@code out = a * b} with broadcasting. */
    public Buffer mul(Buffer a, Buffer b, Buffer out) { return binary("mul", BinaryOp.MUL, 0, a, b, out); }
    /** {@code out = a / b} with broadcasting. */
    public Buffer div(Buffer a, Buffer b, Buffer out) { return binary("div", BinaryOp.DIV, 0, a, b, out); }
    /** {@code out = max(a, b)} with broadcasting (NaN propagates). */
    public Buffer maximum(Buffer a, Buffer b, Buffer out) { return binary("maximum", BinaryOp.MAX, 0, a, b, out); }
    /** {@code out = min(a, b)} with broadcasting (NaN propagates). */
    public Buffer minimum(Buffer a, Buffer b, Buffer out) { return binary("minimum", BinaryOp.MIN, 0, a, b, out); }
    /** {@code out = a + alpha * b} with broadcasting. */
    public Buffer addScaled(Buffer a, double alpha, Buffer b, Buffer out) {
        return binary("add_scaled", BinaryOp.ADD_SCALED, alpha, a, b, out);
    }

    /**
     * {@code out = cond != 0 ? a : b}; cond, a and b broadcast together to out's dims. The
     * condition is a mask of the same dtype (1.0 / 0.0).
     */
    public Buffer where(Buffer cond, Buffer a, Buffer b, Buffer out) {
        String name = "where";
        checkDType(name, out, cond, a, b);
        int[] ab = Shape.broadcastDims(name, a.shape(), b.shape());
        int[] dims = Shape.broadcastDims(name, cond.shape(), Shape.of(ab));
        if (!out.shape().hasDims(dims)) {
            throw new IllegalArgumentException(name + ": output shape " + out.shape() + " does not match the "
                    + "broadcast shape " + Shape.format(dims) + " of " + cond.shape() + ", " + a.shape()
                    + " and " + b.shape());
        }
        checkWritable(name, out);
        checkAlias(name, cond, out);
        checkAlias(name, a, out);
        checkAlias(name, b, out);
        MemorySegment cs = cond.segment(name);
        MemorySegment as = a.segment(name);
        MemorySegment bs = b.segment(name);
        MemorySegment os = out.segment(name);
        StridedLoop l = scratch.get().loop.begin(out).add(cond).add(a).add(b);
        if (l.start()) {
            do {
                provider.where(out.dtype(), l.n, cs, l.off[1], l.inc[1], as, l.off[2], l.inc[2],
                        bs, l.off[3], l.inc[3], os, l.off[0], l.inc[0]);
            } while (l.next());
        }
        out.storage().bumpVersion();
        return out;
    }

    // =========================================================================== reductions

    /** Sum of all elements, as a double holding a value of the dtype. */
    public double sumAll(Buffer x) {
        return reduceAll("sum", ReduceOp.SUM, x);
    }

    /** Largest element (NaN if any is NaN). */
    public double maxAll(Buffer x) {
        return reduceAll("max", ReduceOp.MAX, x);
    }

    /** Smallest element (NaN if any is NaN). */
    public double minAll(Buffer x) {
        return reduceAll("min", ReduceOp.MIN, x);
    }

    /** Sum of squares of all elements (for norms). */
    public double sumSquaresAll(Buffer x) {
        return reduceAll("sum_squares", ReduceOp.SUM_SQUARES, x);
    }

    private double reduceAll(String name, ReduceOp op, Buffer x) {
        MemorySegment xs = x.segment(name);
        DType dt = x.dtype();
        if (x.isContiguous()) {
            return provider.reduce(dt, op, x.size(), xs, x.offset(), 1);
        }
        StridedLoop l = scratch.get().inner.begin(x);
        double acc = switch (op) {
            case SUM, SUM_SQUARES -> 0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        if (l.start()) {
            do {
                double r = provider.reduce(dt, op, l.n, xs, l.off[0], l.inc[0]);
                acc = switch (op) {
                    case SUM, SUM_SQUARES -> dt.round(acc + r);
                    case MAX -> (Double.isNaN(acc) || Double.isNaN(r)) ? Double.NaN : Math.max(acc, r);
                    case MIN -> (Double.isNaN(acc) || Double.isNaN(r)) ? Double.NaN : Math.min(acc, r);
                };
            } while (l.next());
        }
        return acc;
    }

    /** {@code sum_i x[i] y[i]} of two 1-D buffers of equal length. */
    public double dot(Buffer x, Buffer y) {
        String name = "dot";
        checkDType(name, x, y);
        if (x.rank() != 1 || y.rank() != 1 || x.size() != y.size()) {
            throw new IllegalArgumentException(name + ": expected two 1-D buffers of equal length, got "
                    + x.shape() + " and " + y.shape());
        }
        return provider.dot(x.dtype(), x.size(), x.segment(name), x.offset(), x.shape().stride(0),
                y.segment(name), y.offset(), y.shape().stride(0));
    }

    /**
     * The rank-ordered weighted sum of N raw inputs (the all-reduce sum of data-parallel
     * training): for every element {@code i} of {@code out}, in double,
     * <pre>
     * s = 0.0 + weights[0] * in[0][inOffset + i]
     * s = s + weights[r] * in[r][inOffset + i]      r = 1, ..., in.length - 1, in rank order
     * out[i] = s rounded once to out's dtype
     * </pre>
     * with each product and each sum rounded on its own (no fused multiply-add). The vector and
     * scalar kernels perform exactly these operations, so the result's bits depend only on the
     * inputs and weights, not on the vector width, the provider, or how a caller splits the
     * element range: every replica that sums the same bytes gets the same bits.
     *
     * <p>{@code in[r]} holds elements of out's dtype in native byte order starting at
     * <em>element</em> {@code inOffset} (the same offset in every input; byte alignment not
     * required). Runs on the calling thread. Writes {@code out} (and bumps its version); reads
     * nothing else of it. {@code out} may be exactly one of the inputs (same address); any other
     * overlap is rejected.
     *
     * @return out
     * @throws IllegalArgumentException if {@code in} is empty or has a null, if the weights are
     *         not one per input, if {@code out} is not contiguous, if an input is too short for
     *         out's elements from {@code inOffset}, or on a partial overlap of an input and out
     * @throws IllegalStateException if out is dead
     */
    public Buffer rankSum(MemorySegment[] in, long inOffset, double[] weights, Buffer out) {
        String name = "rankSum";
        if (in == null || in.length == 0) {
            throw new IllegalArgumentException(name + ": no inputs (expected one segment per rank)");
        }
        if (weights == null || weights.length != in.length) {
            throw new IllegalArgumentException(name + ": " + (weights == null ? "no" : weights.length)
                    + " weights for " + in.length + " inputs (expected one per input)");
        }
        if (!out.isContiguous()) {
            throw new IllegalArgumentException(name + ": output " + out.shape().describe() + " is not contiguous");
        }
        DType dt = out.dtype();
        long n = out.size();
        long bytes = dt.byteSize();
        if (inOffset < 0) {
            throw new IllegalArgumentException(name + ": input offset " + inOffset + " is negative");
        }
        MemorySegment os = out.segment(name);
        MemorySegment oSlice = os.asSlice(out.offset() * bytes, n * bytes);
        for (int r = 0; r < in.length; r++) {
            MemorySegment x = in[r];
            if (x == null) {
                throw new IllegalArgumentException(name + ": input " + r + " of " + in.length + " is null");
            }
            if (x.byteSize() < (inOffset + n) * bytes) {
                throw new IllegalArgumentException(name + ": input " + r + " holds " + x.byteSize() + " bytes, fewer than the "
                        + (inOffset + n) * bytes + " needed for " + n + " " + dt + " elements of out " + out.shape()
                        + " from element " + inOffset);
            }
            if (n > 0) {
                MemorySegment xSlice = x.asSlice(inOffset * bytes, n * bytes);
                // both slices span n elements: they overlap in all of them exactly when they coincide
                var common = xSlice.asOverlappingSlice(oSlice);
                if (common.isPresent() && common.get().byteSize() != n * bytes) {
                    throw new IllegalArgumentException(name + ": output " + out.shape() + " partially overlaps input " + r
                            + " (from element " + inOffset + "); write to a separate buffer or exactly in place");
                }
            }
        }
        if (n > 0) {
            provider.rankSum(dt, n, in, inOffset, weights, os, out.offset());
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * Reduces {@code x} over {@code dims} into {@code out}: sum, mean, max or min. {@code out}
     * has x's dims with the reduced ones removed, or set to 1 when {@code keepdim}. An empty
     * {@code dims} reduces over every dim (out is 0-d, or all-ones with keepdim).
     */
    public Buffer sum(Buffer x, int[] dims, boolean keepdim, Buffer out) {
        return reduce("sum", ReduceOp.SUM, x, dims, keepdim, out);
    }

    /** Mean over {@code dims}; see {@link #sum(Buffer, int[], boolean, Buffer)}. */
    public Buffer mean(Buffer x, int[] dims, boolean keepdim, Buffer out) {
        reduce("mean", ReduceOp.SUM, x, dims, keepdim, out);
        long count = out.size() == 0 ? 0 : x.size() / Math.max(out.size(), 1);
        return unary("mean", UnaryOp.AFFINE, 1.0 / count, 0, out, out);
    }

    /** Max over {@code dims}; see {@link #sum(Buffer, int[], boolean, Buffer)}. */
    public Buffer max(Buffer x, int[] dims, boolean keepdim, Buffer out) {
        return reduce("max", ReduceOp.MAX, x, dims, keepdim, out);
    }

    /** Min over {@code dims}; see {@link #sum(Buffer, int[], boolean, Buffer)}. */
    public Buffer min(Buffer x, int[] dims, boolean keepdim, Buffer out) {
        return reduce("min", ReduceOp.MIN, x, dims, keepdim, out);
    }

    /** The output dims of reducing {@code x} over {@code dims} (empty = all). */
    public static int[] reducedDims(String op, Shape x, int[] dims, boolean keepdim) {
        boolean[] red = reducedMask(op, x, dims);
        int[] out = new int[keepdim ? x.rank() : x.rank() - count(red)];
        int j = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (!red[i]) {
                out[j++] = x.dim(i);
            } else if (keepdim) {
                out[j++] = 1;
            }
        }
        return out;
    }

    private static boolean[] reducedMask(String op, Shape x, int[] dims) {
        boolean[] red = new boolean[x.rank()];
        if (dims.length == 0) {
            Arrays.fill(red, true);
            return red;
        }
        for (int d : dims) {
            int n = x.normalizeDim(op, d);
            if (red[n]) {
                throw new IllegalArgumentException(op + ": dim " + d + " appears more than once in "
                        + Arrays.toString(dims));
            }
            red[n] = true;
        }
        return red;
    }

    /**
     * The reductions of a training step (a loss over all dims, a bias gradient over the batch
     * dim) without the general path's index arrays and views: reduced dims {@code 0..k-1} of a
     * contiguous x into a contiguous out. Returns false, having done nothing, for any other case
     * (including every invalid one: the general path reports those). Same arithmetic as the
     * general path, so the same bits.
     */
    private boolean reduceLeading(String name, ReduceOp op, Buffer x, int[] dims, boolean keepdim, Buffer out) {
        Shape xs = x.shape();
        int r = xs.rank();
        if (r == 0 || r > 63 || x.size() == 0 || op == ReduceOp.SUM_SQUARES || !x.isContiguous()
                || !out.isContiguous()) {
            return false;
        }
        long bits = dims.length == 0 ? (1L << r) - 1 : 0;
        for (int d : dims) {
            int nd = d < 0 ? d + r : d;
            if (nd < 0 || nd >= r || (bits & (1L << nd)) != 0) {
                return false;
            }
            bits |= 1L << nd;
        }
        int lead = Long.numberOfTrailingZeros(~bits);
        if (lead == 0 || bits != (1L << lead) - 1) {
            return false;
        }
        Shape os = out.shape();
        if (os.rank() != (keepdim ? r : r - lead)) {
            return false;
        }
        for (int i = 0; i < r; i++) {
            if (i < lead ? keepdim && os.dim(i) != 1 : os.dim(keepdim ? i : i - lead) != xs.dim(i)) {
                return false;
            }
        }
        checkWritable(name, out);
        checkDisjoint(name, x, out);
        MemorySegment xm = x.segment(name);
        MemorySegment om = out.segment(name);
        DType dt = x.dtype();
        if (lead == r) {
            store(om, dt, out.offset(), provider.reduce(dt, op, x.size(), xm, x.offset(), 1));
        } else {
            BinaryOp acc = op == ReduceOp.SUM ? BinaryOp.ADD : op == ReduceOp.MAX ? BinaryOp.MAX : BinaryOp.MIN;
            long keptLen = out.size();
            long redLen = x.size() / keptLen;
            provider.unary(dt, UnaryOp.IDENTITY, 0, 0, keptLen, xm, x.offset(), 1, om, out.offset(), 1);
            for (long j = 1; j < redLen; j++) {
                provider.binary(dt, acc, 0, keptLen, om, out.offset(), 1, xm, x.offset() + j * keptLen, 1,
                        om, out.offset(), 1);
            }
        }
        out.storage().bumpVersion();
        return true;
    }

    /** True if the reduced dims are exactly dims 0..k-1 for some k >= 1. */
    private static boolean leadingBlock(boolean[] red) {
        int k = 0;
        while (k < red.length && red[k]) {
            k++;
        }
        if (k == 0) {
            return false;
        }
        for (int i = k; i < red.length; i++) {
            if (red[i]) {
                return false;
            }
        }
        return true;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            c += v ? 1 : 0;
        }
        return c;
    }

    private Buffer reduce(String name, ReduceOp op, Buffer x, int[] dims, boolean keepdim, Buffer out) {
        checkDType(name, out, x);
        if (reduceLeading(name, op, x, dims, keepdim, out)) {
            return out;
        }
        boolean[] red = reducedMask(name, x.shape(), dims);
        int[] want = reducedDims(name, x.shape(), dims, keepdim);
        if (!out.shape().hasDims(want)) {
            throw new IllegalArgumentException(name + ": output shape " + out.shape() + " does not match "
                    + Shape.format(want) + " (input " + x.shape() + ", dims " + Arrays.toString(dims)
                    + ", keepdim " + keepdim + ")");
        }
        checkWritable(name, out);
        checkDisjoint(name, x, out);
        if (x.size() == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN) && out.size() > 0) {
            throw new IllegalArgumentException(name + ": cannot reduce an empty dimension of shape " + x.shape());
        }
        if (x.size() == 0) { // an empty sum is 0 (PyTorch); an empty max/min has an empty output here
            if (out.size() > 0) {
                fill(out, 0);
            }
            out.storage().bumpVersion();
            return out;
        }
        MemorySegment xs = x.segment(name);
        MemorySegment os = out.segment(name);
        DType dt = x.dtype();
        // Split x's dims into kept (outer, iterated) and reduced (one row per kept index).
        int r = x.rank();
        int nk = r - count(red);
        int[] order = new int[r];
        int k = 0;
        for (int i = 0; i < r; i++) {
            if (!red[i]) {
                order[k++] = i;
            }
        }
        for (int i = 0; i < r; i++) {
            if (red[i]) {
                order[k++] = i;
            }
        }
        Shape perm = x.shape().permute(order);
        int[] pd = perm.dims();
        long[] ps = perm.strides();
        int[] redDims = Arrays.copyOfRange(pd, nk, r);
        long[] redStrides = Arrays.copyOfRange(ps, nk, r);
        Shape redShape = Shape.strided(redDims, redStrides);
        long redLen = redShape.size();
        Buffer outView = out.view(Arrays.copyOf(pd, nk));
        boolean lastReduced = r > 0 && red[r - 1];
        if (lastReduced || nk == 0) {
            // Reduced dims include the innermost: one (coalesced if possible) row per output.
            Buffer redRow = Buffer.view(x.storage(), redShape, x.offset());
            boolean oneRow = redShape.isContiguous() || redShape.rank() <= 1;
            long rowInc = redShape.rank() == 0 ? 1 : (redShape.isContiguous() ? 1 : redStrides[redStrides.length - 1]);
            Shape keptShape = Shape.strided(Arrays.copyOf(pd, nk), Arrays.copyOf(ps, nk));
            Buffer keptIndex = Buffer.view(x.storage(), keptShape, x.offset());
            StridedLoop l = scratch.get().loop.begin(outView).add(keptIndex);
            if (l.start()) {
                do {
                    long xo = l.off[1];
                    double v;
                    if (oneRow) {
                        v = provider.reduce(dt, op, redLen, xs, xo, rowInc);
                    } else {
                        v = reduceAll(name, op, Buffer.view(x.storage(), redShape, xo));
                    }
                    for (long e = 0; e < l.n; e++) {
                        // l.n > 1 only when kept dims coalesced: step through them one by one
                        if (e > 0) {
                            xo += l.inc[1];
                            v = oneRow ? provider.reduce(dt, op, redLen, xs, xo, rowInc)
                                    : reduceAll(name, op, Buffer.view(x.storage(), redShape, xo));
                        }
                        store(os, dt, l.off[0] + e * l.inc[0], v);
                    }
                } while (l.next());
            }
        } else {
            // The innermost dim is kept: accumulate whole slices elementwise (vectorised along
            // the kept inner dims) — out = slice_0; out = op(out, slice_j) for the rest.
            BinaryOp acc = switch (op) {
                case SUM -> BinaryOp.ADD;
                case MAX -> BinaryOp.MAX;
                case MIN -> BinaryOp.MIN;
                case SUM_SQUARES -> throw new IllegalArgumentException(name + ": sum of squares along dims "
                        + "that exclude the last is not supported");
            };
            Shape keptShape = Shape.strided(Arrays.copyOf(pd, nk), Arrays.copyOf(ps, nk));
            if (redLen == 0) {
                fill(out, 0);
                return out;
            }
            if (leadingBlock(red) && x.isContiguous() && out.isContiguous()) {
                // The common case (a bias gradient: sum over the batch of a [B, N] gradient):
                // x is [redLen, keptLen] row-major; add its rows into out without views.
                long keptLen = x.size() / redLen;
                provider.unary(dt, UnaryOp.IDENTITY, 0, 0, keptLen, xs, x.offset(), 1, os, out.offset(), 1);
                for (long j = 1; j < redLen; j++) {
                    provider.binary(dt, acc, 0, keptLen, os, out.offset(), 1, xs, x.offset() + j * keptLen, 1,
                            os, out.offset(), 1);
                }
                out.storage().bumpVersion();
                return out;
            }
            int[] idx = new int[redDims.length];
            for (long j = 0; j < redLen; j++) {
                long off = x.offset();
                for (int d = 0; d < idx.length; d++) {
                    off += idx[d] * redStrides[d];
                }
                Buffer slice = Buffer.view(x.storage(), keptShape, off);
                StridedLoop l = scratch.get().loop.begin(outView).add(slice);
                if (l.start()) {
                    do {
                        if (j == 0) {
                            provider.unary(dt, UnaryOp.IDENTITY, 0, 0, l.n, xs, l.off[1], l.inc[1], os, l.off[0], l.inc[0]);
                        } else {
                            provider.binary(dt, acc, 0, l.n, os, l.off[0], l.inc[0], xs, l.off[1], l.inc[1],
                                    os, l.off[0], l.inc[0]);
                        }
                    } while (l.next());
                }
                for (int d = idx.length - 1; d >= 0; d--) {
                    if (++idx[d] < redDims[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * Indices of the first largest element along {@code dim}, in row-major order of the
     * remaining dims (NaN counts as largest, as in PyTorch).
     *
     * @param out receives {@code x.size() / x.dim(dim)} indices
     */
    public long[] argmax(Buffer x, int dim, long[] out) {
        return argReduce("argmax", true, x, dim, out);
    }

    /** Indices of the first smallest element along {@code dim}; see {@link #argmax}. */
    public long[] argmin(Buffer x, int dim, long[] out) {
        return argReduce("argmin", false, x, dim, out);
    }

    private long[] argReduce(String name, boolean max, Buffer x, int dim, long[] out) {
        int d = x.rank() == 0 ? 0 : x.shape().normalizeDim(name, dim);
        int len = x.rank() == 0 ? 1 : x.shape().dim(d);
        long rows = len == 0 ? 0 : x.size() / len;
        if (len == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce empty dim " + dim + " of shape " + x.shape());
        }
        if (out.length != rows) {
            throw new IllegalArgumentException(name + ": output holds " + out.length + " indices, expected "
                    + rows + " for shape " + x.shape() + " along dim " + dim);
        }
        MemorySegment xs = x.segment(name);
        if (x.rank() == 0) {
            out[0] = 0;
            return out;
        }
        if (rows == 0) {
            return out;
        }
        long inc = x.shape().stride(d);
        Buffer rest = Buffer.view(x.storage(), x.shape().narrow(d, 0, 1), x.offset());
        int i = 0;
        // iterate the other dims in row-major order
        int[] ds = rest.dims();
        long[] st = rest.shape().strides();
        int[] idx = new int[ds.length];
        for (long row = 0; row < rows; row++) {
            long off = x.offset();
            for (int q = 0; q < ds.length; q++) {
                off += idx[q] * st[q];
            }
            out[i++] = max ? provider.argmax(x.dtype(), len, xs, off, inc)
                    : provider.argmin(x.dtype(), len, xs, off, inc);
            for (int q = ds.length - 1; q >= 0; q--) {
                if (++idx[q] < ds[q]) {
                    break;
                }
                idx[q] = 0;
            }
        }
        return out;
    }

    /** {@code out = log(sum(exp(x)))} over {@code dims}, stable; shapes as in {@link #sum}. */
    public Buffer logsumexp(Buffer x, int[] dims, boolean keepdim, Buffer out) {
        String name = "logsumexp";
        checkDType(name, out, x);
        int[] want = reducedDims(name, x.shape(), dims, keepdim);
        if (!out.shape().hasDims(want)) {
            throw new IllegalArgumentException(name + ": output shape " + out.shape() + " does not match "
                    + Shape.format(want) + " (input " + x.shape() + ", dims " + Arrays.toString(dims) + ")");
        }
        checkWritable(name, out);
        checkDisjoint(name, x, out);
        boolean[] red = reducedMask(name, x.shape(), dims);
        // Move the reduced dims last and make them one contiguous row per output element: the
        // one explicit copy (logsumexp over several or non-trailing dims is rare).
        int r = x.rank();
        int[] order = new int[r];
        int k = 0;
        for (int i = 0; i < r; i++) {
            if (!red[i]) {
                order[k++] = i;
            }
        }
        int nk = k;
        for (int i = 0; i < r; i++) {
            if (red[i]) {
                order[k++] = i;
            }
        }
        Buffer p = x.permute(order);
        int[] pd = p.dims();
        long redLen = 1;
        for (int i = nk; i < r; i++) {
            redLen *= pd[i];
        }
        Buffer rows = p.isContiguous() ? p : p.contiguous();
        MemorySegment rs = rows.segment(name);
        MemorySegment os = out.segment(name);
        Buffer outView = out.view(Arrays.copyOf(pd, nk));
        long nOut = outView.size();
        DType dt = x.dtype();
        if (outView.isContiguous()) {
            for (long i = 0; i < nOut; i++) {
                store(os, dt, outView.offset() + i, provider.logsumexp(dt, redLen, rs, rows.offset() + i * redLen, 1));
            }
        } else {
            for (long i = 0; i < nOut; i++) {
                outView.setFlat(i, provider.logsumexp(dt, redLen, rs, rows.offset() + i * redLen, 1));
            }
        }
        out.storage().bumpVersion();
        return out;
    }

    /** Softmax of {@code x} along {@code dim} into {@code out} (same dims; may be x itself). */
    public Buffer softmax(Buffer x, int dim, Buffer out) {
        return softmax("softmax", false, x, dim, out);
    }

    /** Log-softmax of {@code x} along {@code dim} into {@code out} (same dims; may be x itself). */
    public Buffer logSoftmax(Buffer x, int dim, Buffer out) {
        return softmax("log_softmax", true, x, dim, out);
    }

    private Buffer softmax(String name, boolean log, Buffer x, int dim, Buffer out) {
        checkDType(name, out, x);
        if (!out.shape().sameDims(x.shape())) {
            throw new IllegalArgumentException(name + ": output shape " + out.shape() + " differs from input "
                    + x.shape());
        }
        checkWritable(name, out);
        checkAlias(name, x, out);
        MemorySegment xs = x.segment(name);
        MemorySegment os = out.segment(name);
        DType dt = x.dtype();
        if (x.rank() == 0) {
            provider.softmax(dt, log, 1, xs, x.offset(), 1, os, out.offset(), 1);
            out.storage().bumpVersion();
            return out;
        }
        int d = x.shape().normalizeDim(name, dim);
        int len = x.shape().dim(d);
        long xInc = x.shape().stride(d);
        long oInc = out.shape().stride(d);
        if (x.rank() == 2 && len > 0) { // rows of a matrix (a classifier's logits): no narrowed views
            int other = 1 - d;
            long xStep = x.shape().stride(other);
            long oStep = out.shape().stride(other);
            for (long r = 0, rows = x.shape().dim(other); r < rows; r++) {
                provider.softmax(dt, log, len, xs, x.offset() + r * xStep, xInc, os, out.offset() + r * oStep, oInc);
            }
            out.storage().bumpVersion();
            return out;
        }
        Buffer xr = x.narrow(d, 0, Math.min(len, 1));
        Buffer or = out.narrow(d, 0, Math.min(len, 1));
        if (len > 0) {
            StridedLoop l = scratch.get().loop.begin(or).add(xr);
            if (l.start()) {
                do {
                    for (long e = 0; e < l.n; e++) {
                        provider.softmax(dt, log, len, xs, l.off[1] + e * l.inc[1], xInc,
                                os, l.off[0] + e * l.inc[0], oInc);
                    }
                } while (l.next());
            }
        }
        out.storage().bumpVersion();
        return out;
    }

    // ================================================================================= GEMM

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c} for 2-D buffers, where {@code op} transposes
     * when the flag is set. Row-major and column-major (transposed) views of a and b are used
     * in place; other strides are copied once to a contiguous buffer. c must be a row- or
     * column-major view and must not overlap a or b. With {@code beta == 0} c is not read.
     *
     * @throws IllegalArgumentException naming the shapes if they do not line up
     */
    public Buffer gemm(boolean transA, boolean transB, double alpha, Buffer a, Buffer b, double beta, Buffer c) {
        String name = "gemm";
        checkDType(name, c, a, b);
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException(name + ": expected 2-D buffers, got " + a.shape() + ", "
                    + b.shape() + " and " + c.shape());
        }
        int m = transA ? a.shape().dim(1) : a.shape().dim(0);
        int k = transA ? a.shape().dim(0) : a.shape().dim(1);
        int kb = transB ? b.shape().dim(1) : b.shape().dim(0);
        int n = transB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) {
            throw new IllegalArgumentException(name + ": " + a.shape() + (transA ? "ᵀ" : "") + " x " + b.shape()
                    + (transB ? "ᵀ" : "") + ": inner dims differ (" + k + " != " + kb + ")");
        }
        if (!c.shape().hasDims(m, n)) {
            throw new IllegalArgumentException(name + ": output shape " + c.shape() + " does not match ["
                    + m + ", " + n + "] for " + a.shape() + (transA ? "ᵀ" : "") + " x " + b.shape() + (transB ? "ᵀ" : ""));
        }
        checkWritable(name, c);
        checkDisjoint(name, a, c);
        checkDisjoint(name, b, c);
        if (layout(c) == 0) {
            throw new IllegalArgumentException(name + ": output must be a row- or column-major view, got "
                    + c.shape().describe());
        }
        gemmChecked(transA, transB, m, n, k, alpha, a, b, beta, c);
        c.storage().bumpVersion();
        return c;
    }

    /** Layout of a 2-D view: 1 = row-major (unit column stride), 2 = column-major, 0 = neither. */
    private static int layout(Buffer x) {
        Shape s = x.shape();
        return layout(s.dim(0), s.dim(1), s.stride(0), s.stride(1));
    }

    /** {@link #layout(Buffer)} of the transpose of x, without making the transposed view. */
    private static int layoutT(Buffer x) {
        Shape s = x.shape();
        return layout(s.dim(1), s.dim(0), s.stride(1), s.stride(0));
    }

    private static int layout(int r, int cc, long s0, long s1) {
        if (s1 == 1 || cc <= 1) {
            if (r <= 1 || s0 >= cc) {
                return 1;
            }
        }
        if (s0 == 1 || r <= 1) {
            if (cc <= 1 || s1 >= r) {
                return 2;
            }
        }
        return 0;
    }

    /** Leading dimension of x (or of its transpose when {@code t}) in the given layout. */
    private static long leadingDim(Buffer x, boolean t, int layout) {
        Shape s = x.shape();
        int d0 = s.dim(t ? 1 : 0);
        int d1 = s.dim(t ? 0 : 1);
        long s0 = s.stride(t ? 1 : 0);
        long s1 = s.stride(t ? 0 : 1);
        return layout == 1 ? Math.max(s0, Math.max(d1, 1)) : Math.max(s1, Math.max(d0, 1));
    }

    /**
     * GEMM after checks; c is row- or column-major. A column-major C is computed as the row-major
     * Cᵀ = op(B)ᵀ op(A)ᵀ, reading every buffer through its transpose's layout rather than
     * through transposed views (this runs several times per training step, and views cost heap).
     */
    private void gemmChecked(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             Buffer a, Buffer b, double beta, Buffer c) {
        if (layout(c) != 2) {
            gemmRowMajor(transA, transB, m, n, k, alpha, a, false, b, false, beta, c, false);
        } else if (layoutT(a) == 0 || layoutT(b) == 0) { // rare: an operand needs a contiguous copy
            gemmRowMajor(transB, transA, n, m, k, alpha, b.transpose(0, 1), false, a.transpose(0, 1), false,
                    beta, c.transpose(0, 1), false);
        } else {
            gemmRowMajor(transB, transA, n, m, k, alpha, b, true, a, true, beta, c, true);
        }
    }

    /**
     * {@code C = alpha op(X) op(Y) + beta C} with C row-major as read; each buffer is read as is
     * or, when its {@code r*} flag is set, as its transpose (then its layout is never 0).
     */
    private void gemmRowMajor(boolean transX, boolean transY, int m, int n, int k, double alpha,
                              Buffer x, boolean rx, Buffer y, boolean ry, double beta, Buffer c, boolean rc) {
        int lx = rx ? layoutT(x) : layout(x);
        if (lx == 0) {
            x = x.contiguous();
            lx = 1;
        }
        int ly = ry ? layoutT(y) : layout(y);
        if (ly == 0) {
            y = y.contiguous();
            ly = 1;
        }
        boolean tx = lx == 2 ? !transX : transX;
        boolean ty = ly == 2 ? !transY : transY;
        Warmup.gate((double) m * n * k);
        Parallel par = parallel();
        provider.gemm(c.dtype(), tx, ty, m, n, k, alpha,
                x.segment("gemm"), x.offset(), leadingDim(x, rx, lx),
                y.segment("gemm"), y.offset(), leadingDim(y, ry, ly),
                beta, c.segment("gemm"), c.offset(), leadingDim(c, rc, 1),
                par.executor(), par.parallelism());
    }

    /** The output dims of {@code torch.matmul(a, b)} for these shapes. */
    public static int[] matmulDims(Shape a, Shape b) {
        String name = "matmul";
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException(name + ": both arguments need at least 1 dim, got " + a + " and " + b);
        }
        int ka = a.dim(-1);
        int kb = b.rank() == 1 ? b.dim(0) : b.dim(-2);
        if (ka != kb) {
            throw new IllegalArgumentException(name + ": " + a + " x " + b + ": inner dims differ (" + ka + " != " + kb + ")");
        }
        if (a.rank() == 1 && b.rank() == 1) {
            return new int[0];
        }
        Shape aBatch = Shape.of(a.rank() > 2 ? Arrays.copyOf(a.dims(), a.rank() - 2) : new int[0]);
        Shape bBatch = Shape.of(b.rank() > 2 ? Arrays.copyOf(b.dims(), b.rank() - 2) : new int[0]);
        int[] batch;
        try {
            batch = Shape.broadcastDims(name, aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + a + " x " + b + ": batch dims " + aBatch + " and "
                    + bBatch + " cannot be broadcast", e);
        }
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        int r = batch.length;
        if (a.rank() >= 2) {
            out[r++] = a.dim(-2);
        }
        if (b.rank() >= 2) {
            out[r++] = b.dim(-1);
        }
        return Arrays.copyOf(out, r);
    }

    /**
     * {@code out = a @ b} with {@code torch.matmul} semantics: 1-D·1-D is a dot product (0-d
     * out), a 1-D left operand is a row vector, a 1-D right operand a column vector (the added
     * dim is removed from the result), and leading dims are batch dims that broadcast.
     */
    public Buffer matmul(Buffer a, Buffer b, Buffer out) {
        String name = "matmul";
        checkDType(name, out, a, b);
        if (a.rank() == 2 && b.rank() == 2 && out.rank() == 2) {
            return matmul2d(a, b, out);
        }
        int[] dims = matmulDims(a.shape(), b.shape());
        if (!out.shape().hasDims(dims)) {
            throw new IllegalArgumentException(name + ": output shape " + out.shape() + " does not match "
                    + Shape.format(dims) + " for " + a.shape() + " x " + b.shape());
        }
        checkWritable(name, out);
        checkDisjoint(name, a, out);
        checkDisjoint(name, b, out);
        if (a.rank() == 1 && b.rank() == 1) {
            double v = dot(a, b);
            store(out.segment(name), out.dtype(), out.offset(), v);
            out.storage().bumpVersion();
            return out;
        }
        // Promote 1-D operands to matrices (views).
        Buffer a2 = a.rank() == 1 ? asMatrix(a, true) : a;
        Buffer b2 = b.rank() == 1 ? asMatrix(b, false) : b;
        int m = a2.shape().dim(-2);
        int k = a2.shape().dim(-1);
        int n = b2.shape().dim(-1);
        int[] batch = Arrays.copyOf(dims, Math.max(0, dims.length - (a.rank() >= 2 ? 1 : 0) - (b.rank() >= 2 ? 1 : 0)));
        Buffer o2 = Buffer.view(out.storage(), Shape.strided(concat(batch, m, n),
                matrixStrides(out, batch.length, a.rank() >= 2, b.rank() >= 2, n)), out.offset());
        if (layout(lastTwo(o2, o2.offset())) == 0) {
            throw new IllegalArgumentException(name + ": output must have row- or column-major matrices, got "
                    + out.shape().describe());
        }
        long nb = 1;
        for (int d : batch) {
            nb *= d;
        }
        if (nb == 0 || m == 0 || n == 0) {
            out.storage().bumpVersion();
            return out;
        }
        if (k == 0) { // an empty inner dim: every output element is an empty sum
            fill(out, 0);
            return out;
        }
        // Fast path: b shared across the batch and a's batch rows stack into one matrix.
        if (batch.length > 0 && batchStridesZero(b2, batch.length)) {
            Shape aRows = a2.shape().view(-1, k);
            Shape oRows = o2.shape().view(-1, n);
            if (aRows != null && oRows != null && a2.rank() == batch.length + 2) {
                Buffer am = Buffer.view(a2.storage(), aRows, a2.offset());
                Buffer om = Buffer.view(o2.storage(), oRows, o2.offset());
                gemmChecked(false, false, aRows.dim(0), n, k, 1, am, lastTwo(b2, b2.offset()), 0, om);
                out.storage().bumpVersion();
                return out;
            }
        }
        Shape aShape = a2.shape();
        Shape bShape = b2.shape();
        Shape oShape = o2.shape();
        int[] idx = new int[batch.length];
        for (long bi = 0; bi < nb; bi++) {
            long ao = a2.offset() + batchOffset(aShape, batch, idx);
            long bo = b2.offset() + batchOffset(bShape, batch, idx);
            long oo = o2.offset() + batchOffset(oShape, batch, idx);
            gemmChecked(false, false, m, n, k, 1, lastTwo(a2, ao), lastTwo(b2, bo), 0, lastTwo(o2, oo));
            for (int q = batch.length - 1; q >= 0; q--) {
                if (++idx[q] < batch[q]) {
                    break;
                }
                idx[q] = 0;
            }
        }
        out.storage().bumpVersion();
        return out;
    }

    /** The matrix-matrix case of {@link #matmul}, without the batch bookkeeping (no allocation). */
    private Buffer matmul2d(Buffer a, Buffer b, Buffer out) {
        String name = "matmul";
        int m = a.shape().dim(0);
        int k = a.shape().dim(1);
        int n = b.shape().dim(1);
        if (b.shape().dim(0) != k) {
            matmulDims(a.shape(), b.shape()); // throws, naming the shapes
        }
        if (!out.shape().hasDims(m, n)) {
            throw new IllegalArgumentException(name + ": output shape " + out.shape() + " does not match ["
                    + m + ", " + n + "] for " + a.shape() + " x " + b.shape());
        }
        checkWritable(name, out);
        checkDisjoint(name, a, out);
        checkDisjoint(name, b, out);
        if (layout(out) == 0) {
            throw new IllegalArgumentException(name + ": output must have row- or column-major matrices, got "
                    + out.shape().describe());
        }
        if (m != 0 && n != 0) {
            if (k == 0) { // an empty inner dim: every output element is an empty sum
                return fill(out, 0);
            }
            gemmChecked(false, false, m, n, k, 1, a, b, 0, out);
        }
        out.storage().bumpVersion();
        return out;
    }

    private static boolean batchStridesZero(Buffer b, int nbatch) {
        int lead = nbatch - (b.rank() - 2);
        for (int i = 0; i < b.rank() - 2; i++) {
            if (b.shape().dim(i) != 1 && b.shape().stride(i) != 0) {
                return false;
            }
        }
        return lead >= 0;
    }

    private static Buffer asMatrix(Buffer v, boolean row) {
        long s = v.shape().stride(0);
        int len = v.shape().dim(0);
        Shape sh = row ? Shape.strided(new int[] {1, len}, new long[] {(long) len * Math.max(s, 1), s})
                : Shape.strided(new int[] {len, 1}, new long[] {s, 1});
        return Buffer.view(v.storage(), sh, v.offset());
    }

    /**
     * Strides of out seen as {@code batch + [m, n]}: when an operand was 1-D its dim is absent
     * from out, and a size-1 dim is put back in its place.
     */
    private static long[] matrixStrides(Buffer out, int nbatch, boolean hasM, boolean hasN, int n) {
        long[] os = out.shape().strides();
        if (hasM && hasN) {
            return os;
        }
        long[] st = Arrays.copyOf(os, nbatch + 2);
        if (!hasM) { // out = batch + [n]: one row
            st[nbatch + 1] = os[nbatch];
            st[nbatch] = (long) n * Math.max(os[nbatch], 1);
        } else { // out = batch + [m]: one column
            st[nbatch] = os[nbatch];
            st[nbatch + 1] = 1;
        }
        return st;
    }

    private static int[] concat(int[] a, int x, int y) {
        int[] r = Arrays.copyOf(a, a.length + 2);
        r[a.length] = x;
        r[a.length + 1] = y;
        return r;
    }

    /** Element offset of batch index idx in a (right-aligned, broadcast) operand. */
    private static long batchOffset(Shape s, int[] batch, int[] idx) {
        int sb = s.rank() - 2;
        int lead = batch.length - sb;
        long off = 0;
        for (int i = 0; i < sb; i++) {
            if (s.dim(i) != 1) {
                off += idx[i + lead] * s.stride(i);
            }
        }
        return off;
    }

    /** The matrix formed by x's last two dims, starting at element {@code offset}. */
    private static Buffer lastTwo(Buffer x, long offset) {
        Shape s = x.shape();
        return new Buffer(x.storage(), Shape.strided(new int[] {s.dim(-2), s.dim(-1)},
                new long[] {s.stride(-2), s.stride(-1)}), offset);
    }

    // ================================================================================ checks

    private static String opName(BinaryOp op) {
        return BINARY_NAMES[op.ordinal()];
    }

    private static void store(MemorySegment seg, DType dt, long element, double v) {
        if (dt == DType.F32) {
            seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, element * 4, (float) v);
        } else {
            seg.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, element * 8, v);
        }
    }

    // Fixed-arity forms for the hot paths: a varargs array here is allocated on every call when
    // the check is not inlined (it was, per training step, one of the largest heap sources).
    private static void checkDType(String op, Buffer out, Buffer x) {
        if (x.dtype() != out.dtype()) {
            dtypeMismatch(op, out, x);
        }
    }

    private static void checkDType(String op, Buffer out, Buffer a, Buffer b) {
        if (a.dtype() != out.dtype() || b.dtype() != out.dtype()) {
            dtypeMismatch(op, out, a, b);
        }
    }

    private static void checkDType(String op, Buffer out, Buffer... ins) {
        for (Buffer b : ins) {
            if (b.dtype() != out.dtype()) {
                dtypeMismatch(op, out, ins);
            }
        }
    }

    private static void dtypeMismatch(String op, Buffer out, Buffer... ins) {
        for (Buffer b : ins) {
            if (b.dtype() != out.dtype()) {
                StringBuilder sb = new StringBuilder(op).append(": dtypes differ (");
                for (Buffer x : ins) {
                    sb.append(x.dtype()).append(' ').append(x.shape()).append(", ");
                }
                sb.append("out ").append(out.dtype()).append(' ').append(out.shape()).append(')');
                throw new IllegalArgumentException(sb.toString());
            }
        }
    }

    private static void checkBroadcastsTo(String op, Buffer x, Buffer out) {
        if (!x.shape().broadcastsTo(out.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + x.shape()
                    + " does not broadcast to output shape " + out.shape());
        }
    }

    private static void checkWritable(String op, Buffer out) {
        Shape s = out.shape();
        for (int i = 0; i < s.rank(); i++) {
            if (s.stride(i) == 0 && s.dim(i) > 1) {
                throw new IllegalArgumentException(op + ": output " + s.describe()
                        + " is a broadcast (stride 0) view and cannot be written");
            }
        }
    }

    /** Elementwise aliasing rule: out may be exactly x, or disjoint from it. */
    private static void checkAlias(String op, Buffer x, Buffer out) {
        if (x.storage() != out.storage() || x.size() == 0 || out.size() == 0) {
            return;
        }
        if (x.offset() == out.offset() && x.shape().equals(out.shape())) {
            return;
        }
        if (overlaps(x, out)) {
            throw new IllegalArgumentException(op + ": output " + out.shape().describe() + " at offset "
                    + out.offset() + " partially overlaps input " + x.shape().describe() + " at offset "
                    + x.offset() + "; write to a separate buffer or exactly in place");
        }
    }

    private static void checkDisjoint(String op, Buffer x, Buffer out) {
        if (x.storage() == out.storage() && x.size() > 0 && out.size() > 0 && overlaps(x, out)) {
            throw new IllegalArgumentException(op + ": output " + out.shape() + " overlaps input "
                    + x.shape() + " (same storage); use a separate output buffer");
        }
    }

    /** Conservative overlap test on the element ranges the two views span. */
    private static boolean overlaps(Buffer a, Buffer b) {
        long aLo = a.offset();
        long aHi = aLo + span(a.shape());
        long bLo = b.offset();
        long bHi = bLo + span(b.shape());
        return aLo <= bHi && bLo <= aHi;
    }

    private static long span(Shape s) {
        long hi = 0;
        for (int i = 0; i < s.rank(); i++) {
            hi += (long) (s.dim(i) - 1) * s.stride(i);
        }
        return hi;
    }
}
