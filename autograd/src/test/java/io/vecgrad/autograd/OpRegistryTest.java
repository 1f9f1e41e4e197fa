package io.vecgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vecgrad.engine.DType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One entry per {@link Op} (DESIGN §2.10): an input generator that keeps away from kinks and
 * ties, and a program that reaches the op (checked: the op must appear in the recorded graph).
 * Each entry gets a float64 {@link GradCheck} (VJP against central differences) and a
 * float32-vs-float64 forward comparison. {@link #everyOpHasAnEntry} fails, listing the ops,
 * when an {@code Op} is added without an entry here.
 *
 * <p>Adding an entry is one block in {@link #SPECS}: {@code spec(Op.X, r -> inputs, in -> program)}.
 * Inputs are float64 leaves requiring grad; constants (indices, masks) live in the program.
 */
class OpRegistryTest {
    private static final long SEED = 20261202L;

    /** A generated case: the inputs and the program over them. */
    record Spec(Op op, Function<SplittableRandom, Tensor[]> inputs, GradCheck.Fn program) {}

    private static final Map<Op, Spec> SPECS = new EnumMap<>(Op.class);

    private static void spec(Op op, Function<SplittableRandom, Tensor[]> inputs, GradCheck.Fn program) {
        if (SPECS.put(op, new Spec(op, inputs, program)) != null) {
            throw new IllegalStateException("OpRegistryTest: two entries for " + op);
        }
    }

    // ------------------------------------------------------------------------- generators

    /** Values with |v| in [0.3, 1.3) and a random sign: away from 0, the kink of abs/relu/... */
    static Tensor away(SplittableRandom r, int... dims) {
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextBoolean() ? 1 : -1) * (0.3 + r.nextDouble());
        }
        return Tensor.fromArray(DType.F64, v, dims).requiresGrad(true);
    }

    /** Values in [lo, hi). */
    static Tensor uniform(SplittableRandom r, double lo, double hi, int... dims) {
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return Tensor.fromArray(DType.F64, v, dims).requiresGrad(true);
    }

    /** Distinct values (a shuffled ramp, 0.25 apart plus noise): no ties for max/argmax. */
    static Tensor distinct(SplittableRandom r, int... dims) {
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.25 * i + 0.05 * r.nextDouble() - 0.125 * n;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.fromArray(DType.F64, v, dims).requiresGrad(true);
    }

    /** A second operand that differs from {@code a} (broadcast over its rows) by at least 0.2. */
    static Tensor apart(SplittableRandom r, Tensor a) {
        double[] av = a.toDoubleArray();
        int cols = a.dim(-1);
        double[] v = new double[cols];
        for (int j = 0; j < cols; j++) {
            double c;
            boolean ok;
            do {
                c = -1.5 + 3 * r.nextDouble();
                ok = true;
                for (int i = j; i < av.length; i += cols) {
                    ok &= Math.abs(av[i] - c) >= 0.2;
                }
            } while (!ok);
            v[j] = c;
        }
        return Tensor.fromArray(DType.F64, v, cols).requiresGrad(true);
    }

    /** t with values within 0.05 of a bound moved 0.1 away from it (clamp's kinks). */
    static Tensor offBounds(Tensor t, double lo, double hi) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (Math.abs(v[i] - lo) < 0.05 || Math.abs(v[i] - hi) < 0.05) {
                v[i] += 0.1;
            }
        }
        return Tensor.fromArray(DType.F64, v, t.dims()).requiresGrad(true);
    }

    private static Tensor[] in(Tensor... t) {
        return t;
    }

    /** Custom op for the CUSTOM entry: y = x^3, dy = 3 x^2 g. */
    static final class Cube extends io.vecgrad.autograd.Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... inputs) {
            ctx.saveForBackward(inputs[0]);
            return inputs[0].mul(inputs[0]).mul(inputs[0]);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            Tensor x = ctx.savedTensors()[0];
            return new Tensor[] {grad.mul(x.mul(x).mul(3))};
        }
    }

    // ---------------------------------------------------------------------------- entries

    static {
        // binary ops, with a broadcast second operand (the walker's unbroadcast is part of the rule's test)
        spec(Op.ADD, r -> in(away(r, 3, 4), away(r, 4)), x -> x[0].add(x[1]));
        spec(Op.SUB, r -> in(away(r, 3, 4), away(r, 3, 1)), x -> x[0].sub(x[1]));
        spec(Op.MUL, r -> in(away(r, 3, 4), away(r, 4)), x -> x[0].mul(x[1]));
        spec(Op.DIV, r -> in(away(r, 3, 4), away(r, 4)), x -> x[0].div(x[1]));
        spec(Op.MAXIMUM, r -> {
            Tensor a = away(r, 3, 4);
            return in(a, apart(r, a));
        }, x -> x[0].maximum(x[1]));
        spec(Op.MINIMUM, r -> {
            Tensor a = away(r, 3, 4);
            return in(a, apart(r, a));
        }, x -> x[0].minimum(x[1]));
        spec(Op.AFFINE, r -> in(away(r, 2, 5)), x -> x[0].mul(-1.5).add(0.25));
        // unary ops
        spec(Op.NEG, r -> in(away(r, 2, 3)), x -> x[0].neg());
        spec(Op.EXP, r -> in(away(r, 2, 3)), x -> x[0].exp());
        spec(Op.LOG, r -> in(uniform(r, 0.5, 2, 2, 3)), x -> x[0].log());
        spec(Op.SQRT, r -> in(uniform(r, 0.5, 2, 2, 3)), x -> x[0].sqrt());
        spec(Op.ABS, r -> in(away(r, 2, 3)), x -> x[0].abs());
        spec(Op.SIN, r -> in(away(r, 2, 3)), x -> x[0].sin());
        spec(Op.COS, r -> in(away(r, 2, 3)), x -> x[0].cos());
        spec(Op.TANH, r -> in(away(r, 2, 3)), x -> x[0].tanh());
        spec(Op.SIGMOID, r -> in(away(r, 2, 3)), x -> x[0].sigmoid());
        spec(Op.RELU, r -> in(away(r, 2, 3)), x -> x[0].relu());
        spec(Op.LEAKY_RELU, r -> in(away(r, 2, 3)), x -> x[0].leakyRelu(0.1));
        spec(Op.GELU, r -> in(away(r, 2, 3)), x -> x[0].gelu());
        spec(Op.GELU_TANH, r -> in(away(r, 2, 3)), x -> x[0].gelu("tanh"));
        spec(Op.POW, r -> in(uniform(r, 0.5, 2, 2, 3)), x -> x[0].pow(2.5));
        spec(Op.CLAMP, r -> in(offBounds(away(r, 3, 4), -0.8, 0.9)), x -> x[0].clamp(-0.8, 0.9));
        spec(Op.WHERE, r -> in(away(r, 2, 3), away(r, 3)),
                x -> Tensor.where(Tensor.mask(DType.F64, new boolean[] {true, false, false, true, true, false}, 2, 3),
                        x[0], x[1]));
        // reductions and softmax
        spec(Op.SUM, r -> in(away(r, 2, 3, 4)), x -> x[0].sum(new int[] {0, 2}, true));
        spec(Op.MAX_DIM, r -> in(distinct(r, 3, 4)), x -> x[0].max(1, false));
        spec(Op.LOGSUMEXP, r -> in(away(r, 3, 4)), x -> x[0].logsumexp(0, false));
        spec(Op.SOFTMAX, r -> in(away(r, 3, 4)), x -> x[0].softmax(1));
        spec(Op.LOG_SOFTMAX, r -> in(away(r, 3, 4)), x -> x[0].logSoftmax(0));
        spec(Op.MATMUL, r -> in(away(r, 2, 3, 4), away(r, 4, 2)), x -> x[0].matmul(x[1]));
        spec(Op.LINEAR, r -> in(away(r, 2, 3, 4), away(r, 5, 4), away(r, 5)), x -> x[0].linear(x[1], x[2]));
        // views and data movement (reshape of a non-contiguous view copies, then views)
        spec(Op.VIEW, r -> in(away(r, 2, 3, 2)), x -> x[0].transpose(0, 2).reshape(3, 4).expand(2, 3, 4));
        spec(Op.PERMUTE, r -> in(away(r, 2, 3, 4)), x -> x[0].permute(2, 0, 1));
        spec(Op.NARROW, r -> in(away(r, 4, 5)), x -> x[0].narrow(1, 1, 3));
        spec(Op.CONCAT, r -> in(away(r, 2, 3), away(r, 2, 2)), x -> Tensor.concat(1, x[0], x[1], x[0]));
        spec(Op.INDEX_SELECT, r -> in(away(r, 4, 3)), x -> x[0].indexSelect(0, Indices.of(3, 0, 3, 1)));
        spec(Op.GATHER, r -> in(away(r, 3, 4)),
                x -> x[0].gather(1, Indices.of(new long[] {0, 3, 3, 1, 2, 0}, 3, 2)));
        // losses with their own fused rules
        spec(Op.CROSS_ENTROPY, r -> in(away(r, 4, 5)),
                x -> Losses.crossEntropy(x[0], Indices.of(1, 0, 4, 2), Reduction.MEAN));
        spec(Op.NLL, r -> in(away(r, 4, 5)), x -> Losses.nll(x[0], Indices.of(1, 0, 4, 2), Reduction.SUM));
        spec(Op.BCE_WITH_LOGITS, r -> in(away(r, 2, 3), uniform(r, 0, 1, 2, 3)),
                x -> Losses.bceWithLogits(x[0], x[1], Reduction.MEAN));
        spec(Op.MSE, r -> in(away(r, 3, 4), away(r, 3, 4)),
                x -> Losses.mse(x[0], x[1], Reduction.MEAN).add(Losses.mse(x[1], x[0].mul(0.5), Reduction.SUM)));
        spec(Op.CUSTOM, r -> in(away(r, 2, 3)), x -> new Cube().apply(x[0]));
        // ---- norm/embedding/activations ----
        spec(Op.BATCH_NORM, r -> in(away(r, 3, 2, 5), away(r, 2), away(r, 2)),
                x -> x[0].batchNorm(null, null, x[1], x[2], true, 0.1, 1e-5));
        spec(Op.LAYER_NORM, r -> in(away(r, 3, 2, 4), away(r, 2, 4), away(r, 2, 4)),
                x -> x[0].layerNorm(new int[] {2, 4}, x[1], x[2], 1e-5));
        spec(Op.GROUP_NORM, r -> in(away(r, 2, 4, 3), away(r, 4), away(r, 4)),
                x -> x[0].groupNorm(2, x[1], x[2], 1e-5));
        spec(Op.EMBEDDING, r -> in(away(r, 5, 3)),
                // no padding index here: its row is read but by definition gets no gradient
                x -> Tensor.embedding(Indices.of(new long[] {4, 0, 4, 2, 1, 0}, 2, 3), x[0]));
        spec(Op.ELU, r -> in(away(r, 2, 3)), x -> x[0].elu(0.7));
        spec(Op.SOFTPLUS, r -> in(away(r, 2, 3)), x -> x[0].softplus(2, 20));
        spec(Op.SILU, r -> in(away(r, 2, 3)), x -> x[0].silu());
        spec(Op.SOFTSIGN, r -> in(away(r, 2, 3)), x -> x[0].softsign());
        spec(Op.MISH, r -> in(away(r, 2, 3)), x -> x[0].mish());
        spec(Op.HARDTANH, r -> in(offBounds(away(r, 3, 4), -0.8, 0.9)), x -> x[0].hardtanh(-0.8, 0.9));
        spec(Op.PRELU, r -> in(away(r, 2, 3, 4), away(r, 3)), x -> x[0].prelu(x[1]));
        // ---- conv/pool ----
        spec(Op.CONV2D, r -> in(away(r, 2, 4, 5, 6), away(r, 6, 2, 3, 2), away(r, 6)),
                x -> x[0].conv2d(x[1], x[2], new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2));
        spec(Op.CONV_TRANSPOSE2D, r -> in(away(r, 2, 4, 3, 4), away(r, 4, 3, 2, 3), away(r, 6)),
                x -> x[0].convTranspose2d(x[1], x[2], new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 0}, 2,
                        new int[] {1, 1}));
        spec(Op.MAX_POOL2D, r -> in(distinct(r, 2, 3, 5, 6)),
                x -> x[0].maxPool2d(new int[] {2, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true));
        spec(Op.AVG_POOL2D, r -> in(away(r, 2, 3, 5, 6)),
                x -> x[0].avgPool2d(new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, true, false));
        spec(Op.ADAPTIVE_AVG_POOL2D, r -> in(away(r, 2, 3, 5, 7)), x -> x[0].adaptiveAvgPool2d(3, 4));
        spec(Op.ADAPTIVE_MAX_POOL2D, r -> in(distinct(r, 2, 3, 5, 7)), x -> x[0].adaptiveMaxPool2d(3, 4));
        // ---- recurrent/attention ----
        spec(Op.RNN_TANH, r -> in(away(r, 3, 2, 4), away(r, 1, 2, 5), uniform(r, -0.4, 0.4, 5, 4),
                        uniform(r, -0.4, 0.4, 5, 5), away(r, 5), away(r, 5)),
                x -> Tensor.rnnTanh(x[0], x[1], x[2], x[3], x[4], x[5]).output());
        spec(Op.GRU, r -> in(away(r, 3, 2, 4), away(r, 1, 2, 5), uniform(r, -0.4, 0.4, 15, 4),
                        uniform(r, -0.4, 0.4, 15, 5), away(r, 15), away(r, 15)),
                x -> Tensor.gru(x[0], x[1], x[2], x[3], x[4], x[5]).output());
        spec(Op.LSTM, r -> in(away(r, 3, 2, 4), away(r, 1, 2, 5), away(r, 1, 2, 5), uniform(r, -0.4, 0.4, 20, 4),
                        uniform(r, -0.4, 0.4, 20, 5), away(r, 20), away(r, 20)),
                x -> Tensor.lstm(x[0], x[1], x[2], x[3], x[4], x[5], x[6]).output());
    }

    // ------------------------------------------------------------------------------ tests

    @Test
    void everyOpHasAnEntry() {
        List<Op> missing = new ArrayList<>();
        for (Op op : Op.values()) {
            if (!SPECS.containsKey(op)) {
                missing.add(op);
            }
        }
        if (!missing.isEmpty()) {
            fail("OpRegistryTest has no entry for " + missing + ": add one spec(Op.X, inputs, program) "
                    + "block per op (generator away from kinks and ties)");
        }
    }

    @TestFactory
    Stream<DynamicTest> gradCheckInFloat64() {
        System.out.println("OpRegistryTest seed " + SEED);
        return SPECS.values().stream().map(s -> DynamicTest.dynamicTest(s.op().name(), () -> {
            Tensor[] x = s.inputs().apply(new SplittableRandom(SEED + s.op().ordinal()));
            assertReaches(s, s.program().apply(x));
            GradCheck.check(s.program(), 1e-6, 1e-6, 1e-4, SEED, x).assertOk();
        }));
    }

    @TestFactory
    Stream<DynamicTest> float32ForwardMatchesFloat64() {
        return SPECS.values().stream().map(s -> DynamicTest.dynamicTest(s.op().name(), () -> {
            Tensor[] x = s.inputs().apply(new SplittableRandom(SEED + s.op().ordinal()));
            Tensor[] x32 = new Tensor[x.length];
            for (int i = 0; i < x.length; i++) {
                x32[i] = x[i].to(DType.F32);
            }
            double[] want = s.program().apply(x).toDoubleArray();
            Tensor y32 = s.program().apply(x32);
            assertTrue(y32.dtype() == DType.F32, s.op() + " keeps f32 in f32");
            double[] got = y32.toDoubleArray();
            for (int i = 0; i < want.length; i++) {
                double tol = 2e-5 * Math.max(1, Math.abs(want[i]));
                assertTrue(Math.abs(got[i] - want[i]) <= tol, s.op() + " element " + i + ": f32 " + got[i]
                        + " vs f64 " + want[i] + " (seed " + SEED + ")");
            }
        }));
    }

    /** The program must record the op it is the entry of. */
    private static void assertReaches(Spec s, Tensor y) {
        ArrayDeque<Node> todo = new ArrayDeque<>();
        if (y.node != null) {
            todo.add(y.node);
        }
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (n.op == s.op()) {
                return;
            }
            for (Tensor t : n.inputs) {
                if (t.node != null) {
                    todo.add(t.node);
                }
            }
        }
        fail("the entry of " + s.op() + " does not record " + s.op() + " (grad_fn " + y.gradFn() + ")");
    }
}
