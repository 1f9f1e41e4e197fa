package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Recurrent;
import io.vecgrad.engine.Shape;
import io.vecgrad.engine.spi.RecurrentKernels;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The recurrent layers as functional ops, each one layer in one direction with PyTorch's
 * weight layout and gate order: {@code rnn_tanh} (and {@code rnn_relu}), {@code gru}
 * ({@code r, z, n}, with {@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))}) and {@code lstm}
 * ({@code i, f, g, o}).
 *
 * <p><b>Shapes.</b> Input {@code x [T, B, I]}, initial state {@code h0 [1, B, H]} (and
 * {@code c0 [1, B, H]} for LSTM; null means zeros), {@code w_ih [g·H, I]},
 * {@code w_hh [g·H, H]}, biases {@code [g·H]} (both null for a layer without bias), where
 * {@code g} is 1, 3 or 4. The result holds the output {@code h_t} for every step
 * {@code [T, B, H]} and the final states {@code [1, B, H]}. With {@code reverse} the sequence
 * is read from {@code t = T-1} down to 0 (the backward direction of a bidirectional layer):
 * the output at position {@code t} is then the state after reading {@code x[T-1..t]}.
 *
 * <p><b>How it runs.</b> The input projection of all steps is one GEMM
 * ({@code [T·B, I] × w_ihᵀ}); each step is one GEMM for the hidden projection plus one fused
 * gate kernel ({@link io.vecgrad.engine.spi.RecurrentKernels}: biases, gate nonlinearities and
 * state update in one call). The whole sequence is recorded as <em>one</em> autograd node whose
 * rule (in {@link Derivatives}) runs the fused step backward kernels in reverse time, one GEMM
 * per step for the recurrent gradient, and three GEMMs over all steps at once for
 * {@code dx}, {@code dW_ih} and {@code dW_hh}. Intermediates come from the thread's buffer
 * pool, so a warm training step allocates no native memory.
 */
public final class RecurrentOps {
    private RecurrentOps() {}

    /**
     * The outputs of a recurrent op.
     *
     * @param output {@code h_t} for every step, {@code [T, B, H]}
     * @param h the final hidden state {@code [1, B, H]}
     * @param c the final cell state {@code [1, B, H]} (LSTM), or null
     */
    public record Result(Tensor output, Tensor h, Tensor c) {}

    /** Elman RNN with tanh, PyTorch's {@code rnn_tanh}; see the class comment for shapes. */
    public static Result rnnTanh(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return run(Op.RNN_TANH, false, false, x, h0, null, wIh, wHh, bIh, bHh);
    }

    /**
     * Elman RNN, {@code h_t = act(x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh)} with
     * {@code act = tanh}, or {@code relu} when {@code relu}; reverse time when {@code reverse}.
     *
     * @throws IllegalArgumentException naming the op and the shapes if they do not fit together
     */
    public static Result rnn(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                             boolean relu, boolean reverse) {
        return run(Op.RNN_TANH, relu, reverse, x, h0, null, wIh, wHh, bIh, bHh);
    }

    /** GRU, PyTorch's {@code gru} for one layer and direction; see the class comment for shapes. */
    public static Result gru(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return run(Op.GRU, false, false, x, h0, null, wIh, wHh, bIh, bHh);
    }

    /**
     * GRU reading the sequence forwards or, with {@code reverse}, backwards.
     *
     * @throws IllegalArgumentException naming the op and the shapes if they do not fit together
     */
    public static Result gru(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, boolean reverse) {
        return run(Op.GRU, false, reverse, x, h0, null, wIh, wHh, bIh, bHh);
    }

    /** LSTM, PyTorch's {@code lstm} for one layer and direction; see the class comment for shapes. */
    public static Result lstm(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return run(Op.LSTM, false, false, x, h0, c0, wIh, wHh, bIh, bHh);
    }

    /**
     * LSTM reading the sequence forwards or, with {@code reverse}, backwards.
     *
     * @throws IllegalArgumentException naming the op and the shapes if they do not fit together
     */
    public static Result lstm(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                              boolean reverse) {
        return run(Op.LSTM, false, reverse, x, h0, c0, wIh, wHh, bIh, bHh);
    }

