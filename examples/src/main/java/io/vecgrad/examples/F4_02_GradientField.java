package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * F4-02 "The gradient points in the direction of steepest ascent": z = sin(x² + y²), its gradient
 * over a whole grid from one backward pass, and the arrows drawn on the level curves.
 */
final class F4_02_GradientField extends BaseExample {
    F4_02_GradientField() {
        super("f4-02-gradient-field", "004",
                "z = sin(x² + y²): the gradient on a 11x11 grid from one backward equals 2x·cos, 2y·cos; arrows point uphill");
    }

    static Tensor h(Tensor x, Tensor y) {
        return x.square().add(y.square()).sin();
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        double[] ticks = Charts.arange(-2.5, 2.6, 0.5);
        int n = ticks.length;
        double[] gx = new double[n * n];
        double[] gy = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                gx[i * n + j] = ticks[j];
                gy[i * n + j] = ticks[i];
            }
        }
        Tensor x = Tensor.fromArray(F64, gx, n * n).requiresGrad(true);
        Tensor y = Tensor.fromArray(F64, gy, n * n).requiresGrad(true);
        h(x, y).sum().backward();          // each z_k depends only on (x_k, y_k): one backward gives all gradients
        double[] dx = x.grad().toDoubleArray();
        double[] dy = y.grad().toDoubleArray();
        double dev = 0;
        for (int k = 0; k < n * n; k++) {
            double c = Math.cos(gx[k] * gx[k] + gy[k] * gy[k]);
            dev = Math.max(dev, Math.max(Math.abs(dx[k] - 2 * gx[k] * c), Math.abs(dy[k] - 2 * gy[k] * c)));
        }
        Fmt.kv(out, "grid", n + " x " + n + " points of arange(-2.5, 2.6, 0.5)");
        Fmt.kv(out, "max |autograd - formula|", Fmt.f("%.1e  (∂z/∂x = 2x cos(x²+y²), ∂z/∂y = 2y cos(x²+y²))", dev));
        double[] at = Autodiff.grad(p -> h(p.slice(0, 0, 1), p.slice(0, 1, 2)).sum(), 0.5, 1.0);
        Fmt.kv(out, "∇z at (0.5, 1.0)", Fmt.arr(at));
        // steepest ascent: a small step along ∇z raises z more than along any other unit direction
        double z0 = Math.sin(1.25);
        double eps = 1e-4;
        double norm = Autodiff.norm(at);
        double best = -1;
        double bestAngle = 0;
        for (int k = 0; k < 360; k++) {
            double a = Math.toRadians(k);
            double px = 0.5 + eps * Math.cos(a);
            double py = 1.0 + eps * Math.sin(a);
            double gain = Math.sin(px * px + py * py) - z0;
            if (gain > best) {
                best = gain;
                bestAngle = k;
            }
        }
        double gradAngle = Math.toDegrees(Math.atan2(at[1], at[0]));
        Fmt.kv(out, "best of 360 directions", Fmt.f("%.0f°; gradient direction %.2f°", bestAngle, gradAngle));
        r.put("maxDev", dev).put("gradAt", at).put("angles", bestAngle, gradAngle).put("norm", norm);

        XYChart c = Charts.chart("Gradient vectors point towards steepest ascent", "x", "y");
        Charts.contours(c, (a, b) -> Math.sin(a * a + b * b), -3, 3, -3, 3, 150, Charts.linspace(-0.9, 0.9, 7));
        double[] ax = new double[3 * n * n];
        double[] ay = new double[3 * n * n];
        for (int k = 0; k < n * n; k++) {
            ax[3 * k] = gx[k];
            ay[3 * k] = gy[k];
            ax[3 * k + 1] = gx[k] + 0.05 * dx[k];
            ay[3 * k + 1] = gy[k] + 0.05 * dy[k];
            ax[3 * k + 2] = ax[3 * k + 1];
            ay[3 * k + 2] = Double.NaN;
        }
        XYSeries s = c.addSeries("∇z (scaled 0.05)", ax, ay);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(new Color(214, 39, 40));
        s.setLineStyle(new BasicStroke(1.5f));
        XYSeries tails = c.addSeries("grid points", gx, gy);
        tails.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        tails.setMarkerColor(new Color(214, 39, 40));
        c.getStyler().setMarkerSize(3);
        Path png = Charts.save(c, outDir, "gradient_field.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
