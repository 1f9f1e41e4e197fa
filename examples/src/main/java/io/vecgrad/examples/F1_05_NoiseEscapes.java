package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * F1-05: "use noise while walking" — gradient noise lets GD leave the local minimum of
 * w^4 - 3w^2 + w; 200 independent runs at once as one tensor of 200 parameters.
 */
final class F1_05_NoiseEscapes extends BaseExample {
    F1_05_NoiseEscapes() {
        super("f1-05-noise-escapes", "001",
                "GD with Gaussian gradient noise: with sigma 8 many of 200 runs from w0 = 2 reach the global basin");
    }

    static final int RUNS = 200;

    /** Fraction of the runs that end at w < 0 after 2000 noisy and 500 clean steps. */
    static double escapeFraction(double sigma, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Tensor w = Tensor.full(F64, 2.0, RUNS).requiresGrad(true);
        double[] noise = new double[RUNS];
        for (int step = 0; step < 2500; step++) {
            // one scalar loss per run; summing them gives every run its own gradient in one backward
            w.pow(4).sub(w.square().mul(3)).add(w).sum().backward();
            try (var _ = Tensor.noGrad()) {
                Tensor g = w.grad();
                if (step < 2000 && sigma > 0) {
                    for (int i = 0; i < RUNS; i++) {
                        noise[i] = sigma * gaussian(rnd);
                    }
                    g = g.add(Tensor.fromArray(F64, noise, RUNS));
                }
                w.sub_(g.mul(0.01));
            }
            w.zeroGrad();
        }
        int escaped = 0;
        for (double v : w.toDoubleArray()) {
            escaped += v < 0 ? 1 : 0;
        }
        return (double) escaped / RUNS;
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        out.println("f(w) = w^4 - 3w^2 + w, w0 = 2 (local-min basin), lr 0.01; 2000 steps with gradient noise N(0, sigma^2),");
        out.println("then 500 clean steps; fraction of 200 runs that end in the global basin (w < 0):");
        double[] sigmas = {0, 2, 4, 6, 8};
        double[] frac = new double[sigmas.length];
        for (int i = 0; i < sigmas.length; i++) {
            frac[i] = escapeFraction(sigmas[i], 42 + i);
            Fmt.kv(out, "sigma = " + Fmt.num(sigmas[i]), Fmt.f("%.3f", frac[i]));
        }
        out.println("  (EXAMPLES.md with numpy's generator: 0, 0, 0, 0.045, 0.45; other generators give other"
                + " fractions)");
        out.println("  non-differentiability: abs'(0) and relu'(0) are 0 here as in PyTorch (see f0-08, f3-15)");
        return new Result().put("sigma", sigmas).put("fraction", frac);
    }
}
