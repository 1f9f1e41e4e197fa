package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Updates;
import io.vecgrad.engine.spi.UpdateKernels;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A quick timing of one optimizer step on 1M parameters (not a test; the JMH benchmark in
 * {@code bench} is the measurement of record): the fused vector step through
 * {@link Optimizer#step()} against the plain per-element formula of the tests
 * ({@link PlainRules}, loops over {@code double[]}) and against the scalar twin of the kernel
 * over the same segments. Also reports heap bytes allocated per steady-state step.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.vecgrad.optim.StepTiming [n]
 * </pre>
 */
public final class StepTiming {
    private StepTiming() {}

    interface Body {
        void run();
    }

    /** Median nanoseconds per call after warming up for about a second. */
    static double time(Body b) {
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            b.run();
        }
        double[] t = new double[31];
        for (int r = 0; r < t.length; r++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 5; k++) {
                b.run();
            }
            t[r] = (System.nanoTime() - t0) / 5.0;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    static long allocatedPerStep(Optimizer opt) {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long a0 = mx.getThreadAllocatedBytes(tid);
        int n = 200;
        for (int i = 0; i < n; i++) {
            opt.step();
        }
        return (mx.getThreadAllocatedBytes(tid) - a0) / n;
    }

    /** {@link PlainRules#adam} without weight decay, with {@code 1 - beta^t} computed once per call. */
    static void plainAdamHoisted(double[] p, double[] grad, double[] m, double[] v, long t) {
        double lr = 1e-6;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double denom = Math.sqrt(v[i]) / bc2 + 1e-8;
            p[i] = p[i] - (lr / bc1) * m[i] / denom;
        }
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        System.out.println("n = " + n + ", kernels: " + Kernels.providerInfo() + ", updates: " + Updates.get().name());
        SplittableRandom rnd = new SplittableRandom(1);
        for (String rule : new String[] {"Adam", "SGD-momentum"}) {
            for (DType dt : DType.values()) {
                double[] init = new double[n];
                double[] grad = new double[n];
                for (int i = 0; i < n; i++) {
                    init[i] = rnd.nextDouble(-1, 1);
                    grad[i] = rnd.nextDouble(-1e-3, 1e-3);
                }
                Tensor p = Tensor.fromArray(dt, init, n).requiresGrad(true);
                p.setGrad(Tensor.fromArray(dt, grad, n));
                Optimizer opt = rule.equals("Adam") ? Adam.builder(p).lr(1e-6).build()
                        : SGD.builder(p).lr(1e-6).momentum(0.9).build();
                double fused = time(opt::step);
                long alloc = allocatedPerStep(opt);

                // The same kernel in its scalar twin, over the same segments.
                UpdateKernels sc = Updates.scalar();
                MemorySegment ps = p.buffer().segment("t");
                MemorySegment gs = p.grad().buffer().segment("t");
                MemorySegment s1 = Tensor.zeros(dt, n).buffer().segment("t");
                MemorySegment s2 = Tensor.zeros(dt, n).buffer().segment("t");
                double scalar = rule.equals("Adam")
                        ? time(() -> sc.adam(dt, n, ps, 0, gs, 0, s1, 0, s2, 0, null, 0, 1e-6, 0.9, 0.999, 1e-8, 0, false, 7))
                        : time(() -> sc.sgd(dt, n, ps, 0, gs, 0, s1, 0, 1e-6, 0.9, 0, 0, false, false));

                // The plain per-element formula of the tests (double[], so f64 arithmetic).
                double[] pp = init.clone();
                PlainRules.State st = new PlainRules.State();
                double plain = rule.equals("Adam")
                        ? time(() -> PlainRules.adam(pp, grad, st, 1e-6, 0.9, 0.999, 1e-8, 0, false, false))
                        : time(() -> PlainRules.sgd(pp, grad, st, 1e-6, 0.9, 0, 0, false));
                // The plain formula with the bias corrections hoisted out of the loop, as the kernel has them.
                double[] ph = init.clone();
                double[] m = new double[n];
                double[] v = new double[n];
                double hoisted = rule.equals("Adam") ? time(() -> plainAdamHoisted(ph, grad, m, v, 7)) : plain;
                System.out.printf("%-13s %s: fused %s step %7.3f ms | scalar twin %7.3f ms (x%.1f) | plain formula "
                                + "%7.3f ms (x%.1f) | plain, bias corrections hoisted %7.3f ms (x%.1f) | %d B/step%n",
                        rule, dt, Updates.get().name(), fused / 1e6, scalar / 1e6, scalar / fused, plain / 1e6,
                        plain / fused, hoisted / 1e6, hoisted / fused, alloc);
            }
        }
    }
}
