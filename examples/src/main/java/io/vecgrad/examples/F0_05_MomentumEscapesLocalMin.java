package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/** F0-05 (Figure 2.20): a local and a global minimum; heavy-ball momentum can (not always) escape. */
final class F0_05_MomentumEscapesLocalMin extends BaseExample {
    F0_05_MomentumEscapesLocalMin() {
        super("f0-05-momentum-local-min", "000",
                "Fig 2.20: on w^4 - 3w^2 + w from w0=2, GD stops in the local min, momentum 0.9 reaches the global one; SGD.momentum(0.9) follows the same path");
    }

    static Tensor f(Tensor w) {
        return w.pow(4).sub(w.square().mul(3)).add(w).sum();
    }

    /** Heavy ball as torch.optim.SGD(momentum=m): buf = m·buf + g (buf = g on the first step); w -= lr·buf. */
    static double[] heavyBall(double w0, double lr, double m, int steps) {
        double[] path = new double[steps + 1];
        double w = w0;
        double buf = 0;
        path[0] = w;
        for (int t = 1; t <= steps; t++) {
            double g = Autodiff.grad(F0_05_MomentumEscapesLocalMin::f, w)[0];
            buf = t == 1 ? g : m * buf + g;
            w -= lr * buf;
            path[t] = w;
        }
        return path;
    }

    /** The same run with the library's {@code SGD(lr, momentum)}: the path of w. */
    static double[] librarySgd(double w0, double lr, double m, int steps) {
        Tensor w = Tensor.of(w0).requiresGrad(true);
        SGD opt = SGD.builder(w).lr(lr).momentum(m).build();
        double[] path = new double[steps + 1];
        path[0] = w0;
        for (int t = 1; t <= steps; t++) {
            opt.zeroGrad();
            f(w).backward();
            opt.step();
            path[t] = w.item();
        }
        return path;
    }

    static double maxDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** A zero of f' in [lo, hi] by bisection, f' from autograd. */
    static double criticalPoint(double lo, double hi) {
        double glo = Autodiff.grad(F0_05_MomentumEscapesLocalMin::f, lo)[0];
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
            double mid = 0.5 * (lo + hi);
            double gm = Autodiff.grad(F0_05_MomentumEscapesLocalMin::f, mid)[0];
            if ((gm < 0) == (glo < 0)) {
                lo = mid;
                glo = gm;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("f(w) = w^4 - 3w^2 + w; critical points (f'(w) = 0, f' by autograd, bisection):");
        double gmin = criticalPoint(-2, -1);
        double lmax = criticalPoint(0, 0.5);
        double lmin = criticalPoint(1, 1.5);
        Fmt.kv(out, "global min", Fmt.f("w = %.10f, f = %.10f", gmin, Autodiff.value(F0_05_MomentumEscapesLocalMin::f, gmin)));
        Fmt.kv(out, "local max", Fmt.f("w = %.10f, f = %.10f", lmax, Autodiff.value(F0_05_MomentumEscapesLocalMin::f, lmax)));
        Fmt.kv(out, "local min", Fmt.f("w = %.10f, f = %.10f", lmin, Autodiff.value(F0_05_MomentumEscapesLocalMin::f, lmin)));
        r.put("critical", gmin, lmax, lmin);

        double[] gd = heavyBall(2.0, 0.01, 0, 500);
        double[] mom = heavyBall(2.0, 0.01, 0.9, 500);
        out.println("w0 = 2.0, lr 0.01, 500 steps:");
        Fmt.kv(out, "plain GD (m = 0)", Fmt.f("w -> %.10f (stuck in the local min)", gd[500]));
        Fmt.kv(out, "heavy ball m = 0.9", Fmt.f("w -> %.10f (global min)", mom[500]));
        r.put("gd", gd[500]).put("momentum", mom[500]);
        double devGd = maxDiff(gd, librarySgd(2.0, 0.01, 0, 500));
        double devMom = maxDiff(mom, librarySgd(2.0, 0.01, 0.9, 500));
        Fmt.kv(out, "SGD.builder(w).lr(0.01)", Fmt.f("same path as plain GD, max deviation %.1e", devGd));
        Fmt.kv(out, "  .momentum(0.9)", Fmt.f("same path as the heavy ball, max deviation %.1e", devMom));
        r.put("libraryDeviation", devGd, devMom);

        out.println("sensitivity (\"we can avoid such local minimums by using momentum\" is not a guarantee):");
        double[][] settings = {{2, 0.01, 0.5}, {2, 0.01, 0.8}, {2, 0.02, 0.8}, {2, 0.02, 0.9}, {2, 0.02, 0.95},
            {2, 0.05, 0.8}, {2, 0.05, 0.9}, {1.5, 0.01, 0.9}, {1.5, 0.02, 0.9}, {1.5, 0.05, 0.8}};
        double[] escaped = new double[settings.length];
        for (int i = 0; i < settings.length; i++) {
            double[] s = settings[i];
            double end = heavyBall(s[0], s[1], s[2], 500)[500];
            escaped[i] = end < 0 ? 1 : 0;
            out.println(Fmt.f("    w0 %-4s lr %-5s m %-5s -> w = %+.6f  %s", Fmt.num(s[0]), Fmt.num(s[1]),
                    Fmt.num(s[2]), end, end < 0 ? "escapes (global)" : "stays local"));
        }
        r.put("escaped", escaped);
        Fmt.notesClaim(out, "\"we can avoid such local minimums by using momentum\" — only for some lr, m and w0");

        XYChart c = Charts.chart("Fig 2.20: local vs global minimum", "w", "f(w)");
        double[] grid = Charts.linspace(-2, 2.2, 300);
        double[] fv = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            double w = grid[i];
            fv[i] = w * w * w * w - 3 * w * w + w;
        }
        Charts.curve(c, "f(w)", grid, fv);
        Charts.path(c, "GD (m = 0)", java.util.Arrays.copyOf(gd, 60), values(java.util.Arrays.copyOf(gd, 60)));
        Charts.path(c, "momentum 0.9", java.util.Arrays.copyOf(mom, 60), values(java.util.Arrays.copyOf(mom, 60)));
        Path png = Charts.save(c, outDir, "fig2_20_local_global_min.png");
        out.println("  plot: " + png);
        return r.file(png);
    }

    private static double[] values(double[] ws) {
        double[] v = new double[ws.length];
        for (int i = 0; i < ws.length; i++) {
            double w = ws[i];
            v[i] = w * w * w * w - 3 * w * w + w;
        }
        return v;
    }
}
