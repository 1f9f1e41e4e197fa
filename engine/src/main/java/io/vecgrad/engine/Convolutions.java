package io.vecgrad.engine;

import io.vecgrad.engine.internal.scalar.ScalarConvKernels;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.ConvKernels;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.Window2d;
import java.lang.foreign.MemorySegment;
import java.util.function.BiConsumer;

/**
 * The checked facade of convolution and pooling over NCHW buffers. Convolution is im2col
 * ({@link ConvKernels#im2col}) into a workspace buffer feeding the one GEMM
 * ({@link KernelProvider#gemm}), per image and group: the forward is {@code Y = W · cols}, the
 * input gradient {@code cols = Wᵀ · dY} followed by col2im, the weight gradient
 * {@code dW += dY · colsᵀ}, both through GEMM transpose flags. A 1x1 convolution with stride 1
 * and no padding skips im2col (the input planes are the column matrix). The transposed
 * convolution is the adjoint: its forward is the convolution's input gradient and vice versa.
 *
 * <p>Every method validates dtypes, ranks, channel counts, window sizes and the output shape
 * once, naming the operation, the shapes and the values in an {@link IllegalArgumentException},
 * before anything is written. Outputs are caller-provided, contiguous, disjoint from the inputs,
 * fully overwritten, and get their storage version bumped. The only buffers used besides them
 * come from the caller's {@link Workspace} and go back to it before the method returns, so a
 * warm loop allocates no native memory. Strided (non-contiguous) inputs are first copied into a
 * workspace buffer.
 *
 * <p>{@link #get()} uses the default {@link Kernels} and the vector {@link ConvKernels} exactly
 * when the default kernel provider is a vector one (as {@link Updates} does); {@link #of} wraps
 * any pair (tests compare the scalar and vector kernels).
 */
public final class Convolutions {

    private static final String VECTOR_CLASS = "io.vecgrad.engine.internal.vector.VectorConvKernels";

    private final Kernels kernels;
    private final ConvKernels conv;

    private Convolutions(Kernels kernels, ConvKernels conv) {
        this.kernels = kernels;
        this.conv = conv;
    }

    private static final class Holder {
        static final Convolutions DEFAULT = new Convolutions(Kernels.get(), choose());
    }

    /** The facade over the default kernels. */
    public static Convolutions get() {
        return Holder.DEFAULT;
    }

    /** A facade over these GEMM/elementwise kernels and these convolution kernels. */
    public static Convolutions of(Kernels kernels, ConvKernels conv) {
        return new Convolutions(java.util.Objects.requireNonNull(kernels, "kernels"),
                java.util.Objects.requireNonNull(conv, "conv"));
    }

    /** The convolution kernels this facade calls. */
    public ConvKernels convKernels() {
        return conv;
    }

    /** The scalar convolution kernels (the oracle of the vector ones). */
    public static ConvKernels scalarKernels() {
        return ScalarConvKernels.INSTANCE;
    }

    /**
     * The vector convolution kernels, whatever the default selection says.
     *
     * @throws IllegalStateException if they cannot be loaded (module not readable)
     */
    public static ConvKernels vectorKernels() {
        try {
            return (ConvKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("convolutions: the vector kernels failed to load (" + e
                    + "); start the JVM with --add-modules jdk.incubator.vector", e);
        }
    }

    private static ConvKernels choose() {
        if (Kernels.get().provider().vectorBits() <= 0) {
            return ScalarConvKernels.INSTANCE;
        }
        try {
            return vectorKernels();
        } catch (IllegalStateException e) {
            System.getLogger("io.vecgrad.engine").log(System.Logger.Level.WARNING,
                    "vecgrad: using the scalar convolution kernels because " + e.getMessage());
            return ScalarConvKernels.INSTANCE;
        }
    }

    // ============================================================================ arguments

    /**
     * Convolution arguments (PyTorch's names), per spatial dim: stride and dilation at least 1,
     * padding and output padding at least 0, groups at least 1. {@code outPad*} only matter to
     * the transposed convolution.
     *
     * @param op the user-facing op name for messages ({@code "conv2d"}, {@code "conv1d"}, ...)
     */
    public record ConvArgs(String op, int strideH, int strideW, int padH, int padW, int dilH, int dilW,
                           int groups, int outPadH, int outPadW) {

        /** Arguments of a plain convolution. */
        public static ConvArgs of(String op, int[] stride, int[] padding, int[] dilation, int groups) {
            return new ConvArgs(op, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups, 0, 0);
        }

        /** Arguments of a transposed convolution. */
        public static ConvArgs transposed(String op, int[] stride, int[] padding, int[] outputPadding, int groups,
                                          int[] dilation) {
            return new ConvArgs(op, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups,
                    outputPadding[0], outputPadding[1]);
        }

        String describe() {
            return "stride [" + strideH + ", " + strideW + "], padding [" + padH + ", " + padW + "], dilation ["
                    + dilH + ", " + dilW + "], groups " + groups;
        }

        void check() {
            if (strideH < 1 || strideW < 1) {
                throw new IllegalArgumentException(op + ": stride must be positive, got [" + strideH + ", " + strideW + "]");
            }
            if (dilH < 1 || dilW < 1) {
                throw new IllegalArgumentException(op + ": dilation must be positive, got [" + dilH + ", " + dilW + "]");
            }
            if (padH < 0 || padW < 0) {
                throw new IllegalArgumentException(op + ": padding must be non-negative, got [" + padH + ", " + padW + "]");
            }
            if (groups < 1) {
                throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
            }
            if (outPadH < 0 || outPadW < 0) {
                throw new IllegalArgumentException(op + ": output_padding must be non-negative, got ["
                        + outPadH + ", " + outPadW + "]");
            }
        }
    }

    /**
     * Pooling arguments (PyTorch's names): kernel, stride and dilation at least 1, padding at
     * least 0 and at most half the kernel. Average pooling uses dilation 1.
     *
     * @param op the user-facing op name for messages
     */
    public record PoolArgs(String op, int kH, int kW, int strideH, int strideW, int padH, int padW,
                           int dilH, int dilW, boolean ceilMode, boolean countIncludePad) {

        /** Max-pool arguments. */
        public static PoolArgs max(String op, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
            return new PoolArgs(op, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                    dilation[0], dilation[1], ceilMode, false);
        }

        /** Average-pool arguments. */
        public static PoolArgs avg(String op, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
            return new PoolArgs(op, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], 1, 1,
                    ceilMode, countIncludePad);
        }
    }

