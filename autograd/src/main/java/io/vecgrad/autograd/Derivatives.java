package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Shape;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.util.Arrays;

/**
 * Every derivative rule, one per primitive {@link Op}, in one vocabulary: {@code g} is the
 * upstream gradient (the output's shape), {@code y} the op's saved output, {@code x}/{@code a}/
 * {@code b} its saved inputs. A rule returns one gradient per input in the <em>output's</em>
 * broadcast shape (or the input's own shape); {@link Backward} sums it down to the input's
 * shape. Each returned buffer is either a view of {@code g} or a fresh pool buffer; a rule
 * never returns a view of saved data. Linear ops get their backward as a transpose
 * (matmul: {@code dA = dC·Bᵀ, dB = Aᵀ·dC} through GEMM transpose flags, no copy).
 */
final class Derivatives {
    private Derivatives() {}

    private static Kernels k() {
        return Kernels.get();
    }

    private static Buffer like(Buffer g) {
        return Pool.ws().take(g.dtype(), g.shape());
    }

    private static Buffer take(DType dt, int[] dims) {
        return Pool.take(dt, dims);
    }

    /** {@code op(g, b)} into a fresh buffer of the broadcast shape. */
    private static Buffer bin(BinaryOp op, double p, Buffer a, Buffer b) {
        Buffer out = a.shape().sameDims(b.shape()) ? Pool.ws().take(a.dtype(), a.shape())
                : take(a.dtype(), Shape.broadcastDims("backward", a.shape(), b.shape()));
        return k().binary(op, p, a, b, out);
    }

    /**
     * {@code op(g, s)} for a one-input rule, written over g itself when it has the result's dims:
     * the walker owns g, reads it no more once the rule has run, and takes a result that is g
     * as it takes any view of g (no pool buffer per node). Same kernel, same values. Anomaly
     * mode keeps g intact for its messages.
     */
    private static Buffer overG(BinaryOp op, double p, Buffer g, Buffer s) {
        if (g.isContiguous() && g.shape().sameDims(s.shape()) && !Anomaly.isEnabled()) {
            return k().binary(op, p, g, s, g);
        }
        return bin(op, p, g, s);
    }

    private static Buffer un(UnaryOp op, double p0, double p1, Buffer x) {
        return k().unary(op, p0, p1, x, Pool.ws().take(x.dtype(), x.shape()));
    }

