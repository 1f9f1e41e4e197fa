package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * rnn_tanh/rnn_relu, gru and lstm: f64 gradient checks at awkward sizes (one step, a batch of
 * one, odd hidden sizes, both directions, with and without bias and initial state), agreement
 * with a step-by-step composition of primitive ops, and the shape checks.
 */
class RecurrentOpsTest {
    private static final long SEED = 20261202L;

    enum Kind { RNN, RNN_RELU, GRU, LSTM }

    private static int gates(Kind k) {
        return k == Kind.LSTM ? 4 : k == Kind.GRU ? 3 : 1;
    }

    private static Tensor rand(SplittableRandom r, double scale, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextDouble() * 2 - 1) * scale;
        }
        return Tensor.fromArray(v, dims).requiresGrad(true);
    }

    /** Inputs x, h0, c0, w_ih, w_hh, b_ih, b_hh (h0/c0/biases null when not wanted). */
    private static Tensor[] inputs(Kind k, int t, int b, int in, int h, boolean state, boolean bias, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int g = gates(k);
        double s = 1 / Math.sqrt(h);
        return new Tensor[] {
            rand(r, 1, t, b, in),
            state ? rand(r, 0.5, 1, b, h) : null,
            state && k == Kind.LSTM ? rand(r, 0.5, 1, b, h) : null,
            rand(r, s, g * h, in),
            rand(r, s, g * h, h),
            bias ? rand(r, s, g * h) : null,
            bias ? rand(r, s, g * h) : null};
    }

    private static RecurrentOps.Result fused(Kind k, Tensor[] a, boolean reverse) {
        return switch (k) {
            case RNN -> RecurrentOps.rnn(a[0], a[1], a[3], a[4], a[5], a[6], false, reverse);
            case RNN_RELU -> RecurrentOps.rnn(a[0], a[1], a[3], a[4], a[5], a[6], true, reverse);
            case GRU -> RecurrentOps.gru(a[0], a[1], a[3], a[4], a[5], a[6], reverse);
            case LSTM -> RecurrentOps.lstm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], reverse);
        };
    }

    /** The same layer composed step by step from primitive ops (the reference). */
    private static RecurrentOps.Result composed(Kind k, Tensor[] a, boolean reverse) {
        Tensor x = a[0];
        int tt = x.dim(0);
        int b = x.dim(1);
        int g = gates(k);
        int h = a[3].dim(0) / g;
        Tensor hs = a[1] != null ? a[1].reshape(b, h) : Tensor.zeros(DType.F64, b, h);
        Tensor cs = a[2] != null ? a[2].reshape(b, h) : Tensor.zeros(DType.F64, b, h);
        Tensor[] outs = new Tensor[tt];
        for (int s = 0; s < tt; s++) {
            int t = reverse ? tt - 1 - s : s;
            Tensor xt = x.narrow(0, t, 1).reshape(b, -1);
            Tensor xp = xt.matmul(a[3].t());
            Tensor hp = hs.matmul(a[4].t());
            if (a[5] != null) {
                xp = xp.add(a[5]);
                hp = hp.add(a[6]);
            }
            switch (k) {
                case RNN -> hs = xp.add(hp).tanh();
                case RNN_RELU -> hs = xp.add(hp).relu();
                case GRU -> {
                    Tensor r = xp.narrow(1, 0, h).add(hp.narrow(1, 0, h)).sigmoid();
                    Tensor z = xp.narrow(1, h, h).add(hp.narrow(1, h, h)).sigmoid();
                    Tensor n = xp.narrow(1, 2 * h, h).add(r.mul(hp.narrow(1, 2 * h, h))).tanh();
                    hs = z.rsub(1).mul(n).add(z.mul(hs));
                }
                case LSTM -> {
                    Tensor p = xp.add(hp);
                    Tensor i = p.narrow(1, 0, h).sigmoid();
                    Tensor f = p.narrow(1, h, h).sigmoid();
                    Tensor gg = p.narrow(1, 2 * h, h).tanh();
                    Tensor o = p.narrow(1, 3 * h, h).sigmoid();
                    cs = f.mul(cs).add(i.mul(gg));
                    hs = o.mul(cs.tanh());
                }
            }
            outs[t] = hs;
        }
        return new RecurrentOps.Result(Tensor.stack(0, outs), hs.unsqueeze(0),
                k == Kind.LSTM ? cs.unsqueeze(0) : null);
    }

    private static Tensor all(RecurrentOps.Result r) {
        Tensor o = Tensor.concat(0, r.output(), r.h());
        return r.c() == null ? o : Tensor.concat(0, o, r.c());
    }

    private static Tensor[] present(Tensor[] a) {
        return java.util.Arrays.stream(a).filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
    }

    /** Rebuilds the argument array from the present inputs, in the original slots. */
    private static Tensor[] refill(Tensor[] template, Tensor[] present) {
        Tensor[] a = new Tensor[template.length];
        for (int i = 0, j = 0; i < a.length; i++) {
            a[i] = template[i] == null ? null : present[j++];
        }
        return a;
    }

    private static final int[][] SIZES = { // T, B, I, H
        {1, 1, 1, 1}, {3, 2, 3, 5}, {2, 1, 4, 3}, {4, 3, 2, 7}};

    /** One step, a batch of one, odd hidden sizes (kept small: the full Jacobian is checked). */
    private static final int[][] GRADCHECK_SIZES = {{1, 1, 1, 1}, {3, 2, 3, 5}, {2, 1, 4, 3}};

    @Test
    void gradCheckEveryCellAtAwkwardSizes() {
        System.out.println("RecurrentOpsTest seed " + SEED);
        int c = 0;
        for (Kind k : Kind.values()) {
            for (int[] sz : GRADCHECK_SIZES) { // each size once, the direction alternating
                boolean reverse = (c & 1) != 0;
                boolean state = (c % 3) != 2;
                boolean bias = (c % 4) != 1;
                Tensor[] a = inputs(k, sz[0], sz[1], sz[2], sz[3], state, bias, SEED + c++);
                String what = k + " T,B,I,H=" + java.util.Arrays.toString(sz) + " reverse=" + reverse
                        + " state=" + state + " bias=" + bias;
                GradCheck.Result r = GradCheck.check(in -> all(fused(k, refill(a, in), reverse)),
                        1e-6, 1e-7, 1e-5, SEED, present(a));
                assertTrue(r.ok(), what + ": " + r.detail());
            }
        }
    }

    @Test
    void matchesTheStepByStepCompositionInValuesAndGradients() {
        int c = 100;
        for (Kind k : Kind.values()) {
            for (int[] sz : SIZES) {
                for (boolean reverse : new boolean[] {false, true}) {
                    Tensor[] a = inputs(k, sz[0], sz[1], sz[2], sz[3], true, true, SEED + c++);
                    Tensor[] p = present(a);
                    SplittableRandom r = new SplittableRandom(SEED + c);
                    RecurrentOps.Result fr = fused(k, a, reverse);
                    Tensor gy = rand(r, 1, all(fr).dims()).detach();
                    all(fr).backward(gy);
                    double[][] fg = new double[p.length][];
                    for (int i = 0; i < p.length; i++) {
                        fg[i] = p[i].grad().toDoubleArray();
                        p[i].zeroGrad();
                    }
                    double[] fy = all(fused(k, a, reverse)).detach().toDoubleArray();
                    RecurrentOps.Result cr = composed(k, a, reverse);
                    Tensor cy = all(cr);
                    assertArrayEquals(cy.toDoubleArray(), fy, 1e-12, k + " values");
                    cy.backward(gy);
                    for (int i = 0; i < p.length; i++) {
                        assertArrayEquals(p[i].grad().toDoubleArray(), fg[i], 1e-12, k + " gradient of input " + i);
                    }
                }
            }
        }
    }

    @Test
    void finalStatesAreTheLastOutputStep() {
        Tensor[] a = inputs(Kind.LSTM, 3, 2, 4, 5, true, true, SEED);
        RecurrentOps.Result f = fused(Kind.LSTM, a, false);
        assertArrayEquals(new int[] {3, 2, 5}, f.output().shape());
        assertArrayEquals(new int[] {1, 2, 5}, f.h().shape());
        assertArrayEquals(new int[] {1, 2, 5}, f.c().shape());
        assertArrayEquals(f.output().narrow(0, 2, 1).toDoubleArray(), f.h().toDoubleArray());
        RecurrentOps.Result rev = fused(Kind.LSTM, a, true);
        assertArrayEquals(rev.output().narrow(0, 0, 1).toDoubleArray(), rev.h().toDoubleArray());
        assertNull(fused(Kind.GRU, inputs(Kind.GRU, 2, 1, 1, 1, true, true, SEED), false).c());
    }

    @Test
    void noGradForwardEqualsRecordedForward() {
        Tensor[] a = inputs(Kind.GRU, 4, 3, 2, 6, true, true, SEED + 7);
        double[] rec = fused(Kind.GRU, a, false).output().toDoubleArray();
        try (var _ = Tensor.noGrad()) {
            RecurrentOps.Result r = fused(Kind.GRU, a, false);
            assertEquals(null, r.output().gradFn());
            assertArrayEquals(rec, r.output().toDoubleArray(), 0);
        }
    }

    @Test
    void badShapesThrowNamingTheOpAndShapes() {
        Tensor[] a = inputs(Kind.LSTM, 3, 2, 4, 5, true, true, SEED);
        var e = assertThrows(IllegalArgumentException.class,
                () -> RecurrentOps.lstm(a[0], Tensor.zeros(DType.F64, 1, 3, 5), a[2], a[3], a[4], a[5], a[6]));
        assertTrue(e.getMessage().startsWith("lstm: expected hidden state h0 of shape [1, 2, 5], got [1, 3, 5]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RecurrentOps.lstm(a[0], a[1], Tensor.zeros(DType.F64, 2, 2, 5), a[3], a[4], a[5], a[6]));
        assertTrue(e.getMessage().contains("cell state c0 of shape [1, 2, 5], got [2, 2, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RecurrentOps.lstm(Tensor.zeros(DType.F64, 3, 2, 6),
                a[1], a[2], a[3], a[4], a[5], a[6]));
        assertTrue(e.getMessage().contains("input size 6 does not match w_ih [20, 4]"), e.getMessage());
        Tensor[] g = inputs(Kind.GRU, 3, 2, 4, 5, true, true, SEED);
        e = assertThrows(IllegalArgumentException.class,
                () -> RecurrentOps.gru(g[0], g[1], g[3], Tensor.zeros(DType.F64, 15, 4), g[5], g[6]));
        assertTrue(e.getMessage().startsWith("gru: w_hh must be [15, 5], got [15, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RecurrentOps.rnnTanh(Tensor.zeros(DType.F64, 2, 4), null, g[3], g[4], null, null));
        assertTrue(e.getMessage().startsWith("rnn_tanh: input must be 3-D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RecurrentOps.gru(g[0], g[1], g[3], g[4], g[5], null));
        assertTrue(e.getMessage().contains("both biases or neither"), e.getMessage());
    }

    @Test
    void attentionGradCheckAndCausalMask() {
        SplittableRandom r = new SplittableRandom(SEED);
        for (boolean causal : new boolean[] {false, true}) {
            for (int[] sz : new int[][] {{1, 1, 1, 1}, {2, 3, 5, 4}, {1, 4, 3, 2}}) {
                Tensor q = rand(r, 1, sz[0], sz[1], sz[3]);
                Tensor k = rand(r, 1, sz[0], sz[2], sz[3]);
                Tensor v = rand(r, 1, sz[0], sz[2], 3);
                GradCheck.check(in -> Attention.scaledDotProductAttention(in[0], in[1], in[2], causal),
                        1e-6, 1e-7, 1e-5, SEED, q, k, v).assertOk();
            }
        }
        // 4-D (heads) input
        Tensor q = rand(r, 1, 2, 3, 4, 5);
        Tensor k = rand(r, 1, 2, 3, 4, 5);
        Tensor v = rand(r, 1, 2, 3, 4, 5);
        GradCheck.check(in -> Tensor.scaledDotProductAttention(in[0], in[1], in[2], true),
                1e-6, 1e-7, 1e-5, SEED, q, k, v).assertOk();
        // causal: the first query sees only the first key, so its output is exactly v[0] (in f32 too)
        for (DType dt : DType.values()) {
            Tensor q1 = rand(r, 3, 1, 4, 2).detach().to(dt);
            Tensor k1 = rand(r, 3, 1, 4, 2).detach().to(dt);
            Tensor v1 = rand(r, 3, 1, 4, 3).detach().to(dt);
            Tensor y = Attention.scaledDotProductAttention(q1, k1, v1, true);
            for (int j = 0; j < 3; j++) {
                assertEquals(v1.get(0, 0, j), y.get(0, 0, j), 0, dt + " causal row 0");
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProductAttention(
                Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 5), Tensor.zeros(2, 3, 4), false));
        assertTrue(e.getMessage().startsWith("scaled_dot_product_attention: shapes do not fit: q [2, 3, 4], k [2, 3, 5]"),
                e.getMessage());
    }
}
