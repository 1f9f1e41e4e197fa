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
 * io.vecgrad.bench.train.StepAllocProbe [model=mlp784-b64-sgd] [warm steps=3000] [measured=2000]
 * [traced=0]}. With {@code traced > 0} and the JVMTI agent of {@code bench/peers/alloc_trace.sh}
 * loaded ({@code java $(bench/peers/alloc_trace.sh) ...}), it then runs that many more steps with
 * every heap allocation recorded and prints each site (class, bytes, count, 16 frames) to stderr:
 * unlike JFR's allocation samples this sees every object C2 did not eliminate.
 */
public final class StepAllocProbe {
    private StepAllocProbe() {}

    /** Starts ({@code true}) or stops and prints the agent's recording (bench/peers/alloc_trace.c). */
    private static native void arm(boolean on);

    @SuppressWarnings("restricted") // System.load of the tracing agent, only with traced > 0
    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "mlp784-b64-sgd";
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int traced = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String agent = System.getProperty("vecgrad.allocTrace");
        if (traced > 0 && agent == null) {
            throw new IllegalArgumentException("StepAllocProbe: traced = " + traced
                    + " needs the agent: java $(bench/peers/alloc_trace.sh) ...");
        }
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
        if (traced > 0) {
            System.load(agent); // the agent's library, already loaded by -agentpath: binds arm
            arm(true);
            for (int i = 0; i < traced; i++) {
                sink += step.run();
            }
            arm(false);
            System.out.printf(Locale.ROOT, "%s: allocation sites of %d traced steps above (stderr), loss sum %.3f%n",
                    model, traced, sink);
        }
    }
}
