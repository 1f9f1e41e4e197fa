package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * F3-06 "Why Momentum Really Works" (α = 0.02, β = 0.99): Distill's undamped momentum
 * z = βz + ∇f, w = w - αz (= SGD(lr α, momentum β)) on x² + 10y²; it allows step sizes up to
 * αλ < 2(1 + β) and "creates its own oscillations".
 */
final class F3_06_DistillMomentum extends BaseExample {
    F3_06_DistillMomentum() {
        super("f3-06-distill-momentum", "003",
                "undamped momentum on x² + 10y²: α 0.11 diverges for GD, converges with β 0.9; α 0.02, β 0.99 spirals in 1979 steps");
    }

    /** Iterations to f < 1e-10 (-1 if it diverges or exceeds 100,000); the first {@code keep} iterates into path. */
    static int iterations(double alpha, double beta, List<double[]> path, int keep) {
        Tensor p = Tensor.of(2.0, 1.0).requiresGrad(true);
        SGD opt = SGD.builder(p).lr(alpha).momentum(beta).build();   // buf = β·buf + g; p -= α·buf
        if (path != null) {
            path.add(p.toDoubleArray());
        }
        for (int it = 1; it <= 100_000; it++) {
            opt.zeroGrad();
            Autodiff.bowl(p).backward();
            opt.step();
            if (path != null && it <= keep) {
                path.add(p.toDoubleArray());
            }
            double f = Autodiff.value(Autodiff::bowl, p.toDoubleArray());
            if (f < 1e-10) {
                return it;
            }
            if (!(f < 1e10)) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("x^2 + 10y^2 (λmax = 20) from (2, 1), z = βz + ∇f, w = w - αz (no (1-β) factor, as Distill);");
        out.println("iterations to f < 1e-10:");
        double[][] settings = {{0.11, 0}, {0.11, 0.9}, {0.18, 0.9}, {0.2, 0.9}, {0.02, 0.99}, {0.02, 0}, {0.02, 0.9}};
        double[] its = new double[settings.length];
        for (int i = 0; i < settings.length; i++) {
            double a = settings[i][0];
            double b = settings[i][1];
            int n = iterations(a, b, null, 0);
            its[i] = n;
            Fmt.kv(out, "α " + Fmt.num(a) + ", β " + Fmt.num(b), (n < 0 ? "diverges" : n + " iterations")
                    + Fmt.f("  (αλ = %.2f, bound 2(1+β) = %.2f)", a * 20, 2 * (1 + b)));
        }
        r.put("iterations", its);
        out.println("  momentum allows a larger range of step sizes (αλ up to 2(1+β)) and oscillates by itself.");
        Fmt.notesClaim(out, "α = 0.02, β = 0.99 without the update rule — Distill's z = βz + ∇f differs from"
                + " note 003's (1-β) form by a factor 1/(1-β) = 100 in step");
        List<double[]> path = new ArrayList<>();
        iterations(0.02, 0.99, path, 600);
        XYChart c = Charts.chart("α = 0.02, β = 0.99 on x² + 10y² (first 600 iterates)", "x", "y");
        Charts.contours(c, (x, y) -> x * x + 10 * y * y, -2.5, 2.5, -1.5, 1.5, 100,
                new double[] {0.05, 0.2, 0.5, 1, 2, 4, 7, 11, 16});
        F0_04_GradientDescent2D.addPath(c, "momentum iterates", path.toArray(double[][]::new));
        Path png = Charts.save(c, outDir, "distill_momentum.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
