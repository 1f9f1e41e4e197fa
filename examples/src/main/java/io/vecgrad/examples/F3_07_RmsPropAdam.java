package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.RMSprop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/**
 * F3-07 and F3-08: RMSProp (β 0.9, η 0.01) and Adam (β1 0.9, β2 0.999, ε 1e-8, bias-corrected,
 * lr 0.01) written from the notes' equations, on x^2 + 10y^2 from (2, 1).
 */
final class F3_07_RmsPropAdam extends BaseExample {
    F3_07_RmsPropAdam() {
        super("f3-07-rmsprop-adam", "003",
                "RMSProp's first step moves each coordinate by η/sqrt(1-β); without ε it is NaN at a zero gradient; Adam");
    }

    static double[][] rmsprop(double[] start, int steps, double eps) {
        double beta = 0.9;
        double eta = 0.01;
        double[] p = start.clone();
        double[] s = new double[2];
        double[][] path = new double[steps + 1][];
        path[0] = p.clone();
        for (int t = 1; t <= steps; t++) {
            double[] g = Autodiff.grad(Autodiff::bowl, p);
            for (int i = 0; i < 2; i++) {
                s[i] = beta * s[i] + (1 - beta) * g[i] * g[i];     // "g_t^2": a running mean of squares
                p[i] -= eta * g[i] / (Math.sqrt(s[i]) + eps);      // eps outside the sqrt, as PyTorch
            }
            path[t] = p.clone();
        }
        return path;
    }

    static double[][] adam(double[] start, int steps) {
        double b1 = 0.9;
        double b2 = 0.999;
        double lr = 0.01;
        double eps = 1e-8;
        double[] p = start.clone();
        double[] m = new double[2];
        double[] v = new double[2];
        double[][] path = new double[steps + 1][];
        path[0] = p.clone();
        for (int t = 1; t <= steps; t++) {
            double[] g = Autodiff.grad(Autodiff::bowl, p);
            for (int i = 0; i < 2; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];                 // momentum
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];          // RMSProp
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            path[t] = p.clone();
        }
        return path;
    }

    /** The same run with a library optimizer over a 2-element parameter; returns the largest deviation. */
    static double libraryDeviation(java.util.function.Function<Tensor, Optimizer> make, double[][] manual) {
        Tensor p = Tensor.fromArray(F64, manual[0].clone(), 2).requiresGrad(true);
        Optimizer opt = make.apply(p);
        double dev = 0;
        for (int t = 1; t < manual.length; t++) {
            opt.zeroGrad();
            Autodiff.bowl(p).backward();
            opt.step();
            double[] v = p.toDoubleArray();
            dev = Math.max(dev, Math.max(Math.abs(v[0] - manual[t][0]), Math.abs(v[1] - manual[t][1])));
        }
        return dev;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        double[][] r = rmsprop(new double[] {2, 1}, 300, 1e-8);
        out.println("RMSProp (beta 0.9, eta 0.01, eps 1e-8) on x^2 + 10y^2 from (2, 1):");
        Fmt.kv(out, "iterates 1..3", Fmt.arr(r[1]) + " " + Fmt.arr(r[2]) + " " + Fmt.arr(r[3]));
        Fmt.kv(out, "first step per coordinate", Fmt.f("%.10f = eta/sqrt(1-beta)", 2 - r[1][0]));
        Fmt.kv(out, "after 300 steps", Fmt.f("(%.6f, %.5f): hovers at lr scale in the steep direction",
                r[300][0], r[300][1]));
        double[][] noEps = rmsprop(new double[] {0, 0}, 1, 0);
        Fmt.kv(out, "no eps, start at the minimum", Fmt.arr(noEps[1]) + " (0/0)");
        Fmt.notesClaim(out, "θ_t = θ_{t-1} - η/sqrt(g_t^2)·∇J — no ε (NaN at ∇J = 0) and β unspecified");
        double[][] a = adam(new double[] {2, 1}, 1000);
        out.println("Adam (0.9, 0.999, 1e-8, bias correction), lr 0.01:");
        Fmt.kv(out, "iterates 1..3", Fmt.arr(a[1]) + " " + Fmt.arr(a[2]) + " " + Fmt.arr(a[3]));
        Fmt.kv(out, "after 1000 steps", Fmt.f("(%.6f, %.6f)", a[1000][0], a[1000][1]));
        double devRms = libraryDeviation(p -> RMSprop.builder(p).lr(0.01).alpha(0.9).eps(1e-8).build(), r);
        double devAdam = libraryDeviation(p -> Adam.builder(p).lr(0.01).betas(0.9, 0.999).eps(1e-8).build(), a);
        Fmt.kv(out, "io.vecgrad.optim.RMSprop vs hand", Fmt.f("max deviation over 300 steps %.1e", devRms));
        Fmt.kv(out, "io.vecgrad.optim.Adam vs hand", Fmt.f("max deviation over 1000 steps %.1e", devAdam));
        XYChart c = Charts.chart("RMSProp and Adam on x² + 10y²", "x", "y");
        Charts.contours(c, (x, y) -> x * x + 10 * y * y, -0.5, 2.5, -0.5, 1.2, 100,
                new double[] {0.05, 0.2, 0.5, 1, 2, 4, 7, 11});
        F0_04_GradientDescent2D.addPath(c, "RMSProp", java.util.Arrays.copyOf(r, 301));
        F0_04_GradientDescent2D.addPath(c, "Adam", java.util.Arrays.copyOf(a, 400));
        Path png = Charts.save(c, outDir, "rmsprop_adam.png");
        out.println("  plot: " + png);
        return new Result().put("rms1", r[1]).put("rms2", r[2]).put("rms3", r[3]).put("rms300", r[300])
                .put("noEps", noEps[1]).put("adam1", a[1]).put("adam2", a[2]).put("adam3", a[3])
                .put("adam1000", a[1000]).put("devRms", devRms).put("devAdam", devAdam).file(png);
    }
}
