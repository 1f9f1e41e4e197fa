package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F32;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.Init;
import io.vecgrad.nn.Linear;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;

/**
 * F4-17 "Initialisation: He et al. (Scaled Gaussian)", W(0) ~ N(0, σ²): the mean squared
 * pre-activation through 50 ReLU layers of width 256 (batch 64, 3 seeds) with σ² = 2/fan_in (He), 1/fan_in (LeCun) and
 * 3/fan_in.
 */
final class F4_17_HeInit extends BaseExample {
    F4_17_HeInit() {
        super("f4-17-he-init", "004",
                "50 ReLU layers of width 256: mean squared pre-activation stays ~2 with He σ² = 2/fan_in, 1e-15 with 1/fan_in, 1e9 with 3/fan_in");
    }

    static final int DEPTH = 50;
    static final int WIDTH = 256;
    static final int BATCH = 64;
    static final int SEEDS = 3;

    /** Mean squared pre-activation after each layer (index 0 = layer 1) for σ² = gain2 / fan_in. */
    static double[] forward(double gain2, long seed, boolean useKaiming) {
        SplittableRandom gen = new SplittableRandom(seed);
        Linear[] layers = new Linear[DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            layers[i] = new Linear(WIDTH, WIDTH, false, gen, F32);
            if (useKaiming) {
                Init.kaimingNormal(layers[i].weight(), gen, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU);
            } else {
                Init.normal(layers[i].weight(), gen, 0, Math.sqrt(gain2 / WIDTH));
            }
        }
        double[] ms = new double[DEPTH];
        try (var _ = Tensor.noGrad()) {
            Tensor h = Tensor.randn(gen, F32, BATCH, WIDTH);               // a batch of inputs N(0, 1)
            for (int i = 0; i < DEPTH; i++) {
                Tensor pre = layers[i].forward(h);
                ms[i] = pre.square().mean().item();
                h = pre.relu();
            }
        }
        return ms;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        String[] names = {"He (kaimingNormal)", "LeCun", "\"big\""};
        String[] sigma = {"sqrt(2/256)", "sqrt(1/256)", "sqrt(3/256)"};
        double[] gain2 = {2, 1, 3};
        double[] theory = {2, Math.pow(0.5, 49), 3 * Math.pow(1.5, 49)};
        out.println("50 bias-free ReLU layers of width 256, a batch of 64 inputs N(0, 1), 3 seeds;");
        out.println("mean squared pre-activation after layer 50:");
        XYChart c = Charts.chart("mean squared pre-activation vs depth (seed 0)", "layer", "mean pre-activation²");
        c.getStyler().setYAxisLogarithmic(true);
        for (int k = 0; k < 3; k++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (int seed = 0; seed < SEEDS; seed++) {
                double[] ms = forward(gain2[k], seed, k == 0);
                lo = Math.min(lo, ms[DEPTH - 1]);
                hi = Math.max(hi, ms[DEPTH - 1]);
                if (seed == 0) {
                    double[] layer = new double[DEPTH];
                    for (int i = 0; i < DEPTH; i++) {
                        layer[i] = i + 1;
                    }
                    Charts.curve(c, names[k] + ", σ = " + sigma[k], layer, ms);
                }
            }
            Fmt.kv(out, names[k] + ", σ = " + sigma[k], Fmt.f("%.3g … %.3g   (theory %.3g)", lo, hi, theory[k]));
            r.put("range" + k, lo, hi);
        }
        out.println("  He keeps the scale (each ReLU layer halves the second moment, σ² = 2/fan_in doubles it back);");
        out.println("  1/fan_in halves it per layer (0.5^49), 3/fan_in grows it by 1.5 per layer.");
        Fmt.notesClaim(out, "W(0) ~ N(0, σ²) with σ unspecified — He et al. use σ² = 2/fan_in");
        Path png = Charts.save(c, outDir, "he_init_depth.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
