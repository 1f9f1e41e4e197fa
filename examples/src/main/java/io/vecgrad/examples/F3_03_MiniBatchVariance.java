package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;

/**
 * F3-03 SGD, "batch size 1 vs N": the mini-batch gradient is an unbiased but noisy estimate of
 * the full gradient, with variance σ²/B (sampling with replacement).
 */
final class F3_03_MiniBatchVariance extends BaseExample {
    F3_03_MiniBatchVariance() {
        super("f3-03-mini-batch-variance", "003",
                "y = 2x + 1, model wx + b at 0: per-sample dL/dw has variance 3.1287; a batch of B has σ²/B (Monte Carlo)");
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        int n = 100;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (i + 1) / 100.0;
            ys[i] = 2 * xs[i] + 1;
        }
        // per-sample gradients from one backward: give every sample its own copy of w (all 0)
        Tensor x = Tensor.fromArray(F64, xs, n);
        Tensor y = Tensor.fromArray(F64, ys, n);
        Tensor w = Tensor.zeros(F64, n).requiresGrad(true);
        Tensor b = Tensor.zeros(F64, n).requiresGrad(true);
        y.sub(w.mul(x).add(b)).square().sum().backward();   // sample i's loss reaches only w_i, b_i
        double[] g = w.grad().toDoubleArray();
        double mean = 0;
        for (double v : g) {
            mean += v / n;
        }
        double var = 0;
        for (double v : g) {
            var += (v - mean) * (v - mean) / n;
        }
        out.println("x_i = i/100 (i = 1..100), y = 2x + 1, model w·x + b at w = b = 0, loss (y - wx - b)^2:");
        Fmt.kv(out, "full-batch gradient dL/dw", Fmt.f("%.4f  (mean of g_i = -2 x_i y_i)", mean));
        Fmt.kv(out, "per-sample variance σ²", Fmt.f("%.9f", var));
        r.put("mean", mean).put("variance", var);
        SplittableRandom rnd = new SplittableRandom(0);
        int draws = 20_000;
        int[] batches = {1, 4, 16};
        double[] measured = new double[3];
        XYChart c = Charts.chart("mini-batch gradient estimates (first 300 draws)", "draw", "dL/dw");
        for (int k = 0; k < 3; k++) {
            int bs = batches[k];
            double s = 0;
            double s2 = 0;
            double[] firsts = new double[300];
            for (int d = 0; d < draws; d++) {
                double m = 0;
                for (int j = 0; j < bs; j++) {
                    m += g[rnd.nextInt(n)] / bs;                // a batch drawn with replacement
                }
                s += m;
                s2 += m * m;
                if (d < 300) {
                    firsts[d] = m;
                }
            }
            double mm = s / draws;
            measured[k] = s2 / draws - mm * mm;
            Fmt.kv(out, "batch size " + bs, Fmt.f("σ²/B = %.4f, Monte Carlo (%d draws) %.4f, mean %.4f", var / bs, draws,
                    measured[k], mm));
            Charts.curve(c, "B = " + bs, F4_09_CanonicalLoop.epochs(300), firsts);
        }
        out.println("  batch size N (=100, without replacement) gives the full gradient exactly: variance 0.");
        r.put("monteCarlo", measured);
        Path png = Charts.save(c, outDir, "mini_batch_variance.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
