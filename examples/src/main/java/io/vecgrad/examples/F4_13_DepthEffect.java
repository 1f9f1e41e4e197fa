package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * F4-13 "The effect of depth on training": deep narrow linear networks y = w_D ⋯ w_1 x. At
 * initialisation their output and gradients vanish or explode with depth (the init scale to the
 * power D); trained by GD (all weights 0.9) the deeper ones sit on a longer plateau.
 */
final class F4_13_DepthEffect extends BaseExample {
    F4_13_DepthEffect() {
        super("f4-13-depth-effect", "004",
                "deep narrow linear nets: output and gradient ~ w^D vanish/explode with depth; success epoch vs depth D = 0..50");
    }

    /** y = w_D ⋯ w_1 x: the product of the weights' entries, one multiplication per layer. */
    static Tensor chain(Tensor w) {
        Tensor a = w.slice(0, 0, 1);
        for (int i = 1; i < w.dim(0); i++) {
            a = a.mul(w.slice(0, i, i + 1));
        }
        return a.sum();
    }

    /**
     * GD on mean((y - a x)^2 / 2), x = linspace(0,1,100), y = 2x, all weights {@code init};
     * the loss per epoch (NaN from the first non-finite epoch on).
     */
    static double[] train(int weights, double init, double lr, int epochs) {
        double[] xs = Charts.linspace(0, 1, 100);
        double[] ys = new double[100];
        for (int i = 0; i < 100; i++) {
            ys[i] = 2 * xs[i];
        }
        Tensor x = Tensor.fromArray(F64, xs, 100);
        Tensor y = Tensor.fromArray(F64, ys, 100);
        Tensor w = Tensor.full(F64, init, weights).requiresGrad(true);
        double[] losses = new double[epochs];
        java.util.Arrays.fill(losses, Double.NaN);
        for (int e = 0; e < epochs; e++) {
            Tensor loss = y.sub(x.mul(chain(w))).square().div(2).mean();
            loss.backward();
            losses[e] = loss.item();
            if (!Double.isFinite(losses[e])) {
                losses[e] = Double.NaN;
                break;
            }
            try (var _ = Tensor.noGrad()) {
                w.sub_(w.grad().mul(lr));
            }
            w.zeroGrad();
        }
        return losses;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("at initialisation, all D weights equal to s, x = 1: y = s^D and dy/dw_1 = s^(D-1) (autograd):");
        double[] scales = {0.5, 0.9, 1.0, 1.1, 2.0};
        int[] depths = new int[100];
        double[] dAxis = new double[100];
        for (int i = 0; i < 100; i++) {
            depths[i] = i + 1;
            dAxis[i] = i + 1;
        }
        XYChart cy = Charts.chart("output y = w_D ⋯ w_1 x at init (x = 1)", "depth D", "|y|");
        XYChart cg = Charts.chart("gradient dy/dw_1 at init", "depth D", "|dy/dw_1|");
        cy.getStyler().setYAxisLogarithmic(true);
        cg.getStyler().setYAxisLogarithmic(true);
        for (double s : scales) {
            double[] outs = new double[100];
            double[] grads = new double[100];
            for (int i = 0; i < 100; i++) {
                Tensor w = Tensor.full(F64, s, depths[i]).requiresGrad(true);
                Tensor yv = chain(w);
                yv.backward();
                outs[i] = yv.item();
                grads[i] = w.grad().get(0);
            }
            Fmt.kv(out, "s = " + Fmt.num(s), Fmt.f("D 10: y %.4g, grad %.4g;  D 50: y %.4g, grad %.4g;  D 100: y %.4g, grad %.4g",
                    outs[9], grads[9], outs[49], grads[49], outs[99], grads[99]));
            r.put("init" + Fmt.num(s), outs[9], grads[9], outs[49], grads[49], outs[99], grads[99]);
            Charts.curve(cy, "w_i = " + Fmt.num(s), dAxis, outs);
            Charts.curve(cg, "w_i = " + Fmt.num(s), dAxis, grads);
        }
        out.println("  below 1 both vanish geometrically with depth, above 1 both explode; only s = 1 preserves them.");

        out.println("training: D hidden layers = D + 1 weights, all 0.9, lr 0.02 (D = 0) or 0.01, 600 epochs,");
        out.println("loss mean((y - a x)^2 / 2) on x = linspace(0,1,100), y = 2x; success = loss < 1e-2 from then on:");
        XYChart c = Charts.chart("training deep linear nets, w_i = 0.9", "epoch", "MSE");
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setYAxisMin(1e-3);
        c.getStyler().setYAxisMax(1.0);
        double[] ep = F4_09_CanonicalLoop.epochs(600);
        int[] ds = {0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50};
        double[] success = new double[ds.length];
        double[] initial = new double[ds.length];
        for (int k = 0; k < ds.length; k++) {
            int d = ds[k];
            double[] l = train(d + 1, 0.9, d == 0 ? 0.02 : 0.01, 600);
            int s = F4_16_InitProducts.successEpoch(l);
            success[k] = s;
            initial[k] = l[0];
            Fmt.kv(out, "D = " + d, Fmt.f("initial loss %.5f, success epoch %d", l[0], s));
            if (d % 10 == 0) {
                double[] clipped = new double[600];
                for (int i = 0; i < 600; i++) {
                    clipped[i] = Math.max(l[i], 1e-3);
                }
                Charts.curve(c, "D = " + d, ep, clipped);
            }
        }
        out.println("  beyond D ≈ 10 training slows with depth: a long plateau, then a sudden drop.");
        r.put("success", success).put("initialLoss", initial);
        double[] dd = new double[ds.length];
        for (int k = 0; k < ds.length; k++) {
            dd[k] = ds[k];
        }
        XYChart cs = Charts.chart("learning time vs depth", "depth D", "success epoch");
        Charts.path(cs, "w_i = 0.9, lr 0.01", dd, success);
        Path png = Charts.saveGrid(List.of(cy, cg, c, cs), 2, 2, outDir, "depth_effect.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
