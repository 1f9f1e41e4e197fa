package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Shape;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.util.Arrays;

/**
 * Loss functions with PyTorch's semantics and reductions. Cross-entropy (fused log-softmax +
 * NLL, stable for logits of ±1000), NLL and BCE-with-logits are primitives with their own
 * rules, and so is MSE with a reduction; L1 is composed from elementwise ops. Every shape, batch-size or class-index
 * error names the loss, the shapes and the offending value, and happens before anything is
 * computed.
 */
public final class Losses {
    private Losses() {}

    /** Mean squared error {@code (input - target)^2}, reduced. Shapes must be equal. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("mse_loss", input, target);
        if (reduction == Reduction.NONE) {
            return input.sub(target).square();
        }
        return mseReduced(input, target, reduction);
    }

    /**
     * MSE with a sum or mean: one recorded node (PyTorch's {@code MseLossBackward}) instead of
     * sub, pow, sum and a scaling, so a training step records 3 fewer nodes. Forward and backward
     * run the composed ops' kernels in the same order, so values and gradients have the same bits.
     * Saved: the difference {@code input - target} (owned by the node).
     */
    private static Tensor mseReduced(Tensor input, Tensor target, Reduction reduction) {
        Tensor.checkLive("mse_loss", input, target);
        boolean track = (input.requiresGrad() || target.requiresGrad()) && GradMode.isEnabled();
        DType dt = input.dtype();
        Kernels k = Kernels.get();
        Buffer x = input.buffer();
        Buffer d = Pool.ws().take(dt, x.shape());
        k.binary(BinaryOp.SUB, 0, x, target.buffer(), d);
        Buffer sq = Pool.ws().take(dt, x.shape());
        k.unary(UnaryOp.POW, 2, 0, d, sq);
        Tensor out = Tensor.result(dt, Shape.scalar(), track);
        k.sum(sq, NO_DIMS, false, out.buffer());
        Pool.give(sq);
        double scale = reduction == Reduction.MEAN ? 1.0 / x.size() : 1;
        if (reduction == Reduction.MEAN) { // as mean(): the sum scaled by 1/count
            k.unary(UnaryOp.AFFINE, scale, 0, out.buffer(), out.buffer());
        }
        if (track) {
            Node n = Tensor.record(Op.MSE, out, input, target);
            n.p0 = scale;
            n.save(d);
            n.ownsSaved0 = true;
        } else {
            Pool.give(d);
        }
        return out;
    }

    /** The empty dims list: reduce over every dim. */
    private static final int[] NO_DIMS = {};

    /**
     * Rules of the composed ops in order: the sum's (g broadcast back), the scaling's
     * ({@code g * scale} unless 1: the same value whether scaled before or after broadcasting),
     * pow's ({@code POW_BACKWARD} with exponent 2) and sub's (g and -g); all in one buffer.
     */
    static void mseBackward(Node n, Buffer g, Buffer[] r, boolean needX, boolean needT) {
        Buffer d = n.saved(0);
        Kernels k = Kernels.get();
        Buffer gx = Pool.ws().take(d.dtype(), d.shape());
        k.copy(g, gx);
        if (n.p0 != 1) {
            k.unary(UnaryOp.AFFINE, n.p0, 0, gx, gx);
        }
        k.binary(BinaryOp.POW_BACKWARD, 2, gx, d, gx);
        if (needT) {
            r[1] = k.unary(UnaryOp.NEG, 0, 0, gx, Pool.ws().take(d.dtype(), d.shape()));
        }
        if (needX) {
            r[0] = gx;
        } else {
            Pool.give(gx);
        }
    }

