package io.vecgrad.djl;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Workspace;
import java.util.concurrent.atomic.LongAdder;

/**
 * The adapter's own per-thread pool of native buffers, for arrays whose lifetime DJL states
 * exactly: made outside a gradient collector and closed soon after, as the gradient copy DJL's
 * {@code LocalParameterServer} takes every step ({@code grads[0].duplicate()}, handed to the
 * optimizer update, closed).
 *
 * <p>Why native and pooled: vecgrad's untracked results otherwise live on the Java heap, and a
 * heap segment reaching the same vector kernels as the native ones (the update kernels, the
 * elementwise kernels) costs those kernels their compiled fast path; GC-managed native blocks
 * instead pile up between collections. A pooled block goes back to the pool when its array is
 * closed, so a warm step allocates nothing.
 *
 * <p>Safety: the owning array gives its block back only when nothing else can see it. Any use
 * of the array's tensor other than an update kernel's in-place read ({@link VgNDArray#kernelBuffer})
 * pins the storage; a pinned storage's values move to a heap copy when given back (the
 * {@link Workspace} contract), so views, graphs or other arrays sharing it stay valid. A block
 * whose array is closed on another thread, or never closed, is left to the garbage collector
 * (each pooled block has its own automatic arena).
 *
 * <p>Size: pooled blocks are rounded up to a power of two, so arrays above
 * {@link #MAX_POOLED_BYTES} (a large data set made once, say) stay on the Java heap as before
 * instead of costing up to twice their size in native memory.
 */
final class NativePool {
    private static final ThreadLocal<NativePool> POOLS = ThreadLocal.withInitial(NativePool::new);
    private static final LongAdder NATIVE_BYTES = new LongAdder();

    /** Largest array (in bytes) taken from the pool; larger ones are made on the Java heap. */
    static final long MAX_POOLED_BYTES = 64L << 20;
    /** The limit in force (tests lower it). */
    static long maxPooledBytes = MAX_POOLED_BYTES;

    private final Workspace ws = new Workspace();

    private NativePool() {}

    /** This thread's pool. */
    static NativePool get() {
        return POOLS.get();
    }

    /**
     * A contiguous native buffer with undefined contents, owned by the caller until {@link #give};
     * above {@link #maxPooledBytes} a zero-filled heap buffer instead (see {@link #isPooled}).
     */
    Buffer take(DType dt, int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n * dt.byteSize() > maxPooledBytes) {
            return Buffer.onHeap(dt, io.vecgrad.engine.Shape.of(dims));
        }
        long before = ws.nativeBytesAllocated();
        Buffer b = ws.take(dt, dims);
        long grown = ws.nativeBytesAllocated() - before;
        if (grown != 0) {
            NATIVE_BYTES.add(grown);
        }
        return b;
    }

    /**
     * Gives {@code b} back: to the pool when called on the thread that took it (a pinned storage
     * keeps its values in a heap copy), else left to the garbage collector.
     */
    void give(Buffer b) {
        if (POOLS.get() == this) {
            ws.give(b);
        }
    }

    /** True if {@code b} came from a pool (native), false for a heap buffer {@link #take} made instead. */
    static boolean isPooled(Buffer b) {
        return b.segment("NativePool").isNative();
    }

    /** Heap copies made so far on this thread (pinned storages given back). */
    long heapCopies() {
        return ws.heapCopies();
    }

    /** Native bytes the adapter's pools have allocated so far, all threads (never decreases). */
    static long nativeBytesAllocated() {
        return NATIVE_BYTES.sum();
    }
}
