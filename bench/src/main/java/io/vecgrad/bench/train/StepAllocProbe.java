package io.vecgrad.bench.train;

import io.vecgrad.autograd.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Heap and native bytes per steady-state training step of a {@link TrainStepBench} model, measured
 * in a long loop (not JMH: its short iterations include JIT warm-up), for finding the step's
 * allocations (run it under JFR with {@code jdk.ObjectAllocationSample} for the sites).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp $(bench classpath)
 * io.vecgrad.bench.train.StepAllocProbe [model=mlp784-b64-sgd] [warm steps=3000] [measured=2000]}.
 */
public final class StepAllocProbe {
    private StepAllocProbe() {}

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "mlp784-b64-sgd";
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TrainStepBench.Step step = TrainStepBench.Step.of(model);
        double sink = 0;
        for (int i = 0; i < warm; i++) {
            sink += step.run();
        }
        long heap0 = mx.getCurrentThreadAllocatedBytes();
        long native0 = Tensor.nativeBytesAllocated();
        long t0 = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            sink += step.run();
        }
        long t1 = System.nanoTime();
        long heap = mx.getCurrentThreadAllocatedBytes() - heap0;
        long nat = Tensor.nativeBytesAllocated() - native0;
        System.out.printf(Locale.ROOT, "%s: %.0f B heap/step, %.0f B native/step, %.1f us/step over %d steps "
                + "after %d (loss sum %.3f)%n", model, (double) heap / measured, (double) nat / measured,
                (t1 - t0) / 1e3 / measured, measured, warm, sink);
    }
}
