package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/**
 * F4-16: products of numbers vanish or explode: y = 0.9^100 x, 1.1^100 x, 1^100 x; the gradient
 * scale in a 100-weight chain; and an init sweep on a 15-weight deep linear chain.
 */
final class F4_16_InitProducts extends BaseExample {
    F4_16_InitProducts() {
        super("f4-16-init-products", "004",
                "0.9^100 = 2.66e-5 (notes print 0.0000265), 1.1^100 = 13780.6; init sweep 0.70..1.05 on a 15-weight chain");
    }

    /** Loss mean((y - a x)^2 / 2) for a = product of the weights, on x = linspace(0,1,100), y = 2x. */
    static double[] trainChain(int depth, double init, double lr, int epochs) {
        double[] xs = Charts.linspace(0, 1, 100);
        double[] ys = new double[100];
        for (int i = 0; i < 100; i++) {
            ys[i] = 2 * xs[i];
        }
        Tensor x = Tensor.fromArray(F64, xs, 100);
        Tensor y = Tensor.fromArray(F64, ys, 100);
        Tensor w = Tensor.full(F64, init, depth).requiresGrad(true);
        double[] losses = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            Tensor a = w.slice(0, 0, 1).sum();
            for (int i = 1; i < depth; i++) {
                a = a.mul(w.slice(0, i, i + 1).sum());
            }
            Tensor loss = y.sub(x.mul(a)).square().div(2).mean();
            loss.backward();
            losses[e] = loss.item();
            try (var _ = Tensor.noGrad()) {
                w.sub_(w.grad().mul(lr));
            }
            w.zeroGrad();
        }
        return losses;
    }

    /** First epoch s with loss < 1e-2 that stays below for all later epochs, or -1. */
    static int successEpoch(double[] losses) {
        int s = -1;
        for (int e = losses.length - 1; e >= 0; e--) {
            if (losses[e] < 1e-2) {
                s = e;
            } else {
                break;
            }
        }
        return s;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        double small = Math.pow(0.9, 100);
        double big = Math.pow(1.1, 100);
        Fmt.kv(out, "0.9^100", Fmt.f("%.7e", small) + "  -> y = 0.0000266x");
        Fmt.notesClaim(out, "y = (0.9)^100 x = 0.0000265x — truncated; correctly rounded 0.0000266");
        Fmt.kv(out, "1.1^100", Fmt.f("%.6f", big) + "  -> y = 13780.6x");
        Fmt.kv(out, "1^100", "1  (\"dynamic isometry\")");
        // the gradient in a 100-weight chain: dy/dw_i = x · prod_{j != i} w_j
        double[] grads = new double[2];
        double[] inits = {0.9, 1.1};
        for (int k = 0; k < 2; k++) {
            Tensor w = Tensor.full(F64, inits[k], 100).requiresGrad(true);
            Tensor yv = w.slice(0, 0, 1).sum();
            for (int i = 1; i < 100; i++) {
                yv = yv.mul(w.slice(0, i, i + 1).sum());
            }
            yv.backward();
            grads[k] = w.grad().get(0);
            Fmt.kv(out, "100-chain, w = " + inits[k] + ": dy/dw_1", Fmt.f("%.5g", grads[k])
                    + (k == 0 ? " (vanishing)" : " (exploding)"));
        }
        r.put("pow", small, big).put("chainGrad", grads);
        out.println("15-weight chain, lr 0.02, 250 epochs, x = linspace(0,1,100), y = 2x:");
        XYChart c = Charts.chart("init sweep, 15-weight linear chain", "epoch", "MSE");
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setYAxisMin(1e-3);
        c.getStyler().setYAxisMax(1.0);
        double[] sweep = {0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00, 1.05};
        double[] ep = new double[250];
        for (int i = 0; i < 250; i++) {
            ep[i] = i;
        }
        for (double init : sweep) {
            double[] l = trainChain(15, init, 0.02, 250);
            int s = successEpoch(l);
            Fmt.kv(out, "init " + Fmt.f("%.2f", init), Fmt.f("initial loss %.5f, success epoch %s", l[0],
                    s < 0 ? "none (final " + Fmt.f("%.5f", l[249]) + ")" : Integer.toString(s)));
            r.put("init" + Fmt.f("%.2f", init), l[0], s, l[249]);
            double[] clipped = new double[250];
            for (int i = 0; i < 250; i++) {
                clipped[i] = Math.max(l[i], 1e-3);
            }
            Charts.curve(c, "initial weights " + Fmt.f("%.2f", init), ep, clipped);
        }
        Path png = Charts.save(c, outDir, "init_sweep.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
