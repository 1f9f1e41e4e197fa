package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F1-02: "Does this rule always work? Yes" — counter-examples on f(x) = x^3 - 3x. */
final class F1_02_RuleNotAlways extends BaseExample {
    F1_02_RuleNotAlways() {
        super("f1-02-rule-not-always", "001",
                "GD on x^3 - 3x: local min from 2 and 0, stuck on the local max from -1, diverges from -1.5");
    }

    static Tensor cubic(Tensor x) {
        return x.pow(3).sub(x.mul(3)).sum();
    }

    /** {iterations, final x, diverged?1:0} of GD with lr until |f'| < tol, or |x| > 1e6. */
    static double[] descend(double x0, double lr, double tol, int maxIter) {
        double x = x0;
        for (int k = 0; k < maxIter; k++) {
            double g = Autodiff.grad(F1_02_RuleNotAlways::cubic, x)[0];
            if (Math.abs(g) < tol) {
                return new double[] {k, x, 0};
            }
            x -= lr * g;
            if (Math.abs(x) > 1e6) {
                return new double[] {k, x, 1}; // k = 0-based index of the iteration that overshot
            }
        }
        return new double[] {maxIter, x, 0};
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Result r = new Result();
        out.println("f(x) = x^3 - 3x, lr 0.05, stop when |f'(x)| < 1e-3 (local min at 1, local max at -1)");
        for (double x0 : new double[] {2.0, 0.0, -1.0, -1.5}) {
            double[] d = descend(x0, 0.05, 1e-3, 10_000);
            String what = d[2] == 1 ? Fmt.f("diverges: |x| > 1e6 in iteration %d (0-based; f is unbounded below)", (int) d[0])
                    : Fmt.f("%d iterations -> x = %.6f%s", (int) d[0], d[1],
                            x0 == -1.0 ? " (stopped on the local MAXIMUM: f'(-1) = 0)" : " (local min)");
            Fmt.kv(out, "x0 = " + Fmt.num(x0), what);
            r.put("x0=" + x0, d);
        }
        Fmt.notesClaim(out, "\"Yes, this rule works always\" — it needs a good start, a small enough lr and a"
                + " function bounded below; a zero gradient can be a maximum");
        return r;
    }
}