    // ======================================================================== implementation

    private static final int HAS_H0 = 1;
    private static final int HAS_C0 = 2;
    private static final int HAS_BIAS = 4;

    private static int gates(Op op) {
        return op == Op.LSTM ? 4 : op == Op.GRU ? 3 : 1;
    }

    private static String name(Op op, boolean relu) {
        return op == Op.LSTM ? "lstm" : op == Op.GRU ? "gru" : relu ? "rnn_relu" : "rnn_tanh";
    }

    private static String fmt(Tensor t) {
        return t == null ? "none" : Shape.format(t.dims());
    }

    private static void check(String name, Op op, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh,
                              Tensor bIh, Tensor bHh) {
        String all = " (input " + fmt(x) + ", h0 " + fmt(h0) + (op == Op.LSTM ? ", c0 " + fmt(c0) : "")
                + ", w_ih " + fmt(wIh) + ", w_hh " + fmt(wHh) + ", b_ih " + fmt(bIh) + ", b_hh " + fmt(bHh) + ")";
        if (x == null || wIh == null || wHh == null) {
            throw new IllegalArgumentException(name + ": input, w_ih and w_hh are required" + all);
        }
        int g = gates(op);
        if (x.ndim() != 3) {
            throw new IllegalArgumentException(name + ": input must be 3-D [T, B, input_size], got " + fmt(x) + all);
        }
        if (x.dim(0) < 1 || x.dim(1) < 1) {
            throw new IllegalArgumentException(name + ": input must have at least one step and one batch element, got "
                    + fmt(x) + all);
        }
        if (wIh.ndim() != 2 || wIh.dim(0) % g != 0 || wIh.dim(0) == 0) {
            throw new IllegalArgumentException(name + ": w_ih must be [" + g + "*hidden_size, input_size], got "
                    + fmt(wIh) + all);
        }
        int h = wIh.dim(0) / g;
        int in = x.dim(2);
        if (wIh.dim(1) != in) {
            throw new IllegalArgumentException(name + ": input size " + in + " does not match w_ih " + fmt(wIh)
                    + " (expected [" + g * h + ", " + in + "])" + all);
        }
        if (wHh.ndim() != 2 || wHh.dim(0) != g * h || wHh.dim(1) != h) {
            throw new IllegalArgumentException(name + ": w_hh must be [" + g * h + ", " + h + "], got " + fmt(wHh) + all);
        }
        if ((bIh == null) != (bHh == null)) {
            throw new IllegalArgumentException(name + ": give both biases or neither" + all);
        }
        if (bIh != null && (bIh.ndim() != 1 || bIh.dim(0) != g * h || bHh.ndim() != 1 || bHh.dim(0) != g * h)) {
            throw new IllegalArgumentException(name + ": biases must be [" + g * h + "]" + all);
        }
        int b = x.dim(1);
        String want = Shape.format(new int[] {1, b, h});
        if (h0 != null && !java.util.Arrays.equals(h0.dims(), new int[] {1, b, h})) {
            throw new IllegalArgumentException(name + ": expected hidden state h0 of shape " + want + ", got "
                    + fmt(h0) + all);
        }
        if (c0 != null && !java.util.Arrays.equals(c0.dims(), new int[] {1, b, h})) {
            throw new IllegalArgumentException(name + ": expected cell state c0 of shape " + want + ", got "
                    + fmt(c0) + all);
        }
        DType dt = x.dtype();
        for (Tensor t : new Tensor[] {h0, c0, wIh, wHh, bIh, bHh}) {
            if (t != null && t.dtype() != dt) {
                throw new IllegalArgumentException(name + ": dtypes differ: input is " + dt + " but a parameter or "
                        + "state is " + t.dtype() + all);
            }
        }
    }

