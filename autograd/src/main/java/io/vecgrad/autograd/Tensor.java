package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Shape;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * An n-dimensional array of f32 or f64 values that records the operations made on it, so that
 * {@link #backward()} can compute gradients by reverse-mode automatic differentiation.
 *
 * <p>A tensor is a strided view of engine storage ({@link Buffer}). Leaves are made by the
 * factories ({@link #of}, {@link #zeros}, {@link #randn}, ...); marking a leaf with
 * {@link #requiresGrad(boolean)} makes every result computed from it record its node. Names
 * follow PyTorch ({@code add, mul, matmul, sum, softmax, ...}); numbers mix in as constants
 * ({@code x.mul(2)}, {@code Tensor.scalar(10).div(f)}). Binary operations broadcast.
 *
 * <p><b>Gradients.</b> {@link #backward()} accumulates ({@code +=}) into {@link #grad()} of every
 * leaf that requires grad, until {@link #zeroGrad()}. Unless {@code retainGraph} is set, the
 * graph is then freed: its intermediate results go back to this thread's buffer pool, so a
 * training loop that repeats the same computation allocates no new native memory after its
 * first pass. Using a freed intermediate throws {@link IllegalStateException} naming the
 * operation and saying how to keep it; the tensor {@code backward} was called on, leaves,
 * tensors marked with {@link #retain()} and {@link #detach() detached} tensors stay fully
 * usable (their values move off the pool, which never hands their memory to another tensor).
 * Results computed without recording ({@link #noGrad()}, or from inputs that need no gradient)
 * live on the Java heap and are recycled by the garbage collector like any temporary.
 *
 * <p><b>Threads.</b> Grad mode and the buffer pool are per thread, so graphs built on different
 * threads are independent. Leaves (parameters) may be read by several threads at once, but
 * backward passes that accumulate into the same leaf's gradient, and in-place updates, must
 * not run concurrently.
 */
public final class Tensor {
    private Buffer data;
    private boolean requiresGrad;
    private Buffer grad;
    /**
     * {@link #grad} stands for zeros whatever it holds: {@link #zeroGrad} defers the fill, so the
     * next backward writes its first contribution over the buffer (a copy, or a GEMM with
     * beta = 0 that never reads it) instead of adding it to a buffer of zeros. Whoever looks at
     * the gradient first ({@link #grad()}) gets the zeros written. As PyTorch's
     * {@code zero_grad(set_to_none=True)}, but the buffer and the tensor {@code grad()} returns
     * stay the same objects.
     */
    private boolean gradZero;
    /** The tensor {@link #grad()} last returned (as PyTorch, the same object while the buffer is the same). */
    private Tensor gradTensor;
    Node node;
    /** True if {@link #data} was taken from the pool and goes back when the graph is freed. */
    boolean pooled;
    boolean retained;
    /** Set by {@link #detach()}: never part of a graph. */
    private boolean detached;
    /** Called by {@link Backward} when a pass has made its last contribution to this leaf's gradient. */
    java.util.function.Consumer<Tensor> gradReady;
    /** Contributions to this leaf the running backward pass has still to make (Backward's bookkeeping). */
    int pendingGrads;

    Tensor(Buffer data) {
        this.data = data;
    }

    // ============================================================================ factories

    /** Wraps a buffer as a leaf tensor (no copy). */
    public static Tensor fromBuffer(Buffer data) {
        return new Tensor(data);
    }

    /** A 1-D f32 tensor of these values. */
    public static Tensor of(float... values) {
        return new Tensor(TensorScope.zeros(DType.F32, values.length).copyFrom(values));
    }

    /** A 1-D f64 tensor of these values. */
    public static Tensor of(double... values) {
        return new Tensor(TensorScope.zeros(DType.F64, values.length).copyFrom(values));
    }

    /** An f32 tensor of these row-major values with the given dims. */
    public static Tensor fromArray(float[] values, int... dims) {
        return new Tensor(TensorScope.zeros(DType.F32, dims).copyFrom(values));
    }

    /** An f64 tensor of these row-major values with the given dims. */
    public static Tensor fromArray(double[] values, int... dims) {
        return new Tensor(TensorScope.zeros(DType.F64, dims).copyFrom(values));
    }

    /** A tensor of the dtype holding {@code values} (rounded to it) with the given dims. */
    public static Tensor fromArray(DType dtype, double[] values, int... dims) {
        Buffer b = TensorScope.zeros(dtype, dims);
        b.copyFrom(values);
        return new Tensor(b);
    }

    /** A 0-d f32 tensor. */
    public static Tensor scalar(double value) {
        return scalar(DType.F32, value);
    }

    /** A 0-d tensor of the dtype. */
    public static Tensor scalar(DType dtype, double value) {
        Buffer b = TensorScope.zeros(dtype);
        b.setFlat(0, value);
        return new Tensor(b);
    }

    /** f32 zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(DType.F32, dims);
    }

    /** Zeros of the dtype. */
    public static Tensor zeros(DType dtype, int... dims) {
        return new Tensor(TensorScope.zeros(dtype, dims));
    }

    /** f32 ones. */
    public static Tensor ones(int... dims) {
        return full(DType.F32, 1, dims);
    }

    /** Ones of the dtype. */
    public static Tensor ones(DType dtype, int... dims) {
        return full(dtype, 1, dims);
    }

    /** A tensor of the dtype filled with {@code value}. */
    public static Tensor full(DType dtype, double value, int... dims) {
        Buffer b = TensorScope.zeros(dtype, dims);
        Kernels.get().fill(b, value);
        return new Tensor(b);
    }

    /** {@code [0, 1, ..., n-1]} as f32. */
    public static Tensor arange(int n) {
        return arange(DType.F32, 0, n, 1);
    }

    /** {@code start, start+step, ...} below {@code end}. */
    public static Tensor arange(DType dtype, double start, double end, double step) {
        if (step == 0 || Double.isNaN(start + end + step)) {
            throw new IllegalArgumentException("arange: invalid range start " + start + ", end " + end + ", step " + step);
        }
        double count = Math.max(0, Math.ceil((end - start) / step));
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: [" + start + ", " + end + ") step " + step + " has "
                    + (long) count + " elements (shape [" + (long) count + "], " + (long) (count * dtype.byteSize())
                    + " bytes of " + dtype + "); a dim holds at most " + Integer.MAX_VALUE);
        }
        int n = (int) count;
        Buffer b = Buffer.zeros(dtype, n);
        double[] chunk = new double[Math.min(n, 8192)]; // fill in slices: no heap copy of the whole range
        for (int from = 0; from < n; from += chunk.length) {
            int len = Math.min(chunk.length, n - from);
            double[] v = len == chunk.length ? chunk : new double[len];
            for (int i = 0; i < len; i++) {
                v[i] = start + (double) (from + i) * step;
            }
            b.narrow(0, from, len).copyFrom(v);
        }
        return new Tensor(b);
    }

    /** Uniform values in [0, 1) from the given seeded generator. */
    public static Tensor rand(RandomGenerator gen, DType dtype, int... dims) {
        Buffer b = TensorScope.zeros(dtype, dims);
        double[] v = new double[Math.toIntExact(b.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = gen.nextDouble();
        }
        b.copyFrom(v);
        return new Tensor(b);
    }

    /** Standard normal values from the given seeded generator. */
    public static Tensor randn(RandomGenerator gen, DType dtype, int... dims) {
        Buffer b = TensorScope.zeros(dtype, dims);
        double[] v = new double[Math.toIntExact(b.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = gen.nextGaussian();
        }
        b.copyFrom(v);
        return new Tensor(b);
    }

    /** f32 uniform values in [0, 1). */
    public static Tensor rand(RandomGenerator gen, int... dims) {
        return rand(gen, DType.F32, dims);
    }

    /** f32 standard normal values. */
    public static Tensor randn(RandomGenerator gen, int... dims) {
        return randn(gen, DType.F32, dims);
    }

    /** Zeros with this tensor's dtype and dims. */
    public Tensor zerosLike() {
        return zeros(dtype(), dims());
    }

    // =========================================================================== properties

    /** The values as an engine buffer (a view; writing it bypasses autograd). */
    public Buffer buffer() {
        return data;
    }

    /** Element type. */
    public DType dtype() {
        return data.dtype();
    }

    /** A copy of the dims (PyTorch's {@code shape}). */
    public int[] shape() {
        return data.dims();
    }

    /** Same as {@link #shape()}. */
    public int[] dims() {
        return data.dims();
    }

    /** Size of dim {@code i} (negative counts from the end). */
    public int dim(int i) {
        return data.shape().dim(i);
    }

    /** Number of dims. */
    public int ndim() {
        return data.rank();
    }

    /** Number of elements. */
    public long numel() {
        return data.size();
    }

    /** True if gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf as needing a gradient (or not).
     *
     * @throws IllegalStateException on a tensor computed by a recorded operation
     */
    public Tensor requiresGrad(boolean value) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can change requiresGrad; this one was "
                    + "computed by " + node.name() + " (use detach() first)");
        }
        requiresGrad = value;
        return this;
    }

    /** True for tensors not computed by a recorded operation. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The accumulated gradient of a leaf, or {@code null} before any backward reached it. */
    public Tensor grad() {
        if (grad == null) {
            return null;
        }
        if (gradZero) {
            Kernels.get().fill(grad, 0);
            gradZero = false;
        }
        Tensor t = gradTensor;
        if (t == null || t.data != grad) { // an optimizer asks every step: no new wrapper each time
            t = new Tensor(grad);
            gradTensor = t;
        }
        return t;
    }

    /**
     * Calls {@code hook} (with this leaf) during every backward pass that reaches this leaf, as
     * soon as the pass has accumulated its last contribution into {@link #grad()} (as PyTorch's
     * {@code register_post_accumulate_grad_hook}): a parameter used twice is reported once,
     * after both uses. Leaves the pass cannot reach (its path did not carry a gradient) are
     * reported when the pass ends. The hook runs on the backward thread while the pass goes on
     * with other tensors; it may hand the gradient to another thread, which may read and
     * overwrite it (the pass will not touch it again). A data-parallel trainer uses this to send
     * the gradients of the last layers while the first layers' are still being computed.
     * {@code null} removes the hook. An exception from the hook ends the backward pass.
     *
     * @return this leaf
     * @throws IllegalStateException if this tensor is not a leaf
     */
    public Tensor onGradReady(java.util.function.Consumer<Tensor> hook) {
        if (node != null) {
            throw new IllegalStateException("onGradReady: tensor " + dtype() + " " + Shape.format(dims())
                    + " is not a leaf (computed by " + node.name() + "); only leaves accumulate a gradient");
        }
        gradReady = hook;
        return this;
    }

    /** The name of the node that computed this tensor ({@code "MulBackward"}), or null for a leaf. */
    public String gradFn() {
        return node == null ? null : node.name();
    }

    /** The single value of a one-element tensor. */
    public double item() {
        checkLive("item");
        if (data.size() != 1) {
            throw new IllegalStateException("item: only one-element tensors can be converted to a number, got shape "
                    + data.shape());
        }
        return data.getFlat(0);
    }

    /** The values in row-major order as floats. */
    public float[] toFloatArray() {
        checkLive("toFloatArray");
        return data.toFloatArray();
    }

    /** The values in row-major order as doubles. */
    public double[] toDoubleArray() {
        checkLive("toDoubleArray");
        return data.toDoubleArray();
    }

    /** The element at a multi-index. */
    public double get(int... index) {
        checkLive("get");
        return data.get(index);
    }

    /**
     * Keeps this intermediate readable, and usable in new operations, after the backward pass
     * that frees its graph: its storage (shared with the tensor it is a view of, if any) is
     * pinned, so the pool never hands its memory to another tensor (at release its values move
     * to a heap copy and the native block is reused). Call it before {@code backward}. Returns
     * this.
     */
    public Tensor retain() {
        retained = true;
        data.storage().pin();
        return this;
    }

    /**
     * Native bytes allocated so far for tensors: by this thread's graph buffer pool plus all
     * GC-managed engine storage. Constant across the steps of a warm training loop.
     */
    public static long nativeBytesAllocated() {
        return Pool.ws().nativeBytesAllocated() + io.vecgrad.engine.Storage.nativeBytesAllocated();
    }

    // ============================================================================ grad mode

    /**
     * Turns graph recording off on this thread until the returned scope is closed:
     * {@code try (var g = Tensor.noGrad()) { ... }}. Scopes nest.
     */
    public static GradMode noGrad() {
        return GradMode.set(false);
    }

    /** Turns recording back on inside a {@link #noGrad()} scope, until closed. */
    public static GradMode enableGrad() {
        return GradMode.set(true);
    }

    // ---- embed: tensor scope ----

    /**
     * Opens a {@link TensorScope} on this thread: every tensor made until it is closed (results
     * and factory-made tensors) takes pooled memory that closing gives back:
     * {@code try (var s = Tensor.scope()) { ... }}. See {@link TensorScope}.
     */
    public static TensorScope scope() {
        return TensorScope.open();
    }

    /**
     * The same values, cut from the graph: never requires grad. Shares storage (in-place
     * changes to one are seen by the other).
     */
    public Tensor detach() {
        data.storage().pin(); // the detached tensor outlives this graph: see retain()
        Tensor t = new Tensor(data);
        t.detached = true;
        return t;
    }

    /** A copy of the values in new storage, recorded as an identity op. */
    public Tensor copy() {
        return unary(Op.VIEW, UnaryOp.IDENTITY, 0, 0);
    }

    // ============================================================================= backward

    /** {@code backward()} for a one-element tensor: seeds the gradient with 1. */
    public void backward() {
        Backward.run(this, null, false);
    }

    /** Backward with an explicit upstream gradient of this tensor's shape. */
    public void backward(Tensor gradient) {
        Backward.run(this, gradient, false);
    }

    /** Backward, keeping the graph for another backward when {@code retainGraph}. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Backward.run(this, gradient, retainGraph);
    }

    /**
     * Frees the graph that produced this tensor after a {@code backward(gradient, true)} that kept
     * it: what a backward without {@code retainGraph} frees (intermediate results and saved
     * buffers go back to this thread's pool) is freed now. For adapters whose callers read results
     * after backward and close them later (DJL's NDArrays): they call this once those results are
     * closed, so a warm training step allocates no native memory. Tensors marked with
     * {@link #retain()} or {@link #detach() detached} stay readable (their values move to the
     * heap); every other intermediate of the graph, this tensor included unless retained, is
     * released, and a second backward through the graph fails. Parts already freed are skipped;
     * a leaf or a freed graph is left as it is.
     */
    public void releaseGraph() {
        Backward.release(this);
    }

    /**
     * Sets a leaf's gradient to zeros (keeping its buffer). The zeros are written when the
     * gradient is next read ({@link #grad()}); a backward pass that reaches this leaf first
     * writes its gradient over the buffer instead of adding it to zeros (no fill, no read of it).
     * So a tensor kept from an earlier {@code grad()} call shows the old values until
     * {@code grad()} is called again (the same object then shows the zeros), as an old gradient
     * tensor after PyTorch's {@code zero_grad()} does.
     */
    public Tensor zeroGrad() {
        if (grad != null) {
            gradZero = true;
        }
        return this;
    }

    /** Drops a leaf's gradient buffer ({@code grad()} is null afterwards). */
    public void clearGrad() {
        grad = null;
        gradZero = false;
    }

    /** Adds {@code g} (already of this shape) into the gradient; creates it on first use. */
    void accumulateGrad(Buffer g) {
        if (grad == null) {
            grad = Buffer.zeros(dtype(), dims());
            Kernels.get().copy(g, grad);
            gradZero = false;
        } else if (gradZero) {
            Kernels.get().copy(g, grad);
            gradZero = false;
        } else {
            Kernels.get().add(grad, g, grad);
        }
    }

    /**
     * This leaf's gradient buffer when a rule may add its contribution straight into it (a GEMM
     * with {@code beta = 1}, as {@link Derivatives}' Linear rule does for the weight) instead of
     * returning a fresh buffer that the walker adds and gives back; null when it may not: not a
     * leaf, no gradient yet, a strided one, or anomaly mode (which checks every returned
     * gradient). The walker treats the edge as carrying nothing, which still counts it for
     * {@link #onGradReady} hooks.
     */
    Buffer gradToAccumulateInPlace() {
        if (node != null || !requiresGrad || grad == null || !grad.isContiguous() || Anomaly.isEnabled()) {
            return null;
        }
        return grad;
    }

    /**
     * The beta of the rule that adds into {@link #gradToAccumulateInPlace}'s buffer, which the
     * rule must then use: 0 when the gradient stands for zeros (the rule overwrites it; its
     * stale values are never read), else 1.
     */
    double takeAccumulateBeta() {
        if (gradZero) {
            gradZero = false;
            return 0;
        }
        return 1;
    }

    /** Replaces the gradient buffer (for optimizers and state loading). */
    public void setGrad(Tensor g) {
        if (g == null) {
            grad = null;
            gradZero = false;
            return;
        }
        if (!Arrays.equals(g.dims(), dims()) || g.dtype() != dtype()) {
            throw new IllegalArgumentException("setGrad: gradient " + g.dtype() + " " + Shape.format(g.dims())
                    + " does not match tensor " + dtype() + " " + Shape.format(dims()));
        }
        grad = g.data;
        gradZero = false;
    }

    boolean isDetached() {
        return detached;
    }

    // ================================================================== recording machinery

    private static boolean tracking(Tensor a) {
        return a.requiresGrad && GradMode.isEnabled();
    }

    private static boolean tracking(Tensor a, Tensor b) {
        return (a.requiresGrad || b.requiresGrad) && GradMode.isEnabled();
    }

    /** A fresh result: pooled when it will be part of a graph, GC-managed otherwise. */
    static Tensor result(DType dt, int[] dims, boolean track) {
        // a recorded result's shape comes from the pool's table (the same dims every step)
        return result(dt, track ? Pool.ws().shape(dims) : Shape.of(dims), track);
    }

    /** A fresh contiguous result with these dims (the shape object is reused when contiguous). */
    static Tensor result(DType dt, Shape shape, boolean track) {
        Tensor t = new Tensor(TensorScope.result(dt, shape, track));
        t.pooled = track;
        return t;
    }

    /** Creates the node of a recorded result. */
    static Node record(Op op, Tensor out, Tensor... inputs) {
        if (Anomaly.isEnabled()) {
            Anomaly.checkOutput(op, out, inputs);
        }
        Node n = new Node(op, inputs);
        n.output = out;
        out.node = n;
        out.requiresGrad = true;
        return n;
    }

    private void checkLive(String op) {
        if (!data.storage().isAlive()) {
            throw released(op);
        }
    }

    /** Fails with {@link #released} if any of these tensors' memory was released. */
    static void checkLive(String op, Tensor... ts) {
        for (Tensor t : ts) {
            t.checkLive(op);
        }
    }

    /**
     * The error for reading a tensor whose memory is gone: names the public operation the user
     * called (found on the stack: the outermost {@code Tensor}/{@code Losses} frame, so not an
     * internal kernel), what released the memory, and how to keep it.
     */
    private IllegalStateException released(String fallbackOp) {
        String op = userOp(fallbackOp);
        String what = dtype() + " " + Shape.format(dims()) + (node != null ? ", computed by " + node.name() : "");
        if (data.storage().isReleased()) {
            return new IllegalStateException(op + ": this tensor (" + what + ") was released by backward(): "
                    + "backward frees the graph's intermediate results and reuses their memory. To keep it, "
                    + "call retain() on it (or detach() it) before backward(), or pass retainGraph=true");
        }
        return new IllegalStateException(op + ": this tensor (" + what + ") lives in a MemoryScope that was "
                + "closed; keep the scope open while its tensors are used");
    }

    private static final StackWalker WALKER = StackWalker.getInstance();

    private static String userOp(String fallback) {
        return WALKER.walk(frames -> {
            String op = null;
            for (var it = frames.iterator(); it.hasNext(); ) {
                StackWalker.StackFrame f = it.next();
                String c = f.getClassName();
                if (c.equals(Tensor.class.getName()) || c.equals(Losses.class.getName())) {
                    if (!f.getMethodName().startsWith("lambda$") && !f.getMethodName().startsWith("check")
                            && !f.getMethodName().equals("released")) {
                        op = f.getMethodName();
                    }
                } else if (op != null && !c.startsWith("io.vecgrad.autograd.")) {
                    break;
                }
            }
            return op == null ? fallback : op;
        });
    }

    // ====================================================================== elementwise ops

    private Tensor unary(Op op, UnaryOp k, double p0, double p1) {
        checkLive(op.opName);
        boolean track = tracking(this);
        Tensor out = result(dtype(), data.shape(), track);
        Pool.k().unary(k, p0, p1, data, out.data);
        if (track) {
            Node n = record(op, out, this);
            n.p0 = p0;
            n.p1 = p1;
            switch (op) {
                case EXP, TANH, SIGMOID, SQRT, RELU -> n.save(out.data);
                case LOG, SIN, COS, ABS, LEAKY_RELU, GELU, GELU_TANH, POW -> n.save(data);
                case CLAMP -> n.save(data, out.data);
                case VIEW -> n.ints = dims(); // the VIEW rule reshapes g back to the input dims
                default -> { }
            }
        }
        return out;
    }

    /** {@code -x}. */
    public Tensor neg() { return unary(Op.NEG, UnaryOp.NEG, 0, 0); }
    /** {@code e^x}. */
    public Tensor exp() { return unary(Op.EXP, UnaryOp.EXP, 0, 0); }
    /** Natural log ({@code -inf} at 0, NaN below). */
    public Tensor log() { return unary(Op.LOG, UnaryOp.LOG, 0, 0); }
    /** Square root. */
    public Tensor sqrt() { return unary(Op.SQRT, UnaryOp.SQRT, 0, 0); }
    /** Absolute value (gradient 0 at 0, as PyTorch). */
    public Tensor abs() { return unary(Op.ABS, UnaryOp.ABS, 0, 0); }
    /** Sine. */
    public Tensor sin() { return unary(Op.SIN, UnaryOp.SIN, 0, 0); }
    /** Cosine. */
    public Tensor cos() { return unary(Op.COS, UnaryOp.COS, 0, 0); }
    /** Hyperbolic tangent. */
    public Tensor tanh() { return unary(Op.TANH, UnaryOp.TANH, 0, 0); }
    /** Logistic sigmoid. */
    public Tensor sigmoid() { return unary(Op.SIGMOID, UnaryOp.SIGMOID, 0, 0); }
    /** {@code max(x, 0)} (gradient 0 at 0, as PyTorch). */
    public Tensor relu() { return unary(Op.RELU, UnaryOp.RELU, 0, 0); }
    /** Leaky ReLU with slope 0.01. */
    public Tensor leakyRelu() { return leakyRelu(0.01); }
    /** Leaky ReLU: {@code x > 0 ? x : slope * x} (gradient at 0 is the slope, as PyTorch). */
    public Tensor leakyRelu(double slope) { return unary(Op.LEAKY_RELU, UnaryOp.LEAKY_RELU, slope, 0); }
    /** Exact GELU {@code x/2 (1 + erf(x / sqrt 2))}. */
    public Tensor gelu() { return unary(Op.GELU, UnaryOp.GELU, 0, 0); }

    /** GELU with PyTorch's {@code approximate} argument: {@code "none"} or {@code "tanh"}. */
    public Tensor gelu(String approximate) {
        return switch (approximate) {
            case "none" -> gelu();
            case "tanh" -> unary(Op.GELU_TANH, UnaryOp.GELU_TANH, 0, 0);
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '"
                    + approximate + "'");
        };
    }

    /** {@code x^exponent}. */
    public Tensor pow(double exponent) { return unary(Op.POW, UnaryOp.POW, exponent, 0); }
    /** {@code x * x}. */
    public Tensor square() { return pow(2); }

    /** Clamps to {@code [min, max]}; the gradient passes where {@code min <= x <= max}. */
    public Tensor clamp(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        }
        return unary(Op.CLAMP, UnaryOp.CLAMP, min, max);
    }

    /** {@code max(x, min)}. */
    public Tensor clampMin(double min) { return clamp(min, Double.POSITIVE_INFINITY); }
    /** {@code min(x, max)}. */
    public Tensor clampMax(double max) { return clamp(Double.NEGATIVE_INFINITY, max); }

    /** {@code x + s}. */
    public Tensor add(double s) { return unary(Op.AFFINE, UnaryOp.AFFINE, 1, s); }
    /** {@code x - s}. */
    public Tensor sub(double s) { return unary(Op.AFFINE, UnaryOp.AFFINE, 1, -s); }
    /** {@code x * s}. */
    public Tensor mul(double s) { return unary(Op.AFFINE, UnaryOp.AFFINE, s, 0); }
    /** {@code x / s}. */
    public Tensor div(double s) { return binary(Op.DIV, this, constantLike(s)); }
    /** {@code s - x}. */
    public Tensor rsub(double s) { return unary(Op.AFFINE, UnaryOp.AFFINE, -1, s); }
    /** {@code s / x}. */
    public Tensor rdiv(double s) { return binary(Op.DIV, constantLike(s), this); }

    private Tensor constantLike(double s) {
        return scalar(dtype(), s);
    }

    /** Casts a 0-d constant to the other operand's dtype (PyTorch's wrapped-number rule). */
    private static Tensor promote(Tensor t, Tensor other) {
        if (t.dtype() != other.dtype() && t.ndim() == 0 && !t.requiresGrad) {
            return scalar(other.dtype(), t.item());
        }
        return t;
    }

    static Tensor binary(Op op, Tensor a, Tensor b) {
        checkLive(op.opName, a, b);
        a = promote(a, b);
        b = promote(b, a);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op.opName + ": dtypes differ (" + a.dtype() + " "
                    + Shape.format(a.dims()) + " and " + b.dtype() + " " + Shape.format(b.dims()) + ")");
        }
        Shape as = a.data.shape();
        Shape bs = b.data.shape();
        boolean track = tracking(a, b);
        // the result has the dims of an operand whenever the other broadcasts to it (x + bias)
        Tensor out = as.sameDims(bs) || as.isBroadcastOf(as, bs) ? result(a.dtype(), as, track)
                : bs.isBroadcastOf(as, bs) ? result(a.dtype(), bs, track)
                : result(a.dtype(), Shape.broadcastDims(op.opName, as, bs), track);
        BinaryOp k = switch (op) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MAXIMUM -> BinaryOp.MAX;
            case MINIMUM -> BinaryOp.MIN;
            default -> throw new IllegalStateException("not a binary op: " + op);
        };
        Pool.k().binary(k, 0, a.data, b.data, out.data);
        if (track) {
            Node n = record(op, out, a, b);
            switch (op) {
                case MUL, MAXIMUM, MINIMUM -> n.save(a.data, b.data);
                case DIV -> n.save(b.data, out.data);
                default -> { }
            }
        }
        return out;
    }

    /** {@code a + b} with broadcasting. */
    public Tensor add(Tensor other) { return binary(Op.ADD, this, other); }
    /** {@code a - b} with broadcasting. */
    public Tensor sub(Tensor other) { return binary(Op.SUB, this, other); }
    /** {@code a * b} with broadcasting. */
    public Tensor mul(Tensor other) { return binary(Op.MUL, this, other); }
    /** {@code a / b} with broadcasting. */
    public Tensor div(Tensor other) { return binary(Op.DIV, this, other); }
    /** Elementwise max; on ties each input gets half the gradient (as PyTorch). */
    public Tensor maximum(Tensor other) { return binary(Op.MAXIMUM, this, other); }
    /** Elementwise min; on ties each input gets half the gradient (as PyTorch). */
    public Tensor minimum(Tensor other) { return binary(Op.MINIMUM, this, other); }

    /** {@code a + b}. */
    public static Tensor add(Tensor a, Tensor b) { return a.add(b); }
    /** {@code a - b}. */
    public static Tensor sub(Tensor a, Tensor b) { return a.sub(b); }
    /** {@code a * b}. */
    public static Tensor mul(Tensor a, Tensor b) { return a.mul(b); }
    /** {@code a / b}. */
    public static Tensor div(Tensor a, Tensor b) { return a.div(b); }

    /**
     * {@code cond ? a : b} elementwise, all three broadcast together; cond is a mask tensor
     * (nonzero = true) and gets no gradient.
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        checkLive("where", cond, a, b);
        a = promote(a, b);
        b = promote(b, a);
        cond = cond.dtype() == a.dtype() ? cond : cond.to(a.dtype());
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("where: dtypes differ (" + a.dtype() + " and " + b.dtype() + ")");
        }
        int[] ab = Shape.broadcastDims("where", a.data.shape(), b.data.shape());
        int[] dims = Shape.broadcastDims("where", cond.data.shape(), Shape.of(ab));
        boolean track = tracking(a, b);
        Tensor out = result(a.dtype(), dims, track);
        Pool.k().where(cond.data, a.data, b.data, out.data);
        if (track) {
            Node n = record(Op.WHERE, out, a, b);
            n.save(cond.data);
        }
        return out;
    }

    /** A boolean mask as a 1/0 tensor of the dtype, e.g. for {@link #where}. */
    public static Tensor mask(DType dtype, boolean[] values, int... dims) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i] ? 1 : 0;
        }
        return fromArray(dtype, v, dims);
    }

    /** A copy converted to another dtype (not recorded: the result is a new leaf). */
    public Tensor to(DType dtype) {
        checkLive("to");
        if (dtype == dtype()) {
            return this;
        }
        Buffer b = TensorScope.zeros(dtype, dims());
        b.copyFrom(data.toDoubleArray());
        return new Tensor(b);
    }

    // ========================================================================== reductions

    /** Sum of all elements (0-d). */
    public Tensor sum() {
        return sum(ALL_DIMS, false);
    }

    /** The empty dims list: reduce over every dim (shared, never written). */
    private static final int[] ALL_DIMS = {};

    /** Sum along one dim. */
    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

    /** Sum along one dim, keeping it as size 1 when {@code keepdim}. */
    public Tensor sum(int dim, boolean keepdim) {
        return sum(new int[] {dim}, keepdim);
    }

    /** Sum along several dims (empty = all). */
    public Tensor sum(int[] dims, boolean keepdim) {
        checkLive("sum");
        int[] od = dims.length == 0 && !keepdim ? ALL_DIMS : Kernels.reducedDims("sum", data.shape(), dims, keepdim);
        boolean track = tracking(this);
        Tensor out = result(dtype(), od, track);
        Pool.k().sum(data, dims, keepdim, out.data);
        if (track) {
            Node n = record(Op.SUM, out, this);
            n.ints = dims.length == 0 ? ALL_DIMS : dims.clone();
            n.flag = keepdim;
        }
        return out;
    }

    /** Mean of all elements (0-d). */
    public Tensor mean() {
        return sum(ALL_DIMS, false).mul(1.0 / data.size()); // as mean(dims, keepdim) over every dim
    }

    /** Mean along one dim. */
    public Tensor mean(int dim) {
        return mean(new int[] {dim}, false);
    }

    /** Mean along one dim, keeping it when {@code keepdim}. */
    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    /** Mean along several dims (empty = all): a sum scaled by 1/count. */
    public Tensor mean(int[] dims, boolean keepdim) {
        int[] od = Kernels.reducedDims("mean", data.shape(), dims, keepdim);
        long outSize = 1;
        for (int d : od) {
            outSize *= d;
        }
        long count = outSize == 0 ? 0 : data.size() / outSize;
        return sum(dims, keepdim).mul(1.0 / count);
    }

    /** Largest element (0-d); the gradient goes to the first maximal element. */
    public Tensor max() {
        return reshape(-1).max(0, false);
    }

    /** Max values along {@code dim}; the gradient goes to the (first) argmax of each row. */
    public Tensor max(int dim, boolean keepdim) {
        checkLive("max");
        int d = reductionDim("max", dim);
        if (ndim() == 0) {
            return unary(Op.VIEW, UnaryOp.IDENTITY, 0, 0);
        }
        int[] od = Kernels.reducedDims("max", data.shape(), new int[] {d}, keepdim);
        long[] idx = Pool.k().argmax(data, d, new long[Math.toIntExact(data.size() / Math.max(1, dim(d)))]);
        boolean track = tracking(this);
        Tensor out = result(dtype(), od, track);
        Pool.k().max(data, new int[] {d}, keepdim, out.data);
        if (track) {
            Node n = record(Op.MAX_DIM, out, this);
            n.ints = new int[] {d};
            n.flag = keepdim;
            n.indices = idx;
        }
        return out;
    }

    /**
     * Max over several dims (empty = all): the reduced dims are moved last and flattened (views
     * when the strides allow), then reduced; the gradient goes to the first maximal element.
     */
    public Tensor max(int[] dims, boolean keepdim) {
        if (dims.length == 1) {
            return max(dims[0], keepdim);
        }
        int[] out = Kernels.reducedDims("max", data.shape(), dims, keepdim);
        if (dims.length == 0 && !keepdim) {
            return max();
        }
        boolean[] red = new boolean[ndim()];
        for (int d : dims.length == 0 ? java.util.stream.IntStream.range(0, ndim()).toArray() : dims) {
            red[data.shape().normalizeDim("max", d)] = true;
        }
        int[] order = new int[ndim()];
        int[] kept = new int[ndim()];
        int k = 0;
        int nk = 0;
        for (int i = 0; i < ndim(); i++) {
            if (!red[i]) {
                order[k++] = i;
                kept[nk++] = dim(i);
            }
        }
        for (int i = 0; i < ndim(); i++) {
            if (red[i]) {
                order[k++] = i;
            }
        }
        int[] flat = Arrays.copyOf(kept, nk + 1);
        flat[nk] = -1;
        return permute(order).reshape(flat).max(nk, false).reshape(out);
    }

    /** Index of the first largest element of the flattened tensor. */
    public long argmax() {
        return reshape(-1).argmax(0).get(0);
    }

    /** Min values along {@code dim} (as {@code -max(-x)}). */
    public Tensor min(int dim, boolean keepdim) {
        return neg().max(reductionDim("min", dim), keepdim).neg();
    }

    /**
     * The normalized dim of a max/min/softmax along {@code dim}: a 0-d tensor accepts 0 and -1
     * (as PyTorch); a max or min over an empty dim has no value and is rejected here, naming
     * the user's op.
     */
    private int reductionDim(String name, int dim) {
        if (ndim() == 0) {
            if (dim != 0 && dim != -1) {
                throw new IndexOutOfBoundsException(name + ": dim " + dim + " out of range for a 0-d tensor "
                        + "(expected 0 or -1)");
            }
            return 0;
        }
        int d = data.shape().normalizeDim(name, dim);
        if (dim(d) == 0 && !name.contains("softmax")) {
            throw new IllegalArgumentException(name + ": cannot reduce over dim " + dim + " of size 0 (shape "
                    + Shape.format(dims()) + "): the " + name + " of no elements is undefined");
        }
        return d;
    }

    /** Index of the first largest element along {@code dim} (never recorded). */
    public Indices argmax(int dim, boolean keepdim) {
        checkLive("argmax");
        int d = data.shape().normalizeDim("argmax", dim);
        long[] idx = Pool.k().argmax(data, d, new long[Math.toIntExact(data.size() / Math.max(1, dim(d)))]);
        return Indices.of(idx, Kernels.reducedDims("argmax", data.shape(), new int[] {d}, keepdim));
    }

    /** Index of the first largest element along {@code dim}. */
    public Indices argmax(int dim) {
        return argmax(dim, false);
    }

    /** {@code log(sum(exp(x)))} along dims, stable for large |x|. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        checkLive("logsumexp");
        int[] od = Kernels.reducedDims("logsumexp", data.shape(), dims, keepdim);
        boolean track = tracking(this);
        Tensor out = result(dtype(), od, track);
        Pool.k().logsumexp(data, dims, keepdim, out.data);
        if (track) {
            Node n = record(Op.LOGSUMEXP, out, this);
            n.ints = dims.clone();
            n.flag = keepdim;
            n.save(data, out.data);
        }
        return out;
    }

    /** {@code logsumexp} along one dim. */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return logsumexp(new int[] {dim}, keepdim);
    }

    /** Softmax along {@code dim}. */
    public Tensor softmax(int dim) {
        return softmaxOp(Op.SOFTMAX, dim);
    }

    /** Log-softmax along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return softmaxOp(Op.LOG_SOFTMAX, dim);
    }

    // ---- norm/embedding/activations ----

    /** An elementwise activation recording its input for the backward rule. */
    private Tensor activation(Op op, UnaryOp k, double p0, double p1) {
        boolean track = tracking(this);
        Tensor out = result(dtype(), data.shape(), track);
        Pool.k().unary(k, p0, p1, data, out.data);
        if (track) {
            Node n = record(op, out, this);
            n.p0 = p0;
            n.p1 = p1;
            n.save(data);
        }
        return out;
    }

    /**
     * ELU: {@code x > 0 ? x : alpha·(e^x - 1)} (PyTorch's {@code F.elu}; the gradient at 0 is alpha).
     *
     * @throws IllegalArgumentException if alpha is not finite
     */
    public Tensor elu(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("elu: alpha must be finite, got " + alpha);
        }
        return activation(Op.ELU, UnaryOp.ELU, alpha, 1);
    }

    /** ELU with alpha 1. */
    public Tensor elu() {
        return elu(1.0);
    }

    /** SELU's alpha (PyTorch's constant). */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale lambda (PyTorch's constant). */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** SELU: {@code scale·elu(x, alpha)} with PyTorch's constants {@link #SELU_ALPHA}, {@link #SELU_SCALE}. */
    public Tensor selu() {
        return activation(Op.ELU, UnaryOp.ELU, SELU_ALPHA, SELU_SCALE);
    }

    /**
     * Softplus: {@code log(1 + e^(beta·x)) / beta}, and {@code x} itself where
     * {@code beta·x > threshold} (PyTorch's {@code F.softplus}).
     *
     * @throws IllegalArgumentException if beta is not positive and finite, or threshold is NaN
     */
    public Tensor softplus(double beta, double threshold) {
        if (!(beta > 0) || !Double.isFinite(beta) || Double.isNaN(threshold)) {
            throw new IllegalArgumentException("softplus: beta must be positive and finite and threshold a number, got beta "
                    + beta + ", threshold " + threshold);
        }
        return activation(Op.SOFTPLUS, UnaryOp.SOFTPLUS, beta, threshold);
    }

    /** Softplus with beta 1 and threshold 20 (PyTorch's defaults). */
    public Tensor softplus() {
        return softplus(1, 20);
    }

    /** SiLU (swish): {@code x·sigmoid(x)}. */
    public Tensor silu() {
        return activation(Op.SILU, UnaryOp.SILU, 0, 0);
    }

    /** Softsign: {@code x / (1 + |x|)}. */
    public Tensor softsign() {
        return activation(Op.SOFTSIGN, UnaryOp.SOFTSIGN, 0, 0);
    }

    /** Mish: {@code x·tanh(softplus(x))}. */
    public Tensor mish() {
        return activation(Op.MISH, UnaryOp.MISH, 0, 0);
    }

    /**
     * Hardtanh: clamps to {@code [minVal, maxVal]}; unlike {@link #clamp} the gradient passes only
     * strictly inside the interval (PyTorch's {@code F.hardtanh}).
     *
     * @throws IllegalArgumentException if {@code minVal > maxVal} or either is NaN
     */
    public Tensor hardtanh(double minVal, double maxVal) {
        if (!(minVal <= maxVal)) {
            throw new IllegalArgumentException("hardtanh: min_val " + minVal + " must not exceed max_val " + maxVal);
        }
        return activation(Op.HARDTANH, UnaryOp.CLAMP, minVal, maxVal);
    }

    /** Hardtanh on {@code [-1, 1]}. */
    public Tensor hardtanh() {
        return hardtanh(-1, 1);
    }

    /**
     * PReLU: {@code x > 0 ? x : w·x} with one learned slope ({@code w} of shape {@code [1]}) or one
     * per channel ({@code w [C]}, channels on dim 1 of x). Output has x's shape.
     *
     * @throws IllegalArgumentException if w's size is neither 1 nor the channel count, or dtypes differ
     */
    public Tensor prelu(Tensor weight) {
        return NormOps.prelu(this, weight);
    }

    /**
     * Batch normalization (PyTorch's {@code F.batch_norm}) of {@code x [N, C, *]} per channel.
     * Training: normalise with the batch mean and biased variance and, when running statistics
     * are given, update them <em>in place</em>: {@code running = (1-momentum)·running +
     * momentum·batch}, the variance unbiased. Evaluation: normalise with the running statistics.
     * Then {@code y = xhat·weight + bias}.
     *
     * @param runningMean {@code [C]} (updated in place when training) or null (training only)
     * @param runningVar {@code [C]} (updated in place when training) or null (training only)
     * @param weight {@code [C]} or null
     * @param bias {@code [C]} or null
     * @throws IllegalArgumentException naming the shapes for mismatched channels or dtypes, a
     *     training batch with one value per channel, or missing running statistics in evaluation;
     *     nothing is written then
     */
    public Tensor batchNorm(Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        return NormOps.batchNorm(this, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * Layer normalization over the trailing dims {@code normalizedShape} (PyTorch's
     * {@code F.layer_norm}): per leading index, normalise with the mean and biased variance,
     * then {@code ·weight + bias} (both of shape normalizedShape, or null).
     *
     * @throws IllegalArgumentException if x does not end with normalizedShape, or for mismatched
     *     parameter shapes or dtypes
     */
    public Tensor layerNorm(int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return NormOps.layerNorm(this, normalizedShape, weight, bias, eps);
    }

    /**
     * Group normalization (PyTorch's {@code F.group_norm}) of {@code x [N, C, *]}: channels split
     * into {@code numGroups} groups, each (sample, group) normalised with its mean and biased
     * variance, then {@code ·weight[c] + bias[c]} ({@code [C]} or null).
     *
     * @throws IllegalArgumentException if C is not divisible by numGroups, or for mismatched
     *     parameter shapes or dtypes
     */
    public Tensor groupNorm(int numGroups, Tensor weight, Tensor bias, double eps) {
        return NormOps.groupNorm(this, numGroups, weight, bias, eps);
    }

    /**
     * Embedding lookup (PyTorch's {@code F.embedding}): rows of {@code weight [V, D]} for indices
     * of any shape; the result has shape {@code indices.shape + [D]}. The weight's gradient sums
     * the upstream rows per index; rows looked up at {@code paddingIdx} get none (-1: no padding).
     *
     * @throws IllegalArgumentException if an index is outside {@code [0, V)} (naming it and V) or
     *     weight is not 2-D
     */
    public static Tensor embedding(Indices indices, Tensor weight, long paddingIdx) {
        return NormOps.embedding(indices, weight, paddingIdx);
    }

    /** {@link #embedding(Indices, Tensor, long)} without a padding index. */
    public static Tensor embedding(Indices indices, Tensor weight) {
        return NormOps.embedding(indices, weight, -1);
    }

    /**
     * Inverted dropout on any shape: each element is kept with probability {@code 1 - p} and
     * scaled by {@code 1/(1-p)}, or zeroed (all zeroed for {@code p = 1}); {@code p = 0} returns
     * this tensor. The mask is drawn from {@code gen} in row-major order, one
     * {@code nextDouble()} per element. Recorded as a product with the mask, whose buffer comes
     * from the graph's pool when recording (a warm training step allocates no native memory for it).
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public Tensor dropout(double p, RandomGenerator gen) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: probability must be between 0 and 1, got " + p);
        }
        if (p == 0) {
            return this;
        }
        double scale = p == 1 ? 0 : 1 / (1 - p);
        boolean track = tracking(this);
        Buffer mask = track ? Pool.take(dtype(), dims()) : Buffer.zeros(dtype(), dims());
        long n = mask.size();
        for (long i = 0; i < n; i++) {
            mask.setFlat(i, gen.nextDouble() < p ? 0 : scale);
        }
        Tensor out = binary(Op.MUL, this, new Tensor(mask));
        if (track) {
            out.node.owned = new Buffer[] {mask};
        }
        return out;
    }

    /**
     * PyTorch's {@code flatten(start_dim, end_dim)}: merges dims {@code startDim..endDim}
     * (negative counts from the end) into one; a view when the strides allow. A 0-d tensor
     * becomes {@code [1]}.
     *
     * @throws IndexOutOfBoundsException for a dim out of range
     * @throws IllegalArgumentException if startDim comes after endDim
     */
    public Tensor flatten(int startDim, int endDim) {
        if (ndim() == 0) {
            return reshape(1);
        }
        int s = data.shape().normalizeDim("flatten", startDim);
        int e = data.shape().normalizeDim("flatten", endDim);
        if (s > e) {
            throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim
                    + " for shape " + Shape.format(dims()));
        }
        int[] d = dims();
        int[] nd = new int[d.length - (e - s)];
        int merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= d[i];
        }
        for (int i = 0, j = 0; i < d.length; i++) {
            if (i < s || i > e) {
                nd[j++] = d[i];
            } else if (i == s) {
                nd[j++] = merged;
            }
        }
        return reshape(nd);
    }

    private Tensor softmaxOp(Op op, int dim) {
        String name = op == Op.SOFTMAX ? "softmax" : "log_softmax";
        checkLive(name);
        int d = reductionDim(name, dim);
        boolean track = tracking(this);
        Tensor out = result(dtype(), dims(), track);
        if (op == Op.SOFTMAX) {
            Pool.k().softmax(data, d, out.data);
        } else {
            Pool.k().logSoftmax(data, d, out.data);
        }
        if (track) {
            Node n = record(op, out, this);
            n.ints = new int[] {d};
            n.save(out.data);
        }
        return out;
    }

    // ========================================================================== linear algebra

    /** {@code torch.matmul}: dot, matrix-vector, matrix-matrix, or batched with broadcast batch dims. */
    public Tensor matmul(Tensor other) {
        Tensor a = this;
        Tensor b = other;
        checkLive("matmul", a, b);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("matmul: dtypes differ (" + a.dtype() + " " + Shape.format(a.dims())
                    + " and " + b.dtype() + " " + Shape.format(b.dims()) + ")");
        }
        boolean track = tracking(a, b);
        Shape as = a.data.shape();
        Shape bs = b.data.shape();
        Tensor out = as.rank() == 2 && bs.rank() == 2 && as.dim(1) == bs.dim(0) && track
                ? result(dtype(), Pool.ws().shape(as.dim(0), bs.dim(1)), true) // a layer: no dims arrays
                : result(dtype(), Kernels.matmulDims(as, bs), track);
        Pool.k().matmul(a.data, b.data, out.data);
        if (track) {
            Node n = record(Op.MATMUL, out, a, b);
            n.save(a.data, b.data);
        }
        return out;
    }

    /** {@code a @ b}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return a.matmul(b);
    }

    /**
     * {@code this·weightᵀ + bias}, PyTorch's {@code F.linear}, recorded as one op (PyTorch's
     * {@code addmm}): the bias rows are written into the output and one GEMM adds the product to
     * them ({@code beta = 1}), so there is no separate bias pass, no transposed-weight view and
     * one result instead of two. Leading dims of this tensor are batch dims (flattened into the
     * GEMM's rows); a 1-D input is one row.
     *
     * @param weight {@code [out, in]}
     * @param bias {@code [out]}, or null for none (another shape is broadcast over the result as
     *     {@link #add(Tensor)} does, then as a separate op)
     * @return {@code [..., out]} for this {@code [..., in]}
     * @throws IllegalArgumentException naming the shapes if weight is not 2-D, the last dim of
     *     this is not {@code in}, or the dtypes differ
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        String op = "linear";
        Tensor x = this;
        checkLive(op, x, weight);
        if (bias != null) {
            bias.checkLive(op);
        }
        if (weight.ndim() != 2 || x.ndim() == 0 || x.dim(-1) != weight.dim(1)) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(x.dims()) + " and weight "
                    + Shape.format(weight.dims()) + " do not fit: expected input [..., in] and weight [out, in]");
        }
        if (x.dtype() != weight.dtype() || (bias != null && bias.dtype() != x.dtype())) {
            throw new IllegalArgumentException(op + ": dtypes differ (input " + x.dtype() + ", weight "
                    + weight.dtype() + (bias == null ? "" : ", bias " + bias.dtype()) + ")");
        }
        Shape xs = x.data.shape();
        int in = weight.dim(1);
        int outF = weight.dim(0);
        int rows = 1;
        for (int i = 0; i < xs.rank() - 1; i++) {
            rows = Math.multiplyExact(rows, xs.dim(i));
        }
        Shape x2s = xs.rank() == 2 ? xs : xs.view(rows, in);
        if (x2s == null || (bias != null && (bias.ndim() != 1 || bias.dim(0) != outF))) {
            // strided batch dims (no [rows, in] view) or a bias of another shape: two ops
            Tensor y = x.matmul(weight.t());
            return bias == null ? y : y.add(bias);
        }
        boolean track = (x.requiresGrad || weight.requiresGrad || (bias != null && bias.requiresGrad))
                && GradMode.isEnabled();
        Tensor out;
        Buffer x2;
        Buffer o2;
        if (xs.rank() == 2) { // a layer on a batch: no dims arrays, no views
            out = result(dtype(), track ? Pool.ws().shape(rows, outF) : Shape.of(rows, outF), track);
            x2 = x.data;
            o2 = out.data;
        } else {
            int[] od = x.dims();
            od[od.length - 1] = outF;
            out = result(dtype(), od, track);
            x2 = Buffer.view(x.data.storage(), x2s, x.data.offset());
            o2 = out.data.view(rows, outF);
        }
        Kernels k = Pool.k();
        if (bias != null) {
            k.copy(bias.data, o2); // every row starts as the bias; the GEMM adds x·Wᵀ to it
        }
        k.gemm(false, true, 1, x2, weight.data, bias == null ? 0 : 1, o2);
        if (track) {
            Node n = bias == null ? record(Op.LINEAR, out, x, weight) : record(Op.LINEAR, out, x, weight, bias);
            n.save(x2, weight.data);
        }
        return out;
    }

    /** Dot product of two 1-D tensors (0-d). */
    public Tensor dot(Tensor other) {
        if (ndim() != 1 || other.ndim() != 1) {
            throw new IllegalArgumentException("dot: expected two 1-D tensors, got " + Shape.format(dims()) + " and "
                    + Shape.format(other.dims()));
        }
        return matmul(other);
    }

    // ---- conv/pool ----

    /**
     * PyTorch's {@code F.conv2d} (cross-correlation): this {@code [N, C, H, W]} with weight
     * {@code [O, C / groups, kH, kW]} plus bias {@code [O]} (or null) gives
     * {@code [N, O, OH, OW]}, {@code OH = floor((H + 2 padding - dilation (kH - 1) - 1) / stride) + 1}.
     * Runs as im2col + GEMM; differentiable in all three inputs.
     *
     * @param stride [sH, sW], each at least 1
     * @param padding [pH, pW] zero padding, each at least 0
     * @param dilation [dH, dW], each at least 1
     * @param groups divides C and O
     * @throws IllegalArgumentException naming the op and shapes (mismatched channels, kernel larger
     *                                  than the padded input, bad stride/padding/groups)
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        String op = "conv2d";
        return ConvPool.conv(false, this, weight, bias, io.vecgrad.engine.Convolutions.ConvArgs.of(op,
                ConvPool.two(op, "stride", stride), ConvPool.two(op, "padding", padding),
                ConvPool.two(op, "dilation", dilation), groups));
    }

    /** {@link #conv2d(Tensor, Tensor, int[], int[], int[], int)} with stride 1, no padding, dilation 1, one group. */
    public Tensor conv2d(Tensor weight, Tensor bias) {
        return conv2d(weight, bias, ConvPool.pair(1), ConvPool.pair(0), ConvPool.pair(1), 1);
    }

    /**
     * PyTorch's {@code F.conv1d}: this {@code [N, C, L]} with weight {@code [O, C / groups, k]}
     * plus bias {@code [O]} (or null) gives {@code [N, O, OL]}; computed as conv2d over height-1
     * views.
     *
     * @throws IllegalArgumentException naming the op and shapes
     */
    public Tensor conv1d(Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        String op = "conv1d";
        ConvPool.rank(op, "input", this, 3, "[N, C, L]");
        ConvPool.rank(op, "weight", weight, 3, "[O, C / groups, k]");
        Tensor y = ConvPool.conv(false, unsqueeze(2), weight.unsqueeze(2), bias,
                new io.vecgrad.engine.Convolutions.ConvArgs(op, 1, stride, 0, padding, 1, dilation, groups, 0, 0));
        return y.reshape(y.dim(0), y.dim(1), y.dim(3));
    }

    /** {@link #conv1d(Tensor, Tensor, int, int, int, int)} with stride 1, no padding, dilation 1, one group. */
    public Tensor conv1d(Tensor weight, Tensor bias) {
        return conv1d(weight, bias, 1, 0, 1, 1);
    }

    /**
     * PyTorch's {@code F.conv_transpose2d} (the adjoint of conv2d): this {@code [N, C_in, H, W]}
     * with weight {@code [C_in, C_out / groups, kH, kW]} plus bias {@code [C_out]} (or null) gives
     * {@code [N, C_out, OH, OW]}, {@code OH = (H - 1) stride - 2 padding + dilation (kH - 1) + output_padding + 1}.
     *
     * @param outputPadding [opH, opW], each smaller than the stride or the dilation
     * @throws IllegalArgumentException naming the op and shapes
     */
    public Tensor convTranspose2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                  int groups, int[] dilation) {
        String op = "conv_transpose2d";
        return ConvPool.conv(true, this, weight, bias, io.vecgrad.engine.Convolutions.ConvArgs.transposed(op,
                ConvPool.two(op, "stride", stride), ConvPool.two(op, "padding", padding),
                ConvPool.two(op, "output_padding", outputPadding), groups, ConvPool.two(op, "dilation", dilation)));
    }

    /**
     * PyTorch's {@code F.max_pool2d} over {@code [N, C, H, W]}: implicit -inf padding (at most
     * half the kernel), dilation, ceil mode; the gradient goes to the first maximum of each window.
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    public Tensor maxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "max_pool2d";
        return ConvPool.pool(true, this, io.vecgrad.engine.Convolutions.PoolArgs.max(op,
                ConvPool.two(op, "kernel_size", kernelSize), ConvPool.two(op, "stride", stride),
                ConvPool.two(op, "padding", padding), ConvPool.two(op, "dilation", dilation), ceilMode));
    }

    /** {@code max_pool2d} with a square kernel, stride = kernel, no padding. */
    public Tensor maxPool2d(int kernelSize) {
        int[] k = ConvPool.pair(kernelSize);
        return maxPool2d(k, k, ConvPool.pair(0), ConvPool.pair(1), false);
    }

    /**
     * PyTorch's {@code F.max_pool1d} over {@code [N, C, L]} (max_pool2d over height-1 views).
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    public Tensor maxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        String op = "max_pool1d";
        ConvPool.rank(op, "input", this, 3, "[N, C, L]");
        Tensor y = ConvPool.pool(true, unsqueeze(2), new io.vecgrad.engine.Convolutions.PoolArgs(op, 1, kernelSize,
                1, stride, 0, padding, 1, dilation, ceilMode, false));
        return y.reshape(y.dim(0), y.dim(1), y.dim(3));
    }

    /**
     * PyTorch's {@code F.avg_pool2d} over {@code [N, C, H, W]}: zero padding (at most half the
     * kernel), ceil mode, and {@code count_include_pad} choosing the divisor.
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    public Tensor avgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        String op = "avg_pool2d";
        return ConvPool.pool(false, this, io.vecgrad.engine.Convolutions.PoolArgs.avg(op,
                ConvPool.two(op, "kernel_size", kernelSize), ConvPool.two(op, "stride", stride),
                ConvPool.two(op, "padding", padding), ceilMode, countIncludePad));
    }

    /** {@code avg_pool2d} with a square kernel, stride = kernel, no padding. */
    public Tensor avgPool2d(int kernelSize) {
        int[] k = ConvPool.pair(kernelSize);
        return avgPool2d(k, k, ConvPool.pair(0), false, true);
    }

    /**
     * PyTorch's {@code F.avg_pool1d} over {@code [N, C, L]} (avg_pool2d over height-1 views).
     *
     * @throws IllegalArgumentException naming the op, shape and arguments
     */
    public Tensor avgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        String op = "avg_pool1d";
        ConvPool.rank(op, "input", this, 3, "[N, C, L]");
        Tensor y = ConvPool.pool(false, unsqueeze(2), new io.vecgrad.engine.Convolutions.PoolArgs(op, 1, kernelSize,
                1, stride, 0, padding, 1, 1, ceilMode, countIncludePad));
        return y.reshape(y.dim(0), y.dim(1), y.dim(3));
    }

    /**
     * PyTorch's {@code F.adaptive_avg_pool2d}: {@code [N, C, H, W] -> [N, C, outH, outW]}, output
     * row i averaging input rows {@code [floor(i H / outH), ceil((i + 1) H / outH))}.
     *
     * @throws IllegalArgumentException on a non-4-D input or a non-positive size
     */
    public Tensor adaptiveAvgPool2d(int outH, int outW) {
        return ConvPool.adaptive(false, this, outH, outW);
    }

    /** PyTorch's {@code F.adaptive_max_pool2d} over the windows of {@link #adaptiveAvgPool2d}; gradient to the first maximum. */
    public Tensor adaptiveMaxPool2d(int outH, int outW) {
        return ConvPool.adaptive(true, this, outH, outW);
    }

    /** Global average pool: {@code [N, C, H, W] -> [N, C, 1, 1]}. */
    public Tensor globalAvgPool2d() {
        return adaptiveAvgPool2d(1, 1);
    }

    /** Global max pool: {@code [N, C, H, W] -> [N, C, 1, 1]}. */
    public Tensor globalMaxPool2d() {
        return adaptiveMaxPool2d(1, 1);
    }

    // ================================================================================= views

    private Tensor viewResult(Op op, Buffer view) {
        Tensor out = new Tensor(view);
        if (tracking(this)) {
            Node n = record(op, out, this);
            n.ints = dims();
        }
        return out;
    }

    /** Swaps two dims (a view). */
    public Tensor transpose(int dim0, int dim1) {
        int r = ndim();
        int a = data.shape().normalizeDim("transpose", dim0);
        int b = data.shape().normalizeDim("transpose", dim1);
        if (r == 2 && a != b) { // x.t(), every Linear's forward: no order arrays
            Tensor out = new Tensor(data.transpose(0, 1));
            if (tracking(this)) {
                record(Op.PERMUTE, out, this).ints = SWAP; // shared, read only
            }
            return out;
        }
        int[] order = new int[r];
        for (int i = 0; i < r; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** The inverse permutation of a 2-D transpose (its own inverse). */
    private static final int[] SWAP = {1, 0};

    /** Transpose of a 2-D tensor. */
    public Tensor t() {
        if (ndim() != 2) {
            throw new IllegalArgumentException("t: expected a 2-D tensor, got " + Shape.format(dims()));
        }
        return transpose(0, 1);
    }

    /** Reorders dims (a view). */
    public Tensor permute(int... order) {
        Buffer v = data.permute(order);
        Tensor out = new Tensor(v);
        if (tracking(this)) {
            Node n = record(Op.PERMUTE, out, this);
            int[] inv = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                inv[data.shape().normalizeDim("permute", order[i])] = i;
            }
            n.ints = inv;
        }
        return out;
    }

    /**
     * New dims in row-major order (one may be -1): a view when the strides allow it,
     * otherwise a copy (e.g. of a transposed tensor).
     */
    public Tensor reshape(int... dims) {
        int[] nd = data.shape().resolveReshape("reshape", dims);
        Shape s = data.shape().view(nd);
        if (s != null) {
            return viewResult(Op.VIEW, data.view(nd));
        }
        return contiguous().reshape(nd);
    }

    /** Like {@link #reshape} but never copies: fails when the strides do not allow a view. */
    public Tensor view(int... dims) {
        return viewResult(Op.VIEW, data.view(dims));
    }

    /** This tensor if contiguous, else a recorded contiguous copy. */
    public Tensor contiguous() {
        return data.isContiguous() ? this : copy();
    }

    /** Flattens to 1-D. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Broadcasts to {@code dims} without copying (stride 0); gradients are summed back. */
    public Tensor expand(int... dims) {
        return viewResult(Op.VIEW, data.expand(dims));
    }

    /** Elements {@code [start, start + length)} along {@code dim} (a view). */
    public Tensor narrow(int dim, int start, int length) {
        int d = data.shape().normalizeDim("narrow", dim);
        Tensor out = new Tensor(data.narrow(d, start, length));
        if (tracking(this)) {
            Node n = record(Op.NARROW, out, this);
            n.ints = new int[] {d, start, length};
        }
        return out;
    }

    /** Python-style slice {@code [start:end]} along {@code dim} (negative bounds count from the end). */
    public Tensor slice(int dim, int start, int end) {
        int size = dim(dim);
        int s = start < 0 ? Math.max(0, start + size) : Math.min(start, size);
        int e = end < 0 ? Math.max(0, end + size) : Math.min(end, size);
        return narrow(dim, s, Math.max(0, e - s));
    }

    /** Inserts a size-1 dim at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        int r = ndim();
        int d = dim < 0 ? dim + r + 1 : dim;
        if (d < 0 || d > r) {
            throw new IndexOutOfBoundsException("unsqueeze: dim " + dim + " out of range for shape " + Shape.format(dims()));
        }
        int[] nd = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            nd[i] = i == d ? 1 : dims()[j++];
        }
        return reshape(nd);
    }

    /** Removes size-1 dims. */
    public Tensor squeeze() {
        return reshape(Arrays.stream(dims()).filter(x -> x != 1).toArray());
    }

    /** Concatenates along {@code dim}; all other dims must match. */
    public static Tensor concat(int dim, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Tensor first = parts[0];
        int d = first.data.shape().normalizeDim("concat", dim);
        int[] od = first.dims();
        int total = 0;
        boolean track = false;
        for (Tensor p : parts) {
            p.checkLive("concat");
            int[] pd = p.dims();
            if (pd.length != od.length || p.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: tensor " + p.dtype() + " " + Shape.format(pd)
                        + " does not match " + first.dtype() + " " + Shape.format(od));
            }
            for (int i = 0; i < pd.length; i++) {
                if (i != d && pd[i] != od[i]) {
                    throw new IllegalArgumentException("concat: sizes of tensors must match except in dim " + d
                            + ", got " + Shape.format(od) + " and " + Shape.format(pd));
                }
            }
            total += pd[d];
            track |= p.requiresGrad;
        }
        track &= GradMode.isEnabled();
        od[d] = total;
        Tensor out = result(first.dtype(), od, track);
        int off = 0;
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = parts[i].dim(d);
            Pool.k().copy(parts[i].data, out.data.narrow(d, off, sizes[i]));
            off += sizes[i];
        }
        if (track) {
            Node n = record(Op.CONCAT, out, parts.clone());
            n.ints = sizes;
            n.p0 = d;
        }
        return out;
    }

    /** Stacks equal-shaped tensors along a new dim. */
    public static Tensor stack(int dim, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        Tensor[] u = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].dims(), parts[0].dims())) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, got "
                        + Shape.format(parts[0].dims()) + " and " + Shape.format(parts[i].dims()));
            }
            u[i] = parts[i].unsqueeze(dim);
        }
        return concat(dim, u);
    }

    /** Rows (or slices along {@code dim}) picked by {@code index}: PyTorch's {@code index_select}. */
    public Tensor indexSelect(int dim, Indices index) {
        checkLive("index_select");
        int d = data.shape().normalizeDim("index_select", dim);
        if (index.ndim() != 1) {
            throw new IllegalArgumentException("index_select: index must be 1-D, got " + Shape.format(index.shape()));
        }
        int size = dim(d);
        long[] idx = index.raw();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= size) {
                throw new IndexOutOfBoundsException("index_select: index " + idx[i] + " at position " + i
                        + " is out of range for dim " + d + " of size " + size + " (shape " + Shape.format(dims()) + ")");
            }
        }
        int[] od = dims();
        od[d] = idx.length;
        boolean track = tracking(this);
        Tensor out = result(dtype(), od, track);
        for (int i = 0; i < idx.length; i++) {
            Pool.k().copy(data.narrow(d, (int) idx[i], 1), out.data.narrow(d, i, 1));
        }
        if (track) {
            Node n = record(Op.INDEX_SELECT, out, this);
            n.ints = new int[] {d};
            n.indices = idx.clone();
        }
        return out;
    }

    /**
     * PyTorch's {@code gather}: {@code out[i][j] = x[i][index[i][j]]} along {@code dim} (any
     * rank); index has x's rank and sizes no larger than x's in the other dims.
     */
    public Tensor gather(int dim, Indices index) {
        checkLive("gather");
        int d = data.shape().normalizeDim("gather", dim);
        int[] xd = dims();
        int[] id = index.shape();
        if (id.length != xd.length) {
            throw new IllegalArgumentException("gather: index " + Shape.format(id) + " must have the rank of input "
                    + Shape.format(xd));
        }
        for (int i = 0; i < id.length; i++) {
            if (i != d && id[i] > xd[i]) {
                throw new IllegalArgumentException("gather: index " + Shape.format(id) + " is larger than input "
                        + Shape.format(xd) + " in dim " + i);
            }
        }
        long[] flat = gatherOffsets("gather", xd, d, index);
        boolean track = tracking(this);
        Tensor out = result(dtype(), id, track);
        Buffer xc = data.contiguous();
        for (int i = 0; i < flat.length; i++) {
            out.data.setFlat(i, xc.getFlat(flat[i]));
        }
        if (track) {
            Node n = record(Op.GATHER, out, this);
            n.indices = flat;
        }
        return out;
    }

    /** Row-major flat positions in x of each gathered element. */
    static long[] gatherOffsets(String op, int[] xd, int d, Indices index) {
        int[] id = index.shape();
        long[] raw = index.raw();
        long[] flat = new long[raw.length];
        int[] pos = new int[id.length];
        for (int e = 0; e < raw.length; e++) {
            long v = raw[e];
            if (v < 0 || v >= xd[d]) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " is out of bounds for dim " + d
                        + " with size " + xd[d]);
            }
            long f = 0;
            for (int i = 0; i < id.length; i++) {
                f = f * xd[i] + (i == d ? v : pos[i]);
            }
            flat[e] = f;
            for (int i = id.length - 1; i >= 0; i--) {
                if (++pos[i] < id[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        return flat;
    }

    // ---- recurrent/attention ----

    /**
     * Scaled dot-product attention {@code softmax(q·kᵀ/√D)·v} with an optional causal mask;
     * see {@link Attention#scaledDotProductAttention(Tensor, Tensor, Tensor, boolean)}.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, boolean causal) {
        return Attention.scaledDotProductAttention(q, k, v, causal);
    }

    /** One LSTM layer over a sequence; see {@link RecurrentOps#lstm}. */
    public static RecurrentOps.Result lstm(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh,
                                           Tensor bHh) {
        return RecurrentOps.lstm(x, h0, c0, wIh, wHh, bIh, bHh);
    }

    /** One GRU layer over a sequence; see {@link RecurrentOps#gru}. */
    public static RecurrentOps.Result gru(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return RecurrentOps.gru(x, h0, wIh, wHh, bIh, bHh);
    }

    /** One tanh-RNN layer over a sequence; see {@link RecurrentOps#rnnTanh}. */
    public static RecurrentOps.Result rnnTanh(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return RecurrentOps.rnnTanh(x, h0, wIh, wHh, bIh, bHh);
    }

    // ============================================================================ in place

    private void checkInPlace(String op) {
        if (GradMode.isEnabled() && requiresGrad) {
            if (isLeaf()) {
                throw new IllegalStateException(op + ": a leaf tensor that requires grad ("
                        + dtype() + " " + Shape.format(dims()) + ") cannot be modified in place while "
                        + "gradients are recorded; wrap the update in Tensor.noGrad()");
            }
            throw new IllegalStateException(op + ": in-place operations on a tensor computed by " + node.name()
                    + " are not recorded; use the out-of-place form or Tensor.noGrad()");
        }
        checkLive(op);
    }

    /**
     * The other operand of an in-place op, broadcast to this tensor's shape (which an in-place
     * op cannot change), with a message naming the op and both shapes when it does not fit.
     */
    private Buffer inPlaceOperand(String op, Tensor other) {
        other.checkLive(op);
        Tensor o = promote(other, this);
        if (!o.data.shape().broadcastsTo(dims())) {
            throw new IllegalArgumentException(op + ": the other tensor's shape " + Shape.format(o.dims())
                    + " cannot be broadcast to this tensor's shape " + Shape.format(dims())
                    + " (an in-place op keeps this tensor's shape)");
        }
        if (o.dtype() != dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (this tensor " + dtype() + " "
                    + Shape.format(dims()) + ", other " + o.dtype() + " " + Shape.format(o.dims()) + ")");
        }
        return o.data.expand(dims());
    }

    /** {@code x += other} in place (broadcast to x); bumps the storage version. */
    public Tensor add_(Tensor other) {
        checkInPlace("add_");
        Pool.k().add(data, inPlaceOperand("add_", other), data);
        return this;
    }

    /** {@code x += alpha * other} in place. */
    public Tensor add_(Tensor other, double alpha) {
        checkInPlace("add_");
        Pool.k().addScaled(data, alpha, inPlaceOperand("add_", other), data);
        return this;
    }

    /** {@code x += s} in place. */
    public Tensor add_(double s) {
        checkInPlace("add_");
        Pool.k().affine(data, 1, s, data);
        return this;
    }

    /** {@code x -= other} in place. */
    public Tensor sub_(Tensor other) {
        checkInPlace("sub_");
        Pool.k().sub(data, inPlaceOperand("sub_", other), data);
        return this;
    }

    /** {@code x *= other} in place. */
    public Tensor mul_(Tensor other) {
        checkInPlace("mul_");
        Pool.k().mul(data, inPlaceOperand("mul_", other), data);
        return this;
    }

    /** {@code x *= s} in place. */
    public Tensor mul_(double s) {
        checkInPlace("mul_");
        Pool.k().affine(data, s, 0, data);
        return this;
    }

    /** {@code x /= s} in place. */
    public Tensor div_(double s) {
        checkInPlace("div_");
        Pool.k().binaryScalar(BinaryOp.DIV, data, s, false, data);
        return this;
    }

    /** Sets every element to 0 in place. */
    public Tensor zero_() {
        return fill_(0);
    }

    /** Sets every element to {@code v} in place. */
    public Tensor fill_(double v) {
        checkInPlace("fill_");
        Pool.k().fill(data, v);
        return this;
    }

    /** Copies {@code src} (broadcast to this shape) into this tensor in place. */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        if (src.dtype() != dtype()) {
            src = src.to(dtype());
        }
        Pool.k().copy(src.data, data);
        return this;
    }

    /** Clamps in place. */
    public Tensor clamp_(double min, double max) {
        checkInPlace("clamp_");
        Pool.k().clamp(data, min, max, data);
        return this;
    }

    // ================================================================================ misc

    /** Values and shape, e.g. {@code tensor([1.0, 2.0], f32, grad_fn=AddBackward)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(");
        if (!data.storage().isAlive()) {
            sb.append("<released>");
        } else if (numel() <= 20) {
            double[] v = toDoubleArray();
            sb.append(ndim() == 0 ? String.valueOf(v[0]) : Arrays.toString(v));
            if (ndim() > 1) {
                sb.append(", shape=").append(Shape.format(dims()));
            }
        } else {
            sb.append("shape=").append(Shape.format(dims()));
        }
        sb.append(", ").append(dtype());
        if (node != null) {
            sb.append(", grad_fn=").append(node.name());
        } else if (requiresGrad) {
            sb.append(", requires_grad=true");
        }
        return sb.append(')').toString();
    }

    /** Replaces the data buffer of a leaf (optimizer state loading). */
    void setData(Buffer b) {
        data = b;
    }
}
