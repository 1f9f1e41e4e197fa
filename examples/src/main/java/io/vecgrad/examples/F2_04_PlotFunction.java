package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F32;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/**
 * F2-04 and F2-06: plot f(x) = 3x^2 - 4x on {@code arange(-5, 5, 0.1)} (100 float32 points) and its
 * derivative 6x - 4 — computed for all 100 points by one backward of sum(f(x)).
 */
final class F2_04_PlotFunction extends BaseExample {
    F2_04_PlotFunction() {
        super("f2-04-plot-f-and-derivative", "002",
                "plots f = 3x^2 - 4x and f' on arange(-5, 5, 0.1); autograd's f' equals 6x - 4 at all 100 points");
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Tensor x = Tensor.arange(F32, -5, 5, 0.1).requiresGrad(true);
        Tensor y = x.square().mul(3).sub(x.mul(4)).retain();
        y.sum().backward();   // each y_i depends only on x_i, so d sum(y)/dx_i = f'(x_i)
        double[] xs = x.toDoubleArray();
        double[] ys = y.toDoubleArray();
        double[] dy = x.grad().toDoubleArray();
        double maxErr = 0;
        for (int i = 0; i < xs.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(dy[i] - (6 * xs[i] - 4)));
        }
        Fmt.kv(out, "grid", xs.length + " float32 points from " + xs[0] + " to " + (float) xs[xs.length - 1]);
        Fmt.kv(out, "f(-5), min f on grid", Fmt.num(ys[0]) + ", " + Fmt.num(java.util.Arrays.stream(ys).min().orElseThrow())
                + " (vertex (2/3, -4/3) is between grid points)");
        Fmt.kv(out, "max |autograd f' - (6x - 4)|", Fmt.f("%.2e", maxErr));
        XYChart c = Charts.chart("f(x) = 3x² - 4x", "x", "y=f(x)");
        Charts.curve(c, "f(x)", xs, ys);
        XYChart d = Charts.chart("f'(x) = 6x - 4 (autograd)", "x", "y=f'(x)");
        Charts.curve(d, "f'(x)", xs, dy);
        Path p1 = Charts.save(c, outDir, "f.png");
        Path p2 = Charts.save(d, outDir, "f_prime.png");
        out.println("  plots: " + p1 + ", " + p2);
        return new Result().put("n", xs.length).put("last", xs[xs.length - 1]).put("f", ys).put("fPrime", dy)
                .put("maxErr", maxErr).file(p1).file(p2);
    }
}
