package io.vecgrad.bench.probe;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A quick, JMH-free timing of the kernels that have a PyTorch target (softmax / log_softmax
 * 256x1000, exp, sigmoid, tanh, add, mul, relu, sum, max at 64K and 1M), for iterating on a loaded
 * machine: each kernel is warmed until its batch time settles, then timed in {@code reps} batches
 * of {@code batchMs}; it prints the median µs per call, the spread ((max - min) / median) and the
 * load average. {@code bench/peers/kernel_probe.py} prints the same lines for PyTorch, so the two
 * can be run back to back (interleaved) and compared by ratio.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp $(bench classpath)
 * io.vecgrad.bench.probe.KernelProbe [reps] [batchMs] [filter]}.
 */
public final class KernelProbe {
    private KernelProbe() {}

    static double sink;

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int batchMs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String filter = args.length > 2 ? args[2] : "";
        Kernels k = Kernels.get();
        Map<String, Runnable> cases = new LinkedHashMap<>();
        Buffer x = rand(256, 1000, 10);
        Buffer y = Buffer.zeros(DType.F32, 256, 1000);
        cases.put("softmax 256x1000", () -> k.softmax(x, 1, y));
        cases.put("log_softmax 256x1000", () -> k.logSoftmax(x, 1, y));
        for (int n : new int[] {65536, 1048576, 16777216}) {
            Buffer a = rand(1, n, 1);
            Buffer b = rand(1, n, 1);
            Buffer c = Buffer.zeros(DType.F32, n);
            String s = " " + (n == 65536 ? "64K" : n == 1048576 ? "1M" : "16M");
            if (n < 16777216) { // the transcendental kernels are compute-bound: 64K and 1M only
                cases.put("exp" + s, () -> k.exp(a, c));
                cases.put("sigmoid" + s, () -> k.sigmoid(a, c));
                cases.put("tanh" + s, () -> k.tanh(a, c));
            }
            cases.put("add" + s, () -> k.add(a, b, c));
            cases.put("mul" + s, () -> k.mul(a, b, c));
            cases.put("relu" + s, () -> k.relu(a, c));
            cases.put("sum" + s, () -> sink += k.sumAll(a));
            cases.put("max" + s, () -> sink += k.maxAll(a));
        }
        System.out.println("# vecgrad " + Kernels.providerInfo() + ", load " + load());
        for (Map.Entry<String, Runnable> e : cases.entrySet()) {
            if (!e.getKey().contains(filter)) {
                continue;
            }
            double[][] t = time(e.getValue(), reps, batchMs);
            System.out.println(line(e.getKey(), t[0], t[1]));
        }
    }

    /**
     * One result line: median wall µs per call and its spread, then the median thread-CPU µs per
     * call and its spread (on a shared machine the CPU time is the steadier of the two: it leaves
     * out the time the thread waited for a core), and the load average.
     */
    static String line(String name, double[] t, double[] cpu) {
        double med = t[t.length / 2];
        double cmed = cpu[cpu.length / 2];
        return String.format(Locale.ROOT, "%-22s %10.2f us  spread %5.1f%%  cpu %10.2f us  spread %5.1f%%  load %s",
                name, med, 100 * (t[t.length - 1] - t[0]) / med, cmed,
                100 * (cpu[cpu.length - 1] - cpu[0]) / cmed, load());
    }

    static String load() {
        try {
            String[] w = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return w[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /**
     * Sorted per-call µs of {@code reps} batches, after a warm-up that lasts until three batches
     * in a row agree within 5 % and are no slower than the best seen by more than 10 % (C2 can take
     * tens of seconds to get to a kernel on a loaded machine; interpreted or C1 Vector API code
     * runs 10-100x slower), or 15 s (run with -Xbatch so that C2 code is there by then).
     */
    static double[][] time(Runnable r, int reps, int batchMs) {
        long warmEnd = System.nanoTime() + 15_000_000_000L;
        double best = Double.MAX_VALUE;
        double[] last = {Double.NaN, Double.NaN, Double.NaN};
        for (int b = 0; System.nanoTime() < warmEnd; b++) {
            double t = batch(r, batchMs, null);
            best = Math.min(best, t);
            last[b % 3] = t;
            double lo = Math.min(last[0], Math.min(last[1], last[2]));
            double hi = Math.max(last[0], Math.max(last[1], last[2]));
            if (b >= 5 && hi <= lo * 1.05 && hi <= best * 1.10) {
                break;
            }
        }
        double[] a = new double[reps];
        double[] cpu = new double[reps];
        double[] c = new double[1];
        for (int rep = 0; rep < reps; rep++) {
            a[rep] = batch(r, batchMs, c);
            cpu[rep] = c[0];
        }
        Arrays.sort(a);
        Arrays.sort(cpu);
        return new double[][] {a, cpu};
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Wall µs per call of one batch of about {@code batchMs}; thread-CPU µs per call into cpu[0]. */
    static double batch(Runnable r, int batchMs, double[] cpu) {
        long c0 = cpu == null ? 0 : THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + batchMs * 1_000_000L;
        int calls = 0;
        long now;
        do {
            r.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        if (cpu != null) {
            cpu[0] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / calls;
        }
        return (now - t0) / 1e3 / calls;
    }

    static Buffer rand(int rows, int cols, double scale) {
        SplittableRandom r = new SplittableRandom(42);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return rows == 1 ? Buffer.of(v, cols) : Buffer.of(v, rows, cols);
    }
}
