package io.vecgrad.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits one range job {@code [0, n)} into at most {@code parallelism} shares and runs them at
 * once, the first on the calling thread: the engine's non-GEMM parallel work (large elementwise
 * passes, the fused optimizer updates). Nothing is allocated per call: the job is a reusable
 * object of the caller's, the workers and their share objects are created once, and the caller
 * waits on a counter (spin, then park).
 *
 * <p><b>Fixed boundaries.</b> Share {@code s} of {@code k} covers
 * {@code [bound(s), bound(s + 1))} with {@code bound(s) = floor(s n / k / ALIGN) * ALIGN}: a pure
 * function of n and k, and every boundary is a multiple of {@link #ALIGN} elements (a multiple of
 * every vector length and of the 64-byte line). Jobs are elementwise (each output element depends
 * only on the same element of the inputs, with the same operations wherever it falls), so results
 * are bit-identical for any number of shares, 1 or 2 threads alike.
 *
 * <p>One job at a time: a call that finds the splitter busy (another thread is using it) runs its
 * whole range on its own thread, with the same results.
 *
 * <p>Workers: each share is handed to the executor as a preallocated {@link Runnable}; the
 * engine's default pool is a {@link SpinPool}, whose workers spin between jobs (jobs come in
 * bursts during a training step), and which GEMM uses too.
 */
final class Splitter {
    /** Share boundaries are multiples of this many elements. */
    static final long ALIGN = 256;
    /** How long the caller spins for its siblings' shares (which are running) before it parks. */
    private static final long SPIN_NANOS = 1_000_000;

    /** The work of one share: elements {@code [from, to)}. */
    interface Job {
        void run(long from, long to);
    }

    private final int parallelism;
    private final Executor executor;
    private final Runnable[] shareTasks;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread caller;
    private volatile Throwable failure;
    private Job job;
    private long n;
    private int shares;

    /** Handing shares to {@code executor}. */
    static Splitter on(Executor executor, int parallelism) {
        return new Splitter(parallelism, executor);
    }

    private Splitter(int parallelism, Executor executor) {
        this.parallelism = Math.min(parallelism, 255);
        this.executor = java.util.Objects.requireNonNull(executor, "executor");
        this.shareTasks = new Runnable[this.parallelism];
        for (int s = 1; s < this.parallelism; s++) {
            int share = s;
            shareTasks[s] = () -> runShare(share);
        }
    }

    /** A thread that is never started: a segment it may access is accessible from any thread. */
    private static final Thread ANY = new Thread(() -> { }, "vecgrad-split-probe");

    /**
     * Whether other threads may access {@code s} (shared, global, automatic or heap memory): a
     * segment of a confined arena stays with its thread, and its pass is not split.
     */
    static boolean shareable(java.lang.foreign.MemorySegment s) {
        return s.isAccessibleBy(ANY);
    }

    int parallelism() {
        return parallelism;
    }

    /** Start of share {@code s} of {@code k} over {@code n} elements (see the class comment). */
    static long bound(long n, int s, int k) {
        if (s >= k) {
            return n;
        }
        return s * n / k / ALIGN * ALIGN;
    }

    /**
     * Runs {@code job} over {@code [0, n)}: split into {@code min(parallelism, n / minShare)}
     * shares, or on the calling thread alone when that is one share or the splitter is busy.
     */
    void run(Job job, long n, long minShare) {
        int k = (int) Math.min(parallelism, n / Math.max(minShare, ALIGN));
        if (k <= 1 || !busy.compareAndSet(false, true)) {
            job.run(0, n);
            return;
        }
        try {
            this.job = job;
            this.n = n;
            this.shares = k;
            this.failure = null;
            this.caller = Thread.currentThread();
            pending.set(k - 1);
            for (int s = 1; s < k; s++) {
                try {
                    executor.execute(shareTasks[s]);
                } catch (RejectedExecutionException e) {
                    shareTasks[s].run(); // a saturated or shut-down executor: run it here
                }
            }
            Throwable own = null;
            try {
                job.run(0, bound(n, 1, k));
            } catch (Throwable t) {
                own = t;
            }
            // The other shares write into the caller's buffers: wait for them even on failure.
            long spinEnd = System.nanoTime() + SPIN_NANOS;
            while (pending.get() != 0) {
                if (System.nanoTime() < spinEnd) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            Throwable t = own != null ? own : failure;
            if (t instanceof RuntimeException re) {
                throw re;
            } else if (t instanceof Error err) {
                throw err;
            } else if (t != null) {
                throw new IllegalStateException("parallel share failed", t);
            }
        } finally {
            this.job = null;
            this.caller = null;
            busy.set(false);
        }
    }

    private void runShare(int s) {
        try {
            job.run(bound(n, s, shares), bound(n, s + 1, shares));
        } catch (Throwable t) {
            failure = t;
        } finally {
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }
}
