package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/** F2-08 and F2-12: f'(1) = 2 is the slope of the tangent y = 2x - 3; AD gives values (f'(1), f'(10)), not formulas. */
final class F2_08_TangentLine extends BaseExample {
    F2_08_TangentLine() {
        super("f2-08-tangent-line", "002",
                "f'(1) = 2 by autograd; tangent y = 2x - 3 drawn with f on [0, 3); f'(10) = 56");
    }

    static double[] valueAndSlope(double at) {
        Tensor x = Tensor.scalar(F64, at).requiresGrad(true);
        Tensor f = x.square().mul(3).sub(x.mul(4));
        f.backward();
        return new double[] {f.item(), x.grad().item()};
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        double[] at1 = valueAndSlope(1);
        double[] at10 = valueAndSlope(10);
        double intercept = at1[0] - at1[1] * 1;
        Fmt.kv(out, "f(1), f'(1)", Fmt.arr(at1));
        Fmt.kv(out, "tangent at x = 1", "y = " + Fmt.num(at1[1]) + "x " + (intercept < 0 ? "- " : "+ ")
                + Fmt.num(Math.abs(intercept)));
        Fmt.kv(out, "f'(10)", Fmt.num(at10[1]) + "  (AD returns values at points, not the formula 6x - 4)");
        double[] xs = Charts.arange(0, 3, 0.1);
        double[] f = new double[xs.length];
        double[] t = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            f[i] = 3 * xs[i] * xs[i] - 4 * xs[i];
            t[i] = at1[1] * xs[i] + intercept;
        }
        XYChart c = Charts.chart("f(x) and its tangent at x = 1", "x", "f(x)");
        Charts.curve(c, "f(x)", xs, f);
        Charts.curve(c, "Tangent line (x=1)", xs, t);
        Path png = Charts.save(c, outDir, "tangent.png");
        out.println("  plot: " + png);
        return new Result().put("slope1", at1[1]).put("f1", at1[0]).put("intercept", intercept)
                .put("slope10", at10[1]).file(png);
    }
}
