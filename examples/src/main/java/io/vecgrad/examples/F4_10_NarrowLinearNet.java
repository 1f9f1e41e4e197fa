package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/**
 * F4-10: the 1-layer narrow linear net y = x·w1·w2 with L = mean((y - x w1 w2)^2), "implement
 * gradient descent": hand-written gradients checked against autograd at every epoch.
 */
final class F4_10_NarrowLinearNet extends BaseExample {
    F4_10_NarrowLinearNet() {
        super("f4-10-narrow-linear-net", "004",
                "y = x·w1·w2 from (1.4, -1.6) on y = 2x: 211 epochs of GD lr 0.02, manual grads = autograd");
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        int n = 73;
        double[] xs = Charts.linspace(0, 1, n);
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            ys[i] = 2 * xs[i];
        }
        Tensor x = Tensor.fromArray(F64, xs, n);
        Tensor y = Tensor.fromArray(F64, ys, n);
        Tensor w1 = Tensor.scalar(F64, 1.4).requiresGrad(true);
        Tensor w2 = Tensor.scalar(F64, -1.6).requiresGrad(true);
        int epochs = 211;
        double[] loss = new double[epochs];
        double[] w1s = new double[epochs];
        double[] w2s = new double[epochs];
        double maxGradDiff = 0;
        int firstBelow = -1;
        for (int e = 0; e < epochs; e++) {
            Tensor l = y.sub(x.mul(w1).mul(w2)).square().mean();
            l.backward();
            loss[e] = l.item();
            double a = w1.item();
            double b = w2.item();
            // the hand-derived gradients: dL/dw1 = -mean(2 w2 x (y - w1 w2 x)), and symmetric
            double g1 = 0;
            double g2 = 0;
            for (int i = 0; i < n; i++) {
                double err = ys[i] - a * b * xs[i];
                g1 -= 2 * b * xs[i] * err / n;
                g2 -= 2 * a * xs[i] * err / n;
            }
            maxGradDiff = Math.max(maxGradDiff, Math.max(Math.abs(g1 - w1.grad().item()), Math.abs(g2 - w2.grad().item())));
            if (firstBelow < 0 && loss[e] < 1e-2) {
                firstBelow = e;
            }
            try (var _ = Tensor.noGrad()) {
                w1.sub_(w1.grad().mul(0.02));
                w2.sub_(w2.grad().mul(0.02));
            }
            w1.zeroGrad();
            w2.zeroGrad();
            w1s[e] = w1.item();
            w2s[e] = w2.item();
        }
        double finalLoss = loss[epochs - 1]; // the last recorded epoch's loss, as NMA's loss curve ends
        Fmt.kv(out, "initial loss", Fmt.num(loss[0]));
        Fmt.kv(out, "loss < 1e-2 first at epoch", Integer.toString(firstBelow));
        Fmt.kv(out, "final w1, w2, w1·w2", Fmt.arr(w1.item(), w2.item(), w1.item() * w2.item()));
        Fmt.kv(out, "loss at the last epoch (210)", Fmt.f("%.3g", finalLoss));
        Fmt.kv(out, "max |manual - autograd| grad", Fmt.f("%.1e", maxGradDiff));
        out.println("  the init's product is negative; training crosses to the (-, -) branch of w1·w2 = 2");
        double[] ep = new double[epochs];
        for (int i = 0; i < epochs; i++) {
            ep[i] = i;
        }
        XYChart c1 = Charts.chart("MSE vs epoch", "epoch", "MSE");
        c1.getStyler().setYAxisLogarithmic(true);
        Charts.curve(c1, "training loss", ep, loss);
        XYChart c2 = Charts.chart("weights vs epoch", "epoch", "w");
        Charts.curve(c2, "w1", ep, w1s);
        Charts.curve(c2, "w2", ep, w2s);
        Path png = Charts.saveGrid(java.util.List.of(c1, c2), 1, 2, outDir, "narrow_linear_net.png");
        out.println("  plot: " + png);
        return new Result().put("initialLoss", loss[0]).put("firstBelow", firstBelow)
                .put("w", w1.item(), w2.item(), w1.item() * w2.item()).put("finalLoss", finalLoss)
                .put("maxGradDiff", maxGradDiff).file(png);
    }
}
