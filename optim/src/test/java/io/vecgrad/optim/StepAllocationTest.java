package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Parallel;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.MSELoss;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.nn.Tanh;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Heap and native bytes per steady-state training step (issue 13, Allocation), measured with the
 * thread's allocated-bytes counter: the 784-256-256-10 ReLU MLP (batch 64, cross-entropy) with
 * SGD-momentum and with Adam, the same at batch 256 with SGD-momentum, the 2-16-16-1 tanh MLP (batch 32, MSE, SGD), and the scalar
 * graph of the autograd-overhead benchmark (bytes per op).
 *
 * <p><b>Robust against JIT timing.</b> Heap per step falls as C2 compiles the hot path (escape
 * analysis removes the small temporaries only in compiled code), and on a loaded machine that
 * takes many steps. So each case warms up, then measures windows of steps until one window is
 * within its bound or a time budget runs out; the figure is the minimum over the windows (the
 * steady state: JIT activity only ever adds allocation). Every figure is printed.
 *
 * <p><b>Bounds.</b> The targets are 2 KB per step and 100 B per scalar op. Each
 * recorded op costs its result {@code Tensor} (40 B), {@code Buffer} (32), {@code Storage}
 * (40), {@code Node} (88, one or two saved values in fields) and inputs array (24-32): ~230 B;
 * each gradient buffer a pooled {@code Buffer} and {@code Storage}: 72 B. A Linear layer is
 * one op ({@code Tensor.linear}) whose weight gradient the GEMM adds in place and whose bias
 * gradient is summed into a reused scratch buffer; activation rules write over their upstream
 * gradient; a 0-d seed is reused; MSE with a reduction is one op ({@code Op.MSE}). The 784
 * MLP's step records 6 ops and takes 3 gradient buffers (the loss's and two layers' dx):
 * 1.8-1.9 KB measured, 2026-12-03, one and two engine threads; the tiny MLP's as many (1.9 KB;
 * 3.2 KB when MSE was sub, pow, sum and a scaling). The bounds hold those figures with a
 * margin of ~250-350 B (about one op); MSE composed again (~0.65 KB more) or a boxed vector in a
 * GEMM loop (55 KB) fail them. Scalar graph: 274-278 B per op measured (2026-12-03).
 * Native bytes per step must be exactly 0.
 */
class StepAllocationTest {
    /** The target (printed; the asserted bounds add a margin: see the class comment). */
    private static final long TARGET_STEP_BYTES = 2048;
    /** Asserted per-step bound of the 784-256-256-10 MLP, one engine thread (1.8-1.9 KB measured). */
    private static final long MLP784_BOUND = 2176;
    /** Asserted per-step bound of the 2-16-16-1 MLP, one engine thread (1.9 KB measured). */
    private static final long TINY_BOUND = 2176;
    /**
     * With more engine threads a parallel GEMM hands work to the pool (~1 KB per step for the
     * 784 MLP at 3e1411b; ~70 B since the spinning worker pool), and the JIT settles later: with
     * 2 threads the windows under the bound measured 2.8-3.2 KB (784 MLP) and 3.2-4.0 KB (tiny)
     * at 3e1411b; 1.8-1.9 KB and 1.9-2.2 KB on 2026-12-03. Some runs settle with a kernel
     * compiled without the vector intrinsics (a zeroGrad fill then boxes its vector: ~480 B).
     */
    private static final long PARALLEL_ALLOWANCE = 768;
    /** Asserted bytes per scalar op (274-278 measured, 2026-12-03; 323 before). */
    private static final long SCALAR_OP_BOUND = 312;
    private static final long BUDGET_NANOS = 60_000_000_000L;

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static double sink;

    interface Step {
        double run();
    }

    /** One measurement: the smallest heap bytes per step over the windows, and native bytes in that window. */
    record Figure(double heapPerStep, long nativeBytes, int windows) {}