    /**
     * Runs n's rule on the upstream gradient g, filling {@code r} (all null, one slot per input)
     * with the input gradients; returns r.
     */
    static Buffer[] backward(Node n, Buffer g, Buffer[] r) {
        boolean need0 = n.inputs.length > 0 && n.inputs[0].requiresGrad();
        boolean need1 = n.inputs.length > 1 && n.inputs[1].requiresGrad();
        switch (n.op) {
            case ADD -> {
                r[0] = need0 ? g : null;
                r[1] = need1 ? g : null;
            }
            case SUB -> {
                r[0] = need0 ? g : null;
                r[1] = need1 ? un(UnaryOp.NEG, 0, 0, g) : null;
            }
            case MUL -> {
                Buffer a = n.saved(0);
                Buffer b = n.saved(1);
                r[0] = need0 ? bin(BinaryOp.MUL, 0, g, b) : null;
                r[1] = need1 ? bin(BinaryOp.MUL, 0, g, a) : null;
            }
            case DIV -> { // y = a / b: da = g / b, db = -g * y / b
                Buffer b = n.saved(0);
                Buffer y = n.saved(1);
                Buffer gb = bin(BinaryOp.DIV, 0, g, b);
                if (need1) {
                    Buffer t = bin(BinaryOp.MUL, 0, gb, y);
                    r[1] = k().neg(t, t);
                }
                if (need0) {
                    r[0] = gb;
                } else {
                    Pool.give(gb);
                }
            }
            case MAXIMUM, MINIMUM -> {
                // As PyTorch: an input gets g, minus all of it where it loses, minus half of it on
                // a tie; NaN compares false, so a NaN (which wins) passes g to both inputs.
                // d = a - b over finite stand-ins (inf - inf would be NaN, not a tie).
                Buffer ac = finite(n.saved(0));
                Buffer bc = finite(n.saved(1));
                Buffer d = bin(BinaryOp.SUB, 0, ac, bc);
                Pool.give(ac);
                Pool.give(bc);
                Buffer tie = un(UnaryOp.SIGN, 0, 0, d); // 1 - |sign d|: 1 on ties, 0 elsewhere, NaN for NaN
                k().abs(tie, tie);
                k().affine(tie, -1, 1, tie);
                Buffer halfTie = bin(BinaryOp.RELU_BACKWARD, 0, g, tie); // g where tie > 0 (NaN: no)
                k().affine(halfTie, 0.5, 0, halfTie);
                Pool.give(tie);
                Buffer negD = un(UnaryOp.NEG, 0, 0, d);
                boolean max = n.op == Op.MAXIMUM;
                if (need0) { // a loses where b - a > 0 (max) or a - b > 0 (min)
                    r[0] = loserGrad(g, max ? negD : d, halfTie);
                }
                if (need1) {
                    r[1] = loserGrad(g, max ? d : negD, halfTie);
                }
                Pool.give(negD);
                Pool.give(d);
                Pool.give(halfTie);
            }
            case AFFINE -> r[0] = n.p0 == 1 ? g : un(UnaryOp.AFFINE, n.p0, 0, g);
            case NEG -> r[0] = un(UnaryOp.NEG, 0, 0, g);
            case EXP -> r[0] = overG(BinaryOp.MUL, 0, g, n.saved(0));
            case LOG -> r[0] = bin(BinaryOp.DIV, 0, g, n.saved(0));
            case SQRT -> { // g / (2 sqrt x)
                Buffer t = bin(BinaryOp.DIV, 0, g, n.saved(0));
                r[0] = k().affine(t, 0.5, 0, t);
            }
            case ABS -> r[0] = bin(BinaryOp.ABS_BACKWARD, 0, g, n.saved(0));
            case SIN -> {
                Buffer c = un(UnaryOp.COS, 0, 0, n.saved(0));
                r[0] = k().mul(g, c, c);
            }
            case COS -> {
                Buffer s = un(UnaryOp.SIN, 0, 0, n.saved(0));
                k().mul(g, s, s);
                r[0] = k().neg(s, s);
            }
            case TANH -> r[0] = overG(BinaryOp.TANH_BACKWARD, 0, g, n.saved(0));
            case SIGMOID -> r[0] = overG(BinaryOp.SIGMOID_BACKWARD, 0, g, n.saved(0));
            case RELU -> r[0] = overG(BinaryOp.RELU_BACKWARD, 0, g, n.saved(0)); // saved output: y > 0 iff x > 0
            case LEAKY_RELU -> r[0] = overG(BinaryOp.LEAKY_RELU_BACKWARD, n.p0, g, n.saved(0));
            case GELU -> r[0] = overG(BinaryOp.GELU_BACKWARD, 0, g, n.saved(0));
            case GELU_TANH -> r[0] = overG(BinaryOp.GELU_TANH_BACKWARD, 0, g, n.saved(0));
            case POW -> r[0] = bin(BinaryOp.POW_BACKWARD, n.p0, g, n.saved(0));
            case CLAMP -> { // passes where min <= x <= max, i.e. where clamp(x) == x
                // compared through finite stand-ins: at x = +inf with max = +inf, inf - inf would
                // be NaN; PyTorch passes the gradient there
                Buffer x = finite(n.saved(0));
                Buffer y = finite(n.saved(1));
                Buffer m = bin(BinaryOp.SUB, 0, x, y);
                Pool.give(x);
                Pool.give(y);
                k().unary(UnaryOp.SIGN, 0, 0, m, m);
                k().abs(m, m);
                k().affine(m, -1, 1, m);
                r[0] = k().mul(g, m, m);
            }
            case WHERE -> {
                Buffer c = n.saved(0);
                Buffer zero = Pool.zero(g.dtype());
                if (need0) {
                    r[0] = k().where(c, g, zero, take(g.dtype(), whereDims(c, g)));
                }
                if (need1) {
                    r[1] = k().where(c, zero, g, take(g.dtype(), whereDims(c, g)));
                }
            }
            case SUM -> r[0] = expandBack(g, n);
            case MAX_DIM -> r[0] = scatterRows(g, n);
            case LOGSUMEXP -> { // g * exp(x - y)
                Buffer x = n.saved(0);
                Buffer y = keepdimView(n.saved(1), n);
                Buffer t = bin(BinaryOp.SUB, 0, x, y);
                k().exp(t, t);
                r[0] = k().mul(t, keepdimView(g, n), t);
            }
            case SOFTMAX -> { // y * (g - sum(g * y))
                Buffer y = n.saved(0);
                int d = n.ints[0];
                Buffer gy = bin(BinaryOp.MUL, 0, g, y);
                Buffer s = rowSum(gy, d);
                Buffer t = bin(BinaryOp.SUB, 0, g, s);
                k().mul(t, y, t);
                Pool.give(s);
                Pool.give(gy);
                r[0] = t;
            }
            case LOG_SOFTMAX -> { // g - exp(y) * sum(g)
                Buffer y = n.saved(0);
                int d = n.ints[0];
                Buffer s = rowSum(g, d);
                Buffer e = un(UnaryOp.EXP, 0, 0, y);
                k().mul(e, s, e);
                r[0] = k().sub(g, e, e);
                Pool.give(s);
            }
            // ---- norm/embedding/activations ----
            case BATCH_NORM, LAYER_NORM, GROUP_NORM -> NormOps.normBackward(n, g, r);
            case EMBEDDING -> r[0] = NormOps.embeddingBackward(n, g);
            case ELU -> { // alpha·e^x below 0 (PyTorch's choice at 0), times SELU's scale
                Buffer t = bin(BinaryOp.ELU_BACKWARD, n.p0, g, n.saved(0));
                r[0] = n.p1 == 1 ? t : k().affine(t, n.p1, 0, t);
            }
            case SOFTPLUS -> { // sigmoid(beta·x), 1 above the threshold
                Buffer x = n.saved(0);
                Buffer bx = n.p0 == 1 ? x : un(UnaryOp.AFFINE, n.p0, 0, x);
                r[0] = bin(BinaryOp.SOFTPLUS_BACKWARD, n.p1, g, bx);
                if (bx != x) {
                    Pool.give(bx);
                }
            }
            case SILU -> r[0] = bin(BinaryOp.SILU_BACKWARD, 0, g, n.saved(0));
            case SOFTSIGN -> r[0] = bin(BinaryOp.SOFTSIGN_BACKWARD, 0, g, n.saved(0));
            case MISH -> r[0] = bin(BinaryOp.MISH_BACKWARD, 0, g, n.saved(0));
            case HARDTANH -> { // passes strictly inside (min, max), as PyTorch's hardtanh_backward
                Buffer m = un(UnaryOp.INSIDE, n.p0, n.p1, n.saved(0));
                r[0] = k().mul(g, m, m);
            }
            case PRELU -> NormOps.preluBackward(n, g, r);
            case MATMUL -> matmulBackward(n, g, r, need0, need1);
            case LINEAR -> linearBackward(n, g, r, need0, need1);
            // ---- conv/pool ----
            case CONV2D, CONV_TRANSPOSE2D, MAX_POOL2D, AVG_POOL2D, ADAPTIVE_AVG_POOL2D, ADAPTIVE_MAX_POOL2D ->
                    ConvPool.backward(n, g, r);
            case VIEW -> {
                int[] dims = n.ints;
                if (g.size() != Shape.of(dims).size()) {
                    r[0] = g; // expand: Backward sums the broadcast dims
                } else if (g.shape().view(dims) != null) {
                    r[0] = g.view(dims);
                } else {
                    Buffer c = like(g);
                    k().copy(g, c);
                    r[0] = c.view(dims);
                }
            }
            case PERMUTE -> r[0] = g.permute(n.ints);
            case NARROW -> {
                int[] xd = n.inputs[0].dims();
                Buffer z = Pool.takeZeroed(g.dtype(), xd);
                k().copy(g, z.narrow(n.ints[0], n.ints[1], n.ints[2]));
                r[0] = z;
            }
            case CONCAT -> {
                int d = (int) n.p0;
                int off = 0;
                for (int i = 0; i < r.length; i++) {
                    int len = n.ints[i];
                    r[i] = n.inputs[i].requiresGrad() ? g.narrow(d, off, len) : null;
                    off += len;
                }
            }
            case INDEX_SELECT -> {
                int d = n.ints[0];
                Buffer z = Pool.takeZeroed(g.dtype(), n.inputs[0].dims());
                long[] idx = n.indices;
                for (int i = 0; i < idx.length; i++) {
                    Buffer dst = z.narrow(d, (int) idx[i], 1);
                    k().add(dst, g.narrow(d, i, 1), dst);
                }
                r[0] = z;
            }
            case GATHER -> {
                Buffer z = Pool.takeZeroed(g.dtype(), n.inputs[0].dims());
                long[] flat = n.indices;
                Buffer gc = g.isContiguous() ? g : g.contiguous();
                for (int i = 0; i < flat.length; i++) {
                    z.setFlat(flat[i], z.getFlat(flat[i]) + gc.getFlat(i));
                }
                r[0] = z;
            }
            // ---- recurrent/attention ----
            case RNN_TANH, GRU, LSTM -> RecurrentOps.backward(n, g, r);
            case CROSS_ENTROPY -> r[0] = Losses.crossEntropyBackward(n, g);
            case NLL -> r[0] = Losses.nllBackward(n, g);
            case BCE_WITH_LOGITS -> Losses.bceBackward(n, g, r, need0, need1);
            case MSE -> Losses.mseBackward(n, g, r, need0, need1);
            case CUSTOM -> Function.runBackward(n, g, r);
        }
        return r;
    }

