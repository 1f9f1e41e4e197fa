package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * F3-19: the HIPS autograd logistic-regression example, ported: {@code training_gradient_fun =
 * grad(training_loss)}, 100 steps of {@code weights -= gradient * 0.01}. The notes' sigmoid
 * {@code 0.5*(tanh(x)+1)} is σ(2x); the standard one is {@code 0.5*(tanh(x/2)+1)}.
 */
final class F3_19_HipsLogisticRegression extends BaseExample {
    F3_19_HipsLogisticRegression() {
        super("f3-19-hips-logistic-regression", "003",
                "HIPS autograd logistic regression: initial loss 4 ln 2, trained 0.389 (notes' σ(2x)) or 1.067 (true σ)");
    }

    static final Tensor INPUTS = Tensor.fromArray(new double[] {0.52, 1.12, 0.77, 0.88, -1.08, 0.15, 0.52, 0.06, -1.30,
        0.74, -2.49, 1.39}, 4, 3);
    static final Tensor TARGETS = Tensor.of(1.0, 1, 0, 1);

    static UnaryOperator<Tensor> trainingLoss(boolean notesSigmoid) {
        return weights -> {
            Tensor z = INPUTS.matmul(weights);
            Tensor preds = (notesSigmoid ? z : z.mul(0.5)).tanh().add(1).mul(0.5);
            // label_probabilities = preds * targets + (1 - preds) * (1 - targets)
            Tensor probs = preds.mul(TARGETS).add(preds.rsub(1).mul(TARGETS.rsub(1)));
            return probs.log().sum().neg();
        };
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Result r = new Result();
        for (boolean notes : new boolean[] {true, false}) {
            UnaryOperator<Tensor> loss = trainingLoss(notes);
            double[] w = {0, 0, 0};
            double initial = Autodiff.value(loss, w);
            double[] g0 = Autodiff.grad(loss, w);
            for (int i = 0; i < 100; i++) {
                double[] g = Autodiff.grad(loss, w);   // training_gradient_fun(weights)
                for (int k = 0; k < 3; k++) {
                    w[k] -= g[k] * 0.01;
                }
            }
            double trained = Autodiff.value(loss, w);
            String label = notes ? "notes' sigmoid 0.5(tanh(x)+1)" : "true sigmoid 0.5(tanh(x/2)+1)";
            out.println(label + ":");
            Fmt.kv(out, "Initial loss", Fmt.num(initial) + " (= 4 ln 2)");
            Fmt.kv(out, "gradient at 0", Fmt.arr(g0));
            Fmt.kv(out, "Trained loss", Fmt.num(trained));
            Fmt.kv(out, "weights", Fmt.arr(w));
            String k = notes ? "notes" : "standard";
            r.put(k + ".initial", initial).put(k + ".grad0", g0).put(k + ".trained", trained).put(k + ".w", w);
        }
        Fmt.notesClaim(out, "sigmoid(x) = 0.5*(tanh(x) + 1) — that is σ(2x); and the code is Python 2 (print \"...\")");
        return r;
    }
}
