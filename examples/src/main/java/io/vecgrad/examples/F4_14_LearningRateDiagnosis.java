package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * F4-14 "How to pick η?": reading the learning rate off the loss curve — too small (flat line),
 * slightly small (slow), just right, slightly too big (chaotic), way too big (divergence) — on a
 * 1-D quartic and on the notes' deep linear network (50 hidden layers, init 0.9).
 */
final class F4_14_LearningRateDiagnosis extends BaseExample {
    F4_14_LearningRateDiagnosis() {
        super("f4-14-learning-rate-diagnosis", "004",
                "loss curves for too low / good / too high learning rates, plotted together: (w²-1)²/4 and the 51-weight chain");
    }

    static Tensor quartic(Tensor w) {
        return w.square().sub(1).square().div(4).sum();
    }

    /** f(w_k) for k = 0..steps-1 of GD from w0 = 0.5 (autograd gradients). */
    static double[] quarticLosses(double eta, int steps) {
        double w = 0.5;
        double[] l = new double[steps];
        for (int k = 0; k < steps; k++) {
            double[] vg = Autodiff.valueAndGrad(F4_14_LearningRateDiagnosis::quartic, w);
            l[k] = vg[0];
            w -= eta * vg[1];
        }
        return l;
    }

    /** Lyapunov exponent of the GD map w -> w - η w(w² - 1): mean log|1 - η(3w² - 1)|, burn-in 500, 5000 steps. */
    static double lyapunov(double eta) {
        double w = 0.5;
        double s = 0;
        for (int k = 0; k < 5500; k++) {
            if (k >= 500) {
                s += Math.log(Math.abs(1 - eta * (3 * w * w - 1)));
            }
            w -= eta * w * (w * w - 1);
        }
        return s / 5000;
    }

    static String regime(double[] l, double lyapunov) {
        int n = l.length;
        if (!Double.isFinite(l[n - 1])) {
            return "divergence";
        }
        if (l[n - 1] < 1e-20) {
            return "converges";
        }
        if (Math.abs(l[n - 1] - l[n - 3]) < 1e-9 * l[n - 1] && Math.abs(l[n - 1] - l[n - 2]) > 1e-6) {
            return "period-2 cycle";
        }
        return lyapunov > 0 ? "chaotic: bounded, never converges" : "still creeping down";
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("A: f(w) = (w^2 - 1)^2 / 4, w0 = 0.5 (f0 = 0.140625), 400 GD steps:");
        double[] etas = {0.001, 0.05, 0.5, 0.9, 1.1, 1.8, 2.5};
        String[] label = {"too small (flat)", "slightly small", "just right", "oscillating, converging",
            "slightly big: period 2", "too big: chaotic", "way too big"};
        XYChart ca = Charts.chart("A: (w²-1)²/4, loss per step", "step", "loss");
        ca.getStyler().setYAxisLogarithmic(true);
        ca.getStyler().setYAxisMin(1e-12);
        for (int i = 0; i < etas.length; i++) {
            double[] l = quarticLosses(etas[i], 400);
            double lam = etas[i] == 0.5 ? Double.NEGATIVE_INFINITY : lyapunov(etas[i]);
            Fmt.kv(out, "η " + Fmt.num(etas[i]) + " " + label[i], Fmt.f("loss step 10 %.4g, 50 %.4g, 399 %.4g; %s; Lyapunov %s",
                    l[10], l[50], l[399], regime(l, lam), etas[i] == 0.5 ? "-inf (superlinear)" : Fmt.f("%+.4f", lam)));
            r.put("quartic" + Fmt.num(etas[i]), l[10], l[50], l[399], lam);
            if (etas[i] != 2.5 && etas[i] != 0.9) {
                double[] clipped = new double[120];
                for (int k = 0; k < 120; k++) {
                    clipped[k] = Math.max(l[k], 1e-12);
                }
                Charts.curve(ca, "η " + Fmt.num(etas[i]) + " " + label[i], F4_09_CanonicalLoop.epochs(120), clipped);
            }
        }
        out.println("  a positive Lyapunov exponent (η 1.8) means chaos: bounded, never converging, irregular.");

        out.println("B: the notes' model, 50 hidden layers (51 weights, all 0.9), 600 epochs, x = linspace(0,1,100), y = 2x:");
        double[] lrs = {0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.08, 0.2};
        XYChart cb = Charts.chart("B: deep linear net, MSE per epoch", "epoch", "MSE");
        cb.getStyler().setYAxisLogarithmic(true);
        cb.getStyler().setYAxisMin(1e-6);
        cb.getStyler().setYAxisMax(10.0);
        for (double lr : lrs) {
            double[] l = F4_13_DepthEffect.train(51, 0.9, lr, 600);
            int s = F4_16_InitProducts.successEpoch(l);
            int nan = -1;
            int firstBelow = -1;
            for (int e = 0; e < l.length; e++) {
                if (nan < 0 && Double.isNaN(l[e])) {
                    nan = e;
                }
                if (firstBelow < 0 && l[e] < 1e-2) {
                    firstBelow = e;
                }
            }
            String verdict;
            if (nan >= 0) {
                verdict = "divergence: overflow at epoch " + nan;
            } else if (s >= 0) {
                verdict = "success epoch " + s + Fmt.f(" (final %.2g)", l[599]);
            } else if (firstBelow >= 0) {
                verdict = "unstable: below 1e-2 first at epoch " + firstBelow + Fmt.f(", then irregular (last %.3g)", l[599]);
            } else {
                verdict = Fmt.f("never converges: %.5f -> %.5f", l[0], l[599]);
            }
            Fmt.kv(out, "lr " + Fmt.num(lr), verdict);
            r.put("chain" + Fmt.num(lr), s, nan, firstBelow, l[599]);
            if (lr == 0.005 || lr == 0.01 || lr == 0.03 || lr == 0.04 || lr == 0.2) {
                int n = nan >= 0 ? nan : 600;
                double[] e = F4_09_CanonicalLoop.epochs(n);
                double[] v = java.util.Arrays.copyOf(l, n);
                for (int k = 0; k < n; k++) {
                    v[k] = Math.min(Math.max(v[k], 1e-6), 10);
                }
                String what = lr == 0.005 ? "too low" : lr == 0.01 ? "slow" : lr == 0.03 ? "good" : lr == 0.04 ? "too high: chaotic"
                        : "way too high: diverges";
                Charts.curve(cb, "lr " + Fmt.num(lr) + " (" + what + ")", e, v);
            }
        }
        Fmt.kv(out, "predicted max stable lr", Fmt.f("%.5f at the solution (w_i = 2^(1/51))", lrMax(51)));
        r.put("lrMax", lrMax(51));
        out.println("  lesson: aim for the maximum stable learning rate (here 0.03).");
        Path png = Charts.saveGrid(List.of(ca, cb), 1, 2, outDir, "learning_rate_diagnosis.png");
        out.println("  plot: " + png);
        return r.file(png);
    }

    /**
     * The largest stable lr at the solution a = 2: the Hessian of mean((y - a x)^2/2) in the weights
     * is mean(x²)·g gᵀ with g_i = ∂a/∂w_i = a / w_i = 2 / 2^(1/D), so λmax = mean(x²)·D·(2/c)², lr = 2/λmax.
     */
    static double lrMax(int d) {
        double[] xs = Charts.linspace(0, 1, 100);
        double mx2 = 0;
        for (double x : xs) {
            mx2 += x * x / xs.length;
        }
        double c = Math.pow(2, 1.0 / d);
        return 2 / (mx2 * d * (2 / c) * (2 / c));
    }
}
