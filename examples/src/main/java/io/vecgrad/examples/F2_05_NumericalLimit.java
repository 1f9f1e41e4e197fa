package io.vecgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;

/** F2-05: the notes' numerical_lim table for f'(1) of f = 3x^2 - 4x. */
final class F2_05_NumericalLimit extends BaseExample {
    F2_05_NumericalLimit() {
        super("f2-05-numerical-limit", "002", "numerical_lim(f, 1, h) for h = 0.1 ... 1e-5 prints 2.30000 ... 2.00003");
    }

    static double numericalLim(DoubleUnaryOperator f, double x, double h) {
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x)) / h;
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        DoubleUnaryOperator f = x -> 3 * (x * x) - 4 * x; // 3 * x ** 2 - 4 * x, same rounding as Python
        double h = 0.1;
        double[] lims = new double[5];
        double[] hs = new double[5];
        for (int i = 0; i < 5; i++) {
            lims[i] = numericalLim(f, 1, h);
            hs[i] = h;
            out.println(Fmt.f("h=%.5f, numerical limit=%.5f", h, lims[i]));
            h *= 0.1;
        }
        out.println("  raw values: " + java.util.Arrays.toString(lims) + " (exactly 2 + 3h)");
        return new Result().put("h", hs).put("lim", lims);
    }
}