    private static Result run(Op op, boolean relu, boolean reverse, Tensor x, Tensor h0, Tensor c0,
                              Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        String name = name(op, relu);
        check(name, op, x, h0, c0, wIh, wHh, bIh, bHh);
        final int g = gates(op);
        final int tt = x.dim(0);
        final int b = x.dim(1);
        final int in = x.dim(2);
        final int h = wIh.dim(0) / g;
        final int gh = g * h;
        final DType dt = x.dtype();
        List<Tensor> inputs = new ArrayList<>(7);
        int mask = 0;
        inputs.add(x);
        if (h0 != null) {
            inputs.add(h0);
            mask |= HAS_H0;
        }
        if (op == Op.LSTM && c0 != null) {
            inputs.add(c0);
            mask |= HAS_C0;
        }
        inputs.add(wIh);
        inputs.add(wHh);
        if (bIh != null) {
            inputs.add(bIh);
            inputs.add(bHh);
            mask |= HAS_BIAS;
        }
        boolean track = false;
        for (Tensor t : inputs) {
            track |= t.requiresGrad();
        }
        track &= GradMode.isEnabled();

        Kernels k = Kernels.get();
        RecurrentKernels rk = Recurrent.get();
        int outRows = op == Op.LSTM ? tt + 1 : tt;
        Tensor out = Tensor.result(dt, new int[] {outRows, b, h}, track);
        Buffer y = out.buffer();

        // private copies of what backward reads besides the weights: contiguous, zero-filled when absent
        Buffer xc = Pool.take(dt, new int[] {tt, b, in});
        k.copy(x.buffer(), xc);
        Buffer h0c = state(h0, dt, b, h);
        Buffer c0c = op == Op.LSTM ? state(c0, dt, b, h) : null;
        Buffer bih = bias(bIh, dt, gh);
        Buffer bhh = bias(bHh, dt, gh);
        Buffer act = op == Op.RNN_TANH ? null : Pool.take(dt, new int[] {tt, b, 4 * h});
        Buffer cAll = op == Op.LSTM ? Pool.take(dt, new int[] {tt, b, h}) : null;

        Buffer xp = Pool.take(dt, new int[] {tt * b, gh});
        Buffer hp = Pool.take(dt, new int[] {b, gh});
        k.gemm(false, true, 1, xc.view(tt * b, in), wIh.buffer(), 0, xp);
        MemorySegment xpS = xp.segment(name);
        MemorySegment hpS = hp.segment(name);
        MemorySegment yS = y.segment(name);
        MemorySegment bihS = bih.segment(name);
        MemorySegment bhhS = bhh.segment(name);
        long sb = (long) b * h;
        long sg = (long) b * gh;
        long sa = (long) b * 4 * h;
        for (int s = 0; s < tt; s++) {
            int t = reverse ? tt - 1 - s : s;
            int tp = reverse ? t + 1 : t - 1;
            Buffer hPrev = s == 0 ? h0c : y.narrow(0, tp, 1).view(b, h);
            k.gemm(false, true, 1, hPrev, wHh.buffer(), 0, hp);
            long xpo = xp.offset() + t * sg;
            switch (op) {
                case RNN_TANH -> rk.rnnForward(dt, relu, b, h, xpS, xpo, bihS, bih.offset(), hpS, hp.offset(),
                        bhhS, bhh.offset(), yS, y.offset() + t * sb);
                case GRU -> rk.gruForward(dt, b, h, xpS, xpo, bihS, bih.offset(), hpS, hp.offset(),
                        bhhS, bhh.offset(), hPrev.segment(name), hPrev.offset(),
                        act.segment(name), act.offset() + t * sa, yS, y.offset() + t * sb);
                case LSTM -> {
                    Buffer cPrev = s == 0 ? c0c : cAll.narrow(0, tp, 1).view(b, h);
                    rk.lstmForward(dt, b, h, xpS, xpo, bihS, bih.offset(), hpS, hp.offset(),
                            bhhS, bhh.offset(), cPrev.segment(name), cPrev.offset(),
                            act.segment(name), act.offset() + t * sa, cAll.segment(name), cAll.offset() + t * sb,
                            yS, y.offset() + t * sb);
                }
                default -> throw new IllegalStateException(op.toString());
            }
        }
        int last = reverse ? 0 : tt - 1;
        if (op == Op.LSTM) {
            k.copy(cAll.narrow(0, last, 1), y.narrow(0, tt, 1));
        }
        Pool.give(xp);
        Pool.give(hp);
        y.storage().bumpVersion();
        if (track) {
            Node n = Tensor.record(op, out, inputs.toArray(new Tensor[0]));
            n.ints = new int[] {tt, b, in, h, mask};
            n.flag = reverse;
            n.p0 = relu ? 1 : 0;
            n.save(wIh.buffer(), wHh.buffer(), y);
            n.owned = op == Op.LSTM ? new Buffer[] {xc, h0c, bih, bhh, act, cAll, c0c}
                    : op == Op.GRU ? new Buffer[] {xc, h0c, bih, bhh, act}
                    : new Buffer[] {xc, h0c, bih, bhh};
        } else {
            for (Buffer buf : new Buffer[] {xc, h0c, bih, bhh, act, cAll, c0c}) {
                if (buf != null) {
                    Pool.give(buf);
                }
            }
        }
        Tensor output = op == Op.LSTM ? out.narrow(0, 0, tt) : out;
        Tensor hN = out.narrow(0, last, 1);
        Tensor cN = op == Op.LSTM ? out.narrow(0, tt, 1) : null;
        return new Result(output, hN, cN);
    }

