package io.vecgrad.bench.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Cold start of a library user's training loop, in the JVM it runs in (so run it in a fresh one:
 * {@code ./vecgrad bench cold} forks one per repetition): builds a {@link TrainStepBench} model
 * and times every step from the first, then reports the first {@code first} steps against the
 * steady state (the median step of a window after {@code warm} more steps).
 *
 * <p>Output: one line {@code cold model=M first=N firstMs=... steadyUs=... ratio=... setupMs=...
 * stepsUs=s1,s2,...} (the first {@code first} step times, for plotting where the time goes).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp $(bench classpath)
 * io.vecgrad.bench.train.ColdStartProbe [model=mlp784-b64-sgd] [first=100] [warm=3000] [window=500]}.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {}

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "mlp784-b64-sgd";
        int first = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        System.out.println(run(model, first, warm, window));
    }

    /** Times the loop (see the class comment) and returns the report line. */
    static String run(String model, int first, int warm, int window) {
        long s0 = System.nanoTime();
        TrainStepBench.Step step = TrainStepBench.Step.of(model);
        long s1 = System.nanoTime();
        long[] firstNs = new long[first];
        double sink = 0;
        // CPU time next to wall time: on a shared machine wall time depends on the load, the CPU
        // the first steps cost (this thread; the whole process, JIT compilers and warm-up included) much less
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long proc0 = os.getProcessCpuTime();
        for (int i = 0; i < first; i++) {
            long t = System.nanoTime();
            sink += step.run();
            firstNs[i] = System.nanoTime() - t;
        }
        double mainCpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
        double procCpuMs = (os.getProcessCpuTime() - proc0) / 1e6;
        for (int i = 0; i < warm; i++) {
            sink += step.run();
        }
        long[] w = new long[window];
        for (int i = 0; i < window; i++) {
            long t = System.nanoTime();
            sink += step.run();
            w[i] = System.nanoTime() - t;
        }
        long firstTotal = Arrays.stream(firstNs).sum();
        long[] sorted = w.clone();
        Arrays.sort(sorted);
        double steady = sorted[window / 2];
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < first; i++) {
            steps.append(i == 0 ? "" : ",").append(Math.round(firstNs[i] / 1e3));
        }
        return String.format(Locale.ROOT, "cold model=%s first=%d firstMs=%.2f steadyUs=%.1f ratio=%.2f setupMs=%.2f "
                        + "firstMainCpuMs=%.1f firstProcessCpuMs=%.1f sink=%.3f warmup=[%s] stepsUs=%s", model, first,
                firstTotal / 1e6, steady / 1e3, firstTotal / (first * steady), (s1 - s0) / 1e6, mainCpuMs, procCpuMs, sink,
                io.vecgrad.engine.Warmup.summary(), steps);
    }
}