    // ========================================================================= shape checks

    /** Geometry of one convolution: input [n, c, h, w] -> output [n, o, oh, ow], weight [o, c / groups, kh, kw]. */
    private record Geo(int n, int c, int h, int w, int o, int kh, int kw, int groups, int oh, int ow, Window2d win) {
        int cg() {
            return c / groups;
        }

        int og() {
            return o / groups;
        }

        long kk() {
            return (long) cg() * kh * kw;
        }

        long l() {
            return (long) oh * ow;
        }

        boolean direct() {
            return kh == 1 && kw == 1 && win.strideH() == 1 && win.strideW() == 1 && win.padH() == 0 && win.padW() == 0;
        }
    }

    private static void rank4(String op, String what, Shape s) {
        if (s.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D " + what + " [N, C, H, W], got " + s);
        }
    }

    private static int convOut(int in, int k, int s, int p, int d) {
        return (int) Math.floorDiv((long) in + 2L * p - (long) d * (k - 1) - 1, s) + 1;
    }

    private static Geo convGeo(Shape x, Shape wt, ConvArgs a) {
        String op = a.op();
        a.check();
        rank4(op, "input", x);
        if (wt.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight [O, C / groups, kH, kW], got " + wt);
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int o = wt.dim(0);
        int kh = wt.dim(2);
        int kw = wt.dim(3);
        int g = a.groups();
        if (c % g != 0 || o % g != 0) {
            throw new IllegalArgumentException(op + ": groups " + g + " must divide the input channels " + c
                    + " and the output channels " + o + " (input " + x + ", weight " + wt + ")");
        }
        if ((long) wt.dim(1) * g != c) {
            throw new IllegalArgumentException(op + ": weight " + wt + " with groups " + g + " expects input with "
                    + ((long) wt.dim(1) * g) + " channels, but input " + x + " has " + c);
        }
        if (o < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException(op + ": weight " + wt + " has an empty dim");
        }
        long effH = (long) a.dilH() * (kh - 1) + 1;
        long effW = (long) a.dilW() * (kw - 1) + 1;
        if (effH > (long) h + 2L * a.padH() || effW > (long) w + 2L * a.padW()) {
            throw new IllegalArgumentException(op + ": kernel [" + kh + ", " + kw + "] (dilated [" + effH + ", " + effW
                    + "]) is larger than the padded input [" + ((long) h + 2L * a.padH()) + ", "
                    + ((long) w + 2L * a.padW()) + "] (input " + x + ", weight " + wt + ", " + a.describe() + ")");
        }
        int oh = convOut(h, kh, a.strideH(), a.padH(), a.dilH());
        int ow = convOut(w, kw, a.strideW(), a.padW(), a.dilW());
        Window2d win = new Window2d(h, w, kh, kw, a.strideH(), a.strideW(), a.padH(), a.padW(), a.dilH(), a.dilW(), oh, ow);
        return new Geo(n, c, h, w, o, kh, kw, g, oh, ow, win);
    }

    /** Geometry of the convolution whose input gradient a transposed convolution computes. */
    private static Geo transposedGeo(Shape x, Shape wt, ConvArgs a) {
        String op = a.op();
        a.check();
        rank4(op, "input", x);
        if (wt.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D weight [C_in, C_out / groups, kH, kW], got " + wt);
        }
        int n = x.dim(0);
        int cin = x.dim(1);
        int g = a.groups();
        if (wt.dim(0) != cin) {
            throw new IllegalArgumentException(op + ": weight " + wt + " expects " + wt.dim(0)
                    + " input channels, but input " + x + " has " + cin);
        }
        if (cin % g != 0) {
            throw new IllegalArgumentException(op + ": groups " + g + " must divide the input channels " + cin
                    + " (input " + x + ", weight " + wt + ")");
        }
        int cout = Math.multiplyExact(wt.dim(1), g);
        int kh = wt.dim(2);
        int kw = wt.dim(3);
        if (cout < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException(op + ": weight " + wt + " has an empty dim");
        }
        if (a.outPadH() >= Math.max(a.strideH(), a.dilH()) || a.outPadW() >= Math.max(a.strideW(), a.dilW())) {
            throw new IllegalArgumentException(op + ": output_padding [" + a.outPadH() + ", " + a.outPadW()
                    + "] must be smaller than stride or dilation (" + a.describe() + ")");
        }
        long oh = ((long) x.dim(2) - 1) * a.strideH() - 2L * a.padH() + (long) a.dilH() * (kh - 1) + a.outPadH() + 1;
        long ow = ((long) x.dim(3) - 1) * a.strideW() - 2L * a.padW() + (long) a.dilW() * (kw - 1) + a.outPadW() + 1;
        if (oh < 1 || ow < 1 || oh > Integer.MAX_VALUE || ow > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": output size [" + oh + ", " + ow + "] is not positive (input " + x
                    + ", weight " + wt + ", " + a.describe() + ")");
        }
        Window2d win = new Window2d((int) oh, (int) ow, kh, kw, a.strideH(), a.strideW(), a.padH(), a.padW(),
                a.dilH(), a.dilW(), x.dim(2), x.dim(3));
        return new Geo(n, cout, (int) oh, (int) ow, cin, kh, kw, g, x.dim(2), x.dim(3), win);
    }

