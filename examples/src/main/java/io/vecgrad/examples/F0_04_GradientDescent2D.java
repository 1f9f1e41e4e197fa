package io.vecgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.XYChart;

/** F0-04 (Figure 2.19): gradient descent down a 2-D loss surface f(x, y) = x^2 + 10 y^2. */
final class F0_04_GradientDescent2D extends BaseExample {
    F0_04_GradientDescent2D() {
        super("f0-04-gradient-descent-2d", "000",
                "Fig 2.19: GD on x^2 + 10y^2 from (2,1): lr 0.09 converges, 0.1 oscillates, 0.11 diverges");
    }

    /** Path of full-batch GD (row k = iterate k) until ‖∇f‖ < tol or maxIter steps. */
    static double[][] descend(double lr, double tol, int maxIter) {
        double[][] path = new double[maxIter + 1][];
        double[] p = {2, 1};
        path[0] = p.clone();
        int k = 0;
        while (k < maxIter) {
            double[] g = Autodiff.grad(Autodiff::bowl, p);
            if (Autodiff.norm(g) < tol) {
                break;
            }
            p[0] -= lr * g[0];
            p[1] -= lr * g[1];
            path[++k] = p.clone();
        }
        return Arrays.copyOf(path, k + 1);
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("f(x, y) = x^2 + 10 y^2, start (2, 1), full-batch GD; Hessian diag(2, 20)");
        double[][] good = descend(0.09, 1e-6, 10_000);
        int itersGrad = good.length - 1;
        int itersF = 0;
        while (Autodiff.value(Autodiff::bowl, good[itersF]) >= 1e-10) {
            itersF++;
        }
        Fmt.kv(out, "lr 0.09: iters to |grad| < 1e-6", Integer.toString(itersGrad));
        Fmt.kv(out, "lr 0.09: iters to f < 1e-10", Integer.toString(itersF));
        double[][] edge = descend(0.1, 1e-6, 1000);
        Fmt.kv(out, "lr 0.10: y after 999, 1000", Fmt.num(edge[999][1]) + ", " + Fmt.num(edge[1000][1])
                + "  (y-factor 1 - 0.1·20 = -1: oscillates forever)");
        double[][] bad = descend(0.11, 1e-6, 1000);
        Fmt.kv(out, "lr 0.11: |y| after 1000", Fmt.num(Math.abs(bad[1000][1])) + "  (diverges)");
        Fmt.kv(out, "max stable lr = 2/lambda_max", Fmt.num(2.0 / 20));
        r.put("itersGrad009", itersGrad).put("itersF009", itersF)
                .put("y010", edge[999][1], edge[1000][1]).put("absY011", Math.abs(bad[1000][1]));

        XYChart c = Charts.chart("Fig 2.19: GD on f = x² + 10y²", "x", "y");
        Charts.contours(c, (x, y) -> x * x + 10 * y * y, -2.5, 2.5, -1.5, 1.5, 120,
                new double[] {0.05, 0.2, 0.5, 1, 2, 4, 7, 11, 16});
        addPath(c, "lr 0.09", Arrays.copyOf(good, 40));
        addPath(c, "lr 0.1 (oscillates)", Arrays.copyOf(edge, 25));
        Path png = Charts.save(c, outDir, "fig2_19_gd_2d.png");
        out.println("  plot: " + png);
        return r.file(png);
    }

    static void addPath(XYChart c, String name, double[][] pts) {
        double[] xs = new double[pts.length];
        double[] ys = new double[pts.length];
        for (int i = 0; i < pts.length; i++) {
            xs[i] = pts[i][0];
            ys[i] = pts[i][1];
        }
        Charts.path(c, name, xs, ys);
    }
}
