package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.Convolutions;
import io.vecgrad.engine.Convolutions.ConvArgs;
import io.vecgrad.engine.Convolutions.PoolArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;

/**
 * The convolution and pooling primitives behind {@link Tensor#conv2d}, {@link Tensor#maxPool2d}
 * and friends: the forward through {@link Convolutions} into a pooled result, the node record,
 * and the derivative rules that {@link Derivatives} dispatches to. Each rule is itself a
 * convolution-family kernel: the convolution's input gradient is its transposed convolution
 * (col2im of {@code Wᵀ·g}), its weight gradient {@code g·colsᵀ}, the bias gradient a sum of g
 * over batch and space; pools scatter g back into their windows. 1-D forms are 2-D ones with a
 * height of 1 (views, no copy).
 *
 * <p>Node encoding: {@code ints} holds the arguments (conv: stride, padding, dilation, groups,
 * output padding; pools: kernel, stride, padding, dilation, ceil mode, count_include_pad),
 * {@code saved} the inputs the rule reads.
 */
final class ConvPool {
    private ConvPool() {}

    private static Convolutions c() {
        return Convolutions.get();
    }

    private static boolean track(Tensor... ts) {
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

    private static int[] convInts(ConvArgs a) {
        return new int[] {a.strideH(), a.strideW(), a.padH(), a.padW(), a.dilH(), a.dilW(), a.groups(),
                a.outPadH(), a.outPadW()};
    }

    private static ConvArgs convArgs(String op, int[] i) {
        return new ConvArgs(op, i[0], i[1], i[2], i[3], i[4], i[5], i[6], i[7], i[8]);
    }

    private static int[] poolInts(PoolArgs a) {
        return new int[] {a.kH(), a.kW(), a.strideH(), a.strideW(), a.padH(), a.padW(), a.dilH(), a.dilW(),
                a.ceilMode() ? 1 : 0, a.countIncludePad() ? 1 : 0};
    }

    private static PoolArgs poolArgs(String op, int[] i) {
        return new PoolArgs(op, i[0], i[1], i[2], i[3], i[4], i[5], i[6], i[7], i[8] != 0, i[9] != 0);
    }

    private static void sameDType(String op, Tensor x, Tensor w, Tensor b) {
        if (w.dtype() != x.dtype() || (b != null && b.dtype() != x.dtype())) {
            throw new IllegalArgumentException(op + ": dtypes differ (input " + x.dtype() + " " + Shape.format(x.dims())
                    + ", weight " + w.dtype() + " " + Shape.format(w.dims())
                    + (b == null ? "" : ", bias " + b.dtype() + " " + Shape.format(b.dims())) + ")");
        }
    }

    /** conv2d (or conv_transpose2d when {@code transposed}) with optional bias, recorded as one node. */
    static Tensor conv(boolean transposed, Tensor x, Tensor w, Tensor b, ConvArgs a) {
        sameDType(a.op(), x, w, b);
        int[] od = transposed ? Convolutions.convTranspose2dDims(x.buffer().shape(), w.buffer().shape(), a)
                : Convolutions.conv2dDims(x.buffer().shape(), w.buffer().shape(), a);
        boolean track = track(x, w, b);
        Tensor out = Tensor.result(x.dtype(), od, track);
        Buffer bias = b == null ? null : b.buffer();
        if (transposed) {
            c().convTranspose2d(x.buffer(), w.buffer(), bias, a, out.buffer(), Pool.ws());
        } else {
            c().conv2d(x.buffer(), w.buffer(), bias, a, out.buffer(), Pool.ws());
        }
        if (track) {
            Node n = b == null ? Tensor.record(transposed ? Op.CONV_TRANSPOSE2D : Op.CONV2D, out, x, w)
                    : Tensor.record(transposed ? Op.CONV_TRANSPOSE2D : Op.CONV2D, out, x, w, b);
            n.ints = convInts(a);
            n.save(x.buffer(), w.buffer());
        }
        return out;
    }

    /** max_pool2d ({@code max}) or avg_pool2d. */
    static Tensor pool(boolean max, Tensor x, PoolArgs a) {
        int[] od = Convolutions.pool2dDims(x.buffer().shape(), a);
        boolean track = track(x);
        Tensor out = Tensor.result(x.dtype(), od, track);
        if (max) {
            c().maxPool2d(x.buffer(), a, out.buffer(), Pool.ws());
        } else {
            c().avgPool2d(x.buffer(), a, out.buffer(), Pool.ws());
        }
        if (track) {
            Node n = Tensor.record(max ? Op.MAX_POOL2D : Op.AVG_POOL2D, out, x);
            n.ints = poolInts(a);
            if (max) {
                n.save(x.buffer());
            }
        }
        return out;
    }

    /** adaptive_max_pool2d ({@code max}) or adaptive_avg_pool2d to {@code [outH, outW]}. */
    static Tensor adaptive(boolean max, Tensor x, int outH, int outW) {
        String op = max ? "adaptive_max_pool2d" : "adaptive_avg_pool2d";
        if (x.ndim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D input [N, C, H, W], got " + Shape.format(x.dims()));
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output_size must be positive, got [" + outH + ", " + outW
                    + "] for input " + Shape.format(x.dims()));
        }
        boolean track = track(x);
        Tensor out = Tensor.result(x.dtype(), new int[] {x.dim(0), x.dim(1), outH, outW}, track);
        c().adaptivePool2d(max, x.buffer(), out.buffer(), Pool.ws());
        if (track) {
            Node n = Tensor.record(max ? Op.ADAPTIVE_MAX_POOL2D : Op.ADAPTIVE_AVG_POOL2D, out, x);
            if (max) {
                n.save(x.buffer());
            }
        }
        return out;
    }

    /** The derivative rules of the family (see {@link Derivatives}). */
    static void backward(Node n, Buffer g, Buffer[] r) {
        DType dt = g.dtype();
        int[] xd = n.inputs[0].dims();
        switch (n.op) {
            case CONV2D, CONV_TRANSPOSE2D -> {
                boolean tr = n.op == Op.CONV_TRANSPOSE2D;
                ConvArgs a = convArgs(tr ? "conv_transpose2d backward" : "conv2d backward", n.ints);
                Buffer x = n.saved(0);
                Buffer w = n.saved(1);
                if (n.inputs[0].requiresGrad()) {
                    Buffer gx = Pool.take(dt, xd);
                    r[0] = tr ? c().convTranspose2dBackwardInput(g, w, a, gx, Pool.ws())
                            : c().conv2dBackwardInput(g, w, a, gx, Pool.ws());
                }
                if (n.inputs[1].requiresGrad()) {
                    Buffer gw = Pool.take(dt, n.inputs[1].dims());
                    r[1] = tr ? c().convTranspose2dBackwardWeight(g, x, a, gw, Pool.ws())
                            : c().conv2dBackwardWeight(g, x, a, gw, Pool.ws());
                }
                if (n.inputs.length > 2 && n.inputs[2].requiresGrad()) {
                    r[2] = Pool.k().sum(g, new int[] {0, 2, 3}, false, Pool.take(dt, n.inputs[2].dims()));
                }
            }
            case MAX_POOL2D -> r[0] = c().maxPool2dBackward(n.saved(0), g, poolArgs("max_pool2d backward", n.ints),
                    Pool.take(dt, xd), Pool.ws());
            case AVG_POOL2D -> r[0] = c().avgPool2dBackward(g, poolArgs("avg_pool2d backward", n.ints),
                    Pool.take(dt, xd), Pool.ws());
            case ADAPTIVE_MAX_POOL2D -> r[0] = c().adaptivePool2dBackward(true, n.saved(0), g, Pool.take(dt, xd), Pool.ws());
            case ADAPTIVE_AVG_POOL2D -> {
                Buffer gx = Pool.take(dt, xd);
                r[0] = c().adaptivePool2dBackward(false, gx, g, gx, Pool.ws());
            }
            default -> throw new IllegalStateException("not a convolution or pooling op: " + n.op);
        }
    }

    // ============================================================================ 1-D and args

    /** {@code v} twice, for square 2-D arguments. */
    static int[] pair(int v) {
        return new int[] {v, v};
    }

    /** Checks a 2-element tuple argument. */
    static int[] two(String op, String name, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + name + " must have 2 values, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v.clone();
    }

    /** Checks the rank of an input. */
    static void rank(String op, String what, Tensor t, int rank, String layout) {
        if (t.ndim() != rank) {
            throw new IllegalArgumentException(op + ": expected a " + rank + "-D " + what + " " + layout + ", got "
                    + Shape.format(t.dims()));
        }
    }
}
