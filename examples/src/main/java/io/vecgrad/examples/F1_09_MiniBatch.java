package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/** F1-09 (and F0-C1, F0-C4): batch GD vs mini-batch vs stochastic GD, epochs and iterations per epoch. */
final class F1_09_MiniBatch extends BaseExample {
    F1_09_MiniBatch() {
        super("f1-09-mini-batch", "001",
                "fit y = 2x + 1 on 16 points with batch 16 / 4 / 1 (GD / mini-batch / SGD): updates, w, b, MSE per epoch");
    }

    static final int N = 16;

    /** Trains w·x + b for the given epochs; returns {w, b, full MSE} and fills mseCurve[epoch] if non-null. */
    static double[] train(int batch, int epochs, double[] mseCurve) {
        double[] xs = Charts.linspace(-1, 1, N);
        double[] ys = new double[N];
        for (int i = 0; i < N; i++) {
            ys[i] = 2 * xs[i] + 1;
        }
        Tensor x = Tensor.fromArray(F64, xs, N);
        Tensor y = Tensor.fromArray(F64, ys, N);
        Tensor w = Tensor.scalar(F64, 0).requiresGrad(true);
        Tensor b = Tensor.scalar(F64, 0).requiresGrad(true);
        if (mseCurve != null) {
            mseCurve[0] = fullMse(w, b, x, y);
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int start = 0; start < N; start += batch) {       // ceil(N / B) iterations per epoch
                int end = Math.min(N, start + batch);
                Tensor xb = x.slice(0, start, end);                 // fixed order, no shuffling
                Tensor yb = y.slice(0, start, end);
                Tensor loss = Losses.mse(w.mul(xb).add(b), yb, Reduction.MEAN); // forward + loss
                loss.backward();                                    // backward
                try (var _ = Tensor.noGrad()) {                     // W -= learning_rate * gradient
                    w.sub_(w.grad().mul(0.1));
                    b.sub_(b.grad().mul(0.1));
                }
                w.zeroGrad();
                b.zeroGrad();
            }
            if (mseCurve != null) {
                mseCurve[epoch] = fullMse(w, b, x, y);
            }
        }
        return new double[] {w.item(), b.item(), fullMse(w, b, x, y)};
    }

    private static double fullMse(Tensor w, Tensor b, Tensor x, Tensor y) {
        try (var _ = Tensor.noGrad()) {
            return Losses.mse(w.mul(x).add(b), y, Reduction.MEAN).item();
        }
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("x = linspace(-1, 1, 16), y = 2x + 1, model w·x + b from 0, MSE (batch mean), lr 0.1, no shuffling");
        out.println(Fmt.f("  %-16s %6s %8s %10s %10s %12s", "batch size", "epochs", "updates", "w", "b", "full MSE"));
        XYChart c = Charts.chart("full-data MSE per epoch", "epoch", "MSE");
        c.getStyler().setYAxisLogarithmic(true);
        for (int batch : new int[] {16, 4, 1}) {
            String kind = batch == 16 ? "16 (batch GD)" : batch == 4 ? "4 (mini-batch)" : "1 (SGD)";
            for (int epochs : new int[] {1, 20}) {
                double[] curve = epochs == 20 ? new double[21] : null;
                double[] res = train(batch, epochs, curve);
                int updates = epochs * ((N + batch - 1) / batch);
                out.println(Fmt.f("  %-16s %6d %8d %10.6f %10.6f %12.7g", kind, epochs, updates, res[0], res[1], res[2]));
                r.put("B" + batch + "E" + epochs, res);
                if (curve != null) {
                    double[] ep = new double[21];
                    for (int i = 0; i <= 20; i++) {
                        ep[i] = i;
                        curve[i] = Math.max(curve[i], 1e-30);
                    }
                    Charts.path(c, "batch " + batch, ep, curve);
                }
            }
        }
        out.println("  iterations per epoch are ceil(N/B): N = 100, B = 32 gives 4 (3 with drop_last), not N/B = 3.125");
        Fmt.notesClaim(out, "\"the higher the batch size, faster the convergence\" — per epoch it is the opposite"
                + " here; per update, larger batches give more accurate steps");
        Path png = Charts.save(c, outDir, "minibatch_mse.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
