package io.vecgrad.examples;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vecgrad soak [--steps N] [--samples K] [--out DIR]}: trains a small MLP for N steps
 * (default 10^6) and samples, K times, the JVM's native memory (Native Memory Tracking's
 * committed total, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}, as the
 * launcher does), the live heap after a GC, the process's resident set, and vecgrad's own
 * native-allocation counter; writes {@code soak.csv} and {@code soak.png} (memory over steps)
 * and says whether memory stayed flat after warm-up.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Long training loop of a small MLP sampling native memory and heap; writes soak.csv and soak.png.",
            "Exit status: 0 if memory stayed flat after warm-up, 1 if it grew."})
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "1000000", description = "Training steps (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--samples", defaultValue = "100", description = "Memory samples (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--out", defaultValue = "runs/soak", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB");

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || samples < 2) {
            System.err.println("soak: --steps must be >= 1 and --samples >= 2");
            return 2;
        }
        SplittableRandom r = new SplittableRandom(1);
        Layer net = new Sequential(new Linear(64, 128, true, r, DType.F32), new ReLU(),
                new Linear(128, 10, true, r, DType.F32));
        Optimizer opt = Adam.builder(net.parameters()).lr(1e-3).build();
        Tensor x = Tensor.randn(r, DType.F32, 32, 64);
        long[] l = new long[32];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextInt(10);
        }
        Indices y = Indices.of(l, 32);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        long every = Math.max(1, steps / samples);
        int n = (int) ((steps + every - 1) / every) + 1;
        double[] at = new double[n];
        double[] nmt = new double[n];
        double[] heap = new double[n];
        double[] rss = new double[n];
        double[] vec = new double[n];
        StringBuilder csv = new StringBuilder("step,nmt_committed_mb,heap_live_mb,rss_mb,vecgrad_native_mb,loss\n");
        int k = 0;
        double loss = Double.NaN;
        long t0 = System.nanoTime();
        for (long s = 0; s <= steps; s++) {
            if (s % every == 0 || s == steps) {
                at[k] = s;
                nmt[k] = nmtCommittedMb();
                System.gc();
                heap[k] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
                rss[k] = rssMb();
                vec[k] = Tensor.nativeBytesAllocated() / 1048576.0;
                csv.append(String.format(Locale.ROOT, "%d,%.3f,%.3f,%.3f,%.3f,%.6f%n", s, nmt[k], heap[k], rss[k], vec[k], loss));
                System.out.printf(Locale.ROOT, "step %9d  NMT %8.2f MB  heap %7.2f MB  RSS %8.2f MB  vecgrad native %6.2f MB%n",
                        s, nmt[k], heap[k], rss[k], vec[k]);
                k++;
                if (s == steps) {
                    break;
                }
            }
            opt.zeroGrad();
            Tensor lt = ce.apply(net.forward(x), y);
            lt.backward();
            opt.step();
            loss = lt.item();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        Files.writeString(out.resolve("soak.csv"), csv);
        XYChart c = Charts.chart("soak: " + steps + " steps of a 64-128-10 MLP (Adam, batch 32)", "step", "MB");
        double[] xs = java.util.Arrays.copyOf(at, k);
        if (nmt[0] >= 0) {
            Charts.curve(c, "native outside the heap (NMT committed)", xs, java.util.Arrays.copyOf(nmt, k));
        }
        Charts.curve(c, "resident set", xs, java.util.Arrays.copyOf(rss, k));
        Charts.curve(c, "live heap", xs, java.util.Arrays.copyOf(heap, k));
        Charts.curve(c, "vecgrad native allocated", xs, java.util.Arrays.copyOf(vec, k));
        Path png = Charts.save(c, out, "soak.png");
        // flat: from the second sample (after warm-up) to the end, vecgrad's native counter does
        // not move and NMT/heap grow by less than 8 MB
        int w = Math.min(1, k - 1);
        boolean flat = vec[k - 1] == vec[w] && (nmt[0] < 0 || nmt[k - 1] - nmt[w] < 8) && heap[k - 1] - heap[w] < 8;
        System.out.printf(Locale.ROOT, "soak: %d steps in %.0f s; NMT %.1f -> %.1f MB, heap %.1f -> %.1f MB, RSS %.1f -> %.1f MB, "
                + "vecgrad native %.2f -> %.2f MB: %s%n", steps, secs, nmt[w], nmt[k - 1], heap[w], heap[k - 1], rss[w],
                rss[k - 1], vec[w], vec[k - 1], flat ? "flat" : "GREW");
        System.out.println("wrote " + out.resolve("soak.csv") + ", " + png);
        return flat ? 0 : 1;
    }

    /**
     * NMT's committed total minus the Java heap's committed part, in MB (the heap is sampled
     * separately; its committed size follows GC heuristics), or -1 without Native Memory Tracking.
     */
    private static double nmtCommittedMb() {
        try {
            Object r = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = NMT_TOTAL.matcher(String.valueOf(r));
            Matcher h = NMT_HEAP.matcher(String.valueOf(r));
            if (!m.find()) {
                return -1;
            }
            long heap = h.find() ? Long.parseLong(h.group(2)) : 0;
            return (Long.parseLong(m.group(2)) - heap) / 1024.0;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Resident set size in MB from /proc (Linux), or -1. */
    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