    /** Mean absolute error {@code |input - target|}, reduced. Shapes must be equal. */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("l1_loss", input, target);
        return reduce(input.sub(target).abs(), reduction);
    }

    private static Tensor reduce(Tensor t, Reduction r) {
        return switch (r) {
            case MEAN -> t.mean();
            case SUM -> t.sum();
            case NONE -> t;
        };
    }

    private static void checkSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.dims(), target.dims())) {
            throw new IllegalArgumentException(op + ": input shape " + Shape.format(input.dims())
                    + " and target shape " + Shape.format(target.dims()) + " differ; reshape one so they match");
        }
        if (input.dtype() != target.dtype()) {
            throw new IllegalArgumentException(op + ": input is " + input.dtype() + " but target is " + target.dtype());
        }
    }

    /**
     * Cross-entropy of logits {@code [N, C]} (or {@code [C]} with a 0-d/1-element target)
     * against class indices {@code [N]}: {@code -log softmax(input)[i, target_i]}.
     */
    public static Tensor crossEntropy(Tensor input, Indices target, Reduction reduction) {
        return classLoss(Op.CROSS_ENTROPY, "cross_entropy", input, target, reduction);
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C]}: {@code -input[i, target_i]}. */
    public static Tensor nll(Tensor input, Indices target, Reduction reduction) {
        return classLoss(Op.NLL, "nll_loss", input, target, reduction);
    }

    private static Tensor classLoss(Op op, String name, Tensor input, Indices target, Reduction reduction) {
        Tensor.checkLive(name, input);
        int[] xd = input.dims();
        boolean single = xd.length == 1;
        if (xd.length != 2 && !single) {
            throw new IllegalArgumentException(name + ": input must be [N, C] (or [C]), got " + Shape.format(xd));
        }
        int n = single ? 1 : xd[0];
        int c = single ? xd[0] : xd[1];
        if (target.numel() != n || (!single && target.ndim() != 1)) {
            throw new IllegalArgumentException(name + ": expected target of shape [" + n + "] for input "
                    + Shape.format(xd) + ", got target " + Shape.format(target.shape())
                    + " (batch sizes " + n + " and " + target.numel() + " differ)");
        }
        long[] t = target.raw();
        for (int i = 0; i < n; i++) {
            if (t[i] < 0 || t[i] >= c) {
                throw new IndexOutOfBoundsException(name + ": target " + t[i] + " at position " + i
                        + " is out of bounds for " + c + " classes (valid: 0.." + (c - 1) + ")");
            }
        }
        Buffer x = single ? input.buffer().view(1, c) : input.buffer();
        boolean track = input.requiresGrad() && GradMode.isEnabled();
        DType dt = input.dtype();
        Kernels k = Kernels.get();
        Buffer rows = op == Op.CROSS_ENTROPY ? Pool.ws().take(dt, n, c) : null;
        if (rows != null) {
            k.logSoftmax(x, 1, rows);
        }
        Buffer src = rows != null ? rows : x;
        Tensor out;
        if (reduction == Reduction.NONE) {
            double[] per = new double[n];
            for (int i = 0; i < n; i++) {
                per[i] = -src.getFlat((long) i * c + t[i]);
            }
            out = Tensor.result(dt, single ? new int[0] : new int[] {n}, track);
            out.buffer().copyFrom(per);
        } else {
            double s = 0;
            for (int i = 0; i < n; i++) { // the same order of additions as the per-row values summed
                s += -src.getFlat((long) i * c + t[i]);
            }
            out = Tensor.result(dt, Shape.scalar(), track);
            out.buffer().setFlat(0, reduction == Reduction.MEAN ? s / n : s);
        }
        if (track) {
            Node node = Tensor.record(op, out, input);
            node.indices = t; // Indices are immutable: no copy
            node.p0 = reduction.ordinal();
            node.flag = single;
            if (rows != null) {
                k.exp(rows, rows); // keep softmax probabilities for the rule
                node.save(rows);
                node.ownsSaved0 = true;
            }
        } else if (rows != null) {
            Pool.give(rows);
        }
        return out;
    }

    /** Per-row upstream gradient scale: g_i (none), g (sum) or g / N (mean). */
    private static final Reduction[] REDUCTIONS = Reduction.values(); // values() clones per call

    private static double rowScale(Buffer g, Node n, int i, int rows) {
        Reduction r = REDUCTIONS[(int) n.p0];
        return switch (r) {
            case NONE -> g.rank() == 0 ? g.getFlat(0) : g.getFlat(i);
            case SUM -> g.getFlat(0);
            case MEAN -> g.getFlat(0) / rows;
        };
    }

    /** Per-thread 0-d f32 and f64 buffers for a scale that every row shares (written, then read at once). */
    private static final ThreadLocal<Buffer[]> SCALE = ThreadLocal.withInitial(
            () -> new Buffer[] {Buffer.scalar(DType.F32, 0), Buffer.scalar(DType.F64, 0)});

    static Buffer crossEntropyBackward(Node n, Buffer g) {
        Buffer p = n.saved(0); // softmax probabilities [N, C]
        int rows = p.shape().dim(0);
        int c = p.shape().dim(1);
        Buffer d = Pool.ws().take(p.dtype(), p.shape());
        Kernels.get().copy(p, d);
        long[] t = n.indices;
        for (int i = 0; i < rows; i++) {
            long e = (long) i * c + t[i]; // flat index: no index array per row
            d.setFlat(e, d.getFlat(e) - 1);
        }
        if (n.p0 != Reduction.NONE.ordinal()) { // one scale for every row: a reused 0-d buffer, no new one
            Buffer one = SCALE.get()[p.dtype() == DType.F32 ? 0 : 1];
            one.setFlat(0, rowScale(g, n, 0, rows));
            Kernels.get().mul(d, one, d);
            return n.flag ? d.view(c) : d;
        }
        // scale each row by its upstream gradient
        Buffer scale = Pool.ws().take(p.dtype(), rows, 1);
        for (int i = 0; i < rows; i++) {
            scale.setFlat(i, rowScale(g, n, i, rows));
        }
        Kernels.get().mul(d, scale, d);
        Pool.give(scale);
        return n.flag ? d.view(c) : d;
    }

    static Buffer nllBackward(Node n, Buffer g) {
        int[] xd = n.inputs[0].dims();
        int rows = n.flag ? 1 : xd[0];
        int c = n.flag ? xd[0] : xd[1];
        Buffer d = Pool.takeZeroed(n.inputs[0].dtype(), new int[] {rows, c});
        long[] t = n.indices;
        for (int i = 0; i < rows; i++) {
            d.set(-rowScale(g, n, i, rows), i, (int) t[i]);
        }
        return n.flag ? d.view(c) : d;
    }

    /**
     * Binary cross-entropy on logits: {@code max(x, 0) - x*t + log(1 + exp(-|x|))}, stable for
     * any x; input and target must have the same shape.
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("binary_cross_entropy_with_logits", input, target);
        Tensor.checkLive("binary_cross_entropy_with_logits", input, target);
        boolean track = (input.requiresGrad() || target.requiresGrad()) && GradMode.isEnabled();
        DType dt = input.dtype();
        Kernels k = Kernels.get();
        Buffer x = input.buffer();
        Buffer tb = target.buffer();
        int[] dims = input.dims();
        // per-element loss: relu(x) - x*t + log(1 + exp(-|x|))
        Buffer a = Pool.take(dt, dims);
        k.abs(x, a);
        k.affine(a, -1, 0, a);
        k.exp(a, a);
        k.affine(a, 1, 1, a);
        k.log(a, a);
        Buffer b = Pool.take(dt, dims);
        k.mul(x, tb, b);
        k.sub(a, b, a);
        k.relu(x, b);
        k.add(a, b, a);
        Pool.give(b);
        Tensor out;
        if (reduction == Reduction.NONE) {
            out = Tensor.result(dt, dims, track);
            k.copy(a, out.buffer());
        } else {
            out = Tensor.result(dt, new int[0], track);
            double s = k.sumAll(a);
            long count = Math.max(1, input.numel());
            out.buffer().setFlat(0, reduction == Reduction.MEAN ? s / count : s);
        }
        Pool.give(a);
        if (track) {
            Node n = Tensor.record(Op.BCE_WITH_LOGITS, out, input, target);
            n.p0 = reduction.ordinal();
            n.save(x, tb);
        }
        return out;
    }

    static void bceBackward(Node n, Buffer g, Buffer[] r, boolean needX, boolean needT) {
        Buffer x = n.saved(0);
        Buffer t = n.saved(1);
        Reduction red = Reduction.values()[(int) n.p0];
        Kernels k = Kernels.get();
        double scale = red == Reduction.MEAN ? 1.0 / Math.max(1, x.size()) : 1.0;
        Buffer gs = red == Reduction.NONE ? g : g.expand(x.dims());
        if (needX) { // (sigmoid(x) - t) * g
            Buffer d = Pool.take(x.dtype(), x.dims());
            k.sigmoid(x, d);
            k.sub(d, t, d);
            k.mul(d, gs, d);
            r[0] = scale == 1.0 ? d : k.affine(d, scale, 0, d);
        }
        if (needT) { // -x * g
            Buffer d = Pool.take(x.dtype(), x.dims());
            k.mul(x, gs, d);
            r[1] = k.affine(d, -scale, 0, d);
        }
    }

    /** One-hot-free accuracy helper: the number of rows whose argmax equals the target. */
    public static int correct(Tensor logits, Indices target) {
        Indices pred = logits.argmax(-1);
        int c = 0;
        for (int i = 0; i < pred.numel(); i++) {
            c += pred.get(i) == target.get(i) ? 1 : 0;
        }
        return c;
    }
}
