package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.knowm.xchart.XYChart;

/**
 * F3-04 "Problems with SGD": on f = ½(x² + κy²) (Hessian diag(1, κ), condition number κ) plain GD
 * needs ~κ iterations and jitters along the steep direction; heavy-ball momentum with Polyak's
 * α, β needs ~√κ.
 */
final class F3_04_ConditionNumber extends BaseExample {
    F3_04_ConditionNumber() {
        super("f3-04-condition-number", "003",
                "½(x² + κy²) from (1, 1): iterations to f < 1e-8 grow ~κ for GD, ~√κ for heavy ball; lr 1.9/κ zig-zags");
    }

    static final int MAX_ITERS = 100_000;

    static Tensor f(Tensor p, double kappa) {
        return p.square().mul(Tensor.of(0.5, 0.5 * kappa)).sum();
    }

    /**
     * Iterations of {@code SGD(lr, momentum)} from (1, 1) until f < 1e-8; -1 if it diverges. The
     * path (up to {@code keep} points) goes into {@code path} if not null.
     */
    static int iterations(double kappa, double lr, double momentum, double[][] path) {
        Tensor p = Tensor.fromArray(F64, new double[] {1, 1}, 2).requiresGrad(true);
        SGD opt = SGD.builder(p).lr(lr).momentum(momentum).build();
        if (path != null) {
            path[0] = p.toDoubleArray();
        }
        for (int it = 1; it <= MAX_ITERS; it++) {
            opt.zeroGrad();
            f(p, kappa).backward();
            opt.step();
            if (path != null && it < path.length) {
                path[it] = p.toDoubleArray();
            }
            double v;
            try (var _ = Tensor.noGrad()) {
                v = f(p, kappa).item();
            }
            if (v < 1e-8) {
                return it;
            }
            if (!(v < 1e10)) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("f = ½(x² + κy²) from (1, 1), iterations to f < 1e-8 (SGD.builder(p).lr(α).momentum(β)):");
        out.println(Fmt.f("  %-6s %-12s %-10s %-12s %-12s %s", "κ", "lr 2/(κ+1)", "lr 1/κ", "lr 1.9/κ", "lr 2.1/κ",
                "heavy ball, α = 4/(√κ+1)², β = ((√κ-1)/(√κ+1))²"));
        for (double kappa : new double[] {1, 10, 100, 1000}) {
            int[] n = {iterations(kappa, 2 / (kappa + 1), 0, null), iterations(kappa, 1 / kappa, 0, null),
                iterations(kappa, 1.9 / kappa, 0, null), iterations(kappa, 2.1 / kappa, 0, null)};
            double sk = Math.sqrt(kappa);
            double alpha = 4 / ((sk + 1) * (sk + 1));
            double beta = ((sk - 1) / (sk + 1)) * ((sk - 1) / (sk + 1));
            int hb = iterations(kappa, alpha, beta, null);
            String[] s = new String[4];
            for (int i = 0; i < 4; i++) {
                s[i] = n[i] < 0 ? "diverges" : Integer.toString(n[i]);
            }
            out.println(Fmt.f("  %-6s %-12s %-10s %-12s %-12s %d (α %.5f, β %.5f)", Fmt.num(kappa), s[0], s[1], s[2], s[3],
                    hb, alpha, beta));
            r.put("kappa" + (int) kappa, n[0], n[1], n[2], n[3], hb);
        }
        out.println("  GD's cost grows about linearly in κ, momentum's about as √κ; above lr 2/κ (= 2/λmax) GD diverges.");
        double[][] path = new double[40][];
        iterations(10, 1.9 / 10, 0, path);
        Fmt.kv(out, "κ 10, lr 1.9/κ: y iterates", Fmt.arr(path[1][1], path[2][1], path[3][1], path[4][1])
                + " (factor 1 - 1.9 = -0.9: jitter)");
        r.put("zigzagY", path[1][1], path[2][1], path[3][1]);
        XYChart c = Charts.chart("GD on ½(x² + 10y²), lr 1.9/κ: jitter along the steep direction", "x", "y");
        Charts.contours(c, (x, y) -> 0.5 * (x * x + 10 * y * y), -0.2, 1.1, -1.1, 1.1, 100,
                new double[] {0.01, 0.05, 0.15, 0.3, 0.6, 1, 2, 4});
        F0_04_GradientDescent2D.addPath(c, "GD, lr 0.19", path);
        Path png = Charts.save(c, outDir, "condition_number_zigzag.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
