package io.vecgrad.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The executor of the engine's default pool: {@code workers} daemon threads that each take one
 * task at a time from a one-slot mailbox, and that <b>spin</b> for {@link #spinNanos} after each
 * task before they park.
 *
 * <p><b>Why spin.</b> A training step hands a share of every large GEMM, elementwise pass and
 * optimizer update to the pool, tens of times per step, with tens to hundreds of microseconds of
 * single-threaded work in between. A parked thread takes long to wake: on the project's machine
 * (a 2-vCPU Firecracker VM), 5-14 µs after a 20 µs pause and 70-105 µs after a 200 µs one (the idle
 * vCPU has halted), so a {@code ThreadPoolExecutor}, whose idle workers park at once, started
 * each GEMM share tens of microseconds late and a batch-256 step ran 1.0-1.17x faster on two
 * threads than on one. A spinning worker starts within a microsecond. OpenMP runtimes do the
 * same (libgomp's {@code GOMP_SPINCOUNT}, Intel's {@code KMP_BLOCKTIME} of 200 ms);
 * {@code -Dvecgrad.spin.micros=N} sets the spin here (default {@link #DEFAULT_SPIN_MICROS}; 0 parks at
 * once), so a host that would rather keep the cycles can trade them back.
 *
 * <p><b>Semantics.</b> {@link #execute} gives the task to an idle worker, or, when every worker
 * is busy or the caller is itself one of this pool's workers (nested parallel work), runs it on
 * the calling thread, as {@link Executor} allows; so it never queues behind other work, never
 * deadlocks on nested use, and allocates nothing. A task that throws is reported to the worker's
 * uncaught-exception handler; the worker goes on.
 *
 * <p>The engine's default pool ({@link Parallel#defaults()}) is one of these. A host that gives
 * each of several jobs its own threads (as the Spark trainer does per task) creates its own,
 * passes it to {@link Parallel#of}, and {@linkplain #close() closes} it when the job ends.
 */
public final class SpinPool implements Executor, AutoCloseable {
    /** Default spin after each task, in microseconds (see the class comment). */
    static final long DEFAULT_SPIN_MICROS = 1000;

    private static final VarHandle TASK;

    static {
        try {
            TASK = MethodHandles.lookup().findVarHandle(Worker.class, "task", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Worker[] workers;
    private final long spinNanos;

    private volatile boolean closed;

    /**
     * Starts {@code workers} daemon threads named {@code namePrefix + 1, 2, ...} that spin for
     * {@code spinNanos} after each task ({@link #configuredSpinNanos()} is the engine's setting).
     *
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public SpinPool(int workers, String namePrefix, long spinNanos) {
        if (workers < 1) {
            throw new IllegalArgumentException("SpinPool: workers must be >= 1, got " + workers);
        }
        this.spinNanos = Math.max(0, spinNanos);
        this.workers = new Worker[workers];
        for (int i = 0; i < workers; i++) {
            Worker w = new Worker(this, namePrefix + (i + 1));
            this.workers[i] = w;
            w.setDaemon(true);
            w.start();
        }
    }

    /** The spin from {@code -Dvecgrad.spin.micros}, else the default. */
    public static long configuredSpinNanos() {
        String p = System.getProperty("vecgrad.spin.micros");
        if (p == null || p.isBlank()) {
            return TimeUnit.MICROSECONDS.toNanos(DEFAULT_SPIN_MICROS);
        }
        try {
            long us = Long.parseLong(p.trim());
            if (us >= 0) {
                return TimeUnit.MICROSECONDS.toNanos(us);
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("vecgrad.spin.micros: expected a non-negative integer, got '" + p + "'");
    }

    /** True when no worker holds or runs a task (for tests). */
    boolean idle() {
        for (Worker w : workers) {
            if (w.running || w.task != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code task} on an idle worker, or on the calling thread (see the class comment).
     *
     * @throws java.util.concurrent.RejectedExecutionException after {@link #close()}
     */
    @Override
    public void execute(Runnable task) {
        java.util.Objects.requireNonNull(task, "task");
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("SpinPool: closed");
        }
        if (!(Thread.currentThread() instanceof Worker self && self.pool == this)) {
            for (Worker w : workers) {
                if (!w.running && w.offer(task)) {
                    if (closed && TASK.compareAndSet(w, task, (Runnable) null)) {
                        break; // closed meanwhile and the worker may be gone: run it here
                    }
                    return;
                }
            }
        }
        task.run();
    }

    /**
     * Stops the workers once they finish the task in hand (a task already handed over still
     * runs); later {@link #execute} calls are rejected. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One worker: a one-slot mailbox, spin, then park. */
    private static final class Worker extends Thread {
        final SpinPool pool;
        /** The task handed over and not yet taken, else null (written through {@link #TASK}). */
        @SuppressWarnings("unused")
        private volatile Runnable task;
        /** True from taking a task to finishing it: such a worker is passed over. */
        volatile boolean running;
        /** True while parked or about to park: a hand-over must unpark it. */
        private volatile boolean parked;

        Worker(SpinPool pool, String name) {
            super(name);
            this.pool = pool;
        }

        boolean offer(Runnable r) {
            if (!TASK.compareAndSet(this, (Runnable) null, r)) {
                return false;
            }
            if (parked) {
                LockSupport.unpark(this);
            }
            return true;
        }

        @Override
        public void run() {
            while (true) {
                Runnable r = take();
                if (r == null) {
                    return; // closed
                }
                try {
                    r.run();
                } catch (Throwable t) {
                    getUncaughtExceptionHandler().uncaughtException(this, t);
                } finally {
                    running = false;
                }
            }
        }

        /** Waits for the next task: spins for the pool's spin time, then parks; null once closed. */
        private Runnable take() {
            long spinEnd = System.nanoTime() + pool.spinNanos;
            while (true) {
                Runnable r = task;
                if (r != null) {
                    running = true;
                    TASK.setVolatile(this, (Runnable) null);
                    return r;
                }
                if (pool.closed) {
                    return null;
                }
                if (System.nanoTime() < spinEnd) {
                    Thread.onSpinWait();
                    continue;
                }
                // Dekker-style with offer(): either this re-check sees the task, or offer()
                // sees parked == true and unparks us.
                parked = true;
                if (task == null) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }
}
