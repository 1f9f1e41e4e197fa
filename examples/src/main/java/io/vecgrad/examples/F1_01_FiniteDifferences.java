package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F1-01: "Try the same for h < 0 too": one-sided and central differences of f = 3x^2 - 4x at x = 1. */
final class F1_01_FiniteDifferences extends BaseExample {
    F1_01_FiniteDifferences() {
        super("f1-01-finite-differences", "001",
                "backward differences (h < 0) of 3x^2 - 4x at 1 approach f'(1) = 2 with error 3h; central is exact");
    }

    static double f(double x) {
        return 3 * (x * x) - 4 * x;
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.scalar(F64, 1).requiresGrad(true);
        x.square().mul(3).sub(x.mul(4)).backward();
        double exact = x.grad().item();
        out.println("f(x) = 3x^2 - 4x at x = 1; autograd f'(1) = " + Fmt.num(exact));
        double h = -0.1;
        double[] oneSided = new double[5];
        double[] central = new double[5];
        for (int k = 0; k < 5; k++) {
            oneSided[k] = (f(1 + h) - f(1)) / h;
            central[k] = (f(1 + h) - f(1 - h)) / (2 * h);
            out.println(Fmt.f("  h=%.5f, [f(x+h) - f(x)] / h = %.5f   central = %.10f", h, oneSided[k], central[k]));
            h *= 0.1;
        }
        out.println("  the one-sided error is exactly 3h (negative for h < 0); the central difference is exact for"
                + " quadratics");
        Fmt.notesClaim(out, "lim [f(x+h) - f(x) / h] — missing parentheses: [f(x+h) - f(x)] / h");
        return new Result().put("autograd", exact).put("oneSided", oneSided).put("central", central);
    }
}
