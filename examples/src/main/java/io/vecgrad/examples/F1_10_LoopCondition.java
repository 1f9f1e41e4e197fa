package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F1-10: {@code while (iter_count < max_iters or convergence_not_reached)} must be {@code and}. */
final class F1_10_LoopCondition extends BaseExample {
    F1_10_LoopCondition() {
        super("f1-10-loop-condition", "001",
                "with 'or' a divergent run (x^2, lr 1.1) never stops; with 'and' it stops after max_iters = 50");
    }

    static Tensor f(Tensor x) {
        return x.square().sum();
    }

    /** Runs GD; returns {iterations, converged?1:0}; {@code useOr} runs the notes' condition, with a safety cap. */
    static int[] loop(boolean useOr, int maxIters, int safetyCap) {
        double x = 3;
        int iterCount = 0;
        boolean convergenceNotReached = true;
        while (useOr ? (iterCount < maxIters || convergenceNotReached) : (iterCount < maxIters && convergenceNotReached)) {
            if (iterCount >= safetyCap) {
                break; // only the demonstration of 'or' needs this
            }
            double g = Autodiff.grad(F1_10_LoopCondition::f, x)[0];
            convergenceNotReached = !(Math.abs(g) < 1e-3);
            if (convergenceNotReached) {
                x -= 1.1 * g;
            }
            iterCount++;
        }
        return new int[] {iterCount, convergenceNotReached ? 0 : 1};
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        out.println("f(x) = x^2, x0 = 3, lr 1.1 (divergent), max_iters = 50, threshold |f'| < 1e-3");
        int[] and = loop(false, 50, Integer.MAX_VALUE);
        int[] or = loop(true, 50, 5000);
        Fmt.kv(out, "while (iter < max AND not conv.)", "stopped after " + and[0] + " iterations, "
                + (and[1] == 1 ? "converged" : "not converged"));
        Fmt.kv(out, "while (iter < max OR not conv.)", "still running after " + or[0]
                + " iterations (stopped by a safety cap)");
        Fmt.notesClaim(out, "while( iter_count < max_iters or convergence_not_reached) — must be 'and'");
        return new Result().put("and", and[0], and[1]).put("or", or[0], or[1]);
    }
}