    /**
     * The output dims {@code [N, O, OH, OW]} of a convolution of x {@code [N, C, H, W]} with
     * weight {@code [O, C / groups, kH, kW]}.
     *
     * @throws IllegalArgumentException naming the op and shapes on a mismatch
     */
    public static int[] conv2dDims(Shape x, Shape weight, ConvArgs a) {
        Geo g = convGeo(x, weight, a);
        if (g.oh < 1 || g.ow < 1) {
            throw new IllegalArgumentException(a.op() + ": output size [" + g.oh + ", " + g.ow + "] is not positive");
        }
        return new int[] {g.n, g.o, g.oh, g.ow};
    }

    /**
     * The output dims {@code [N, C_out, OH, OW]} of a transposed convolution of x
     * {@code [N, C_in, H, W]} with weight {@code [C_in, C_out / groups, kH, kW]}:
     * {@code OH = (H - 1) * stride - 2 * padding + dilation * (kH - 1) + output_padding + 1}.
     *
     * @throws IllegalArgumentException naming the op and shapes on a mismatch
     */
    public static int[] convTranspose2dDims(Shape x, Shape weight, ConvArgs a) {
        Geo g = transposedGeo(x, weight, a);
        return new int[] {g.n, g.c, g.h, g.w};
    }

    private static void checkBias(String op, Buffer bias, int channels, Buffer out) {
        if (bias == null) {
            return;
        }
        if (bias.rank() != 1 || bias.shape().dim(0) != channels) {
            throw new IllegalArgumentException(op + ": bias " + bias.shape() + " does not match " + channels
                    + " output channels");
        }
        if (bias.dtype() != out.dtype()) {
            throw new IllegalArgumentException(op + ": bias dtype " + bias.dtype() + " differs from " + out.dtype());
        }
    }

    private static void checkSame(String op, String what, Buffer b, DType dt) {
        if (b.dtype() != dt) {
            throw new IllegalArgumentException(op + ": " + what + " dtype " + b.dtype() + " " + b.shape()
                    + " differs from " + dt);
        }
    }

