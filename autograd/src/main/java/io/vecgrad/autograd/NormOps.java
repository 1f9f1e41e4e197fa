package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Embeddings;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Normalization;
import io.vecgrad.engine.Shape;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Forward and backward of the normalization, embedding and PReLU primitives
 * ({@link Op#BATCH_NORM}, {@link Op#LAYER_NORM}, {@link Op#GROUP_NORM}, {@link Op#EMBEDDING},
 * {@link Op#PRELU}); {@link Tensor} and {@link Derivatives} call in here so that their own
 * blocks stay short. The numerics live in the engine ({@link Normalization},
 * {@link Embeddings}, the PRELU binary kernels).
 *
 * <p>Node layout: inputs are {@code x} then the weight and bias when present
 * ({@code ints[0]}, {@code ints[1]} say which); saved are {@code x} (contiguous), the weight,
 * and the per-statistic {@code mean} and {@code rstd} (workspace buffers the node owns);
 * {@code p0} is eps, {@code flag} batch norm's training mode, {@code ints[2]} the group count
 * (group norm) or the number of normalized dims (layer norm).
 */
final class NormOps {
    private NormOps() {}

    private static boolean tracking(Tensor... ts) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : ts) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** x's buffer if contiguous, else a workspace copy (the caller owns it). */
    private static Buffer contiguous(Buffer x) {
        if (x.isContiguous()) {
            return x;
        }
        Buffer c = Pool.take(x.dtype(), x.dims());
        Kernels.get().copy(x, c);
        return c;
    }

    private static Buffer buf(Tensor t) {
        return t == null ? null : t.buffer();
    }

    /** Records the node (inputs: x, then weight and bias when present) or returns the scratch. */
    private static void finish(Op op, Tensor out, Tensor x, Tensor w, Tensor b, boolean track, Buffer xc,
                               Buffer mean, Buffer rstd, double eps, boolean flag, int extra) {
        if (!track) {
            if (xc != x.buffer()) {
                Pool.give(xc);
            }
            Pool.give(mean);
            Pool.give(rstd);
            return;
        }
        List<Tensor> in = new ArrayList<>(3);
        in.add(x);
        if (w != null) {
            in.add(w);
        }
        if (b != null) {
            in.add(b);
        }
        Node n = Tensor.record(op, out, in.toArray(new Tensor[0]));
        n.p0 = eps;
        n.flag = flag;
        n.ints = new int[] {w != null ? 1 : 0, b != null ? 1 : 0, extra};
        n.save(w != null ? new Buffer[] {xc, w.buffer(), mean, rstd} : new Buffer[] {xc, mean, rstd});
        n.owned = xc != x.buffer() ? new Buffer[] {mean, rstd, xc} : new Buffer[] {mean, rstd};
    }

    private static void giveBack(Tensor out, boolean pooled) {
        if (pooled) {
            Pool.give(out.buffer());
        }
    }

    private static void sameDType(String op, Tensor x, Tensor... others) {
        for (Tensor o : others) {
            if (o != null && o.dtype() != x.dtype()) {
                throw new IllegalArgumentException(op + ": input is " + x.dtype() + " " + Shape.format(x.dims())
                        + " but a parameter is " + o.dtype() + " " + Shape.format(o.dims()));
            }
        }
    }

    // ============================================================================ batch norm

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor w, Tensor b,
                            boolean training, double momentum, double eps) {
        String op = "batch_norm";
        sameDType(op, x, runningMean, runningVar, w, b);
        if (x.ndim() < 2) {
            throw new IllegalArgumentException(op + ": expected input [N, C, *] with at least 2 dims, got "
                    + Shape.format(x.dims()));
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException(op + ": evaluation mode needs running_mean and running_var");
        }
        for (Tensor r : new Tensor[] {runningMean, runningVar}) {
            if (r != null && r.requiresGrad()) {
                throw new IllegalArgumentException(op + ": running statistics must not require grad");
            }
        }
        int c = x.dim(1);
        boolean track = tracking(x, w, b);
        DType dt = x.dtype();
        Buffer xc = contiguous(x.buffer());
        Tensor out = Tensor.result(dt, x.dims(), track);
        Buffer mean = Pool.take(dt, new int[] {c});
        Buffer rstd = Pool.take(dt, new int[] {c});
        try {
            if (training) {
                Buffer var = Pool.take(dt, new int[] {c});
                try {
                    Normalization.get().batchNormTrain(xc, buf(w), buf(b), buf(runningMean), buf(runningVar),
                            momentum, eps, out.buffer(), mean, rstd, var);
                } finally {
                    Pool.give(var);
                }
            } else {
                Normalization.get().batchNormEval(xc, buf(w), buf(b), buf(runningMean), buf(runningVar), eps,
                        out.buffer(), mean, rstd);
            }
        } catch (RuntimeException e) {
            finish(Op.BATCH_NORM, out, x, w, b, false, xc, mean, rstd, eps, training, 0);
            giveBack(out, track);
            throw e;
        }
        finish(Op.BATCH_NORM, out, x, w, b, track, xc, mean, rstd, eps, training, 0);
        return out;
    }

    // ============================================================================ layer norm

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor w, Tensor b, double eps) {
        String op = "layer_norm";
        sameDType(op, x, w, b);
        if (normalizedShape == null || normalizedShape.length == 0 || normalizedShape.length > x.ndim()
                || !Arrays.equals(normalizedShape, Arrays.copyOfRange(x.dims(), x.ndim() - normalizedShape.length,
                        x.ndim()))) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(x.dims())
                    + " does not end with normalized_shape "
                    + (normalizedShape == null ? "null" : Shape.format(normalizedShape)));
        }
        boolean track = tracking(x, w, b);
        DType dt = x.dtype();
        Buffer xc = contiguous(x.buffer());
        Tensor out = Tensor.result(dt, x.dims(), track);
        int[] sd = Normalization.layerNormStatDims(x.dims(), normalizedShape);
        Buffer mean = Pool.take(dt, sd);
        Buffer rstd = Pool.take(dt, sd);
        try {
            Normalization.get().layerNorm(xc, normalizedShape, buf(w), buf(b), eps, out.buffer(), mean, rstd);
        } catch (RuntimeException e) {
            finish(Op.LAYER_NORM, out, x, w, b, false, xc, mean, rstd, eps, false, 0);
            giveBack(out, track);
            throw e;
        }
        finish(Op.LAYER_NORM, out, x, w, b, track, xc, mean, rstd, eps, false, normalizedShape.length);
        return out;
    }

    // ============================================================================ group norm

    static Tensor groupNorm(Tensor x, int groups, Tensor w, Tensor b, double eps) {
        String op = "group_norm";
        sameDType(op, x, w, b);
        if (x.ndim() < 2) {
            throw new IllegalArgumentException(op + ": expected input [N, C, *] with at least 2 dims, got "
                    + Shape.format(x.dims()));
        }
        if (groups <= 0) {
            throw new IllegalArgumentException(op + ": num_groups must be positive, got " + groups);
        }
        boolean track = tracking(x, w, b);
        DType dt = x.dtype();
        Buffer xc = contiguous(x.buffer());
        Tensor out = Tensor.result(dt, x.dims(), track);
        Buffer mean = Pool.take(dt, new int[] {x.dim(0), groups});
        Buffer rstd = Pool.take(dt, new int[] {x.dim(0), groups});
        try {
            Normalization.get().groupNorm(xc, groups, buf(w), buf(b), eps, out.buffer(), mean, rstd);
        } catch (RuntimeException e) {
            finish(Op.GROUP_NORM, out, x, w, b, false, xc, mean, rstd, eps, false, 0);
            giveBack(out, track);
            throw e;
        }
        finish(Op.GROUP_NORM, out, x, w, b, track, xc, mean, rstd, eps, false, groups);
        return out;
    }

    // ============================================================================== backward

    /** The rule for the three normalization ops: gradients of x, weight and bias. */
    static void normBackward(Node n, Buffer g, Buffer[] r) {
        boolean hasW = n.ints[0] == 1;
        boolean hasB = n.ints[1] == 1;
        Buffer x = n.saved(0);
        Buffer w = hasW ? n.saved(1) : null;
        Buffer mean = n.saved(hasW ? 2 : 1);
        Buffer rstd = n.saved(hasW ? 3 : 2);
        DType dt = g.dtype();
        Buffer gc = contiguous(g);
        boolean needX = n.inputs[0].requiresGrad();
        int wi = 1;
        int bi = hasW ? 2 : 1;
        boolean needW = hasW && n.inputs[wi].requiresGrad();
        boolean needB = hasB && n.inputs[bi].requiresGrad();
        Buffer dx = needX ? Pool.take(dt, x.dims()) : null;
        Buffer dw = needW ? Pool.take(dt, n.inputs[wi].dims()) : null;
        Buffer db = needB ? Pool.take(dt, n.inputs[bi].dims()) : null;
        switch (n.op) {
            case BATCH_NORM -> Normalization.get().batchNormBackward(gc, x, w, mean, rstd, n.flag, dx, dw, db);
            case LAYER_NORM -> {
                int k = n.ints[2];
                int[] xd = x.dims();
                int[] ns = Arrays.copyOfRange(xd, xd.length - k, xd.length);
                Normalization.get().layerNormBackward(gc, x, ns, w, mean, rstd, dx, dw, db);
            }
            case GROUP_NORM -> Normalization.get().groupNormBackward(gc, x, n.ints[2], w, mean, rstd, dx, dw, db);
            default -> throw new IllegalStateException("normBackward: " + n.op);
        }
        if (gc != g) {
            Pool.give(gc);
        }
        r[0] = dx;
        if (hasW) {
            r[wi] = dw;
        }
        if (hasB) {
            r[bi] = db;
        }
    }

    // ============================================================================= embedding

    static Tensor embedding(Indices idx, Tensor weight, long paddingIdx) {
        if (weight.ndim() != 2) {
            throw new IllegalArgumentException("embedding: weight must be 2-D [num_embeddings, embedding_dim], got "
                    + Shape.format(weight.dims()));
        }
        int[] id = idx.shape();
        int[] od = Arrays.copyOf(id, id.length + 1);
        od[id.length] = weight.dim(1);
        boolean track = tracking(weight);
        Buffer wc = weight.buffer().isContiguous() ? weight.buffer() : weight.buffer().contiguous();
        long[] raw = idx.raw();
        Tensor out = Tensor.result(weight.dtype(), od, track);
        Embeddings.lookup(wc, raw, out.buffer());
        if (track) {
            Node n = Tensor.record(Op.EMBEDDING, out, weight);
            n.indices = raw.clone();
            n.p0 = paddingIdx;
        }
        return out;
    }

    static Buffer embeddingBackward(Node n, Buffer g) {
        Buffer gc = contiguous(g);
        Buffer dw = Pool.take(g.dtype(), n.inputs[0].dims());
        Embeddings.backward(gc, n.indices, (long) n.p0, dw);
        if (gc != g) {
            Pool.give(gc);
        }
        return dw;
    }

    // ================================================================================= PReLU

    static Tensor prelu(Tensor x, Tensor weight) {
        String op = "prelu";
        sameDType(op, x, weight);
        int channels = x.ndim() >= 2 ? x.dim(1) : 1;
        long wn = weight.numel();
        if (weight.ndim() > 1 || (wn != 1 && wn != channels)) {
            throw new IllegalArgumentException(op + ": weight " + Shape.format(weight.dims())
                    + " must hold 1 slope or one per channel (" + channels + ") of input " + Shape.format(x.dims()));
        }
        Tensor wv = weight;
        if (wn != 1 || x.ndim() >= 2) {
            int[] vd = new int[Math.max(1, x.ndim())];
            Arrays.fill(vd, 1);
            if (x.ndim() >= 2) {
                vd[1] = (int) wn;
            }
            wv = weight.reshape(vd);
        }
        boolean track = tracking(x, wv);
        Tensor out = Tensor.result(x.dtype(), Shape.broadcastDims(op, x.buffer().shape(), wv.buffer().shape()), track);
        Kernels.get().binary(BinaryOp.PRELU, 0, x.buffer(), wv.buffer(), out.buffer());
        if (track) {
            Node n = Tensor.record(Op.PRELU, out, x, wv);
            n.save(x.buffer(), wv.buffer());
        }
        return out;
    }

    /** dx = g · (x > 0 ? 1 : w), dw = g · min(x, 0) (summed down to w's shape by Backward). */
    static void preluBackward(Node n, Buffer g, Buffer[] r) {
        Buffer x = n.saved(0);
        Buffer w = n.saved(1);
        Kernels k = Kernels.get();
        if (n.inputs[0].requiresGrad()) {
            Buffer s = Pool.take(g.dtype(), g.dims());
            k.binary(BinaryOp.PRELU_SLOPE, 0, x, w, s);
            r[0] = k.mul(g, s, s);
        }
        if (n.inputs[1].requiresGrad()) {
            Buffer m = Pool.take(g.dtype(), g.dims());
            k.unary(UnaryOp.CLAMP, Double.NEGATIVE_INFINITY, 0, x, m);
            r[1] = k.mul(g, m, m);
        }
    }
}
