package io.vecgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;

/** F1-04 and F4-03: the gradient is the vector of partials; -∇f is the direction of steepest descent. */
final class F1_04_SteepestDescent extends BaseExample {
    F1_04_SteepestDescent() {
        super("f1-04-steepest-descent", "001",
                "at (2,1) on x^2 + 10y^2 no unit direction among 3600 lowers f faster than -grad/|grad|");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        double[] p = {2, 1};
        double[] g = Autodiff.grad(Autodiff::bowl, p);
        double norm = Autodiff.norm(g);
        double eps = 1e-4;
        double f0 = Autodiff.value(Autodiff::bowl, p);
        double along = Autodiff.value(Autodiff::bowl, p[0] - eps * g[0] / norm, p[1] - eps * g[1] / norm) - f0;
        double best = Double.POSITIVE_INFINITY;
        double bestAngle = 0;
        for (int i = 0; i < 3600; i++) {
            double a = 2 * Math.PI * i / 3599; // linspace(0, 2 pi, 3600)
            double d = Autodiff.value(Autodiff::bowl, p[0] + eps * Math.cos(a), p[1] + eps * Math.sin(a)) - f0;
            if (d < best) {
                best = d;
                bestAngle = a;
            }
        }
        out.println("f = x^2 + 10y^2 at (2, 1), step length eps = 1e-4:");
        Fmt.kv(out, "grad f", Fmt.arr(g));
        Fmt.kv(out, "|grad f|", Fmt.num(norm));
        Fmt.kv(out, "df along -grad/|grad|", Fmt.f("%.13f", along));
        Fmt.kv(out, "best of 3600 directions", Fmt.f("%.13f (at %.1f deg; -grad is at %.1f deg)", best,
                Math.toDegrees(bestAngle), Math.toDegrees(Math.atan2(-g[1], -g[0]) + 2 * Math.PI)));
        Fmt.kv(out, "first order: -eps |grad|", Fmt.f("%.10f", -eps * norm));
        return new Result().put("grad", g).put("norm", norm).put("along", along).put("best", best);
    }
}
