package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Attention;
import io.vecgrad.autograd.GradCheck;
import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RNN, GRU, LSTM (stacked, bidirectional, batch-first) and MultiheadAttention. */
class RecurrentModulesTest {
    private static final long SEED = 1202L;

    private static Tensor randn(SplittableRandom r, int... dims) {
        return Tensor.randn(r, DType.F64, dims);
    }

    @Test
    void parameterNamesShapesAndInitFollowPyTorch() {
        LSTM m = new LSTM(3, 5, 2, true, false, 0, true, new SplittableRandom(SEED), DType.F64);
        Map<String, Tensor> p = m.namedParameters();
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {20, 3}, p.get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {20, 10}, p.get("weight_ih_l1").shape());
        assertArrayEquals(new int[] {20, 5}, p.get("weight_hh_l1_reverse").shape());
        double bound = 1 / Math.sqrt(5);
        for (Tensor t : m.parameters()) {
            for (double v : t.toDoubleArray()) {
                assertTrue(Math.abs(v) <= bound, "U(-1/sqrt(H), 1/sqrt(H)): " + v);
            }
        }
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"),
                List.copyOf(new GRU(2, 3, 1, false, false, 0, false, new SplittableRandom(1), DType.F32)
                        .namedParameters().keySet()));
        assertArrayEquals(new int[] {9, 2}, new GRU(2, 3, new SplittableRandom(1)).namedParameters()
                .get("weight_ih_l0").shape());
        assertTrue(m.toString().contains("LSTM(3, 5, num_layers=2, bidirectional=true)"), m.toString());
    }

    @Test
    void stackedBidirectionalLstmEqualsChainedOneLayerCalls() {
        SplittableRandom r = new SplittableRandom(SEED);
        System.out.println("RecurrentModulesTest seed " + SEED);
        LSTM m = new LSTM(3, 4, 2, true, false, 0, true, r, DType.F64);
        Tensor x = randn(r, 5, 2, 3);
        Tensor h0 = randn(r, 4, 2, 4);
        Tensor c0 = randn(r, 4, 2, 4);
        RecurrentOps.Result got = m.forward(x, h0, c0);
        assertArrayEquals(new int[] {5, 2, 8}, got.output().shape());
        assertArrayEquals(new int[] {4, 2, 4}, got.h().shape());
        assertArrayEquals(new int[] {4, 2, 4}, got.c().shape());
        Map<String, Tensor> p = m.namedParameters();
        Tensor in = x;
        double[] hs = new double[0];
        double[] cs = new double[0];
        for (int l = 0; l < 2; l++) {
            Tensor[] outs = new Tensor[2];
            for (int d = 0; d < 2; d++) {
                String s = "_l" + l + (d == 1 ? "_reverse" : "");
                int idx = 2 * l + d;
                RecurrentOps.Result one = RecurrentOps.lstm(in, h0.narrow(0, idx, 1), c0.narrow(0, idx, 1),
                        p.get("weight_ih" + s), p.get("weight_hh" + s), p.get("bias_ih" + s), p.get("bias_hh" + s),
                        d == 1);
                outs[d] = one.output();
                hs = concat(hs, one.h().toDoubleArray());
                cs = concat(cs, one.c().toDoubleArray());
            }
            in = Tensor.concat(2, outs);
        }
        assertArrayEquals(in.toDoubleArray(), got.output().toDoubleArray(), 0);
        assertArrayEquals(hs, got.h().toDoubleArray(), 0);
        assertArrayEquals(cs, got.c().toDoubleArray(), 0);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] o = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    @Test
    void batchFirstIsTheTransposedLayoutAndGradientsReachEveryParameter() {
        for (String kind : new String[] {"rnn", "relu", "gru", "lstm"}) {
            RNNBase a = make(kind, false, new SplittableRandom(SEED));
            RNNBase b = make(kind, true, new SplittableRandom(SEED));
            Tensor x = randn(new SplittableRandom(SEED + 1), 4, 3, 2); // [T, B, I]
            Tensor ya = a.forward(x);
            Tensor yb = b.forward(x.transpose(0, 1).contiguous());
            assertArrayEquals(new int[] {4, 3, 6}, ya.shape(), kind);
            assertArrayEquals(new int[] {3, 4, 6}, yb.shape(), kind);
            assertArrayEquals(ya.toDoubleArray(), yb.transpose(0, 1).contiguous().toDoubleArray(), 0, kind);
            yb.square().sum().backward();
            for (Map.Entry<String, Tensor> e : b.namedParameters().entrySet()) {
                assertTrue(e.getValue().grad() != null, kind + " " + e.getKey() + " has a gradient");
            }
        }
    }

    private static RNNBase make(String kind, boolean batchFirst, SplittableRandom r) {
        return switch (kind) {
            case "rnn" -> new RNN(2, 3, 2, "tanh", true, batchFirst, 0, true, r, DType.F64);
            case "relu" -> new RNN(2, 3, 2, "relu", true, batchFirst, 0, true, r, DType.F64);
            case "gru" -> new GRU(2, 3, 2, true, batchFirst, 0, true, r, DType.F64);
            default -> new LSTM(2, 3, 2, true, batchFirst, 0, true, r, DType.F64);
        };
    }

    @Test
    void gradCheckThroughAStackedModule() {
        SplittableRandom r = new SplittableRandom(SEED);
        GRU m = new GRU(2, 3, 2, true, true, 0, true, r, DType.F64);
        Tensor x = randn(r, 2, 3, 2).requiresGrad(true); // [B, T, I]
        Tensor h0 = randn(r, 4, 2, 3).requiresGrad(true);
        GradCheck.check(in -> {
            RecurrentOps.Result o = m.forward(in[0], in[1]);
            return Tensor.concat(0, o.output().reshape(-1), o.h().reshape(-1));
        }, 1e-6, 1e-7, 1e-5, SEED, x, h0).assertOk();
    }

    @Test
    void badInputsNameTheModuleAndShapes() {
        LSTM m = new LSTM(3, 4, 2, true, false, 0, false, new SplittableRandom(SEED), DType.F64);
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.F64, 5, 2, 4)));
        assertEquals("LSTM: input.size(-1) must be equal to input_size. Expected 3, got 4 (input [5, 2, 4])",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(DType.F64, 5, 2, 3), Tensor.zeros(DType.F64, 1, 2, 4), null));
        assertEquals("LSTM: expected hidden size [2, 2, 4], got [1, 2, 4] (input [5, 2, 3])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(DType.F64, 2, 3)));
        assertTrue(e.getMessage().startsWith("LSTM: expected a 3-D input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RNN(2, 3, 1, "gelu", true, false, 0, false,
                new SplittableRandom(1), DType.F32));
        assertTrue(e.getMessage().contains("unknown nonlinearity 'gelu'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("embed_dim=10, num_heads=3"), e.getMessage());
    }

    @Test
    void multiheadAttentionMatchesItsDefinition() {
        SplittableRandom r = new SplittableRandom(SEED);
        MultiheadAttention m = new MultiheadAttention(6, 2, true, false, r, DType.F64);
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(m.namedParameters().keySet()));
        Init.uniform(m.inProjBias(), r, -0.5, 0.5); // non-zero biases so they are exercised
        Init.uniform(m.outProj().bias(), r, -0.5, 0.5);
        Tensor q = randn(r, 3, 2, 6); // [L, N, E]
        Tensor kv = randn(r, 4, 2, 6); // [S, N, E]
        for (boolean causal : new boolean[] {false, true}) {
            Tensor y = m.forward(q, kv, kv, null, causal);
            assertArrayEquals(new int[] {3, 2, 6}, y.shape());
            // by hand, batch element by element and head by head
            Tensor w = m.inProjWeight();
            Tensor b = m.inProjBias();
            for (int n = 0; n < 2; n++) {
                Tensor qn = q.narrow(1, n, 1).reshape(3, 6);
                Tensor kn = kv.narrow(1, n, 1).reshape(4, 6);
                Tensor[] headsOut = new Tensor[2];
                for (int h = 0; h < 2; h++) {
                    Tensor qh = Linear.linear(qn, w.narrow(0, 3 * h, 3), b.narrow(0, 3 * h, 3));
                    Tensor kh = Linear.linear(kn, w.narrow(0, 6 + 3 * h, 3), b.narrow(0, 6 + 3 * h, 3));
                    Tensor vh = Linear.linear(kn, w.narrow(0, 12 + 3 * h, 3), b.narrow(0, 12 + 3 * h, 3));
                    Tensor s = qh.matmul(kh.t()).div(Math.sqrt(3));
                    if (causal) {
                        s = s.add(Attention.causalMask(DType.F64, 3, 4));
                    }
                    headsOut[h] = s.softmax(1).matmul(vh);
                }
                Tensor want = m.outProj().forward(Tensor.concat(1, headsOut));
                assertArrayEquals(want.toDoubleArray(), y.narrow(1, n, 1).contiguous().toDoubleArray(), 1e-12);
            }
        }
        MultiheadAttention bf = new MultiheadAttention(6, 3, true, true, new SplittableRandom(3), DType.F64);
        assertArrayEquals(new int[] {2, 5, 6}, bf.forward(randn(r, 2, 5, 6)).shape());
        Tensor x = randn(r, 1, 3, 6).requiresGrad(true);
        GradCheck.check(in -> bf.forward(in[0], in[0], in[0], null, true), 1e-6, 1e-7, 1e-5, SEED, x).assertOk();
    }
}
