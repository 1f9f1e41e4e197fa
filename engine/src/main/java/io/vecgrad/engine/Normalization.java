package io.vecgrad.engine;

import io.vecgrad.engine.internal.scalar.ScalarNormKernels;
import io.vecgrad.engine.spi.NormKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The checked facade of the fused normalization kernels ({@link NormKernels}): batch norm
 * (training and evaluation), layer norm and group norm, forward and backward, PyTorch's
 * semantics. Every method validates dtypes, shapes and contiguity of all its operands and
 * throws {@link IllegalArgumentException} naming the op and the shapes <em>before</em> it writes
 * anything (outputs, saved statistics and running statistics alike); then it calls the kernels,
 * which trust their arguments.
 *
 * <p>All buffers must be contiguous (the autograd layer passes contiguous copies). Weights and
 * biases may be {@code null} (no affine transform). Outputs are written whole; their storage
 * versions are bumped.
 *
 * <p>The kernels are chosen once per JVM like {@link Updates}: the Vector API twins when the
 * default {@link Kernels} provider is a vector one, else the scalar loops.
 */
public final class Normalization {
    private static final String VECTOR_CLASS = "io.vecgrad.engine.internal.vector.VectorNormKernels";

    private final NormKernels k;

    private Normalization(NormKernels k) {
        this.k = k;
    }

    private static final class Holder {
        static final Normalization DEFAULT = new Normalization(choose());
    }

    /** The facade over the kernels matching the default kernel provider. */
    public static Normalization get() {
        return Holder.DEFAULT;
    }

    /** A facade over the given kernels (tests compare the scalar and vector twins). */
    public static Normalization of(NormKernels kernels) {
        return new Normalization(java.util.Objects.requireNonNull(kernels, "kernels"));
    }

    /** The scalar kernels (the oracle of the vector ones). */
    public static NormKernels scalarKernels() {
        return ScalarNormKernels.INSTANCE;
    }

