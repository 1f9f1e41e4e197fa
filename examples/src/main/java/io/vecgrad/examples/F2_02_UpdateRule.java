package io.vecgrad.examples;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/**
 * F2-02: the update {@code w[0] <- w[0] - θloss/θw[0]} has no learning rate (and θ should be ∂):
 * taken literally w[0] jumps to 13968.3. With a learning rate: the Hessian of the mean loss gives
 * the largest stable one, 2/λmax.
 */
final class F2_02_UpdateRule extends BaseExample {
    F2_02_UpdateRule() {
        super("f2-02-update-rule", "002",
                "the update rule without lr sends w[0] to 13968.3; lr must be < 2/lambda_max = 2.787e-5 (unscaled features)");
    }

    static final Tensor XM = Tensor.fromArray(new double[] {180, 89, 35, 1, 160, 49, 40, 4, 179, 69, 20, 2}, 3, 4);
    static final Tensor YM = Tensor.of(160.0, 130, 110);

    static Tensor mse(Tensor w) {
        return Losses.mse(XM.matmul(w), YM, Reduction.MEAN);
    }

    /** Full-batch GD from the notes' w; the MSE after each of the checkpoints. */
    static double[] descend(double lr, int[] checkpoints, double[] curve) {
        double[] w = F2_01_BloodPressure.W.clone();
        double[] res = new double[checkpoints.length];
        int c = 0;
        for (int step = 1; step <= checkpoints[checkpoints.length - 1]; step++) {
            double[] g = Autodiff.grad(F2_02_UpdateRule::mse, w);
            for (int i = 0; i < 4; i++) {
                w[i] -= lr * g[i];
            }
            double loss = Autodiff.value(F2_02_UpdateRule::mse, w);
            if (curve != null && step < curve.length) {
                curve[step] = loss;
            }
            if (step == checkpoints[c]) {
                res[c++] = loss;
            }
            if (!Double.isFinite(loss) || loss > 1e300) {
                java.util.Arrays.fill(res, c, res.length, loss);
                break;
            }
        }
        return res;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        Tensor w = Tensor.of(F2_01_BloodPressure.W.clone()).requiresGrad(true);
        F2_01_BloodPressure.loss(Tensor.scalar(io.vecgrad.engine.DType.F64, 160), F2_01_BloodPressure.model(w,
                F2_01_BloodPressure.X[0])).backward();
        double g0 = w.grad().get(0);
        Fmt.kv(out, "dloss/dw[0] on sample 0", Double.toString(g0));
        Fmt.kv(out, "w[0] - dloss/dw[0] (no lr)", Fmt.num(0.3 - g0) + "  (absurd)");
        Fmt.notesClaim(out, "w[0] <- w[0] - θloss/θw[0] — θ should be ∂, and a learning rate is missing");
        r.put("grad0", g0).put("literal", 0.3 - g0);

        // Hessian of the mean loss, column by column: it is constant (2 X^T X / 3), so H e_j = g(e_j) - g(0)
        double[] g00 = Autodiff.grad(F2_02_UpdateRule::mse, 0, 0, 0, 0);
        double[][] h = new double[4][];
        for (int j = 0; j < 4; j++) {
            double[] e = new double[4];
            e[j] = 1;
            double[] gj = Autodiff.grad(F2_02_UpdateRule::mse, e);
            h[j] = new double[4];
            for (int i = 0; i < 4; i++) {
                h[j][i] = gj[i] - g00[i];
            }
        }
        double lambdaMax = powerIteration(h);
        Fmt.kv(out, "Hessian diagonal", Fmt.arr(h[0][0], h[1][1], h[2][2], h[3][3]));
        Fmt.kv(out, "lambda_max (power iteration)", Fmt.f("%.6g", lambdaMax));
        Fmt.kv(out, "max stable lr = 2/lambda_max", Fmt.f("%.4g", 2 / lambdaMax));
        r.put("hessianDiag", h[0][0], h[1][1], h[2][2], h[3][3]).put("lambdaMax", lambdaMax);

        out.println("full-batch MSE after 1000 / 10000 GD steps from the notes' w (start MSE 659.23):");
        double[] lrs = {1e-6, 1e-5, 2.5e-5, 2.7e-5, 2.9e-5};
        XYChart c = Charts.chart("blood-pressure model: MSE vs step", "step", "MSE");
        c.getStyler().setYAxisLogarithmic(true);
        for (double lr : lrs) {
            double[] curve = new double[301];
            double[] res = descend(lr, new int[] {1000, 10000}, curve);
            Fmt.kv(out, "lr " + lr, Fmt.f("%.5g / %.3g%s", res[0], res[1], res[1] > 1e6 ? "  (diverges)" : ""));
            r.put("lr" + lr, res);
            double[] xs = new double[300];
            double[] ys = new double[300];
            for (int i = 0; i < 300; i++) {
                xs[i] = i + 1;
                ys[i] = Math.min(Math.max(curve[i + 1], 1e-30), 1e12);
            }
            Charts.curve(c, "lr " + lr, xs, ys);
        }
        out.println("  the features are unscaled: the Hessian is singular (rank 3 < 4), so the condition number is"
                + " infinite and small lrs crawl");
        Path png = Charts.save(c, outDir, "bp_lr.png");
        out.println("  plot: " + png);
        return r.file(png);
    }

    static double powerIteration(double[][] h) {
        double[] v = {1, 1, 1, 1};
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            double[] hv = new double[4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    hv[i] += h[i][j] * v[j];
                }
            }
            lambda = Autodiff.norm(hv);
            for (int i = 0; i < 4; i++) {
                v[i] = hv[i] / lambda;
            }
        }
        return lambda;
    }
}
