package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * F4-11 "Explore this loss landscape and the resulting GD trajectories": the narrow net y = w1 w2 x
 * on x = linspace(0,1,10), y = x; antisymmetric inits (w2 = -w1) slide into the saddle (0, 0),
 * others reach the hyperbola of solutions w1·w2 = 1.
 */
final class F4_11_TrainingLandscape extends BaseExample {
    F4_11_TrainingLandscape() {
        super("f4-11-training-landscape", "004",
                "GD trajectories on mean((x - w1·w2·x)^2): antisymmetric inits end in the saddle (0, 0), others on w1·w2 = 1");
    }

    /** GD from (w1, w2); returns the path (epochs + 1 points) and, in {@code losses}, the loss before each update. */
    static double[][] gd(double w1, double w2, double lr, int epochs, double[] losses) {
        Tensor w = Tensor.of(w1, w2).requiresGrad(true);
        double[][] path = new double[epochs + 1][];
        path[0] = new double[] {w1, w2};
        for (int e = 0; e < epochs; e++) {
            Tensor l = F4_12_CriticalPoints.loss(w);
            l.backward();
            losses[e] = l.item();
            try (var _ = Tensor.noGrad()) {
                w.sub_(w.grad().mul(lr));
            }
            w.zeroGrad();
            path[e + 1] = w.toDoubleArray();
        }
        return path;
    }

    static double lossAt(double w1, double w2) {
        return Autodiff.value(F4_12_CriticalPoints::loss, w1, w2);
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        XYChart c = Charts.chart("log(loss + 0.001) and GD trajectories", "w1", "w2");
        Charts.contours(c, (a, b) -> Math.log(lossAt(a, b) + 0.001), -1.9, 1.9, -1.9, 1.9, 80,
                Charts.linspace(-6, 2.5, 14));
        double[] hx = Charts.linspace(0.53, 1.9, 60);
        double[] hy = new double[60];
        for (int i = 0; i < 60; i++) {
            hy[i] = 1 / hx[i];
        }
        Charts.curve(c, "w1·w2 = 1", hx, hy);
        double[] nx = new double[60];
        double[] ny = new double[60];
        for (int i = 0; i < 60; i++) {
            nx[i] = -hx[i];
            ny[i] = -hy[i];
        }
        Charts.curve(c, "w1·w2 = 1 (negative branch)", nx, ny);
        out.println("lr 0.15, 40 epochs, x = linspace(0, 1, 10), y = x (loss of the saddle: mean(y^2) = 0.3518519):");
        double[][] inits = {{0.5, -0.5}, {0.55, -0.45}, {-1.8, 1.7}, {1.0, -1.0}};
        for (double[] in : inits) {
            double[] losses = new double[40];
            double[][] path = gd(in[0], in[1], 0.15, 40, losses);
            double[] end = path[40];
            double last = losses[39];                       // the loss of the last epoch, as NMA records it
            Fmt.kv(out, "init " + Fmt.arr(in), Fmt.f("-> (%.6f, %.6f), w1·w2 %.6f, loss %.6f -> %.6f%s", end[0], end[1],
                    end[0] * end[1], losses[0], last, Math.abs(end[0] + end[1]) < 1e-12 ? "  (saddle)" : ""));
            r.put("init" + Fmt.arr(in), end[0], end[1], losses[0], last);
            F0_04_GradientDescent2D.addPath(c, "from " + Fmt.arr(in), path);
        }
        out.println("  with w2 = -w1 the gradient keeps w2 = -w1: those runs can only reach (0, 0), a saddle.");
        out.println("lr 0.02, 240 epochs (NMA plot_loss_landscape):");
        for (double[] in : new double[][] {{-1.8, 1.7}, {1.5, -1.5}}) {
            double[] losses = new double[240];
            double[][] path = gd(in[0], in[1], 0.02, 240, losses);
            double[] end = path[240];
            double last = losses[239];
            Fmt.kv(out, "init " + Fmt.arr(in), Fmt.f("-> (%.6f, %.6f), loss %.7f", end[0], end[1], last));
            r.put("slow" + Fmt.arr(in), end[0], end[1], last);
        }
        Path png = Charts.saveGrid(List.of(c), 1, 1, outDir, "training_landscape.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
