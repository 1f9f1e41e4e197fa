package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer, with every option combination, follows the plain per-element formula
 * ({@link PlainRules}) along a 12-step trajectory, in f32 and f64: three parameters of awkward
 * sizes, a random gradient sequence (independent of p, so the comparison checks the rule and not
 * a feedback loop), one parameter left without a gradient on some steps (it must be skipped and
 * its step count must not advance).
 */
class OptimizerOracleTest {

    private static final int[][] SHAPES = {{37}, {3, 5}, {1}};
    private static final int STEPS = 12;

    /** One optimizer configuration and its plain twin. */
    record Spec(String name, Function<List<Tensor>, Optimizer> build, Plain plain) {}

    @FunctionalInterface
    interface Plain {
        void step(double[] p, double[] g, PlainRules.State s, double lr);
    }

    static List<Spec> specs() {
        List<Spec> out = new ArrayList<>();
        for (double mom : new double[] {0, 0.9}) {
            for (double damp : new double[] {0, 0.3}) {
                for (double wd : new double[] {0, 0.05}) {
                    for (boolean nest : new boolean[] {false, true}) {
                        if (nest && (mom == 0 || damp != 0)) {
                            continue;
                        }
                        out.add(new Spec("SGD(mom=" + mom + ", damp=" + damp + ", wd=" + wd + ", nesterov=" + nest + ")",
                                ps -> SGD.builder(ps).lr(0.05).momentum(mom).dampening(damp).weightDecay(wd)
                                        .nesterov(nest).build(),
                                (p, g, s, lr) -> PlainRules.sgd(p, g, s, lr, mom, damp, wd, nest)));
                    }
                }
            }
        }
        for (double decay : new double[] {0, 0.05}) {
            for (double wd : new double[] {0, 0.1}) {
                for (double init : new double[] {0, 0.5}) {
                    for (double eps : new double[] {1e-10, 1e-3}) {
                        out.add(new Spec("Adagrad(lr_decay=" + decay + ", wd=" + wd + ", init=" + init + ", eps=" + eps + ")",
                                ps -> Adagrad.builder(ps).lr(0.1).lrDecay(decay).weightDecay(wd)
                                        .initialAccumulatorValue(init).eps(eps).build(),
                                (p, g, s, lr) -> PlainRules.adagrad(p, g, s, lr, decay, wd, init, eps)));
                    }
                }
            }
        }
        for (double alpha : new double[] {0.99, 0.9}) {
            for (double wd : new double[] {0, 0.1}) {
                for (double mom : new double[] {0, 0.5}) {
                    for (boolean centered : new boolean[] {false, true}) {
                        out.add(new Spec("RMSprop(alpha=" + alpha + ", wd=" + wd + ", mom=" + mom + ", centered=" + centered + ")",
                                ps -> RMSprop.builder(ps).lr(0.01).alpha(alpha).weightDecay(wd).momentum(mom)
                                        .centered(centered).build(),
                                (p, g, s, lr) -> PlainRules.rmsprop(p, g, s, lr, alpha, 1e-8, wd, mom, centered)));
                    }
                }
            }
        }
        for (boolean w : new boolean[] {false, true}) {
            for (double lr0 : new double[] {1e-3, 0.1}) {
                for (double[] betas : new double[][] {{0.9, 0.999}, {0.8, 0.9}}) {
                    for (double wd : new double[] {0, 0.05}) {
                        for (boolean ams : new boolean[] {false, true}) {
                            String n = (w ? "AdamW" : "Adam") + "(lr=" + lr0 + ", betas=" + betas[0] + "," + betas[1]
                                    + ", wd=" + wd + ", amsgrad=" + ams + ")";
                            Function<List<Tensor>, Optimizer> b = w
                                    ? ps -> AdamW.builder(ps).lr(lr0).betas(betas[0], betas[1]).weightDecay(wd).amsgrad(ams).build()
                                    : ps -> Adam.builder(ps).lr(lr0).betas(betas[0], betas[1]).weightDecay(wd).amsgrad(ams).build();
                            out.add(new Spec(n, b, (p, g, s, lr) ->
                                    PlainRules.adam(p, g, s, lr, betas[0], betas[1], 1e-8, wd, ams, w)));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyOptimizerFollowsThePlainRule() {
        List<Spec> specs = specs();
        assertEquals(10 + 16 + 16 + 32, specs.size());
        long seed = 77;
        for (Spec spec : specs) {
            for (DType dt : DType.values()) {
                trajectory(spec, dt, seed++);
            }
        }
    }

    static void trajectory(Spec spec, DType dt, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int np = SHAPES.length;
        List<Tensor> params = new ArrayList<>();
        double[][] want = new double[np][];
        PlainRules.State[] states = new PlainRules.State[np];
        for (int k = 0; k < np; k++) {
            int n = size(SHAPES[k]);
            double[] init = values(rnd, n, dt, 1.0);
            params.add(Tensor.fromArray(dt, init, SHAPES[k]).requiresGrad(true));
            want[k] = init.clone();
            states[k] = new PlainRules.State();
        }
        Optimizer opt = spec.build().apply(params);
        String ctx = spec.name() + " " + dt + " seed=" + seed;
        for (int step = 1; step <= STEPS; step++) {
            for (int k = 0; k < np; k++) {
                Tensor p = params.get(k);
                boolean skip = k == 1 && (step == 2 || step == 5 || step == 6);
                if (skip) {
                    p.clearGrad();
                    continue;
                }
                // Gradients of a few scales, including exact zeros.
                double scale = step % 4 == 0 ? 1e-3 : 1.0;
                double[] g = values(rnd, want[k].length, dt, scale);
                if (step == 3) {
                    g[0] = 0;
                }
                p.setGrad(Tensor.fromArray(dt, g, SHAPES[k]));
                spec.plain().step(want[k], g, states[k], opt.lr());
            }
            opt.step();
            for (int k = 0; k < np; k++) {
                compare(ctx + " step " + step + " param " + k, dt, want[k], params.get(k).toDoubleArray());
                assertEquals(states[k].step, opt.paramStep(k), ctx + ": step count of param " + k);
            }
        }
        assertEquals(STEPS, opt.stepCount());
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Random values in [-scale, scale), exactly representable in dt. */
    static double[] values(SplittableRandom rnd, int n, DType dt, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = dt.round(rnd.nextDouble(-scale, scale));
        }
        return v;
    }

    /** f64: the fused kernel's order of operations must agree with the plain one to ~1e-12. */
    static void compare(String ctx, DType dt, double[] want, double[] got) {
        double rtol = dt == DType.F32 ? 1e-4 : 1e-11;
        double atol = dt == DType.F32 ? 1e-5 : 1e-13;
        double scale = 1;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= rtol * Math.abs(want[i]) + atol * scale)) {
                fail(ctx + " element " + i + ": got " + got[i] + ", plain formula " + want[i]);
            }
        }
    }
}