    /** x with ±inf replaced by ±the largest finite value of its dtype (NaN stays), in a fresh buffer. */
    private static Buffer finite(Buffer x) {
        double big = x.dtype() == DType.F32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        return un(UnaryOp.CLAMP, -big, big, x);
    }

    /** {@code g - g[lose > 0] - halfTie}: the gradient of an input of maximum/minimum. */
    private static Buffer loserGrad(Buffer g, Buffer lose, Buffer halfTie) {
        Buffer lost = bin(BinaryOp.RELU_BACKWARD, 0, g, lose);
        Buffer out = bin(BinaryOp.SUB, 0, g, lost);
        Pool.give(lost);
        return k().sub(out, halfTie, out);
    }

    private static int[] whereDims(Buffer c, Buffer g) {
        return Shape.broadcastDims("where", c.shape(), g.shape());
    }

    /** The reduced gradient viewed with the reduced dims put back as size 1. */
    private static Buffer keepdimView(Buffer g, Node n) {
        if (n.flag) {
            return g;
        }
        int[] xd = n.inputs[0].dims();
        return g.view(Kernels.reducedDims("backward", Shape.of(xd), n.ints, true));
    }

    /** Sum backward: g broadcast back over the reduced dims, materialised. */
    private static Buffer expandBack(Buffer g, Node n) {
        Buffer out = Pool.ws().take(g.dtype(), n.inputs[0].buffer().shape());
        // a 0-d g (a sum of everything: a loss) broadcasts as it is, with no view
        return k().copy(g.rank() == 0 ? g : keepdimView(g, n), out);
    }

