package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/** F1-06: "x_new = x_old + (-grad f)" without a learning rate, then with one, and a convergence threshold. */
final class F1_06_LearningRateThreshold extends BaseExample {
    F1_06_LearningRateThreshold() {
        super("f1-06-lr-and-threshold", "001",
                "f = x^2 from 3: no lr (lr 1) bounces 3,-3,3...; lr 0.1 and 0.9 take 39 steps, 0.5 one, 1.1 diverges");
    }

    static Tensor f(Tensor x) {
        return x.square().sum();
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("f(x) = x^2, x0 = 3, stop when |f'(x)| < 1e-3 (max 1000 iterations), stop if |x| > 1e6");
        XYChart c = Charts.chart("x_new = x_old - lr·f'(x_old) on f = x²", "iteration", "x");
        for (double lr : new double[] {1.0, 0.1, 0.5, 0.9, 1.1}) {
            double x = 3;
            int k = 0;
            String verdict = "not converged after 1000 iterations";
            List<Double> path = new ArrayList<>(List.of(x));
            while (k < 1000) {
                double g = Autodiff.grad(F1_06_LearningRateThreshold::f, x)[0];
                if (Math.abs(g) < 1e-3) {
                    verdict = Fmt.f("converged: %d iterations, x = %.5e", k, x);
                    break;
                }
                x = x + lr * -g;   // the slide's rule, with a learning rate
                k++;
                path.add(x);
                if (Math.abs(x) > 1e6) {
                    verdict = "diverges: |x| > 1e6 in iteration " + (k - 1) + " (0-based)";
                    break;
                }
            }
            String label = lr == 1.0 ? "lr 1 (the rule as written)" : "lr " + Fmt.num(lr);
            Fmt.kv(out, label, verdict + (lr == 1.0 ? "; x = 3, -3, 3, -3, ..." : ""));
            r.put("lr" + lr, Math.abs(x) > 1e6 ? k - 1 : k, x);
            int n = Math.min(path.size(), 45);
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = i;
                ys[i] = Math.max(-10, Math.min(10, path.get(i)));
            }
            Charts.path(c, label, xs, ys);
        }
        c.getStyler().setYAxisMin(-10.0);
        c.getStyler().setYAxisMax(10.0);
        Path png = Charts.save(c, outDir, "lr_threshold.png");
        out.println("  plot: " + png + " (x clipped to [-10, 10])");
        return r.file(png);
    }
}
