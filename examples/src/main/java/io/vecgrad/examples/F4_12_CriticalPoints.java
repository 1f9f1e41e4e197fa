package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F4-12 "Anatomy of a landscape": critical points of the narrow net's loss
 * L(w1, w2) = mean((x - w1 w2 x)^2), classified by the eigenvalues of the Hessian.
 */
final class F4_12_CriticalPoints extends BaseExample {
    F4_12_CriticalPoints() {
        super("f4-12-critical-points", "004",
                "Hessian of mean((x - w1·w2·x)^2): saddle at (0, 0) (±0.7037), flat valley of minima on w1·w2 = 1");
    }

    static final Tensor X = Tensor.fromArray(F64, Charts.linspace(0, 1, 10), 10);

    static Tensor loss(Tensor w) {
        Tensor a = w.slice(0, 0, 1).mul(w.slice(0, 1, 2));
        return X.sub(X.mul(a)).square().mean();
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("L(w1, w2) = mean((x - w1 w2 x)^2), x = linspace(0, 1, 10) (mean x^2 = 0.3518518519);");
        out.println("Hessian by central differences of autograd gradients (the engine has no double backward):");
        double[][] points = {{0, 0}, {1, 1}, {2, 0.5}, {0.5, 0.5}};
        for (double[] p : points) {
            double[] g = Autodiff.grad(F4_12_CriticalPoints::loss, p);
            double[][] h = Autodiff.hessian(F4_12_CriticalPoints::loss, 1e-5, p);
            double[] ev = Autodiff.eigenvalues2(h);
            String kind;
            if (Autodiff.norm(g) > 1e-9) {
                kind = "not a critical point";
            } else if (ev[0] < -1e-6 && ev[1] > 1e-6) {
                kind = "saddle (eigenvalues of both signs)";
            } else if (ev[0] > 1e-6) {
                kind = "minimum";
            } else if (ev[1] < -1e-6) {
                kind = "maximum";
            } else {
                kind = "minimum in a flat valley (one zero eigenvalue: along w1·w2 = 1)";
            }
            String at = "(" + Fmt.num(p[0]) + ", " + Fmt.num(p[1]) + ")";
            Fmt.kv(out, at + " gradient", Fmt.f("[%.3g, %.3g]", g[0], g[1]));
            Fmt.kv(out, at + " Hessian", Fmt.f("[[%.7f, %.7f], [%.7f, %.7f]]", h[0][0], h[0][1], h[1][0], h[1][1]));
            Fmt.kv(out, at + " eigenvalues", Fmt.f("%.7f, %.7f -> %s", ev[0], ev[1], kind));
            r.put("ev" + Fmt.num(p[0]) + "," + Fmt.num(p[1]), ev).put("grad" + Fmt.num(p[0]) + "," + Fmt.num(p[1]), g)
                    .text("kind" + Fmt.num(p[0]) + "," + Fmt.num(p[1]), kind);
        }
        return r;
    }
}