    /**
     * Warms {@code step} for {@code warm} steps, then measures windows of {@code window} steps
     * until one allocates at most {@code bound} heap bytes per step (or the budget ends).
     */
    private static Figure measure(Step step, int warm, int window, long bound) {
        for (int i = 0; i < warm; i++) {
            sink += step.run();
        }
        double best = Double.MAX_VALUE;
        long nativeAtBest = -1;
        int windows = 0;
        long end = System.nanoTime() + BUDGET_NANOS;
        do {
            long n0 = Tensor.nativeBytesAllocated();
            long h0 = MX.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < window; i++) {
                sink += step.run();
            }
            long h1 = MX.getCurrentThreadAllocatedBytes();
            long n1 = Tensor.nativeBytesAllocated();
            windows++;
            double perStep = (double) (h1 - h0) / window;
            if (perStep < best) {
                best = perStep;
                nativeAtBest = n1 - n0;
            }
        } while ((best > bound || windows < 3) && System.nanoTime() < end);
        return new Figure(best, nativeAtBest, windows);
    }

    private static Step mlp784(boolean adam, int batch) {
        SplittableRandom r = new SplittableRandom(1);
        Layer net = new Sequential(new Linear(784, 256, true, r, DType.F32), new ReLU(),
                new Linear(256, 256, true, r, DType.F32), new ReLU(), new Linear(256, 10, true, r, DType.F32));
        Optimizer opt = adam ? Adam.builder(net.parameters()).lr(1e-3).build()
                : SGD.builder(net.parameters()).lr(0.01).momentum(0.9).build();
        Tensor x = Tensor.rand(r, DType.F32, batch, 784);
        long[] l = new long[batch];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextInt(10);
        }
        Indices labels = Indices.of(l, batch);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        return () -> {
            opt.zeroGrad();
            Tensor loss = ce.apply(net.forward(x), labels);
            loss.backward();
            opt.step();
            return loss.item();
        };
    }

    private static Step tiny() {
        SplittableRandom r = new SplittableRandom(1);
        Layer net = new Sequential(new Linear(2, 16, true, r, DType.F32), new Tanh(),
                new Linear(16, 16, true, r, DType.F32), new Tanh(), new Linear(16, 1, true, r, DType.F32));
        Optimizer opt = SGD.builder(net.parameters()).lr(0.01).build();
        Tensor x = Tensor.rand(r, DType.F32, 32, 2);
        Tensor y = Tensor.randn(r, DType.F32, 32, 1);
        MSELoss mse = new MSELoss();
        return () -> {
            opt.zeroGrad();
            Tensor loss = mse.apply(net.forward(x), y);
            loss.backward();
            opt.step();
            return loss.item();
        };
    }

    /** The graph of {@code ScalarGraphBench}: 100 scalar ops forward (mul, add, tanh, ...) and backward. */
    private static Step scalarGraph() {
        Tensor x = Tensor.scalar(DType.F32, 0.5).requiresGrad(true);
        Tensor w = Tensor.scalar(DType.F32, 0.9).requiresGrad(true);
        return () -> {
            Tensor h = x;
            for (int i = 0; i < 33; i++) {
                h = h.mul(w).add(0.1).tanh();
            }
            Tensor loss = h.mul(w);
            loss.backward();
            double g = w.grad().item();
            w.zeroGrad();
            x.zeroGrad();
            return g;
        };
    }

    private static long stepBound(long oneThread) {
        return oneThread + (Parallel.configuredThreads() > 1 ? PARALLEL_ALLOWANCE : 0);
    }

    private static void checkStep(String name, Step step, int warm, int window, long oneThreadBound) {
        long bound = stepBound(oneThreadBound);
        Figure f = measure(step, warm, window, bound);
        System.out.printf(Locale.ROOT, "%s: %.0f B heap/step (target %d, bound %d), %d B native over %d steps; "
                        + "minimum over %d windows, %d engine threads%n", name, f.heapPerStep(), TARGET_STEP_BYTES,
                bound, f.nativeBytes(), window, f.windows(), Parallel.configuredThreads());
        assertEquals(0, f.nativeBytes(), name + ": native bytes allocated in steady state");
        assertTrue(f.heapPerStep() <= bound, String.format(Locale.ROOT,
                "%s: %.0f B heap per steady-state step, bound %d", name, f.heapPerStep(), bound));
    }

    @Test
    void mlp784SgdMomentumStep() {
        checkStep("mlp784-b64-sgd-momentum", mlp784(false, 64), 1000, 150, MLP784_BOUND);
    }

    @Test
    void mlp784AdamStep() {
        checkStep("mlp784-b64-adam", mlp784(true, 64), 1000, 150, MLP784_BOUND);
    }

    /**
     * Batch 256 took 2080 B per step in most JVMs until 2026-12-03: C2 boxed the placeholder
     * vector of ReLU-backward's broadcast operand when it inlined the kernel into the backward
     * walk (two vectors of 96 B). Measured 1888 B since, like batch 64. Bounded by the target
     * itself. Whether C2 boxed depended on what it had compiled before: alone in this test's JVM
     * the old code measured 1960 B, so this case guards the target, not that one compilation
     * (the standalone trace is in bench/results/, 2026-12-03 alloc file).
     */
    @Test
    void mlp784Batch256SgdMomentumStep() {
        checkStep("mlp784-b256-sgd-momentum", mlp784(false, 256), 600, 100, TARGET_STEP_BYTES);
    }

    @Test
    void tinyMlpStep() {
        checkStep("tiny-2-16-16-1-b32-sgd", tiny(), 30_000, 2000, TINY_BOUND);
    }

    @Test
    void scalarGraphPerOp() {
        int ops = 100;
        Figure f = measure(scalarGraph(), 5_000, 500, SCALAR_OP_BOUND * ops);
        double perOp = f.heapPerStep() / ops;
        System.out.printf(Locale.ROOT, "scalar graph: %.0f B heap/op (target 100, bound %d), %d B native; "
                + "minimum over %d windows%n", perOp, SCALAR_OP_BOUND, f.nativeBytes(), f.windows());
        assertEquals(0, f.nativeBytes(), "scalar graph: native bytes allocated in steady state");
        assertTrue(perOp <= SCALAR_OP_BOUND, String.format(Locale.ROOT, "scalar graph: %.0f B heap per op, bound %d",
                perOp, SCALAR_OP_BOUND));
    }
}
