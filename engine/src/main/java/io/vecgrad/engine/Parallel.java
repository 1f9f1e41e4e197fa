package io.vecgrad.engine;

import java.util.concurrent.Executor;

/**
 * Where the engine runs parallel work: its own named daemon pool (size from
 * {@code -Dvecgrad.threads=N}, default the number of available processors), or an
 * {@link Executor} the caller passes. The engine never uses the common ForkJoinPool, so it
 * neither competes with nor blocks a host application's parallel streams.
 *
 * <p>{@link #callWith} sets the parallel setting of {@link Kernels#get()} for one call on one
 * thread (a scoped value): a host that runs several independent jobs in one JVM, such as the
 * tasks of a Spark executor, gives each its share of the cores without a JVM-wide property.
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

    private static final ScopedValue<Parallel> SCOPED = ScopedValue.newInstance();

    /**
     * Runs {@code op} on this thread with {@code p} as the parallel setting of the default facade
     * ({@link Kernels#get()} and every facade made by {@link Kernels#of(io.vecgrad.engine.spi.KernelProvider)}),
     * for everything {@code op} calls on this thread; facades given an explicit {@code Parallel}
     * keep theirs. Nested calls see the innermost setting. Nothing outside the call changes.
     *
     * @return what {@code op} returns
     * @throws X what {@code op} throws
     */
    public static <T, X extends Throwable> T callWith(Parallel p, ScopedValue.CallableOp<? extends T, X> op) throws X {
        return ScopedValue.where(SCOPED, java.util.Objects.requireNonNull(p, "parallel")).call(op);
    }

    /** The setting {@link #callWith} put in place on this thread, else {@code fallback}. */
    static Parallel current(Parallel fallback) {
        return SCOPED.orElse(fallback);
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
            // n - 1 workers: the calling thread always takes one share itself. GEMM, the
            // elementwise passes and the optimizer updates all hand their shares to the same
            // spinning workers (see SpinPool for why they spin).
            SpinPool pool = new SpinPool(n - 1, "vecgrad-worker-", SpinPool.configuredSpinNanos());
            return new Parallel(pool, n, Splitter.on(pool, n));
        }
    }
}
