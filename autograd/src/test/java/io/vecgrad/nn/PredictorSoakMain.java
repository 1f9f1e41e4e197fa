package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Storage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The long run behind {@link PredictorTest}: {@code N} (default 10^6) single-row predictions of
 * the 64-256-10 model from 8 threads, each checked bit for bit against a sequential one, with
 * the process's RSS and NMT committed total printed at every tenth. Run with
 * {@code -XX:NativeMemoryTracking=summary} (the NMT column is "-" without it).
 */
public final class PredictorSoakMain {
    private PredictorSoakMain() {}

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int threads = 8;
        Predictor p = new Predictor(PredictorTest.model(20261202L));
        float[][] rows = PredictorTest.rows(20261203L);
        float[][] expected = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            expected[i] = p.probabilities(new float[][] {rows[i]})[0];
        }
        AtomicLong done = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        long storage0 = Storage.nativeBytesAllocated();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        Future<?>[] fs = new Future<?>[threads];
        long[] wsBytes = new long[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs[t] = pool.submit(() -> {
                long per = total / threads;
                for (long i = 0; i < per; i++) {
                    int k = (int) ((id * 5 + i) % rows.length);
                    if (!Arrays.equals(p.probabilities(new float[][] {rows[k]})[0], expected[k])) {
                        mismatches.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
                wsBytes[id] = Tensor.nativeBytesAllocated() - Storage.nativeBytesAllocated();
            });
        }
        System.out.println("predictions  seconds  rss_MiB  nmt_committed_MiB  mismatches");
        long next = total / 10;
        while (!allDone(fs)) {
            Thread.sleep(50);
            if (done.get() >= next) {
                report(done.get(), t0, mismatches.get());
                next += total / 10;
            }
        }
        for (Future<?> f : fs) {
            f.get();
        }
        report(done.get(), t0, mismatches.get());
        pool.shutdown();
        System.out.printf(Locale.ROOT, "GC-managed native bytes allocated during the run: %d; per-thread pools: %s bytes%n",
                Storage.nativeBytesAllocated() - storage0, Arrays.toString(wsBytes));
        if (mismatches.get() != 0) {
            System.exit(1);
        }
    }

    private static boolean allDone(Future<?>[] fs) {
        for (Future<?> f : fs) {
            if (!f.isDone()) {
                return false;
            }
        }
        return true;
    }

    private static void report(long n, long t0, long mismatches) throws Exception {
        System.out.printf(Locale.ROOT, "%11d  %7.1f  %7.1f  %17s  %d%n", n, (System.nanoTime() - t0) / 1e9,
                rssKiB() / 1024.0, nmtCommittedMiB(), mismatches);
    }

    private static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static String nmtCommittedMiB() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(out.toString());
            return m.find() ? String.format(Locale.ROOT, "%.1f", Long.parseLong(m.group(1)) / 1024.0) : "-";
        } catch (Exception e) {
            return "-";
        }
    }
}
