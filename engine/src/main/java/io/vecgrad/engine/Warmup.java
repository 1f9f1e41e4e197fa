package io.vecgrad.engine;

import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.UpdateKernels;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Gets the vector kernels compiled by C2 before the caller's real work needs them.
 *
 * <p><b>Why.</b> Vector API code is fast only once C2 has compiled it; interpreted or in C1 every
 * vector is a heap object and every lane operation a call, 10 to 1000 times slower than the scalar
 * twin. C2 compiles a method after thousands of calls (or tens of thousands of loop iterations),
 * so a fresh JVM that goes straight to a 784-256-256-10 training step runs its first GEMMs
 * interpreted: its first 100 steps cost 2.2 s of CPU on the main thread against 0.11 s for 100
 * steady-state steps (ColdStartProbe, 2026-12-02), and the default {@code ./vecgrad train}
 * spent about 2 s in epoch 1 against 16 ms for a late one (quiet machine, earlier session).
 *
 * <p><b>What.</b> When turned on and the vector kernels are selected, a daemon thread ({@code vecgrad-warmup})
 * calls the f32 kernels a training step uses (GEMM in every transpose variant on its unpacked and
 * packed paths, broadcast and plain elementwise ops, ReLU and its backward, row softmax and
 * log-softmax, reductions, argmax, SGD and Adam updates) on small buffers, round after round,
 * until at least {@code vecgrad.warmup.rounds} rounds ran and no JIT compilation has finished for
 * {@link #QUIET_NANOS} (the kernels are compiled), or {@link #MAX_NANOS} passed.
 * The shapes are small so that the interpreted and C1 rounds are cheap, and awkward (full and
 * partial micro-tiles, vector main loops and tails) so that C2 sees every branch the real shapes
 * take and does not have to recompile later. Meanwhile, a large kernel call from another thread
 * (see {@link #gate}) waits for the warm-up instead of running cold: waiting about half a second
 * is cheaper than one interpreted 64x784x256 GEMM (seconds).
 *
 * <p><b>Opt-in</b> ({@code -Dvecgrad.warmup=on}; {@code ./vecgrad train} turns it on with
 * {@code VECGRAD_JIT=fast}). It is not on by default because it has not yet been shown to help:
 * on 2026-12-02 the machine was loaded 15-30 on 2 cores, the warm-up never finished within its
 * {@link #MAX_NANOS} there (20-40 rounds), and a library user's first 100 steps were not faster
 * with it (bench/results/*-cold.md); it needs a measurement on a quiet machine first. Only f32 is
 * warmed: f64 kernels compile on first use. The gate waits only while a started warm-up runs.
 */
public final class Warmup {
    private Warmup() {}

    /** Upper bound of a warm-up (and so of any wait in {@link #gate}). */
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(4);
    /**
     * Work (GEMM multiply-adds, or elements times 4 for elementwise ops) from which a call waits
     * for the warm-up rather than run cold: about 16 K vector FMAs, tens of ms interpreted.
     */
    static final double GATE_WORK = 1 << 18;

    private static final CountDownLatch DONE = new CountDownLatch(1);
    /** True only while a started warm-up runs: the gate waits for nothing else. */
    private static volatile boolean running;
    private static volatile long deadline;
    private static volatile Thread worker;
    private static volatile String summary = "not started";

    /** True unless a warm-up is running now (finished, off, or never started: scalar kernels). */
    public static boolean isDone() {
        return !running;
    }

    /**
     * Waits for the warm-up to finish, at most {@code timeout}. An application may call this
     * after building its model to start timing from compiled kernels.
     *
     * @return true when the warm-up is done
     */
    public static boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return !running || DONE.await(timeout, unit);
    }

    /** One line on what the warm-up did (rounds, time), for logs and benchmarks. */
    public static String summary() {
        return summary;
    }

    /**
     * Called by the facade before a kernel call of {@code work} multiply-adds or elements: while
     * a warm-up runs, a large call waits for it, at most until {@link #MAX_NANOS} after the
     * warm-up started (so all waits together are bounded, whatever one round costs).
     */
    static void gate(double work) {
        if (!running || work < GATE_WORK || Thread.currentThread() == worker) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            DONE.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void finish(String s) {
        summary = s;
        running = false;
        DONE.countDown();
    }

    /** Whether the warm-up runs: only when asked for with {@code -Dvecgrad.warmup=on}. */
    static boolean enabled() {
        String v = System.getProperty("vecgrad.warmup");
        if (v != null && !v.isBlank()) {
            String t = v.trim().toLowerCase(Locale.ROOT);
            if (!t.equals("on") && !t.equals("off")) {
                throw new IllegalArgumentException("vecgrad.warmup: '" + v + "' is not one of on, off");
            }
            return t.equals("on");
        }
        return false;
    }

    /**
     * Starts the background warm-up of {@code provider}'s kernels, or marks the warm-up done when
     * it is off. Called once, by the provider selection.
     */
    static void start(KernelProvider provider, boolean on) {
        if (!on) {
            finish("off");
            return;
        }
        Thread t = new Thread(() -> {
            String s = "failed";
            try {
                // Updates.get() waits here, not in the caller, for the provider selection to finish
                s = run(Kernels.of(provider, Parallel.sequential()), Updates.get(), MIN_ROUNDS, MAX_NANOS);
            } catch (RuntimeException | Error e) {
                s = "failed: " + e;
            } finally {
                finish(s);
            }
        }, "vecgrad-warmup");
        t.setDaemon(true);
        worker = t;
        deadline = System.nanoTime() + MAX_NANOS;
        running = true;
        t.start();
    }

    private static final boolean LOG = Boolean.getBoolean("vecgrad.warmup.log");

    /**
     * Rounds before the warm-up may end: enough calls for C2's default thresholds (a method is
     * compiled by C2 after about 5000 calls, or 600 calls and 15000 loop iterations, more while
     * the compile queue is long). A JVM started with lower thresholds for the vector kernels
     * (the launcher passes {@code -XX:CompileCommand=CompileThresholdScaling,...}) needs fewer
     * and says so with {@code -Dvecgrad.warmup.rounds=N}.
     */
    static final int MIN_ROUNDS = Integer.getInteger("vecgrad.warmup.rounds", 3000);
    /** The warm-up ends once no JIT compilation has finished for this long (after MIN_ROUNDS). */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

    /**
     * The warm-up itself: rounds of {@link Round#run} until at least {@code minRounds} rounds
     * ran and the JVM's compilers have been idle for {@link #QUIET_NANOS} (the kernels this
     * round calls are compiled and nothing of theirs is queued), or {@code maxNanos} passed.
     */
    static String run(Kernels k, UpdateKernels u, int minRounds, long maxNanos) {
        long t0 = System.nanoTime();
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        Round r = new Round(k, u);
        long best = Long.MAX_VALUE;
        int rounds = 0;
        long first = 0;
        long lastJit = -1;
        long jitQuietSince = t0;
        while (true) {
            long s = System.nanoTime();
            r.run(rounds);
            long e = System.nanoTime();
            long ns = e - s;
            if (rounds == 0) {
                first = ns;
            }
            rounds++;
            best = Math.min(best, ns);
            if (timed) {
                long j = jit.getTotalCompilationTime();
                if (j != lastJit) {
                    lastJit = j;
                    jitQuietSince = e;
                }
            }
            if (LOG && (rounds & 63) == 0) {
                System.err.printf(Locale.ROOT, "warmup: round %d %.1f us best %.1f us at %.0f ms, jit %d ms%n", rounds,
                        ns / 1e3, best / 1e3, (e - t0) / 1e6, lastJit);
            }
            long elapsed = e - t0;
            boolean quiet = !timed || e - jitQuietSince >= QUIET_NANOS;
            if ((rounds >= minRounds && quiet) || elapsed > maxNanos) {
                return String.format(Locale.ROOT, "%d rounds in %.0f ms (first %.1f ms, best %.1f us)%s", rounds,
                        elapsed / 1e6, first / 1e6, best / 1e3, elapsed > maxNanos ? ", stopped at the time limit" : "");
            }
        }
    }

    /** The kernel calls of one warm-up round, on buffers made once. */
    static final class Round {
        private final Kernels k;
        private final UpdateKernels u;
        private final Buffer a;
        private final Buffer at;
        private final Buffer b;
        private final Buffer bt;
        private final Buffer c;
        private final Buffer pa;
        private final Buffer pat;
        private final Buffer pbn;
        private final Buffer pcn;
        private final Buffer qa;
        private final Buffer qat;
        private final Buffer qb;
        private final Buffer qc;
        private final Buffer pbt;
        private final Buffer pc;
        private final Buffer x;
        private final Buffer y;
        private final Buffer z;
        private final Buffer bias;
        private final Buffer colSum;
        private final Buffer p;
        private final Buffer g;
        private final Buffer m1;
        private final Buffer m2;
        private final long[] arg;
        private double sink;

        Round(Kernels k, UpdateKernels u) {
            this.k = k;
            this.u = u;
            int lanes = Math.max(1, k.provider().vectorBits() / 32);
            SplittableRandom rnd = new SplittableRandom(7);
            // unpacked GEMM path: op(B) not transposed, few flops; rows of C cover the 4-vector,
            // 1-vector and scalar column loops, k long enough to count as a loop
            int sm = 2;
            int sn = 4 * lanes + lanes + 3;
            int sk = 4;
            a = rand(rnd, sm, sk);
            at = rand(rnd, sk, sm);
            b = rand(rnd, sk, sn);
            bt = rand(rnd, sn, sk);
            c = Buffer.zeros(DType.F32, sm, sn);
            // packed GEMM path (transposed B, or more flops): full and partial micro-tiles
            int pm = 7;
            int pn = 4 * lanes + 3;
            int pk = 4;
            pa = rand(rnd, pm, pk);
            pat = rand(rnd, pk, pm);
            // op(B) not transposed but narrower than a vector: packed as well
            pbn = rand(rnd, pk, lanes - 1);
            pcn = Buffer.zeros(DType.F32, pm, lanes - 1);
            // op(B) not transposed and more flops than the unpacked path takes (run now and then)
            int qk = (int) Math.ceil(3e5 / (2.0 * pm * pn));
            qa = rand(rnd, pm, qk);
            qat = rand(rnd, qk, pm);
            qb = rand(rnd, qk, pn);
            qc = Buffer.zeros(DType.F32, pm, pn);
            pbt = rand(rnd, pn, pk);
            pc = Buffer.zeros(DType.F32, pm, pn);
            // elementwise rows: vector main loop (4 vectors a step) 8 times, then 1 vector, then a tail
            int rows = 2;
            int cols = 4 * lanes * 2 + lanes + 3;
            x = rand(rnd, rows, cols);
            y = rand(rnd, rows, cols);
            z = Buffer.zeros(DType.F32, rows, cols);
            bias = rand(rnd, cols);
            colSum = Buffer.zeros(DType.F32, cols);
            p = rand(rnd, rows * cols);
            g = rand(rnd, rows * cols);
            m1 = Buffer.zeros(DType.F32, rows * cols);
            m2 = Buffer.zeros(DType.F32, rows * cols);
            arg = new long[rows];
        }

        private static Buffer rand(SplittableRandom r, int... dims) {
            Buffer out = Buffer.zeros(DType.F32, dims);
            float[] v = new float[Math.toIntExact(out.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextDouble() - 0.5);
            }
            return out.copyFrom(v);
        }

        void run(int round) {
            // GEMM: the transpose variants of a linear layer's forward and backward
            k.gemm(false, false, 1, a, b, 0, c);
            k.gemm(true, false, 1, at, b, 0, c);
            k.gemm(false, true, 1, a, bt, 0, c);
            k.gemm(true, true, 1, at, bt, 1, c);
            k.gemm(false, true, 1, pa, pbt, 0, pc);
            k.gemm(true, true, 1, pat, pbt, 1, pc);
            if (pcn.size() > 0) {
                k.gemm(false, false, 1, pa, pbn, 0, pcn);
                k.gemm(true, false, 1, pat, pbn, 1, pcn);
            }
            if ((round & 63) == 63) {
                k.gemm(false, false, 1, qa, qb, 0, qc);
                k.gemm(true, false, 1, qat, qb, 1, qc);
            }
            // elementwise: bias add (broadcast row), activation and its backward, plain arithmetic
            k.add(x, bias, z);
            k.relu(z, z);
            k.binary(BinaryOp.RELU_BACKWARD, 0, y, x, z);
            k.add(x, y, z);
            k.mul(x, y, z);
            k.sub(x, y, z);
            k.affine(x, 0.5, 0, z);
            k.fill(z, 0);
            k.copy(x, z);
            // row-wise softmax and reductions (cross-entropy, bias gradients, accuracy)
            k.softmax(x, 1, z);
            k.logSoftmax(x, 1, z);
            k.sum(x, new int[] {0}, false, colSum);
            k.argmax(x, 1, arg);
            sink += k.sumAll(x) + k.maxAll(x);
            // optimizer updates
            long n = p.size();
            u.sgd(DType.F32, n, p.segment("warmup"), 0, g.segment("warmup"), 0, m1.segment("warmup"), 0,
                    1e-6, 0.9, 0, 0, false, round == 0);
            u.adam(DType.F32, n, p.segment("warmup"), 0, g.segment("warmup"), 0, m1.segment("warmup"), 0,
                    m2.segment("warmup"), 0, null, 0, 1e-6, 0.9, 0.999, 1e-8, 0, false, round + 1L);
        }
    }
}