    /** Sum of g along dim d, keeping the dim (for softmax rules). */
    private static Buffer rowSum(Buffer g, int d) {
        int[] dims = g.rank() == 0 ? new int[0] : new int[] {d}; // a 0-d softmax has one row of one element
        int[] kd = Kernels.reducedDims("backward", g.shape(), dims, true);
        return k().sum(g, dims, true, Pool.take(g.dtype(), kd));
    }

    /** Max-along-dim backward: each row's gradient goes to its argmax. */
    private static Buffer scatterRows(Buffer g, Node n) {
        int[] xd = n.inputs[0].dims();
        int d = n.ints[0];
        Buffer z = Pool.takeZeroed(g.dtype(), xd);
        long inner = 1;
        for (int i = d + 1; i < xd.length; i++) {
            inner *= xd[i];
        }
        Buffer gc = g.isContiguous() ? g : g.contiguous();
        long[] idx = n.indices;
        for (int row = 0; row < idx.length; row++) {
            long o = row / inner;
            long i = row % inner;
            long flat = (o * xd[d] + idx[row]) * inner + i;
            z.setFlat(flat, gc.getFlat(row));
        }
        return z;
    }

    private static void matmulBackward(Node n, Buffer g, Buffer[] r, boolean needA, boolean needB) {
        Buffer a = n.saved(0);
        Buffer b = n.saved(1);
        if (a.rank() == 1 && b.rank() == 1) { // dot: g is 0-d
            if (needA) {
                r[0] = bin(BinaryOp.MUL, 0, b, g);
            }
            if (needB) {
                r[1] = bin(BinaryOp.MUL, 0, a, g);
            }
            return;
        }
        if (a.rank() == 2 && b.rank() == 2) {
            matrixBackward(a, b, g, r, needA, needB);
            return;
        }
        // Promote to matrices the way the forward did: a 1-D left operand is a row [1, k], a 1-D
        // right operand a column [k, 1]; g gets the removed dims back as size 1.
        Buffer a2 = a.rank() == 1 ? a.view(1, a.dims()[0]) : a;
        Buffer b2 = b.rank() == 1 ? b.view(b.dims()[0], 1) : b;
        int[] gd = g.dims();
        int[] g2d;
        if (a.rank() == 1) {
            g2d = insert(gd, gd.length - 1, 1);
        } else if (b.rank() == 1) {
            g2d = insert(gd, gd.length, 1);
        } else {
            g2d = gd;
        }
        Buffer g2 = g2d == gd ? g : viewOrCopy(g, g2d);
        // Each gradient is produced in the memory layout of its input: for a transposed view
        // (y = x·Wᵀ, W stored [out, in]) the rule computes dWᵀ's transpose directly, so the
        // permute rule hands the leaf a contiguous gradient instead of a strided one.
        if (needA) { // dA = g · Bᵀ, in the broadcast batch shape
            Buffer bt = b2.transpose(-1, -2);
            Buffer da;
            if (a.rank() >= 2 && columnMajor(a2)) { // dAᵀ = B · gᵀ
                Buffer daT = take(g.dtype(), Kernels.matmulDims(b2.shape(), g2.transpose(-1, -2).shape()));
                k().matmul(b2, g2.transpose(-1, -2), daT);
                da = daT.transpose(-1, -2);
            } else {
                da = take(g.dtype(), Kernels.matmulDims(g2.shape(), bt.shape()));
                k().matmul(g2, bt, da);
            }
            r[0] = a.rank() == 1 ? da.view(flatLast(da.dims(), a.dims()[0], true)) : da;
        }
        if (needB) { // dB = Aᵀ · g
            Buffer at = a2.transpose(-1, -2);
            Buffer db;
            if (b.rank() >= 2 && columnMajor(b2)) { // dBᵀ = gᵀ · A
                Buffer dbT = take(g.dtype(), Kernels.matmulDims(g2.transpose(-1, -2).shape(), a2.shape()));
                k().matmul(g2.transpose(-1, -2), a2, dbT);
                db = dbT.transpose(-1, -2);
            } else {
                db = take(g.dtype(), Kernels.matmulDims(at.shape(), g2.shape()));
                k().matmul(at, g2, db);
            }
            r[1] = b.rank() == 1 ? db.view(flatLast(db.dims(), b.dims()[0], false)) : db;
        }
    }

