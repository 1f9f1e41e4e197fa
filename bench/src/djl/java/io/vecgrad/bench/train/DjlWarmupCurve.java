package io.vecgrad.bench.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The warm-up curve of {@link DjlTrainStepBench}'s step in a fresh JVM: what a user's first
 * thousand steps cost, which JMH's steady-state average hides. Runs one variant ({@code
 * vecgrad-direct}, {@code djl-VecGrad} or {@code djl-PyTorch}) for N steps and prints, per step
 * range, the median wall and thread-CPU time per step, the cumulative wall time, and the first
 * step from which the 25-step rolling median stays within 1.2× of the final median (the median
 * of the last 20 % of the steps).
 *
 * <p>Run (one JVM per variant, the same flags as the JMH fork): {@code java
 * --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dvecgrad.threads=1
 * -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
 * -cp ... io.vecgrad.bench.train.DjlWarmupCurve djl-VecGrad 1000}
 */
public final class DjlWarmupCurve {
    private DjlWarmupCurve() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: DjlWarmupCurve vecgrad-direct|djl-VecGrad|djl-PyTorch [STEPS]");
        }
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        if (steps < 50) {
            throw new IllegalArgumentException("DjlWarmupCurve: STEPS must be >= 50, got " + steps);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        DjlTrainStepBench b = new DjlTrainStepBench();
        b.impl = args[0];
        b.setup();
        long setup = System.nanoTime() - t0;
        DjlTrainStepBench.NativeBytes counter = new DjlTrainStepBench.NativeBytes();
        long[] wall = new long[steps];
        long[] cpu = new long[steps];
        double sink = 0;
        for (int i = 0; i < steps; i++) {
            long c = mx.getCurrentThreadCpuTime();
            long w = System.nanoTime();
            sink += b.step(counter);
            wall[i] = System.nanoTime() - w;
            cpu[i] = mx.getCurrentThreadCpuTime() - c;
        }
        b.tearDown();
        System.out.printf(Locale.ROOT, "# %s: %d steps, setup %.0f ms, loss sum %.4f, native bytes in the steps %d%n",
                args[0], steps, setup / 1e6, sink, counter.nativeBytes);
        int[] edges = {0, 1, 10, 50, 100, 200, 300, 400, 500, 700, 1000, 1500, 2000, 3000, 5000, 10000, 15000, 20000,
            25000, 30000, 35000, 40000, 50000, 75000, 100000};
        System.out.println("# steps        median-wall-ms  median-cpu-ms  cumulative-wall-s");
        double cum = 0;
        int e = 0;
        for (int i = 0; i < steps; i++) {
            cum += wall[i] / 1e9;
            if (e + 1 < edges.length && i + 1 == Math.min(edges[e + 1], steps)) {
                int from = edges[e];
                System.out.printf(Locale.ROOT, "  %5d-%-5d  %14.2f  %13.2f  %17.2f%n", from, i + 1,
                        median(wall, from, i + 1) / 1e6, median(cpu, from, i + 1) / 1e6, cum);
                e++;
            }
        }
        int tail = Math.max(steps / 5, 10);
        double fin = median(wall, steps - tail, steps);
        int settled = -1;
        for (int i = steps - 25; i >= 0; i--) {
            if (median(wall, i, i + 25) > 1.2 * fin) {
                settled = i + 25;
                break;
            }
        }
        System.out.printf(Locale.ROOT, "# final median (last %d steps) %.2f ms wall, %.2f ms cpu; 25-step rolling "
                + "median within 1.2x of it from step %d on%n", tail, fin / 1e6, median(cpu, steps - tail, steps) / 1e6,
                Math.max(settled, 0));
    }

    private static double median(long[] v, int from, int to) {
        long[] s = Arrays.copyOfRange(v, from, to);
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }
}