    private static Buffer state(Tensor s, DType dt, int b, int h) {
        if (s == null) {
            return Pool.takeZeroed(dt, new int[] {b, h});
        }
        Buffer c = Pool.take(dt, new int[] {b, h});
        Kernels.get().copy(s.buffer(), c.view(1, b, h));
        return c;
    }

    private static Buffer bias(Tensor t, DType dt, int n) {
        if (t == null) {
            return Pool.takeZeroed(dt, new int[] {n});
        }
        Buffer c = Pool.take(dt, new int[] {n});
        Kernels.get().copy(t.buffer(), c);
        return c;
    }

    /** The rule of {@link Op#RNN_TANH}, {@link Op#GRU} and {@link Op#LSTM}; fills {@code r}. */
    static void backward(Node n, Buffer g, Buffer[] r) {
        final Op op = n.op;
        final String name = n.name();
        final int tt = n.ints[0];
        final int b = n.ints[1];
        final int in = n.ints[2];
        final int h = n.ints[3];
        final int mask = n.ints[4];
        final boolean reverse = n.flag;
        final boolean relu = n.p0 != 0;
        final int gw = gates(op) * h;
        final DType dt = g.dtype();
        Kernels k = Kernels.get();
        RecurrentKernels rk = Recurrent.get();
        Buffer wIh = n.saved(0);
        Buffer wHh = n.saved(1);
        Buffer y = n.saved(2);
        Buffer xc = n.owned[0];
        Buffer h0c = n.owned[1];
        Buffer act = op == Op.RNN_TANH ? null : n.owned[4];
        Buffer cAll = op == Op.LSTM ? n.owned[5] : null;
        Buffer c0c = op == Op.LSTM ? n.owned[6] : null;

        // input positions in the node
        int pos = 1;
        int iH0 = (mask & HAS_H0) != 0 ? pos++ : -1;
        int iC0 = (mask & HAS_C0) != 0 ? pos++ : -1;
        int iWih = pos++;
        int iWhh = pos++;
        int iBih = (mask & HAS_BIAS) != 0 ? pos++ : -1;
        int iBhh = (mask & HAS_BIAS) != 0 ? pos : -1;

        Buffer gc = g;
        if (!g.isContiguous()) {
            gc = Pool.take(dt, g.dims());
            k.copy(g, gc);
        }
        Buffer dA = Pool.take(dt, new int[] {tt, b, gw});
        Buffer dHp = op == Op.GRU ? Pool.take(dt, new int[] {tt, b, gw}) : dA;
        Buffer dh = Pool.takeZeroed(dt, new int[] {b, h});
        Buffer dc = null;
        if (op == Op.LSTM) {
            dc = Pool.take(dt, new int[] {b, h});
            k.copy(gc.narrow(0, tt, 1).view(b, h), dc);
        }
        MemorySegment gS = gc.segment(name);
        MemorySegment yS = y.segment(name);
        MemorySegment dAS = dA.segment(name);
        MemorySegment dhS = dh.segment(name);
        long sb = (long) b * h;
        long sg = (long) b * gw;
        long sa = (long) b * 4 * h;
        for (int s = tt - 1; s >= 0; s--) {
            int t = reverse ? tt - 1 - s : s;
            int tp = reverse ? t + 1 : t - 1;
            long go = gc.offset() + t * sb;
            Buffer dAt = dA.narrow(0, t, 1).view(b, gw);
            switch (op) {
                case RNN_TANH -> {
                    rk.rnnBackward(dt, relu, b, h, yS, y.offset() + t * sb, gS, go, dhS, dh.offset(),
                            dAS, dAt.offset());
                    k.gemm(false, false, 1, dAt, wHh, 0, dh);
                }
                case LSTM -> {
                    Buffer cPrev = s == 0 ? c0c : cAll.narrow(0, tp, 1).view(b, h);
                    rk.lstmBackward(dt, b, h, act.segment(name), act.offset() + t * sa,
                            cPrev.segment(name), cPrev.offset(), cAll.segment(name), cAll.offset() + t * sb,
                            gS, go, dhS, dh.offset(), dc.segment(name), dc.offset(), dAS, dAt.offset());
                    k.gemm(false, false, 1, dAt, wHh, 0, dh);
                }
                case GRU -> {
                    Buffer hPrev = s == 0 ? h0c : y.narrow(0, tp, 1).view(b, h);
                    Buffer dHt = dHp.narrow(0, t, 1).view(b, gw);
                    rk.gruBackward(dt, b, h, act.segment(name), act.offset() + t * sa,
                            hPrev.segment(name), hPrev.offset(), gS, go, dhS, dh.offset(),
                            dAS, dAt.offset(), dHt.segment(name), dHt.offset());
                    k.gemm(false, false, 1, dHt, wHh, 1, dh);
                }
                default -> throw new IllegalStateException(op.toString());
            }
        }
        Buffer dA2 = dA.view(tt * b, gw);
        Buffer dHp2 = dHp.view(tt * b, gw);
        if (n.inputs[0].requiresGrad()) {
            Buffer dx = Pool.take(dt, new int[] {tt, b, in});
            k.gemm(false, false, 1, dA2, wIh, 0, dx.view(tt * b, in));
            r[0] = dx;
        }
        if (iH0 >= 0 && n.inputs[iH0].requiresGrad()) {
            r[iH0] = dh.view(1, b, h);
        } else {
            Pool.give(dh);
        }
        if (dc != null) {
            if (iC0 >= 0 && n.inputs[iC0].requiresGrad()) {
                r[iC0] = dc.view(1, b, h);
            } else {
                Pool.give(dc);
            }
        }
        if (n.inputs[iWih].requiresGrad()) {
            Buffer dW = Pool.take(dt, new int[] {gw, in});
            k.gemm(true, false, 1, dA2, xc.view(tt * b, in), 0, dW);
            r[iWih] = dW;
        }
        if (n.inputs[iWhh].requiresGrad()) {
            // previous hidden state of each position, in position order
            Buffer hPrevAll = Pool.take(dt, new int[] {tt, b, h});
            for (int s = 0; s < tt; s++) {
                int t = reverse ? tt - 1 - s : s;
                int tp = reverse ? t + 1 : t - 1;
                k.copy(s == 0 ? h0c : y.narrow(0, tp, 1).view(b, h), hPrevAll.narrow(0, t, 1).view(b, h));
            }
            Buffer dW = Pool.take(dt, new int[] {gw, h});
            k.gemm(true, false, 1, dHp2, hPrevAll.view(tt * b, h), 0, dW);
            Pool.give(hPrevAll);
            r[iWhh] = dW;
        }
        if (iBih >= 0 && n.inputs[iBih].requiresGrad()) {
            r[iBih] = k.sum(dA2, new int[] {0}, false, Pool.take(dt, new int[] {gw}));
        }
        if (iBhh >= 0 && n.inputs[iBhh].requiresGrad()) {
            r[iBhh] = k.sum(dHp2, new int[] {0}, false, Pool.take(dt, new int[] {gw}));
        }
        Pool.give(dA);
        if (dHp != dA) {
            Pool.give(dHp);
        }
        if (gc != g) {
            Pool.give(gc);
        }
    }
}