    /**
     * The matrix case of {@link #matmulBackward} (every layer of an MLP), with the transposes as
     * GEMM flags: {@code dA = g·Bᵀ, dB = Aᵀ·g}, each produced in its input's memory layout as
     * in the general case. Only the buffers taken from the pool are new objects.
     */
    private static void matrixBackward(Buffer a, Buffer b, Buffer g, Buffer[] r, boolean needA, boolean needB) {
        int m = a.shape().dim(0);
        int kk = a.shape().dim(1);
        int n = b.shape().dim(1);
        if (needA) {
            if (columnMajor(a)) { // dAᵀ = B · gᵀ
                Buffer daT = Pool.ws().take(g.dtype(), kk, m);
                k().gemm(false, true, 1, b, g, 0, daT);
                r[0] = daT.transpose(0, 1);
            } else {
                r[0] = k().gemm(false, true, 1, g, b, 0, Pool.ws().take(g.dtype(), m, kk));
            }
        }
        if (needB) {
            if (columnMajor(b)) { // dBᵀ = gᵀ · A
                Buffer dbT = Pool.ws().take(g.dtype(), n, kk);
                k().gemm(true, false, 1, g, a, 0, dbT);
                r[1] = dbT.transpose(0, 1);
            } else {
                r[1] = k().gemm(true, false, 1, a, g, 0, Pool.ws().take(g.dtype(), kk, n));
            }
        }
    }

