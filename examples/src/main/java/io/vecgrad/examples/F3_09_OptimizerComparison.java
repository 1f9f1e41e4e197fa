package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.Adagrad;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.RMSprop;
import io.vecgrad.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.knowm.xchart.XYChart;

/**
 * F3-09 "Comparison of gradient descent variants" (Ruder's animations): SGD, momentum, Nesterov,
 * Adagrad, Adadelta, RMSprop and Adam on the Beale function and on the saddle x² − y².
 */
final class F3_09_OptimizerComparison extends BaseExample {
    F3_09_OptimizerComparison() {
        super("f3-09-optimizer-comparison", "003",
                "7 optimizers on Beale from (1, 1.5) (3000 steps) and the saddle x² - y² from (1, 0.001) (100 steps)");
    }

    /** One optimizer step on p, given p's gradient already computed. */
    interface Stepper {
        void zeroGrad();

        void step();
    }

    /**
     * Adadelta (Zeiler 2012, as torch.optim.Adadelta: rho 0.9, eps 1e-6): io.vecgrad.optim has no
     * Adadelta, so it is written here on the public tensor API.
     */
    static Stepper adadelta(Tensor p, double lr) {
        Tensor sq = p.zerosLike();
        Tensor acc = p.zerosLike();
        double rho = 0.9;
        double eps = 1e-6;
        return new Stepper() {
            @Override
            public void zeroGrad() {
                p.zeroGrad();
            }

            @Override
            public void step() {
                try (var _ = Tensor.noGrad()) {
                    Tensor g = p.grad();
                    sq.copy_(sq.mul(rho).add(g.square().mul(1 - rho)));
                    Tensor delta = acc.add(eps).sqrt().div(sq.add(eps).sqrt()).mul(g);
                    acc.copy_(acc.mul(rho).add(delta.square().mul(1 - rho)));
                    p.sub_(delta.mul(lr));
                }
            }
        };
    }

    static Stepper library(io.vecgrad.optim.Optimizer o) {
        return new Stepper() {
            @Override
            public void zeroGrad() {
                o.zeroGrad();
            }

            @Override
            public void step() {
                o.step();
            }
        };
    }

    static final String[] NAMES = {"SGD", "Momentum", "NAG", "Adagrad", "Adadelta", "RMSprop", "Adam"};

    static Stepper make(int k, Tensor p) {
        return switch (k) {
            case 0 -> library(SGD.builder(p).lr(1e-3).build());
            case 1 -> library(SGD.builder(p).lr(1e-3).momentum(0.9).build());
            case 2 -> library(SGD.builder(p).lr(1e-3).momentum(0.9).nesterov(true).build());
            case 3 -> library(Adagrad.builder(p).lr(0.1).build());
            case 4 -> adadelta(p, 1.0);
            case 5 -> library(RMSprop.builder(p).lr(1e-2).build());
            default -> library(Adam.builder(p).lr(1e-2).build());
        };
    }

    static Tensor beale(Tensor p) {
        Tensor x = p.slice(0, 0, 1);
        Tensor y = p.slice(0, 1, 2);
        Tensor t1 = x.mul(y).sub(x).add(1.5);
        Tensor t2 = x.mul(y.square()).sub(x).add(2.25);
        Tensor t3 = x.mul(y.pow(3)).sub(x).add(2.625);
        return t1.square().add(t2.square()).add(t3.square()).sum();
    }

    static Tensor saddle(Tensor p) {
        return p.square().mul(Tensor.of(1.0, -1.0)).sum();
    }

    static double bealeValue(double x, double y) {
        double a = 1.5 - x + x * y;
        double b = 2.25 - x + x * y * y;
        double c = 2.625 - x + x * y * y * y;
        return a * a + b * b + c * c;
    }

    /** Runs optimizer k on f; returns the path (every {@code every}-th point and the last). */
    static List<double[]> run(int k, UnaryOperator<Tensor> f, double[] start, int steps, int every) {
        Tensor p = Tensor.fromArray(F64, start.clone(), 2).requiresGrad(true);
        Stepper opt = make(k, p);
        List<double[]> path = new ArrayList<>();
        path.add(start.clone());
        for (int t = 1; t <= steps; t++) {
            opt.zeroGrad();
            f.apply(p).backward();
            opt.step();
            if (t % every == 0 || t == steps) {
                path.add(p.toDoubleArray());
            }
        }
        return path;
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        out.println("Beale f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2 from (1, 1.5),"
                + " f0 = " + Fmt.num(bealeValue(1, 1.5)) + ", 3000 steps (minimum (3, 0.5)):");
        out.println("  (SGD/Momentum/NAG lr 1e-3, Adagrad 0.1, Adadelta 1, RMSprop 1e-2, Adam 1e-2;"
                + " Adadelta written by hand: the library has none)");
        XYChart c1 = Charts.chart("Beale function", "x", "y");
        Charts.contours(c1, F3_09_OptimizerComparison::bealeValue, -4.5, 4.5, -4.5, 4.5, 150,
                Charts.geomLevels(0.01, 1e5, 16));
        for (int k = 0; k < NAMES.length; k++) {
            List<double[]> path = run(k, F3_09_OptimizerComparison::beale, new double[] {1, 1.5}, 3000, 10);
            double[] end = path.get(path.size() - 1);
            double fv = bealeValue(end[0], end[1]);
            Fmt.kv(out, NAMES[k], Fmt.f("(%.4f, %.4f)  f = %.6g", end[0], end[1], fv));
            r.put("beale" + NAMES[k], end[0], end[1], fv);
            F0_04_GradientDescent2D.addPath(c1, NAMES[k], path.toArray(double[][]::new));
        }
        out.println("saddle f = x^2 - y^2 from (1, 0.001), 100 steps, same optimizers:");
        XYChart c2 = Charts.chart("saddle x² - y²", "x", "y");
        Charts.contours(c2, (x, y) -> x * x - y * y, -0.2, 1.2, -1, 4, 100,
                new double[] {-12, -8, -4, -2, -1, -0.25, 0, 0.25, 0.5, 1});
        for (int k = 0; k < NAMES.length; k++) {
            List<double[]> path = run(k, F3_09_OptimizerComparison::saddle, new double[] {1, 0.001}, 100, 1);
            double[] end = path.get(path.size() - 1);
            double fv = end[0] * end[0] - end[1] * end[1];
            boolean escaped = Math.abs(end[1]) > 1;
            Fmt.kv(out, NAMES[k], Fmt.f("(%.4f, %.4f)  f = %.5g%s", end[0], end[1], fv,
                    escaped ? "  (escaped)" : Math.abs(end[1]) < 0.01 ? "  (stuck near the saddle)" : ""));
            r.put("saddle" + NAMES[k], end[0], end[1], fv);
            List<double[]> clipped = path.stream().filter(q -> q[1] < 4).toList();
            F0_04_GradientDescent2D.addPath(c2, NAMES[k], clipped.toArray(double[][]::new));
        }
        out.println("  the adaptive methods (per-coordinate step sizes) leave the saddle; SGD and momentum barely move in y.");
        Path png = Charts.saveGrid(List.of(c1, c2), 1, 2, outDir, "optimizer_comparison.png");
        out.println("  plot: " + png);
        return r.file(png);
    }
}
