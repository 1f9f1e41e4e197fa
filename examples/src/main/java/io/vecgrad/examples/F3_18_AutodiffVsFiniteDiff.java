package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/** F3-18: autodiff is not finite differences: the forward difference's error vs h, truncation then round-off. */
final class F3_18_AutodiffVsFiniteDiff extends BaseExample {
    F3_18_AutodiffVsFiniteDiff() {
        super("f3-18-autodiff-vs-finite-diff", "003",
                "forward-difference error of 3x^2 - 4x at 1: 3h down to h ~ 1e-8, then round-off grows; autograd is exact");
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Tensor x = Tensor.scalar(F64, 1).requiresGrad(true);
        x.square().mul(3).sub(x.mul(4)).backward();
        double ad = x.grad().item();
        Fmt.kv(out, "autograd f'(1)", Fmt.num(ad) + " (exact)");
        double[] hs = new double[13];
        double[] errs = new double[13];
        for (int k = 0; k < 13; k++) {
            double h = Math.pow(10, -(k + 1));
            double fd = (F1_01_FiniteDifferences.f(1 + h) - F1_01_FiniteDifferences.f(1)) / h;
            hs[k] = h;
            errs[k] = Math.abs(fd - 2);
            if ((k + 1) % 2 == 0) {
                Fmt.kv(out, "h = 1e-" + (k + 1), Fmt.f("error %.3g", errs[k]));
            }
        }
        XYChart c = Charts.chart("forward difference error, f = 3x² - 4x at 1", "h", "|error|");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        Charts.path(c, "|FD - f'(1)|", hs, errs);
        Path png = Charts.save(c, outDir, "fd_error.png");
        out.println("  plot: " + png);
        return new Result().put("autograd", ad).put("h", hs).put("err", errs).file(png);
    }
}
