package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * F0-06: the notes' momentum pseudo-code (past_velocity = 0., momentum = 0.1, while loss > 0.01)
 * as written, against the DLwP original, plain GD and torch-style heavy ball, on f(w) = w^2.
 */
final class F0_06_MomentumPseudoCode extends BaseExample {
    F0_06_MomentumPseudoCode() {
        super("f0-06-momentum-pseudocode", "000",
                "the notes' momentum loop has a sign error (+lr·g): anti-momentum stalls or diverges; the fix is Nesterov = SGD.nesterov(true)");
    }

    enum Variant { PLAIN, NOTES, DLWP, HEAVY_BALL }

    /** Outcome of one run: iterations used (or -1 if it never reached loss <= 0.01) and the final w. */
    record Run(int iterations, double w, List<Double> path) {}

    static Tensor f(Tensor w) {
        return w.square().sum();
    }

    static Run run(Variant v, double lr, double momentum) {
        double w = 1.0;
        double pastVelocity = 0.;
        double loss = Autodiff.value(F0_06_MomentumPseudoCode::f, w); // the notes read loss before assigning it
        List<Double> path = new ArrayList<>(List.of(w));
        int it = 0;
        while (loss > 0.01 && it < 10_000) {
            double gradient = Autodiff.grad(F0_06_MomentumPseudoCode::f, w)[0];
            switch (v) {
                case PLAIN -> w = w - lr * gradient;
                case NOTES -> { // as written in the notes
                    double velocity = pastVelocity * momentum + lr * gradient;
                    w = w + momentum * velocity - lr * gradient;
                    pastVelocity = velocity;
                }
                case DLWP -> { // the book: velocity = past_velocity * momentum - learning_rate * gradient
                    double velocity = pastVelocity * momentum - lr * gradient;
                    w = w + momentum * velocity - lr * gradient;
                    pastVelocity = velocity;
                }
                case HEAVY_BALL -> { // torch.optim.SGD(momentum=m): buf = m·buf + g, w -= lr·buf
                    pastVelocity = it == 0 ? gradient : momentum * pastVelocity + gradient;
                    w = w - lr * pastVelocity;
                }
            }
            it++;
            loss = Autodiff.value(F0_06_MomentumPseudoCode::f, w);
            if (path.size() < 40) {
                path.add(w);
            }
            if (!Double.isFinite(w)) {
                break;
            }
        }
        return new Run(loss <= 0.01 ? it : -1, w, path);
    }

    /** The library's SGD on f from w = 1: the first {@code steps} iterates. */
    static double[] librarySgd(double lr, double momentum, boolean nesterov, int steps) {
        Tensor w = Tensor.of(1.0).requiresGrad(true);
        SGD opt = SGD.builder(w).lr(lr).momentum(momentum).nesterov(nesterov).build();
        double[] path = new double[steps + 1];
        path[0] = 1.0;
        for (int t = 1; t <= steps; t++) {
            opt.zeroGrad();
            f(w).backward();
            opt.step();
            path[t] = w.item();
        }
        return path;
    }

    /** Largest |a_i - b_i| over the common prefix. */
    static double maxDiff(List<Double> hand, double[] lib) {
        double d = 0;
        for (int i = 0; i < Math.min(hand.size(), lib.length); i++) {
            d = Math.max(d, Math.abs(hand.get(i) - lib[i]));
        }
        return d;
    }

    private static String describe(Run r) {
        if (r.iterations() >= 0) {
            return r.iterations() + " iterations, w = " + Fmt.f("%.7g", r.w());
        }
        if (Double.isNaN(r.w())) {
            return "never: NaN";
        }
        if (Math.abs(r.w()) > 1e6) {
            return Fmt.f("never: diverges (w = %.3e, loss = %s)", r.w(), Fmt.num(r.w() * r.w()));
        }
        return "never: stalls at w = " + Fmt.f("%.6f", r.w());
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("f(w) = w^2, w0 = 1, loop while loss > 0.01 (max 10,000 iterations)");
        Object[][] rows = {{"plain GD", Variant.PLAIN, 0.0}, {"notes as written (+), m=0.1", Variant.NOTES, 0.1},
            {"notes as written (+), m=0.5", Variant.NOTES, 0.5}, {"notes as written (+), m=0.6", Variant.NOTES, 0.6},
            {"notes as written (+), m=0.9", Variant.NOTES, 0.9}, {"DLwP (-) = Nesterov, m=0.1", Variant.DLWP, 0.1},
            {"DLwP (-) = Nesterov, m=0.5", Variant.DLWP, 0.5}, {"DLwP (-) = Nesterov, m=0.9", Variant.DLWP, 0.9},
            {"heavy ball, m=0.1", Variant.HEAVY_BALL, 0.1}, {"heavy ball, m=0.9", Variant.HEAVY_BALL, 0.9}};
        for (double lr : new double[] {0.1, 0.01}) {
            out.println("learning_rate = " + lr + ":");
            for (Object[] row : rows) {
                Variant v = (Variant) row[1];
                double m = (double) row[2];
                Run run = run(v, lr, m);
                Fmt.kv(out, (String) row[0], describe(run));
                r.put(v + "/" + m + "/" + lr, run.iterations(), run.w());
            }
        }
        Fmt.notesClaim(out, "velocity = past_velocity * momentum + learning_rate * gradient — the sign must be '-'"
                + " (DLwP); with '+' the momentum term pushes uphill");
        out.println("the library's io.vecgrad.optim.SGD reproduces the corrected loops (first iterates, f = w^2):");
        double[] devs = new double[4];
        int slot = 0;
        for (double lr : new double[] {0.1, 0.01}) {
            for (double m : new double[] {0.1, 0.9}) {
                double dn = maxDiff(run(Variant.DLWP, lr, m).path(), librarySgd(lr, m, true, 30));
                double dh = maxDiff(run(Variant.HEAVY_BALL, lr, m).path(), librarySgd(lr, m, false, 30));
                devs[slot++] = Math.max(dn, dh);
                Fmt.kv(out, "lr " + Fmt.num(lr) + ", m " + Fmt.num(m), Fmt.f(
                        "SGD(nesterov) vs DLwP (-) %.1e; SGD(momentum) vs heavy ball %.1e", dn, dh));
            }
        }
        r.put("libraryDeviation", devs);
        XYChart c = Charts.chart("momentum pseudo-code, lr 0.1, m 0.1, f = w²", "iteration", "w");
        String[] names = {"plain GD", "notes (+)", "DLwP (-) / Nesterov", "heavy ball"};
        Variant[] vs = Variant.values();
        for (int i = 0; i < vs.length; i++) {
            List<Double> p = run(vs[i], 0.1, 0.1).path();
            double[] ys = p.stream().mapToDouble(Double::doubleValue).toArray();
            double[] xs = new double[ys.length];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = k;
            }
            Charts.path(c, names[i], xs, ys);
            if (i == 1) {
                r.put("notesPath", java.util.Arrays.copyOf(ys, 6));
            } else if (i == 2) {
                r.put("dlwpPath", java.util.Arrays.copyOf(ys, 6));
            } else if (i == 3) {
                r.put("heavyPath", java.util.Arrays.copyOf(ys, 6));
            }
        }
        Path png = Charts.save(c, outDir, "momentum_variants.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