    /**
     * {@code y = x·Wᵀ + b} over the rows of x: {@code dX = g·W}, {@code dW = gᵀ·x} (both
     * contiguous, in their inputs' layout), and the bias gets g itself, which {@link Backward}
     * sums over the rows as it does for any broadcast add. The GEMM calls are those of
     * {@link #matrixBackward} for {@code x.matmul(W.t())}, so the gradients have the same bits.
     * A weight that is a leaf with a gradient gets {@code gᵀ·x} added by the GEMM itself
     * ({@code beta = 1}): no gradient buffer and no separate accumulation pass over it (with one
     * k block, the same bits as that pass).
     */
    private static void linearBackward(Node n, Buffer g, Buffer[] r, boolean needX, boolean needW) {
        int outF = n.inputs[1].buffer().shape().dim(0);
        int in = n.inputs[1].buffer().shape().dim(1);
        int rows = n.saved(0).shape().dim(0); // x was saved as [rows, in]
        Buffer g2 = g; // g as [rows, out]
        Buffer gCopy = null;
        if (g.rank() != 2) { // batch dims, or a 1-D input
            Shape v = g.shape().view(rows, outF);
            if (v != null) {
                g2 = Buffer.view(g.storage(), v, g.offset());
            } else {
                gCopy = like(g);
                k().copy(g, gCopy);
                g2 = gCopy.view(rows, outF);
            }
        }
        if (needX) {
            Buffer dx = k().gemm(false, false, 1, g2, n.saved(1), 0, Pool.ws().take(g.dtype(), rows, in));
            r[0] = n.inputs[0].ndim() == 2 ? dx : dx.view(n.inputs[0].dims());
        }
        if (needW) {
            Buffer acc = n.inputs[1].gradToAccumulateInPlace();
            if (acc != null) { // a parameter with a gradient: W.grad += gᵀ·x in the GEMM (r[1] stays null)
                k().gemm(true, false, 1, g2, n.saved(0), n.inputs[1].takeAccumulateBeta(), acc);
            } else {
                r[1] = k().gemm(true, false, 1, g2, n.saved(0), 0, Pool.ws().take(g.dtype(), outF, in));
            }
        }
        if (n.inputs.length > 2 && n.inputs[2].requiresGrad()) {
            r[2] = g;
        }
        if (gCopy != null) {
            Pool.give(gCopy);
        }
    }

    /** True if the last two dims are stored column-major (a transposed view of a matrix). */
    private static boolean columnMajor(Buffer x) {
        Shape sh = x.shape();
        return sh.dim(-2) > 1 && sh.dim(-1) > 1 && sh.stride(-2) == 1 && sh.stride(-1) != 1;
    }

    /** Drops the size-1 promoted dim: [..., 1, k] -> [..., k] (row) or [..., k, 1] -> [..., k]. */
    private static int[] flatLast(int[] dims, int k, boolean row) {
        int[] out = Arrays.copyOf(dims, dims.length - 1);
        out[out.length - 1] = k;
        return out;
    }

    /** g with new dims: a view when possible, else a pool copy (kept alive with the node's owned buffers). */
    private static Buffer viewOrCopy(Buffer g, int[] dims) {
        if (g.shape().view(dims) != null) {
            return g.view(dims);
        }
        Buffer c = like(g);
        k().copy(g, c);
        return c.view(dims);
    }

    private static int[] insert(int[] dims, int at, int v) {
        int[] out = new int[dims.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == at ? v : dims[j++];
        }
        return out;
    }
}