    private static void checkOut(String op, String what, Buffer out, int[] dims, Buffer... inputs) {
        if (!out.shape().hasDims(dims)) {
            throw new IllegalArgumentException(op + ": " + what + " " + out.shape() + " should have dims "
                    + Shape.format(dims));
        }
        if (!out.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + what + " must be contiguous, got " + out.shape().describe());
        }
        for (Buffer in : inputs) {
            if (in != null && in.storage() == out.storage()) {
                throw new IllegalArgumentException(op + ": " + what + " " + out.shape() + " shares storage with input "
                        + in.shape() + "; use a separate output buffer");
            }
        }
        out.segment(op);
    }

    // ========================================================================== convolution

    /**
     * {@code out = conv2d(x, weight) + bias}: PyTorch's {@code F.conv2d} (cross-correlation).
     * x {@code [N, C, H, W]}, weight {@code [O, C / groups, kH, kW]}, bias {@code [O]} or null,
     * out {@code [N, O, OH, OW]} with {@code OH = floor((H + 2 pad - dil (kH - 1) - 1) / stride) + 1}.
     * Modifies only out.
     *
     * @throws IllegalArgumentException naming the op and the shapes on a bad argument
     */
    public Buffer conv2d(Buffer x, Buffer weight, Buffer bias, ConvArgs a, Buffer out, Workspace ws) {
        String op = a.op();
        Geo g = convGeo(x.shape(), weight.shape(), a);
        DType dt = out.dtype();
        checkSame(op, "input", x, dt);
        checkSame(op, "weight", weight, dt);
        checkBias(op, bias, g.o, out);
        checkOut(op, "output", out, conv2dDims(x.shape(), weight.shape(), a), x, weight, bias);
        withDense(x, weight, ws, (xd, wd) -> {
            forward(dt, g, xd, wd, out, ws);
            addBias(dt, g.n, g.o, g.l(), bias, out);
        });
        out.storage().bumpVersion();
        return out;
    }

    /**
     * The input gradient of {@link #conv2d}: {@code gx = conv2d'(x)ᵀ · gy}. gy {@code [N, O, OH, OW]},
     * weight as in the forward, gx {@code [N, C, H, W]} (overwritten).
     *
     * @throws IllegalArgumentException naming the op and the shapes on a bad argument
     */
    public Buffer conv2dBackwardInput(Buffer gy, Buffer weight, ConvArgs a, Buffer gx, Workspace ws) {
        String op = a.op();
        Geo g = convGeo(gx.shape(), weight.shape(), a);
        DType dt = gx.dtype();
        checkSame(op, "grad_output", gy, dt);
        checkSame(op, "weight", weight, dt);
        checkGradOutput(op, gy, g.n, g.o, g.oh, g.ow);
        checkOut(op, "grad_input", gx, gx.dims(), gy, weight);
        withDense(gy, weight, ws, (gyd, wd) -> {
            backwardInput(dt, g, gyd, wd, gx, ws);
        });
        gx.storage().bumpVersion();
        return gx;
    }

    /**
     * The weight gradient of {@link #conv2d}: {@code gw = sum over images of gy · im2col(x)ᵀ}.
     * gy {@code [N, O, OH, OW]}, x {@code [N, C, H, W]}, gw {@code [O, C / groups, kH, kW]} (overwritten).
     *
     * @throws IllegalArgumentException naming the op and the shapes on a bad argument
     */
    public Buffer conv2dBackwardWeight(Buffer gy, Buffer x, ConvArgs a, Buffer gw, Workspace ws) {
        String op = a.op();
        Geo g = convGeo(x.shape(), gw.shape(), a);
        DType dt = gw.dtype();
        checkSame(op, "grad_output", gy, dt);
        checkSame(op, "input", x, dt);
        checkGradOutput(op, gy, g.n, g.o, g.oh, g.ow);
        checkOut(op, "grad_weight", gw, gw.dims(), gy, x);
        withDense(gy, x, ws, (gyd, xd) -> {
            backwardWeight(dt, g, gyd, xd, gw, ws);
        });
        gw.storage().bumpVersion();
        return gw;
    }

    /**
     * {@code out = conv_transpose2d(x, weight) + bias}: PyTorch's {@code F.conv_transpose2d}, the
     * adjoint of {@link #conv2d}. x {@code [N, C_in, H, W]}, weight {@code [C_in, C_out / groups, kH, kW]},
     * bias {@code [C_out]} or null, out of {@link #convTranspose2dDims}. Modifies only out.
     *
     * @throws IllegalArgumentException naming the op and the shapes on a bad argument
     */
    public Buffer convTranspose2d(Buffer x, Buffer weight, Buffer bias, ConvArgs a, Buffer out, Workspace ws) {
        String op = a.op();
        Geo g = transposedGeo(x.shape(), weight.shape(), a);
        DType dt = out.dtype();
        checkSame(op, "input", x, dt);
        checkSame(op, "weight", weight, dt);
        checkBias(op, bias, g.c, out);
        checkOut(op, "output", out, new int[] {g.n, g.c, g.h, g.w}, x, weight, bias);
        withDense(x, weight, ws, (xd, wd) -> {
            backwardInput(dt, g, xd, wd, out, ws);
            addBias(dt, g.n, g.c, (long) g.h * g.w, bias, out);
        });
        out.storage().bumpVersion();
        return out;
    }

    /**
     * The input gradient of {@link #convTranspose2d} (a plain convolution of gy): gy of the
     * forward's output dims, gx {@code [N, C_in, H, W]} (overwritten).
     *
     * @throws IllegalArgumentException naming the op and the shapes on a bad argument
     */
    public Buffer convTranspose2dBackwardInput(Buffer gy, Buffer weight, ConvArgs a, Buffer gx, Workspace ws) {
        String op = a.op();
        Geo g = transposedGeo(gx.shape(), weight.shape(), a);
        DType dt = gx.dtype();
        checkSame(op, "grad_output", gy, dt);
        checkSame(op, "weight", weight, dt);
        checkGradOutput(op, gy, g.n, g.c, g.h, g.w);
        checkOut(op, "grad_input", gx, gx.dims(), gy, weight);
        withDense(gy, weight, ws, (gyd, wd) -> {
            forward(dt, g, gyd, wd, gx, ws);
        });
        gx.storage().bumpVersion();
        return gx;
    }

    /**
     * The weight gradient of {@link #convTranspose2d}: gy of the forward's output dims, x the
     * forward's input, gw {@code [C_in, C_out / groups, kH, kW]} (overwritten).
     *
     * @throws IllegalArgumentException naming the op and the shapes on a bad argument
     */
    public Buffer convTranspose2dBackwardWeight(Buffer gy, Buffer x, ConvArgs a, Buffer gw, Workspace ws) {
        String op = a.op();
        Geo g = transposedGeo(x.shape(), gw.shape(), a);
        DType dt = gw.dtype();
        checkSame(op, "grad_output", gy, dt);
        checkSame(op, "input", x, dt);
        checkGradOutput(op, gy, g.n, g.c, g.h, g.w);
        checkOut(op, "grad_weight", gw, gw.dims(), gy, x);
        withDense(gy, x, ws, (gyd, xd) -> {
            backwardWeight(dt, g, xd, gyd, gw, ws);
        });
        gw.storage().bumpVersion();
        return gw;
    }

    // ----------------------------------------------------------------------- the three GEMMs

    private void gemm(DType dt, boolean ta, boolean tb, long m, long n, long k,
                      MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                      double beta, MemorySegment c, long cOff, long ldc) {
        kernels.provider().gemm(dt, ta, tb, Math.toIntExact(m), Math.toIntExact(n), Math.toIntExact(k), 1,
                a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                kernels.parallel().executor(), kernels.parallel().parallelism());
    }

    /**
     * Columns a GEMM should get at least: images with fewer output positions ({@code OH * OW})
     * are batched side by side in one column matrix, so that tiny feature maps (the 4x4 maps of
     * the digits CNN) do not run GEMMs narrower than the f32 micro-kernel's 64 columns (4 vectors
     * of 16 lanes at 512 bits). Batching costs a gather/scatter copy per row, so maps of at least
     * this size run one GEMM per image, and a 1x1 convolution with stride 1 and no padding always
     * reads its input in place. A quick ConvBench run on a loaded 2-core machine (load average
     * above 15) could not separate the two paths at 8x8; the threshold is the micro-tile width,
     * to be re-measured on a quiet machine.
     */
    static final int MIN_GEMM_COLUMNS = 64;

    /** Images per GEMM: 1 for large maps and in-place 1x1 convolutions, else enough to reach {@link #MIN_GEMM_COLUMNS}. */
    private static int imagesPerGemm(Geo g) {
        long l = g.l();
        if (l >= MIN_GEMM_COLUMNS || g.n <= 1 || g.direct()) {
            return 1;
        }
        return (int) Math.min(g.n, (MIN_GEMM_COLUMNS + l - 1) / l);
    }

    private void copyRows(DType dt, int rows, long len, MemorySegment src, long sOff, long sLd,
                          MemorySegment dst, long dOff, long dLd) {
        for (int i = 0; i < rows; i++) {
            kernels.provider().unary(dt, io.vecgrad.engine.spi.UnaryOp.IDENTITY, 0, 0, len,
                    src, sOff + i * sLd, 1, dst, dOff + i * dLd, 1);
        }
    }

    /**
     * y[n, group] = W_group [og, kk] · cols(x[n, group]) [kk, L]; with several images per GEMM the
     * columns of {@code nb} images sit side by side ({@code [kk, nb L]}) and the product
     * {@code [og, nb L]} is copied out image by image.
     */
    private void forward(DType dt, Geo g, Buffer x, Buffer w, Buffer y, Workspace ws) {
        long l = g.l();
        long kk = g.kk();
        long inPlane = (long) g.h * g.w;
        int nb = imagesPerGemm(g);
        boolean direct = g.direct() && nb == 1;
        long ld = nb * l;
        MemorySegment xs = x.segment("conv");
        MemorySegment wsg = w.segment("conv");
        MemorySegment ys = y.segment("conv");
        Storage col = direct ? null : ws.takeStorage(dt, kk * ld);
        Storage prod = nb == 1 ? null : ws.takeStorage(dt, g.og() * ld);
        try {
            MemorySegment cs = col == null ? null : col.segment("conv");
            MemorySegment ps = prod == null ? null : prod.segment("conv");
            for (int n0 = 0; n0 < g.n; n0 += nb) {
                int cnt = Math.min(nb, g.n - n0);
                for (int gr = 0; gr < g.groups; gr++) {
                    MemorySegment bs = xs;
                    long bo = x.offset() + ((long) n0 * g.c + (long) gr * g.cg()) * inPlane;
                    if (!direct) {
                        for (int j = 0; j < cnt; j++) {
                            long xo = x.offset() + ((long) (n0 + j) * g.c + (long) gr * g.cg()) * inPlane;
                            conv.im2col(dt, g.win, g.cg(), xs, xo, cs, j * l, ld);
                        }
                        bs = cs;
                        bo = 0;
                    }
                    long wo = w.offset() + gr * g.og() * kk;
                    long yo = y.offset() + ((long) n0 * g.o + (long) gr * g.og()) * l;
                    if (ps == null) {
                        gemm(dt, false, false, g.og(), l, kk, wsg, wo, kk, bs, bo, ld, 0, ys, yo, l);
                    } else {
                        gemm(dt, false, false, g.og(), cnt * l, kk, wsg, wo, kk, bs, bo, ld, 0, ps, 0, ld);
                        for (int j = 0; j < cnt; j++) {
                            copyRows(dt, g.og(), l, ps, j * l, ld, ys, yo + (long) j * g.o * l, l);
                        }
                    }
                }
            }
        } finally {
            if (col != null) {
                ws.give(col);
            }
            if (prod != null) {
                ws.give(prod);
            }
        }
    }

    /**
     * gx[n, group] = col2im(W_groupᵀ [kk, og] · gy[n, group] [og, L]); with several images per
     * GEMM their gy blocks are first gathered side by side ({@code [og, nb L]}).
     */
    private void backwardInput(DType dt, Geo g, Buffer gy, Buffer w, Buffer gx, Workspace ws) {
        long l = g.l();
        long kk = g.kk();
        long inPlane = (long) g.h * g.w;
        int nb = imagesPerGemm(g);
        boolean direct = g.direct() && nb == 1;
        long ld = nb * l;
        MemorySegment ys = gy.segment("conv");
        MemorySegment wsg = w.segment("conv");
        MemorySegment xs = gx.segment("conv");
        if (!direct) {
            kernels.fill(gx, 0);
        }
        Storage col = direct ? null : ws.takeStorage(dt, kk * ld);
        Storage gat = nb == 1 ? null : ws.takeStorage(dt, g.og() * ld);
        try {
            MemorySegment cs = col == null ? null : col.segment("conv");
            MemorySegment gs = gat == null ? null : gat.segment("conv");
            for (int n0 = 0; n0 < g.n; n0 += nb) {
                int cnt = Math.min(nb, g.n - n0);
                for (int gr = 0; gr < g.groups; gr++) {
                    long yo = gy.offset() + ((long) n0 * g.o + (long) gr * g.og()) * l;
                    long wo = w.offset() + gr * g.og() * kk;
                    MemorySegment as = ys;
                    long ao = yo;
                    long lda = l;
                    if (gs != null) {
                        for (int j = 0; j < cnt; j++) {
                            copyRows(dt, g.og(), l, ys, yo + (long) j * g.o * l, l, gs, j * l, ld);
                        }
                        as = gs;
                        ao = 0;
                        lda = ld;
                    }
                    long xo = gx.offset() + ((long) n0 * g.c + (long) gr * g.cg()) * inPlane;
                    if (direct) {
                        gemm(dt, true, false, kk, l, g.og(), wsg, wo, kk, as, ao, lda, 0, xs, xo, l);
                        continue;
                    }
                    gemm(dt, true, false, kk, cnt * l, g.og(), wsg, wo, kk, as, ao, lda, 0, cs, 0, ld);
                    for (int j = 0; j < cnt; j++) {
                        conv.col2im(dt, g.win, g.cg(), cs, j * l, ld, xs, xo + (long) j * g.c * inPlane);
                    }
                }
            }
        } finally {
            if (col != null) {
                ws.give(col);
            }
            if (gat != null) {
                ws.give(gat);
            }
        }
    }

    /**
     * gw_group [og, kk] = sum over images of gy[n, group] [og, L] · cols(x[n, group])ᵀ [L, kk]; with
     * several images per GEMM, gy blocks and columns of {@code nb} images sit side by side, so one
     * GEMM of depth {@code nb L} sums them.
     */
    private void backwardWeight(DType dt, Geo g, Buffer gy, Buffer x, Buffer gw, Workspace ws) {
        long l = g.l();
        long kk = g.kk();
        long inPlane = (long) g.h * g.w;
        if (g.n == 0) {
            kernels.fill(gw, 0);
            return;
        }
        int nb = imagesPerGemm(g);
        boolean direct = g.direct() && nb == 1;
        long ld = nb * l;
        MemorySegment ys = gy.segment("conv");
        MemorySegment xs = x.segment("conv");
        MemorySegment wsg = gw.segment("conv");
        Storage col = direct ? null : ws.takeStorage(dt, kk * ld);
        Storage gat = nb == 1 ? null : ws.takeStorage(dt, g.og() * ld);
        try {
            MemorySegment cs = col == null ? null : col.segment("conv");
            MemorySegment gs = gat == null ? null : gat.segment("conv");
            for (int n0 = 0; n0 < g.n; n0 += nb) {
                int cnt = Math.min(nb, g.n - n0);
                for (int gr = 0; gr < g.groups; gr++) {
                    long yo = gy.offset() + ((long) n0 * g.o + (long) gr * g.og()) * l;
                    MemorySegment as = ys;
                    long ao = yo;
                    long lda = l;
                    if (gs != null) {
                        for (int j = 0; j < cnt; j++) {
                            copyRows(dt, g.og(), l, ys, yo + (long) j * g.o * l, l, gs, j * l, ld);
                        }
                        as = gs;
                        ao = 0;
                        lda = ld;
                    }
                    MemorySegment bs = xs;
                    long bo = x.offset() + ((long) n0 * g.c + (long) gr * g.cg()) * inPlane;
                    if (!direct) {
                        for (int j = 0; j < cnt; j++) {
                            long xo = x.offset() + ((long) (n0 + j) * g.c + (long) gr * g.cg()) * inPlane;
                            conv.im2col(dt, g.win, g.cg(), xs, xo, cs, j * l, ld);
                        }
                        bs = cs;
                        bo = 0;
                    }
                    gemm(dt, false, true, g.og(), kk, cnt * l, as, ao, lda, bs, bo, ld,
                            n0 == 0 ? 0 : 1, wsg, gw.offset() + gr * g.og() * kk, kk);
                }
            }
        } finally {
            if (col != null) {
                ws.give(col);
            }
            if (gat != null) {
                ws.give(gat);
            }
        }
    }

    private void addBias(DType dt, int n, int channels, long plane, Buffer bias, Buffer out) {
        if (bias == null) {
            return;
        }
        Buffer bd = bias;
        MemorySegment bs = bd.segment("conv");
        long bInc = bd.shape().stride(0);
        MemorySegment os = out.segment("conv");
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                long o = out.offset() + ((long) i * channels + c) * plane;
                kernels.provider().binary(dt, BinaryOp.ADD, 0, plane, os, o, 1, bs, bd.offset() + c * bInc, 0, os, o, 1);
            }
        }
    }

    /** Runs body on dense versions of p and q (copies from ws when strided), giving the copies back after. */
    private void withDense(Buffer p, Buffer q, Workspace ws, BiConsumer<Buffer, Buffer> body) {
        Buffer pd = dense(p, ws);
        try {
            Buffer qd = dense(q, ws);
            try {
                body.accept(pd, qd);
            } finally {
                release(q, qd, ws);
            }
        } finally {
            release(p, pd, ws);
        }
    }

    private static void checkGradOutput(String op, Buffer gy, int... dims) {
        if (!gy.shape().hasDims(dims)) {
            throw new IllegalArgumentException(op + ": grad_output " + gy.shape() + " should have dims " + Shape.format(dims));
        }
    }

    /** x itself when contiguous, else a contiguous copy in a workspace buffer. */
    private Buffer dense(Buffer x, Workspace ws) {
        if (x.isContiguous()) {
            return x;
        }
        return kernels.copy(x, ws.take(x.dtype(), x.shape()));
    }

    private static void release(Buffer original, Buffer used, Workspace ws) {
        if (used != original) {
            ws.give(used);
        }
    }

    // ============================================================================== pooling

    private static int poolOut(int in, int k, int s, int p, int d, boolean ceil) {
        long num = (long) in + 2L * p - (long) d * (k - 1) - 1 + (ceil ? s - 1 : 0);
        long out = Math.floorDiv(num, s) + 1;
        if (ceil && (out - 1) * s >= (long) in + p) {
            out--;
        }
        return (int) out;
    }

    private static Window2d poolWindow(Shape x, PoolArgs a) {
        String op = a.op();
        rank4(op, "input", x);
        if (a.kH() < 1 || a.kW() < 1) {
            throw new IllegalArgumentException(op + ": kernel_size must be positive, got [" + a.kH() + ", " + a.kW() + "]");
        }
        if (a.strideH() < 1 || a.strideW() < 1) {
            throw new IllegalArgumentException(op + ": stride must be positive, got [" + a.strideH() + ", " + a.strideW() + "]");
        }
        if (a.dilH() < 1 || a.dilW() < 1) {
            throw new IllegalArgumentException(op + ": dilation must be positive, got [" + a.dilH() + ", " + a.dilW() + "]");
        }
        if (a.padH() < 0 || a.padW() < 0 || a.padH() > a.kH() / 2 || a.padW() > a.kW() / 2) {
            throw new IllegalArgumentException(op + ": padding [" + a.padH() + ", " + a.padW()
                    + "] must be non-negative and at most half the kernel [" + a.kH() + ", " + a.kW() + "]");
        }
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = poolOut(h, a.kH(), a.strideH(), a.padH(), a.dilH(), a.ceilMode());
        int ow = poolOut(w, a.kW(), a.strideW(), a.padW(), a.dilW(), a.ceilMode());
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": input " + x + " is too small for kernel [" + a.kH() + ", " + a.kW()
                    + "] with padding [" + a.padH() + ", " + a.padW() + "] and dilation [" + a.dilH() + ", " + a.dilW()
                    + "] (output size [" + oh + ", " + ow + "])");
        }
        return new Window2d(h, w, a.kH(), a.kW(), a.strideH(), a.strideW(), a.padH(), a.padW(), a.dilH(), a.dilW(), oh, ow);
    }

    /**
     * The output dims {@code [N, C, OH, OW]} of a max or average pool of x {@code [N, C, H, W]}:
     * {@code OH = floor-or-ceil((H + 2 pad - dil (k - 1) - 1) / stride) + 1}, and in ceil mode the
     * last window must start inside the input or its left padding (PyTorch's rule).
     *
     * @throws IllegalArgumentException naming the op, the shape and the arguments
     */
    public static int[] pool2dDims(Shape x, PoolArgs a) {
        Window2d w = poolWindow(x, a);
        return new int[] {x.dim(0), x.dim(1), w.outH(), w.outW()};
    }

    private static long planes(Shape x) {
        return (long) x.dim(0) * x.dim(1);
    }

    /**
     * Max pooling of x {@code [N, C, H, W]} into out of {@link #pool2dDims} (implicit -inf padding;
     * NaN propagates). Modifies only out.
     *
     * @throws IllegalArgumentException naming the op, shapes and arguments
     */
    public Buffer maxPool2d(Buffer x, PoolArgs a, Buffer out, Workspace ws) {
        Window2d w = poolWindow(x.shape(), a);
        checkSame(a.op(), "input", x, out.dtype());
        checkOut(a.op(), "output", out, pool2dDims(x.shape(), a), x);
        Buffer xd = dense(x, ws);
        try {
            conv.maxPool(out.dtype(), w, planes(x.shape()), xd.segment(a.op()), xd.offset(), out.segment(a.op()), out.offset());
        } finally {
            release(x, xd, ws);
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * Max pooling backward: gx (overwritten, x's dims) gets each gy element at the first maximum
     * of its window in x (PyTorch's rule); windows that share a maximum add up.
     *
     * @throws IllegalArgumentException naming the op, shapes and arguments
     */
    public Buffer maxPool2dBackward(Buffer x, Buffer gy, PoolArgs a, Buffer gx, Workspace ws) {
        Window2d w = poolWindow(x.shape(), a);
        checkPoolBackward(a.op(), x, gy, gx, pool2dDims(x.shape(), a));
        withDense(x, gy, ws, (xd, gyd) -> {
            kernels.fill(gx, 0);
            conv.maxPoolBackward(gx.dtype(), w, planes(x.shape()), xd.segment(a.op()), xd.offset(),
                    gyd.segment(a.op()), gyd.offset(), gx.segment(a.op()), gx.offset());
        });
        gx.storage().bumpVersion();
        return gx;
    }

    /**
     * Average pooling of x {@code [N, C, H, W]} into out of {@link #pool2dDims} (PyTorch's divisor
     * rule for {@code count_include_pad}). Modifies only out.
     *
     * @throws IllegalArgumentException naming the op, shapes and arguments
     */
    public Buffer avgPool2d(Buffer x, PoolArgs a, Buffer out, Workspace ws) {
        Window2d w = poolWindow(x.shape(), a);
        checkSame(a.op(), "input", x, out.dtype());
        checkOut(a.op(), "output", out, pool2dDims(x.shape(), a), x);
        Buffer xd = dense(x, ws);
        try {
            conv.avgPool(out.dtype(), w, a.countIncludePad(), planes(x.shape()), xd.segment(a.op()), xd.offset(),
                    out.segment(a.op()), out.offset());
        } finally {
            release(x, xd, ws);
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * Average pooling backward: gx (overwritten, dims {@code xDims}) gets gy spread evenly over
     * each window's in-plane taps.
     *
     * @throws IllegalArgumentException naming the op, shapes and arguments
     */
    public Buffer avgPool2dBackward(Buffer gy, PoolArgs a, Buffer gx, Workspace ws) {
        Window2d w = poolWindow(gx.shape(), a);
        checkPoolBackward(a.op(), gx, gy, gx, pool2dDims(gx.shape(), a));
        Buffer gyd = dense(gy, ws);
        try {
            kernels.fill(gx, 0);
            conv.avgPoolBackward(gx.dtype(), w, a.countIncludePad(), planes(gx.shape()),
                    gyd.segment(a.op()), gyd.offset(), gx.segment(a.op()), gx.offset());
        } finally {
            release(gy, gyd, ws);
        }
        gx.storage().bumpVersion();
        return gx;
    }

    private static void checkPoolBackward(String op, Buffer x, Buffer gy, Buffer gx, int[] yd) {
        checkSame(op, "grad_output", gy, gx.dtype());
        checkSame(op, "input", x, gx.dtype());
        if (!gy.shape().hasDims(yd)) {
            throw new IllegalArgumentException(op + ": grad_output " + gy.shape() + " should have dims " + Shape.format(yd));
        }
        checkOut(op, "grad_input", gx, x.dims(), gy, x == gx ? null : x);
    }

    private static void checkAdaptive(String op, Shape x, int outH, int outW) {
        rank4(op, "input", x);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output_size must be positive, got [" + outH + ", " + outW + "]");
        }
        if (x.dim(2) < 1 || x.dim(3) < 1) {
            throw new IllegalArgumentException(op + ": input " + x + " has an empty spatial dim");
        }
    }

    /**
     * Adaptive average ({@code max == false}) or max pooling of x {@code [N, C, H, W]} into out
     * {@code [N, C, outH, outW]}: output row i covers input rows
     * {@code [floor(i H / outH), ceil((i + 1) H / outH))}, likewise columns. Modifies only out.
     *
     * @throws IllegalArgumentException naming the op, shapes and sizes
     */
    public Buffer adaptivePool2d(boolean max, Buffer x, Buffer out, Workspace ws) {
        String op = max ? "adaptive_max_pool2d" : "adaptive_avg_pool2d";
        int outH = out.rank() == 4 ? out.shape().dim(2) : -1;
        int outW = out.rank() == 4 ? out.shape().dim(3) : -1;
        checkAdaptive(op, x.shape(), outH, outW);
        checkSame(op, "input", x, out.dtype());
        checkOut(op, "output", out, new int[] {x.shape().dim(0), x.shape().dim(1), outH, outW}, x);
        Shape s = x.shape();
        Buffer xd = dense(x, ws);
        try {
            if (max) {
                conv.adaptiveMaxPool(out.dtype(), s.dim(2), s.dim(3), outH, outW, planes(s), xd.segment(op), xd.offset(),
                        out.segment(op), out.offset());
            } else {
                conv.adaptiveAvgPool(out.dtype(), s.dim(2), s.dim(3), outH, outW, planes(s), xd.segment(op), xd.offset(),
                        out.segment(op), out.offset());
            }
        } finally {
            release(x, xd, ws);
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * Backward of {@link #adaptivePool2d}: gx (overwritten, x's dims) from gy {@code [N, C, outH, outW]};
     * x is read only by the max pool (to find each window's first maximum).
     *
     * @throws IllegalArgumentException naming the op and shapes
     */
    public Buffer adaptivePool2dBackward(boolean max, Buffer x, Buffer gy, Buffer gx, Workspace ws) {
        String op = max ? "adaptive_max_pool2d" : "adaptive_avg_pool2d";
        int outH = gy.rank() == 4 ? gy.shape().dim(2) : -1;
        int outW = gy.rank() == 4 ? gy.shape().dim(3) : -1;
        Shape s = x.shape();
        checkAdaptive(op, s, outH, outW);
        checkPoolBackward(op, x, gy, gx, new int[] {s.dim(0), s.dim(1), outH, outW});
        Buffer xd = max ? dense(x, ws) : x;
        Buffer gyd = dense(gy, ws);
        try {
            kernels.fill(gx, 0);
            if (max) {
                conv.adaptiveMaxPoolBackward(gx.dtype(), s.dim(2), s.dim(3), outH, outW, planes(s),
                        xd.segment(op), xd.offset(), gyd.segment(op), gyd.offset(), gx.segment(op), gx.offset());
            } else {
                conv.adaptiveAvgPoolBackward(gx.dtype(), s.dim(2), s.dim(3), outH, outW, planes(s),
                        gyd.segment(op), gyd.offset(), gx.segment(op), gx.offset());
            }
        } finally {
            if (max) {
                release(x, xd, ws);
            }
            release(gy, gyd, ws);
        }
        gx.storage().bumpVersion();
        return gx;
    }
}
