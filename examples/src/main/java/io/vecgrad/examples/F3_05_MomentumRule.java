package io.vecgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import io.vecgrad.autograd.Tensor;

/**
 * F3-05: the notes' momentum rule z = βθ + (1-β)∇J is wrong (it is GD plus weight decay); the
 * intended rule is the moving average z = βz + (1-β)∇J. A minimum away from 0 reveals the bug.
 */
final class F3_05_MomentumRule extends BaseExample {
    F3_05_MomentumRule() {
        super("f3-05-momentum-rule", "003",
                "z = βθ + (1-β)∇J (as printed) converges to 0.5454 on (x-3)^2; the EMA z = βz + (1-β)∇J reaches 3");
    }

    /** 2000 steps (or {@code keep} iterates) of either form on f from x0; returns the iterates flattened. */
    static double[][] run(UnaryOperator<Tensor> f, double[] x0, boolean asPrinted, int steps) {
        double beta = 0.9;
        double eta = 0.1;
        double[] x = x0.clone();
        double[] z = new double[x.length];
        double[][] path = new double[steps + 1][];
        path[0] = x.clone();
        for (int t = 1; t <= steps; t++) {
            double[] g = Autodiff.grad(f, x);
            for (int i = 0; i < x.length; i++) {
                z[i] = (asPrinted ? beta * x[i] : beta * z[i]) + (1 - beta) * g[i];
                x[i] -= eta * z[i];
            }
            path[t] = x.clone();
        }
        return path;
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        UnaryOperator<Tensor> shifted = p -> p.sub(3).square().sum();
        double printed = run(shifted, new double[] {0}, true, 2000)[2000][0];
        double ema = run(shifted, new double[] {0}, false, 2000)[2000][0];
        out.println("f = (x - 3)^2, x0 = 0, beta 0.9, eta 0.1, 2000 steps:");
        Fmt.kv(out, "notes' rule z = βθ + (1-β)∇J", Fmt.f("x -> %.7f (biased toward 0)", printed));
        Fmt.kv(out, "EMA rule z = βz + (1-β)∇J", Fmt.f("x -> %.7f", ema));
        double[][] p1 = run(Autodiff::bowl, new double[] {2, 1}, true, 3);
        double[][] p2 = run(Autodiff::bowl, new double[] {2, 1}, false, 3);
        out.println("on x^2 + 10y^2 from (2, 1) (a minimum at 0 hides the bug):");
        Fmt.kv(out, "notes' rule, first iterates", Fmt.arr(p1[1]) + " " + Fmt.arr(p1[2]) + " " + Fmt.arr(p1[3]));
        Fmt.kv(out, "EMA rule, first iterates", Fmt.arr(p2[1]) + " " + Fmt.arr(p2[2]) + " " + Fmt.arr(p2[3]));
        Fmt.notesClaim(out, "z^{t+1} = βθ^t + (1-β)∇J(θ^t) — must be βz^t");
        return new Result().put("printed", printed).put("ema", ema)
                .put("printedPath", p1[1][0], p1[1][1], p1[2][0], p1[2][1], p1[3][0], p1[3][1])
                .put("emaPath", p2[1][0], p2[1][1], p2[2][0], p2[2][1], p2[3][0], p2[3][1]);
    }
}
