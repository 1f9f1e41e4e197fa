package io.vecgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;

/** F3-01: one GD iteration θ ← θ - η_t ∂J/∂θ with a time-dependent (step-decay) learning rate. */
final class F3_01_StepDecay extends BaseExample {
    F3_01_StepDecay() {
        super("f3-01-step-decay", "003",
                "J = θ^2, η_t = 0.1·0.5^floor(t/10), 30 steps: θ30 = 0.8^10·0.9^10·0.95^10 = 0.0224161496");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        double theta = 1;
        for (int t = 0; t < 30; t++) {
            double eta = 0.1 * Math.pow(0.5, t / 10);   // StepLR(step_size=10, gamma=0.5)
            double g = Autodiff.grad(p -> p.square().sum(), theta)[0];
            theta -= eta * g;
            if (t % 10 == 9) {
                Fmt.kv(out, "after step " + (t + 1) + " (eta " + Fmt.num(eta) + ")", Fmt.f("theta = %.10f", theta));
            }
        }
        double closed = Math.pow(0.8, 10) * Math.pow(0.9, 10) * Math.pow(0.95, 10);
        Fmt.kv(out, "closed form 0.8^10 0.9^10 0.95^10", Fmt.f("%.10f", closed));
        return new Result().put("theta30", theta).put("closedForm", closed);
    }
}
