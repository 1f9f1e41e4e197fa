package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/** F0-03 (Figure 2.18): SGD down a 1-D loss curve with a learning rate too small, good, too large. */
final class F0_03_LearningRate1D extends BaseExample {
    static final double[] LRS = {0.05, 0.4, 1.05};
    static final String[] VERDICT = {"too small", "good", "too large"};

    F0_03_LearningRate1D() {
        super("f0-03-learning-rate-1d", "000",
                "Fig 2.18: 10 SGD steps on L(w) = (2 - w·1)^2 with lr 0.05 (slow), 0.4 (good), 1.05 (diverges)");
    }

    /** w after each of {@code steps} SGD steps from w0 (index 0 is w0), computed with autograd. */
    static double[] descend(double w0, double lr, int steps) {
        Tensor x = Tensor.scalar(F64, 1);
        Tensor y = Tensor.scalar(F64, 2);
        Tensor w = Tensor.scalar(F64, w0).requiresGrad(true);
        double[] path = new double[steps + 1];
        path[0] = w0;
        for (int k = 1; k <= steps; k++) {
            Tensor loss = y.sub(w.mul(x)).square();  // L(w) = (y - w·x)^2, one training sample
            loss.backward();
            try (var _ = Tensor.noGrad()) {
                w.sub_(w.grad().mul(lr));
            }
            w.zeroGrad();
            path[k] = w.item();
        }
        return path;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("one parameter w, one sample (x=1, y=2), L(w) = (2 - w)^2, w0 = -1, 10 steps");
        List<XYChart> panels = new ArrayList<>();
        double[] grid = Charts.linspace(-7, 10, 200);
        double[] curve = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            curve[i] = (2 - grid[i]) * (2 - grid[i]);
        }
        for (int i = 0; i < LRS.length; i++) {
            double[] path = descend(-1, LRS[i], 10);
            out.println(Fmt.f("lr %-5s (%s): w = %s", Fmt.num(LRS[i]), VERDICT[i], Fmt.arr(round5(path))));
            r.put("lr" + LRS[i], path);
            double[] lossPath = new double[path.length];
            for (int k = 0; k < path.length; k++) {
                lossPath[k] = (2 - path[k]) * (2 - path[k]);
            }
            XYChart c = Charts.chart("lr = " + Fmt.num(LRS[i]) + " (" + VERDICT[i] + ")", "w", "L(w)");
            Charts.curve(c, "L(w)", grid, curve);
            Charts.path(c, "iterates", path, lossPath);
            c.getStyler().setXAxisMin(-7.0);
            c.getStyler().setXAxisMax(10.0);
            c.getStyler().setYAxisMax(100.0);
            panels.add(c);
        }
        out.println("  closed form: w_k - 2 = -3·(1 - 2·lr)^k; |1 - 2·lr| > 1 (lr > 1) diverges");
        Path png = Charts.saveGrid(panels, 1, 3, outDir, "fig2_18_sgd_1d.png");
        out.println("  plot: " + png);
        return r.file(png);
    }

    private static double[] round5(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 1e5) / 1e5;
        }
        return r;
    }
}
