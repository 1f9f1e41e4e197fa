package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.GradCheck;
import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F0-07 (Figure 2.21) and F0-C2: {@code loss(y_true, softmax(dot(relu(dot(inputs, W1) + b1), W2) + b2))},
 * full backprop, and "freeze all weights but one scalar and probe": 2·31 forward passes give the
 * same 31 numbers as one backward.
 */
final class F0_07_TwoLayerGraph extends BaseExample {
    F0_07_TwoLayerGraph() {
        super("f0-07-two-layer-graph", "000",
                "Fig 2.21: two-layer relu/softmax net, cross-entropy, backprop vs probing each of 31 weights");
    }

    static final double[] INPUTS = {1.0, 0.5, -1.0};
    static final double[] W1 = {0.1, -0.2, 0.3, 0.0, 0.5, 0.1, -0.1, 0.2, -0.3, 0.4, 0.2, -0.5};
    static final double[] B1 = {0.1, 0.0, -0.1, 0.05};
    static final double[] W2 = {0.2, -0.1, 0.3, 0.0, 0.5, -0.2, 0.1, 0.1, 0.1, -0.4, 0.3, 0.2};
    static final double[] B2 = {0.0, 0.1, -0.1};

    /** p = [W1, b1, W2, b2]; returns the 0-d loss for class 2. */
    static Tensor loss(Tensor inputs, Tensor[] p) {
        Tensor hidden = inputs.matmul(p[0]).add(p[1]).relu();
        Tensor logits = hidden.matmul(p[2]).add(p[3]);
        return Losses.crossEntropy(logits, Indices.of(2L), Reduction.MEAN);
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor inputs = Tensor.fromArray(INPUTS, 1, 3);
        Tensor[] p = {Tensor.fromArray(W1.clone(), 3, 4).requiresGrad(true), Tensor.of(B1).requiresGrad(true),
            Tensor.fromArray(W2.clone(), 4, 3).requiresGrad(true), Tensor.of(B2).requiresGrad(true)};

        Tensor pre = inputs.matmul(p[0]).add(p[1]).retain();
        Tensor hidden = pre.relu().retain();
        Tensor logits = hidden.matmul(p[2]).add(p[3]).retain();
        Tensor probs;
        try (var _ = Tensor.noGrad()) {
            probs = logits.softmax(1);
        }
        Tensor loss = Losses.crossEntropy(logits, Indices.of(2L), Reduction.MEAN);
        loss.backward();

        out.println("inputs = [[1, 0.5, -1]], W1 (3x4), b1, W2 (4x3), b2 as in EXAMPLES.md; y_true = class 2");
        Fmt.kv(out, "dot(inputs, W1) + b1", Fmt.arr(pre.toDoubleArray()));
        Fmt.kv(out, "relu(...)", Fmt.arr(hidden.toDoubleArray()));
        Fmt.kv(out, "logits", Fmt.arr(logits.toDoubleArray()));
        Fmt.kv(out, "softmax", Fmt.arr(probs.toDoubleArray()));
        Fmt.kv(out, "loss = -log softmax[2]", Fmt.num(loss.item()));
        Fmt.kv(out, "dW1", Fmt.mat(p[0].grad().toDoubleArray(), 3, 4));
        Fmt.kv(out, "db1", Fmt.arr(p[1].grad().toDoubleArray()));
        Fmt.kv(out, "dW2", Fmt.mat(p[2].grad().toDoubleArray(), 4, 3));
        Fmt.kv(out, "db2 = softmax - onehot", Fmt.arr(p[3].grad().toDoubleArray()));

        // F0-C2: the naive way — nudge one scalar at a time, everything else frozen (central differences).
        double h = 1e-6;
        double maxDiff = 0;
        int forwards = 0;
        for (int k = 0; k < p.length; k++) {
            double[] analytic = p[k].grad().toDoubleArray();
            for (int e = 0; e < analytic.length; e++) {
                double plus = probe(inputs, p, k, e, h);
                double minus = probe(inputs, p, k, e, -h);
                forwards += 2;
                maxDiff = Math.max(maxDiff, Math.abs((plus - minus) / (2 * h) - analytic[e]));
            }
        }
        Fmt.kv(out, "probing: forward passes", forwards + " (one backward gives all 31 derivatives)");
        Fmt.kv(out, "max |central diff - autograd|", Fmt.f("%.2e", maxDiff));
        GradCheck.Result gc = GradCheck.check(in -> loss(inputs, in), p);
        Fmt.kv(out, "GradCheck", gc.ok() ? "ok (worst abs error " + Fmt.f("%.1e", gc.worstAbsError()) + ")" : gc.detail());
        return new Result()
                .put("preact", pre.toDoubleArray()).put("hidden", hidden.toDoubleArray())
                .put("logits", logits.toDoubleArray()).put("softmax", probs.toDoubleArray())
                .put("loss", loss.item())
                .put("dW1", p[0].grad().toDoubleArray()).put("db1", p[1].grad().toDoubleArray())
                .put("dW2", p[2].grad().toDoubleArray()).put("db2", p[3].grad().toDoubleArray())
                .put("probeMaxDiff", maxDiff).put("forwards", forwards).put("gradcheckOk", gc.ok() ? 1 : 0);
    }

    /** The loss with parameter k's element e moved by delta (no recording). */
    private static double probe(Tensor inputs, Tensor[] p, int k, int e, double delta) {
        Tensor[] q = new Tensor[p.length];
        for (int i = 0; i < p.length; i++) {
            double[] v = p[i].toDoubleArray();
            if (i == k) {
                v[e] += delta;
            }
            q[i] = Tensor.fromArray(F64, v, p[i].dims());
        }
        try (var _ = Tensor.noGrad()) {
            return loss(inputs, q).item();
        }
    }
}
