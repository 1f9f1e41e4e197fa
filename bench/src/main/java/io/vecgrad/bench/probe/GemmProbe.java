package io.vecgrad.bench.probe;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM against OpenBLAS in one process, interleaved, for a machine whose load changes from
 * second to second: every case times vecgrad and OpenBLAS ({@code cblas_sgemm/dgemm} through the
 * FFM API on the same native operands, row-major, so every transpose variant is the library's
 * own path) in alternating batches of about {@code batchMs}, {@code reps} times, after a
 * warm-up. A round's ratio compares two neighbouring batches, so load that changes slowly
 * cancels; the line prints the median GFLOP/s of each, their spread ((max - min) / median over
 * the rounds), the median of the per-round ratios, and the best batch of each.
 *
 * <p>Also measures the single-core FMA peak the same way (a Vector API loop with 16 independent
 * accumulators of the widest species, no memory traffic), interleaved with the GEMM rounds, so
 * "percent of peak" uses a peak measured under the same load; and vecgrad on two threads
 * against one (the 2-thread result must be bit-identical to the 1-thread one; the probe checks).
 *
 * <p>Run (OpenBLAS must pick its own core: unset {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} for this process only):
 * {@code env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 java
 * --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp ... 
 * io.vecgrad.bench.probe.GemmProbe [reps=N] [batchMs=N] [set=squares|mlp|f64|threads|all]
 * [case=f32:NT:64x256x784 ...]}.
 */
public final class GemmProbe {
    private GemmProbe() {}

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    static double sink;
    /** Whether to measure the FMA peak (off for profiling the GEMM alone). */
    static boolean withPeak = true;
    /** Warm-up of vecgrad per case (OpenBLAS gets half): long enough for C2 on a loaded machine. */
    static int warmMs = 1500;

    record Case(DType dt, boolean ta, boolean tb, int m, int n, int k, int threads, String label) {
        double flops() {
            return 2.0 * m * n * k;
        }

        String name() {
            return (dt == DType.F32 ? "f32" : "f64") + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " "
                    + m + "x" + n + "x" + k + (label.isEmpty() ? "" : " (" + label + ")");
        }
    }