    /**
     * The vector kernels, whatever the default selection says.
     *
     * @throws IllegalStateException if they cannot be loaded (module not readable)
     */
    public static NormKernels vectorKernels() {
        try {
            return (NormKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("normalization: the vector kernels failed to load (" + e
                    + "); start the JVM with --add-modules jdk.incubator.vector", e);
        }
    }

    /** The kernels this facade calls. */
    public NormKernels kernels() {
        return k;
    }

    private static NormKernels choose() {
        if (Kernels.get().provider().vectorBits() <= 0) {
            return ScalarNormKernels.INSTANCE;
        }
        try {
            return vectorKernels();
        } catch (IllegalStateException e) {
            System.getLogger("io.vecgrad.engine").log(System.Logger.Level.WARNING,
                    "vecgrad: using the scalar normalization kernels because " + e.getMessage());
            return ScalarNormKernels.INSTANCE;
        }
    }

    // ================================================================================ checks

    private static String desc(Buffer b) {
        return b == null ? "none" : b.dtype() + " " + Shape.format(b.dims());
    }

    private static void check(boolean ok, String op, String what) {
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + what);
        }
    }

    /** A buffer that must exist, be contiguous, have x's dtype and exactly these dims. */
    private static void need(String op, String name, Buffer b, Buffer x, int... dims) {
        check(b != null, op, name + " is required");
        check(b.dtype() == x.dtype(), op, name + " is " + desc(b) + " but input is " + desc(x));
        check(Arrays.equals(b.dims(), dims), op, name + " must have shape " + Shape.format(dims) + " for input "
                + Shape.format(x.dims()) + ", got " + Shape.format(b.dims()));
        check(b.isContiguous(), op, name + " " + Shape.format(b.dims()) + " must be contiguous");
    }

    private static void maybe(String op, String name, Buffer b, Buffer x, int... dims) {
        if (b != null) {
            need(op, name, b, x, dims);
        }
    }

    private static void distinct(String op, Buffer... outs) {
        for (int i = 0; i < outs.length; i++) {
            for (int j = i + 1; j < outs.length; j++) {
                if (outs[i] != null && outs[j] != null && outs[i].storage() == outs[j].storage()) {
                    throw new IllegalArgumentException(op + ": outputs " + desc(outs[i]) + " and " + desc(outs[j])
                            + " share storage");
                }
            }
        }
    }

    private static void notAliased(String op, Buffer[] ins, Buffer... outs) {
        for (Buffer o : outs) {
            if (o == null) {
                continue;
            }
            for (Buffer in : ins) {
                if (in != null && in.storage() == o.storage()) {
                    throw new IllegalArgumentException(op + ": output " + desc(o) + " shares storage with input "
                            + desc(in));
                }
            }
        }
    }

    private static MemorySegment seg(String op, Buffer b) {
        return b == null ? null : b.segment(op);
    }

    private static long off(Buffer b) {
        return b == null ? 0 : b.offset();
    }

    private static void bump(Buffer... bs) {
        for (Buffer b : bs) {
            if (b != null) {
                b.storage().bumpVersion();
            }
        }
    }

    private static long spatial(int[] d, int from) {
        long s = 1;
        for (int i = from; i < d.length; i++) {
            s *= d[i];
        }
        return s;
    }

    private static void checkEps(String op, double eps) {
        check(eps >= 0 && Double.isFinite(eps), op, "eps must be finite and non-negative, got " + eps);
    }

    // ============================================================================ batch norm

    private static int channelsOf(String op, Buffer x) {
        check(x != null, op, "input is required");
        check(x.rank() >= 2, op, "expected input [N, C, *] with at least 2 dims, got " + Shape.format(x.dims()));
        check(x.isContiguous(), op, "input " + Shape.format(x.dims()) + " must be contiguous");
        return x.dims()[1];
    }

    /**
     * Batch norm in training mode: per channel {@code c} of {@code x [N, C, *]}, normalise with the
     * batch mean and <em>biased</em> variance, then {@code y = xhat·w[c] + b[c]}. If running
     * statistics are given they are updated in place with the <em>unbiased</em> variance:
     * {@code running = (1 - momentum)·running + momentum·batch}.
     *
     * @param weight {@code [C]} or null
     * @param bias {@code [C]} or null
     * @param runningMean {@code [C]} or null (modified); given together with runningVar
     * @param runningVar {@code [C]} or null (modified)
     * @param y output of x's shape (written)
     * @param mean {@code [C]} batch mean (written, for backward)
     * @param rstd {@code [C]} {@code 1/sqrt(var + eps)} (written, for backward)
     * @param var {@code [C]} biased batch variance (written)
     * @throws IllegalArgumentException for mismatched channels, dtypes or shapes, a channel with
     *     a single value ({@code N·∏spatial == 1}), a negative eps or momentum outside [0, 1]
     */
    public void batchNormTrain(Buffer x, Buffer weight, Buffer bias, Buffer runningMean, Buffer runningVar,
                               double momentum, double eps, Buffer y, Buffer mean, Buffer rstd, Buffer var) {
        String op = "batch_norm";
        int c = channelsOf(op, x);
        int[] xd = x.dims();
        maybe(op, "weight", weight, x, c);
        maybe(op, "bias", bias, x, c);
        check((runningMean == null) == (runningVar == null), op, "give both running_mean and running_var or neither");
        maybe(op, "running_mean", runningMean, x, c);
        maybe(op, "running_var", runningVar, x, c);
        need(op, "output", y, x, xd);
        need(op, "mean", mean, x, c);
        need(op, "rstd", rstd, x, c);
        need(op, "var", var, x, c);
        checkEps(op, eps);
        check(momentum >= 0 && momentum <= 1, op, "momentum must be in [0, 1], got " + momentum);
        long n = (long) xd[0] * spatial(xd, 2);
        check(n > 1, op, "expected more than 1 value per channel when training, got input " + Shape.format(xd));
        distinct(op, y, mean, rstd, var, runningMean, runningVar);
        notAliased(op, new Buffer[] {x, weight, bias}, y, mean, rstd, var, runningMean, runningVar);
        long s = spatial(xd, 2);
        k.moments(x.dtype(), xd[0], c, s, x.segment(op), x.offset(), eps,
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), var.segment(op), var.offset());
        bump(mean, rstd, var);
        k.channelForward(x.dtype(), xd[0], c, 1, s, x.segment(op), x.offset(),
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), 0,
                seg(op, weight), off(weight), seg(op, bias), off(bias), y.segment(op), y.offset());
        bump(y);
        if (runningMean != null) {
            Kernels kk = Kernels.get();
            kk.affine(runningMean, 1 - momentum, 0, runningMean);
            kk.addScaled(runningMean, momentum, mean, runningMean);
            kk.affine(runningVar, 1 - momentum, 0, runningVar);
            kk.addScaled(runningVar, momentum * n / (n - 1.0), var, runningVar);
        }
    }

    /**
     * Batch norm in evaluation mode: normalise with the running statistics,
     * {@code y = (x - runningMean[c]) / sqrt(runningVar[c] + eps)·w[c] + b[c]}. Writes the
     * statistics used into {@code mean} and {@code rstd} for {@link #batchNormBackward}.
     *
     * @throws IllegalArgumentException for mismatched channels, dtypes or shapes
     */
    public void batchNormEval(Buffer x, Buffer weight, Buffer bias, Buffer runningMean, Buffer runningVar,
                              double eps, Buffer y, Buffer mean, Buffer rstd) {
        String op = "batch_norm";
        int c = channelsOf(op, x);
        int[] xd = x.dims();
        maybe(op, "weight", weight, x, c);
        maybe(op, "bias", bias, x, c);
        need(op, "running_mean", runningMean, x, c);
        need(op, "running_var", runningVar, x, c);
        need(op, "output", y, x, xd);
        need(op, "mean", mean, x, c);
        need(op, "rstd", rstd, x, c);
        checkEps(op, eps);
        distinct(op, y, mean, rstd);
        notAliased(op, new Buffer[] {x, weight, bias, runningMean, runningVar}, y, mean, rstd);
        Kernels kk = Kernels.get();
        kk.copy(runningMean, mean);
        kk.affine(runningVar, 1, eps, rstd);
        kk.unary(io.vecgrad.engine.spi.UnaryOp.SQRT, 0, 0, rstd, rstd);
        kk.unary(io.vecgrad.engine.spi.UnaryOp.RECIPROCAL, 0, 0, rstd, rstd);
        k.channelForward(x.dtype(), xd[0], c, 1, spatial(xd, 2), x.segment(op), x.offset(),
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), 0,
                seg(op, weight), off(weight), seg(op, bias), off(bias), y.segment(op), y.offset());
        bump(y);
    }

    /**
     * Batch-norm backward. {@code train} says whether mean/rstd were the batch statistics
     * (their dependence on x is differentiated) or the running ones (constants).
     *
     * @param dx x's shape, or null to skip (written)
     * @param dw {@code [C]}, or null to skip (written)
     * @param db {@code [C]}, or null to skip (written)
     * @throws IllegalArgumentException for mismatched shapes or dtypes
     */
    public void batchNormBackward(Buffer g, Buffer x, Buffer weight, Buffer mean, Buffer rstd, boolean train,
                                  Buffer dx, Buffer dw, Buffer db) {
        String op = "batch_norm_backward";
        int c = channelsOf(op, x);
        int[] xd = x.dims();
        need(op, "grad", g, x, xd);
        maybe(op, "weight", weight, x, c);
        need(op, "mean", mean, x, c);
        need(op, "rstd", rstd, x, c);
        maybe(op, "grad_input", dx, x, xd);
        maybe(op, "grad_weight", dw, x, c);
        maybe(op, "grad_bias", db, x, c);
        distinct(op, dx, dw, db);
        notAliased(op, new Buffer[] {g, x, weight, mean, rstd}, dx, dw, db);
        double[] work = new double[4 * c + 2];
        k.channelBackward(x.dtype(), xd[0], c, 1, spatial(xd, 2), g.segment(op), g.offset(), x.segment(op), x.offset(),
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), 0,
                seg(op, weight), off(weight), !train,
                seg(op, dx), off(dx), seg(op, dw), off(dw), seg(op, db), off(db), work);
        bump(dx, dw, db);
    }

    // ============================================================================ layer norm

    private static long[] rowsCols(String op, Buffer x, int[] normalizedShape) {
        check(x != null, op, "input is required");
        check(normalizedShape != null && normalizedShape.length > 0, op,
                "normalized_shape must name at least one dim");
        int[] xd = x.dims();
        int k = normalizedShape.length;
        check(k <= xd.length && Arrays.equals(Arrays.copyOfRange(xd, xd.length - k, xd.length), normalizedShape), op,
                "input " + Shape.format(xd) + " does not end with normalized_shape " + Shape.format(normalizedShape));
        check(x.isContiguous(), op, "input " + Shape.format(xd) + " must be contiguous");
        long cols = spatial(xd, xd.length - k);
        check(cols > 0, op, "normalized_shape " + Shape.format(normalizedShape) + " has no elements");
        return new long[] {x.size() / cols, cols};
    }

    /** Dims of the per-row statistics: the input's leading dims. */
    public static int[] layerNormStatDims(int[] xDims, int[] normalizedShape) {
        return Arrays.copyOf(xDims, xDims.length - normalizedShape.length);
    }

    /**
     * Layer norm over the trailing {@code normalizedShape} dims: per row (the leading dims),
     * {@code y = (x - mean)·rstd·w + b} with the biased variance.
     *
     * @param weight {@code normalizedShape} or null
     * @param bias {@code normalizedShape} or null
     * @param y output of x's shape (written)
     * @param mean the leading dims of x (written)
     * @param rstd the leading dims of x (written)
     * @throws IllegalArgumentException if x does not end with normalizedShape, or for
     *     mismatched dtypes/shapes
     */
    public void layerNorm(Buffer x, int[] normalizedShape, Buffer weight, Buffer bias, double eps,
                          Buffer y, Buffer mean, Buffer rstd) {
        String op = "layer_norm";
        long[] rc = rowsCols(op, x, normalizedShape);
        int[] sd = layerNormStatDims(x.dims(), normalizedShape);
        maybe(op, "weight", weight, x, normalizedShape);
        maybe(op, "bias", bias, x, normalizedShape);
        need(op, "output", y, x, x.dims());
        need(op, "mean", mean, x, sd);
        need(op, "rstd", rstd, x, sd);
        checkEps(op, eps);
        distinct(op, y, mean, rstd);
        notAliased(op, new Buffer[] {x, weight, bias}, y, mean, rstd);
        k.moments(x.dtype(), 1, rc[0], rc[1], x.segment(op), x.offset(), eps,
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), null, 0);
        k.rowForward(x.dtype(), rc[0], rc[1], x.segment(op), x.offset(), mean.segment(op), mean.offset(),
                rstd.segment(op), rstd.offset(), seg(op, weight), off(weight), seg(op, bias), off(bias),
                y.segment(op), y.offset());
        bump(y, mean, rstd);
    }

    /**
     * Layer-norm backward: gradients of x, weight and bias (each null to skip).
     *
     * @throws IllegalArgumentException for mismatched shapes or dtypes
     */
    public void layerNormBackward(Buffer g, Buffer x, int[] normalizedShape, Buffer weight, Buffer mean, Buffer rstd,
                                  Buffer dx, Buffer dw, Buffer db) {
        String op = "layer_norm_backward";
        long[] rc = rowsCols(op, x, normalizedShape);
        int[] sd = layerNormStatDims(x.dims(), normalizedShape);
        need(op, "grad", g, x, x.dims());
        maybe(op, "weight", weight, x, normalizedShape);
        need(op, "mean", mean, x, sd);
        need(op, "rstd", rstd, x, sd);
        maybe(op, "grad_input", dx, x, x.dims());
        maybe(op, "grad_weight", dw, x, normalizedShape);
        maybe(op, "grad_bias", db, x, normalizedShape);
        distinct(op, dx, dw, db);
        notAliased(op, new Buffer[] {g, x, weight, mean, rstd}, dx, dw, db);
        double[] work = new double[Math.toIntExact(2 * rc[1] + 2)];
        k.rowBackward(x.dtype(), rc[0], rc[1], g.segment(op), g.offset(), x.segment(op), x.offset(),
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), seg(op, weight), off(weight),
                seg(op, dx), off(dx), seg(op, dw), off(dw), seg(op, db), off(db), work);
        bump(dx, dw, db);
    }

    // ============================================================================ group norm

    private static int checkGroups(String op, Buffer x, int groups) {
        int c = channelsOf(op, x);
        check(groups > 0, op, "num_groups must be positive, got " + groups);
        check(c % groups == 0, op, "num_channels " + c + " of input " + Shape.format(x.dims())
                + " is not divisible by num_groups " + groups);
        return c;
    }

    /**
     * Group norm: channels of {@code x [N, C, *]} split into {@code groups} groups; per sample
     * and group, {@code y = (x - mean)·rstd·w[c] + b[c]} with the biased variance.
     *
     * @param weight {@code [C]} or null
     * @param bias {@code [C]} or null
     * @param mean {@code [N, groups]} (written)
     * @param rstd {@code [N, groups]} (written)
     * @throws IllegalArgumentException if C is not divisible by groups, or for mismatched
     *     dtypes/shapes
     */
    public void groupNorm(Buffer x, int groups, Buffer weight, Buffer bias, double eps,
                          Buffer y, Buffer mean, Buffer rstd) {
        String op = "group_norm";
        int c = checkGroups(op, x, groups);
        int[] xd = x.dims();
        maybe(op, "weight", weight, x, c);
        maybe(op, "bias", bias, x, c);
        need(op, "output", y, x, xd);
        need(op, "mean", mean, x, xd[0], groups);
        need(op, "rstd", rstd, x, xd[0], groups);
        checkEps(op, eps);
        distinct(op, y, mean, rstd);
        notAliased(op, new Buffer[] {x, weight, bias}, y, mean, rstd);
        long s = spatial(xd, 2);
        int cpg = c / groups;
        k.moments(x.dtype(), 1, (long) xd[0] * groups, cpg * s, x.segment(op), x.offset(), eps,
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), null, 0);
        k.channelForward(x.dtype(), xd[0], groups, cpg, s, x.segment(op), x.offset(),
                mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), groups,
                seg(op, weight), off(weight), seg(op, bias), off(bias), y.segment(op), y.offset());
        bump(y, mean, rstd);
    }

    /**
     * Group-norm backward: gradients of x, weight and bias (each null to skip).
     *
     * @throws IllegalArgumentException for mismatched shapes or dtypes
     */
    public void groupNormBackward(Buffer g, Buffer x, int groups, Buffer weight, Buffer mean, Buffer rstd,
                                  Buffer dx, Buffer dw, Buffer db) {
        String op = "group_norm_backward";
        int c = checkGroups(op, x, groups);
        int[] xd = x.dims();
        need(op, "grad", g, x, xd);
        maybe(op, "weight", weight, x, c);
        need(op, "mean", mean, x, xd[0], groups);
        need(op, "rstd", rstd, x, xd[0], groups);
        maybe(op, "grad_input", dx, x, xd);
        maybe(op, "grad_weight", dw, x, c);
        maybe(op, "grad_bias", db, x, c);
        distinct(op, dx, dw, db);
        notAliased(op, new Buffer[] {g, x, weight, mean, rstd}, dx, dw, db);
        double[] work = new double[Math.toIntExact(2L * xd[0] * groups + 2L * c + 2)];
        k.channelBackward(x.dtype(), xd[0], groups, c / groups, spatial(xd, 2), g.segment(op), g.offset(),
                x.segment(op), x.offset(), mean.segment(op), mean.offset(), rstd.segment(op), rstd.offset(), groups,
                seg(op, weight), off(weight), false,
                seg(op, dx), off(dx), seg(op, dw), off(dw), seg(op, db), off(db), work);
        bump(dx, dw, db);
    }
}
