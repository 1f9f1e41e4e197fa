package io.vecgrad.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the engine runs parallel work: its own named daemon pool (size from
 * {@code -Dvecgrad.threads=N}, default the number of available processors), or an
 * {@link Executor} the caller passes. The engine never uses the common ForkJoinPool, so it
 * neither competes with nor blocks a host application's parallel streams.
 *
 * <p>GEMM splits C into blocks; large elementwise passes and the fused optimizer updates are split
 * on fixed element boundaries (see {@code Splitter}), so their results are bit-identical at any
 * thread count.
 */
public final class Parallel {
    private final Executor executor;
    private final int parallelism;
    /** Splits the non-GEMM passes (elementwise, optimizer updates); null when sequential. */
    private final Splitter splitter;

    private Parallel(Executor executor, int parallelism, Splitter splitter) {
        this.executor = executor;
        this.parallelism = parallelism;
        this.splitter = splitter;
    }

    /** The engine's default: its own pool of {@code vecgrad.threads} daemon threads. */
    public static Parallel defaults() {
        return DefaultPool.INSTANCE;
    }

    /** Runs everything on the calling thread. */
    public static Parallel sequential() {
        return Sequential.INSTANCE;
    }

    /**
     * Work split into at most {@code parallelism} tasks on the caller's {@code executor} (one of
     * them runs on the calling thread).
     */
    public static Parallel of(Executor executor, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallel: parallelism must be >= 1, got " + parallelism);
        }
        if (parallelism == 1) {
            return new Parallel(null, 1, null);
        }
        java.util.Objects.requireNonNull(executor, "executor");
        return new Parallel(executor, parallelism, Splitter.on(executor, parallelism));
    }

    /** The executor for the extra tasks, or {@code null} when sequential. */
    public Executor executor() {
        return executor;
    }

    /** The largest number of tasks one kernel call is split into. */
    public int parallelism() {
        return parallelism;
    }

    /** The splitter of the elementwise passes and optimizer updates, or {@code null} when sequential. */
    Splitter splitter() {
        return splitter;
    }

    /** The thread count the default pool uses: {@code vecgrad.threads} or the processor count. */
    public static int configuredThreads() {
        String p = System.getProperty("vecgrad.threads");
        if (p == null || p.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("vecgrad.threads: expected a positive integer, got '" + p + "'");
    }

    @Override
    public String toString() {
        return "Parallel[" + parallelism + (executor == null ? ", sequential]" : "]");
    }

    private static final class Sequential {
        static final Parallel INSTANCE = new Parallel(null, 1, null);
    }

    private static final class DefaultPool {
        static final Parallel INSTANCE = create();

        private static Parallel create() {
            int n = configuredThreads();
            if (n == 1) {
                return Sequential.INSTANCE;
            }
            AtomicInteger count = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "vecgrad-worker-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            // n - 1 workers: the calling thread always takes one share itself. GEMM hands its
            // blocks to the pool; the elementwise passes and optimizer updates use the splitter's
            // own n - 1 threads, which need no allocation per call.
            ExecutorService pool = Executors.newFixedThreadPool(n - 1, factory);
            return new Parallel(pool, n, Splitter.dedicated(n));
        }
    }
}
