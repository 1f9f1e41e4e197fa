package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/** F1-03: the slides' "Cubic Function, Quartic Function, 2D function" examples, visualised. */
final class F1_03_CubicQuarticSurface extends BaseExample {
    F1_03_CubicQuarticSurface() {
        super("f1-03-cubic-quartic-2d", "001",
                "GD on the quartic w^4 - 3w^2 + w from five starts (basin boundary 0.16994), and sin(x^2 + y^2)");
    }

    static Tensor quartic(Tensor w) {
        return w.pow(4).sub(w.square().mul(3)).add(w).sum();
    }

    static Tensor surface(Tensor p) {
        return p.square().sum().sin(); // z = sin(x^2 + y^2)
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("quartic f(w) = w^4 - 3w^2 + w, lr 0.01, stop when |f'| < 1e-6:");
        XYChart c = Charts.chart("GD on the quartic (lr 0.01)", "w", "f(w)");
        double[] grid = Charts.linspace(-2.1, 2.1, 300);
        double[] fv = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            fv[i] = Autodiff.value(F1_03_CubicQuarticSurface::quartic, grid[i]);
        }
        Charts.curve(c, "f(w)", grid, fv);
        for (double w0 : new double[] {2.0, 0.5, 0.0, -0.5, -2.0}) {
            double w = w0;
            int k = 0;
            List<double[]> path = new ArrayList<>();
            while (k < 100_000) {
                double[] vg = Autodiff.valueAndGrad(F1_03_CubicQuarticSurface::quartic, w);
                if (path.size() < 30) {
                    path.add(new double[] {w, vg[0]});
                }
                if (Math.abs(vg[1]) < 1e-6) {
                    break;
                }
                w -= 0.01 * vg[1];
                k++;
            }
            Fmt.kv(out, "w0 = " + Fmt.num(w0), Fmt.f("%d iterations -> w = %.7f", k, w));
            r.put("w0=" + w0, k, w);
            Charts.path(c, "w0 = " + Fmt.num(w0), path.stream().mapToDouble(p -> p[0]).toArray(),
                    path.stream().mapToDouble(p -> p[1]).toArray());
        }
        out.println("  starts right of the local max w = 0.16994 end in the local min 1.1309, left of it in the"
                + " global min -1.3008");
        double[] vg = Autodiff.valueAndGrad(F1_03_CubicQuarticSurface::surface, 0.5, 1.0);
        out.println("2-D: z = sin(x^2 + y^2) at (0.5, 1.0):");
        Fmt.kv(out, "z", Fmt.num(vg[0]));
        Fmt.kv(out, "dz/dx = 2x cos(x^2+y^2)", Fmt.num(vg[1]));
        Fmt.kv(out, "dz/dy = 2y cos(x^2+y^2)", Fmt.num(vg[2]));
        r.put("surface", vg);
        Path png = Charts.save(c, outDir, "quartic_gd.png");
        out.println("  plot: " + png + " (the 2-D field is drawn by f4-02-gradient-field)");
        return r.file(png);
    }
}