    public static void main(String[] args) throws Throwable {
        int reps = 9;
        int batchMs = 60;
        boolean peak = true;
        List<String> sets = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("reps=")) {
                reps = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("batchMs=")) {
                batchMs = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("set=")) {
                sets.add(a.substring(4));
            } else if (a.startsWith("warmMs=")) {
                warmMs = Integer.parseInt(a.substring(7));
            } else if (a.equals("clock=cpu")) {
                cpuClock = true;
            } else if (a.equals("clock=wall")) {
                cpuClock = false;
            } else if (a.equals("nopeak")) {
                peak = false;
            } else if (a.startsWith("case=")) {
                cases.add(parse(a.substring(5)));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (sets.isEmpty() && cases.isEmpty()) {
            sets.add("all");
        }
        for (String s : sets) {
            cases.addAll(set(s));
        }
        Blas blas = new Blas();
        System.out.printf(Locale.ROOT, "# GemmProbe: %s; OpenBLAS core %s (%s); OPENBLAS_CORETYPE=%s; "
                        + "vector %d bits; reps %d x %d ms; clock %s; load %s%n",
                java.time.Instant.now(), blas.core(), blas.config(), System.getenv("OPENBLAS_CORETYPE"),
                FloatVector.SPECIES_PREFERRED.vectorBitSize(), reps, batchMs, cpuClock ? "thread CPU time" : "wall", load());
        withPeak = peak;
        double peakF = peak ? fmaPeak(true, reps, batchMs) : Double.NaN;
        double peakD = peak ? fmaPeak(false, reps, batchMs) : Double.NaN;
        System.out.printf(Locale.ROOT, "FMA peak (Vector API, 16 accumulators, 1 thread): f32 %.1f GFLOP/s, "
                + "f64 %.1f GFLOP/s (best batch; median in the rows below)%n", peakF, peakD);
        System.out.println("case | vecgrad GFLOP/s median (spread) | OpenBLAS median (spread) | ratio median"
                + " [min..max] | vecgrad best | OpenBLAS best | FMA peak median | vecgrad/peak");
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "gemm-probe-worker");
            t.setDaemon(true);
            return t;
        });
        for (Case c : cases) {
            run(c, blas, pool, reps, batchMs);
        }
        pool.shutdownNow();
        System.out.println("# load at end " + load());
    }

    static List<Case> set(String s) {
        List<Case> out = new ArrayList<>();
        switch (s) {
            case "squares" -> {
                for (int n : new int[] {256, 512, 1024, 2048}) {
                    for (String v : new String[] {"NN", "TN", "NT", "TT"}) {
                        out.add(new Case(DType.F32, v.charAt(0) == 'T', v.charAt(1) == 'T', n, n, n, 1, ""));
                    }
                }
            }
            case "mlp" -> {
                for (int b : new int[] {64, 256}) {
                    // 784-256-256-10, Linear computes x·Wᵀ (W stored [out, in]): forward NT,
                    // dX = dY·W (NN), dW = dYᵀ·x (TN, m = out... stored as [in,out] = xᵀ·dY).
                    int[][] layers = {{784, 256}, {256, 256}, {256, 10}};
                    for (int[] l : layers) {
                        int in = l[0];
                        int o = l[1];
                        out.add(new Case(DType.F32, false, true, b, o, in, 1, "fwd b" + b));
                        out.add(new Case(DType.F32, false, false, b, in, o, 1, "dX b" + b));
                        out.add(new Case(DType.F32, true, false, in, o, b, 1, "dW b" + b));
                    }
                }
            }
            case "f64" -> {
                for (int n : new int[] {256, 512, 1024}) {
                    out.add(new Case(DType.F64, false, false, n, n, n, 1, ""));
                    out.add(new Case(DType.F64, true, true, n, n, n, 1, ""));
                }
                out.add(new Case(DType.F64, false, true, 64, 256, 784, 1, "fwd b64"));
            }
            case "threads" -> {
                for (int n : new int[] {1024, 2048}) {
                    out.add(new Case(DType.F32, false, false, n, n, n, 2, ""));
                }
                out.add(new Case(DType.F32, false, true, 256, 256, 784, 2, "fwd b256"));
            }
            case "all" -> {
                for (String t : new String[] {"squares", "mlp", "f64", "threads"}) {
                    out.addAll(set(t));
                }
            }
            default -> throw new IllegalArgumentException("unknown set " + s);
        }
        return out;
    }

    /** {@code f32:NT:64x256x784} or {@code f32:NN:1024x1024x1024:2} (threads). */
    static Case parse(String s) {
        String[] p = s.split(":");
        String[] d = p[2].split("x");
        int threads = p.length > 3 ? Integer.parseInt(p[3]) : 1;
        return new Case(p[0].equals("f64") ? DType.F64 : DType.F32, p[1].charAt(0) == 'T', p[1].charAt(1) == 'T',
                Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]), threads, "");
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** One timed operation: runs {@code calls} times, returns seconds. */
    interface Op {
        void call() throws Throwable;
    }

    static double time(Op op, int calls) throws Throwable {
        long t0 = now();
        for (int i = 0; i < calls; i++) {
            op.call();
        }
        return (now() - t0) * 1e-9;
    }

    /**
     * Nanoseconds of the selected clock: wall time, or with {@code clock=cpu} this thread's CPU
     * time, which on a machine shared by many processes counts only the time the thread actually
     * ran (1-thread cases only; the 2-thread rows always use wall time).
     */
    static long now() {
        return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    static boolean cpuClock;

    /** Calls per batch of about {@code batchMs}, after warming for about {@code warmMs}. */
    static int calibrate(Op op, int batchMs, int warmMs) throws Throwable {
        long end = System.nanoTime() + warmMs * 1_000_000L;
        int calls = 1;
        double t;
        do {
            t = time(op, calls);
            if (t < batchMs * 1e-3 / 4) {
                calls *= 2;
            }
        } while (System.nanoTime() < end);
        t = time(op, calls);
        return Math.max(1, (int) Math.round(calls * batchMs * 1e-3 / t));
    }

    static void run(Case c, Blas blas, ExecutorService pool, int reps, int batchMs) throws Throwable {
        try (Arena arena = Arena.ofShared()) {
            int es = c.dt == DType.F32 ? 4 : 8;
            MemorySegment a = fill(arena, (long) c.m * c.k, es, 1);
            MemorySegment b = fill(arena, (long) c.k * c.n, es, 2);
            MemorySegment c1 = arena.allocate((long) c.m * c.n * es, 64);
            MemorySegment c2 = arena.allocate((long) c.m * c.n * es, 64);
            int lda = c.ta ? c.m : c.k;
            int ldb = c.tb ? c.k : c.n;
            int ldc = c.n;
            KernelProvider p = new VectorKernelProvider();
            Op ours1 = () -> p.gemm(c.dt, c.ta, c.tb, c.m, c.n, c.k, 1, a, 0, lda, b, 0, ldb, 0, c1, 0, ldc, null, 1);
            Op peer;
            String peerName;
            if (c.threads == 1) {
                peerName = "OpenBLAS";
                peer = () -> blas.gemm(c.dt, c.ta, c.tb, c.m, c.n, c.k, a, lda, b, ldb, c2, ldc);
            } else {
                peerName = "vecgrad 1 thread";
                peer = ours1;
                ours1 = () -> p.gemm(c.dt, c.ta, c.tb, c.m, c.n, c.k, 1, a, 0, lda, b, 0, ldb, 0, c1, 0, ldc,
                        pool, c.threads);
            }
            Op ours = ours1;
            boolean cpu = cpuClock;
            if (c.threads > 1) {
                cpuClock = false;
            }
            int callsO = calibrate(ours, batchMs, warmMs);
            int callsP = calibrate(peer, batchMs, warmMs / 2);
            int callsF = 1;
            double[] go = new double[reps];
            double[] gp = new double[reps];
            double[] ratio = new double[reps];
            double[] peak = new double[reps];
            try {
            for (int r = 0; r < reps; r++) {
                // alternate which goes first so a load step does not always hit the same side
                double to;
                double tp;
                if ((r & 1) == 0) {
                    to = time(ours, callsO);
                    tp = time(peer, callsP);
                } else {
                    tp = time(peer, callsP);
                    to = time(ours, callsO);
                }
                go[r] = c.flops() * callsO / to * 1e-9;
                gp[r] = c.flops() * callsP / tp * 1e-9;
                ratio[r] = go[r] / gp[r];
                peak[r] = withPeak ? fmaBatch(c.dt == DType.F32, batchMs / 4) : Double.NaN;
            }
            } finally {
                cpuClock = cpu;
            }
            check(c, c1, c2, blas, a, lda, b, ldb, p, pool);
            double mo = median(go);
            double mp = median(gp);
            double pk = median(peak);
            System.out.printf(Locale.ROOT, "%s%s | %.1f (%.0f %%) | %s %.1f (%.0f %%) | %.3f [%.2f..%.2f] | %.1f | %.1f"
                            + " | %.1f | %.0f %% | load %s%n",
                    c.name(), c.threads > 1 ? " " + c.threads + " threads" : "", mo, spread(go) * 100,
                    c.threads > 1 ? peerName : "", mp, spread(gp) * 100, median(ratio), min(ratio), max(ratio),
                    max(go), max(gp), pk, 100 * mo / pk, load());
        }
    }

    /** vecgrad's C against the peer's (relative to the sum of |products|), and 1 vs 2 threads bit for bit. */
    static void check(Case c, MemorySegment ours, MemorySegment peer, Blas blas, MemorySegment a, int lda,
                      MemorySegment b, int ldb, KernelProvider p, ExecutorService pool) throws Throwable {
        long n = (long) c.m * c.n;
        if (c.threads > 1) {
            // ours has the 2-thread result, peer the 1-thread one: must be bit-identical
            MemorySegment one = peer;
            p.gemm(c.dt, c.ta, c.tb, c.m, c.n, c.k, 1, a, 0, lda, b, 0, ldb, 0, one, 0, c.n, null, 1);
            p.gemm(c.dt, c.ta, c.tb, c.m, c.n, c.k, 1, a, 0, lda, b, 0, ldb, 0, ours, 0, c.n, pool, c.threads);
            if (ours.mismatch(one) != -1) {
                throw new IllegalStateException(c.name() + ": 2-thread result differs from 1-thread at byte "
                        + ours.mismatch(one));
            }
            return;
        }
        blas.gemm(c.dt, c.ta, c.tb, c.m, c.n, c.k, a, lda, b, ldb, peer, c.n);
        for (long i = 0; i < n; i += Math.max(1, n / 97)) {
            double x = c.dt == DType.F32 ? ours.getAtIndex(ValueLayout.JAVA_FLOAT, i)
                    : ours.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            double y = c.dt == DType.F32 ? peer.getAtIndex(ValueLayout.JAVA_FLOAT, i)
                    : peer.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            double tol = (c.dt == DType.F32 ? 1e-5 : 1e-12) * c.k;
            if (!(Math.abs(x - y) <= tol)) {
                throw new IllegalStateException(c.name() + ": C[" + i + "] = " + x + ", OpenBLAS " + y);
            }
        }
    }

    static MemorySegment fill(Arena arena, long n, int es, long seed) {
        MemorySegment s = arena.allocate(n * es, 64);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) {
            double v = 2 * r.nextDouble() - 1;
            if (es == 4) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            } else {
                s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            }
        }
        return s;
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }

    static double max(double[] x) {
        return Arrays.stream(x).max().orElse(Double.NaN);
    }

    static double spread(double[] x) {
        return (max(x) - min(x)) / median(x);
    }

    // ---- FMA peak ----

    static double fmaPeak(boolean f32, int reps, int batchMs) {
        // warm-up until C2 has compiled the loop: two consecutive batches within 3 %, at least 1 s
        long end = System.nanoTime() + 1_000_000_000L;
        double prev = 0;
        double cur = fmaBatch(f32, 100);
        while (System.nanoTime() < end || Math.abs(cur - prev) > 0.03 * cur) {
            prev = cur;
            cur = fmaBatch(f32, 100);
        }
        double best = 0;
        for (int r = 0; r < reps; r++) {
            best = Math.max(best, fmaBatch(f32, batchMs));
        }
        return best;
    }

    /** GFLOP/s of about {@code ms} of independent FMAs. */
    static double fmaBatch(boolean f32, int ms) {
        long iters = 1 << 10; // small, so the loop is compiled early (an interpreted Vector API loop boxes)
        long done = 0;
        long t0 = now();
        long end = t0 + ms * 1_000_000L;
        int lanes = f32 ? FloatVector.SPECIES_PREFERRED.length() : DoubleVector.SPECIES_PREFERRED.length();
        do {
            sink += f32 ? fmaF(iters) : fmaD(iters);
            done += iters;
        } while (now() < end);
        double s = (now() - t0) * 1e-9;
        return done * 16.0 * 2 * lanes / s * 1e-9;
    }

    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;

    static float fmaF(long iters) {
        FloatVector a = FloatVector.broadcast(SF, 0.999999f);
        FloatVector b = FloatVector.broadcast(SF, 1e-7f);
        // distinct start values, so the JIT cannot merge the 16 chains into one
        FloatVector c0 = FloatVector.broadcast(SF, (float) 1.0), c1 = FloatVector.broadcast(SF, (float) 1.01),
                c2 = FloatVector.broadcast(SF, (float) 1.02), c3 = FloatVector.broadcast(SF, (float) 1.03),
                c4 = FloatVector.broadcast(SF, (float) 1.04), c5 = FloatVector.broadcast(SF, (float) 1.05),
                c6 = FloatVector.broadcast(SF, (float) 1.06), c7 = FloatVector.broadcast(SF, (float) 1.07),
                c8 = FloatVector.broadcast(SF, (float) 1.08), c9 = FloatVector.broadcast(SF, (float) 1.09),
                c10 = FloatVector.broadcast(SF, (float) 1.10), c11 = FloatVector.broadcast(SF, (float) 1.11),
                c12 = FloatVector.broadcast(SF, (float) 1.12), c13 = FloatVector.broadcast(SF, (float) 1.13),
                c14 = FloatVector.broadcast(SF, (float) 1.14), c15 = FloatVector.broadcast(SF, (float) 1.15);
        for (long i = 0; i < iters; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
            c12 = c12.fma(a, b); c13 = c13.fma(a, b); c14 = c14.fma(a, b); c15 = c15.fma(a, b);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return s.lane(0);
    }

    static double fmaD(long iters) {
        DoubleVector a = DoubleVector.broadcast(SD, 0.999999);
        DoubleVector b = DoubleVector.broadcast(SD, 1e-7);
        // distinct start values, so the JIT cannot merge the 16 chains into one
        DoubleVector c0 = DoubleVector.broadcast(SD, 1.0), c1 = DoubleVector.broadcast(SD, 1.01),
                c2 = DoubleVector.broadcast(SD, 1.02), c3 = DoubleVector.broadcast(SD, 1.03),
                c4 = DoubleVector.broadcast(SD, 1.04), c5 = DoubleVector.broadcast(SD, 1.05),
                c6 = DoubleVector.broadcast(SD, 1.06), c7 = DoubleVector.broadcast(SD, 1.07),
                c8 = DoubleVector.broadcast(SD, 1.08), c9 = DoubleVector.broadcast(SD, 1.09),
                c10 = DoubleVector.broadcast(SD, 1.10), c11 = DoubleVector.broadcast(SD, 1.11),
                c12 = DoubleVector.broadcast(SD, 1.12), c13 = DoubleVector.broadcast(SD, 1.13),
                c14 = DoubleVector.broadcast(SD, 1.14), c15 = DoubleVector.broadcast(SD, 1.15);
        for (long i = 0; i < iters; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
            c12 = c12.fma(a, b); c13 = c13.fma(a, b); c14 = c14.fma(a, b); c15 = c15.fma(a, b);
        }
        DoubleVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return s.lane(0);
    }

    // ---- OpenBLAS through the FFM API ----

    /** {@code cblas_sgemm/dgemm} of {@code libopenblas.so.0}, pinned to one thread. */
    static final class Blas {
        private final MethodHandle sgemm;
        private final MethodHandle dgemm;
        private final MethodHandle corename;
        private final MethodHandle config;

        @SuppressWarnings("restricted")
        Blas() throws Throwable {
            SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
            Linker l = Linker.nativeLinker();
            ValueLayout I = ValueLayout.JAVA_INT;
            ValueLayout P = ValueLayout.ADDRESS;
            sgemm = l.downcallHandle(lib.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                    I, I, I, I, I, I, ValueLayout.JAVA_FLOAT, P, I, P, I, ValueLayout.JAVA_FLOAT, P, I),
                    Linker.Option.critical(false));
            dgemm = l.downcallHandle(lib.find("cblas_dgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                    I, I, I, I, I, I, ValueLayout.JAVA_DOUBLE, P, I, P, I, ValueLayout.JAVA_DOUBLE, P, I),
                    Linker.Option.critical(false));
            corename = l.downcallHandle(lib.find("openblas_get_corename").orElseThrow(), FunctionDescriptor.of(P));
            config = l.downcallHandle(lib.find("openblas_get_config").orElseThrow(), FunctionDescriptor.of(P));
            MethodHandle set = l.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                    FunctionDescriptor.ofVoid(I));
            MethodHandle get = l.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
                    FunctionDescriptor.of(I));
            set.invokeExact(1);
            int t = (int) get.invokeExact();
            if (t != 1) {
                throw new IllegalStateException("OpenBLAS uses " + t + " threads");
            }
        }

        @SuppressWarnings("restricted") // reading the library's own C strings
        String core() throws Throwable {
            return ((MemorySegment) corename.invokeExact()).reinterpret(64).getString(0);
        }

        @SuppressWarnings("restricted")
        String config() throws Throwable {
            return ((MemorySegment) config.invokeExact()).reinterpret(256).getString(0);
        }

        void gemm(DType dt, boolean ta, boolean tb, int m, int n, int k, MemorySegment a, int lda,
                  MemorySegment b, int ldb, MemorySegment c, int ldc) throws Throwable {
            if (dt == DType.F32) {
                sgemm.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1f, a, lda, b, ldb,
                        0f, c, ldc);
            } else {
                dgemm.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1.0, a, lda, b, ldb,
                        0.0, c, ldc);
            }
        }
    }
}
