package io.vecgrad.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A flat run of elements of one {@link DType} in off-heap memory, 64-byte aligned, with a version
 * counter.
 *
 * <p><b>Version.</b> Every write through {@link Kernels} (and every copy-in) bumps
 * {@link #version()}; autograd records the version of each tensor it saves for backward and
 * refuses to differentiate through data that changed since.
 *
 * <p><b>Lifetime.</b> Storage made by {@link #allocate} lives until the garbage collector finds
 * it unreachable. Storage made by a {@link MemoryScope} lives until that scope is closed;
 * storage handed out by a {@link Workspace} lives until it is given back. Using storage after
 * any of these ends throws {@link IllegalStateException}; it never touches freed memory.
 *
 * <p><b>Threads.</b> Reads may happen from any thread. Writes to one storage must not race with
 * other reads or writes of it (the version counter is a plain field).
 */
public final class Storage {
    /** Alignment in bytes of every storage segment (one cache line, and a full AVX-512 vector). */
    public static final long ALIGNMENT = 64;

    /*
     * Loads every MemorySegment implementation class before any kernel is compiled. C2 compiles
     * the kernels' segment accesses against the implementation classes loaded at that moment
     * (class hierarchy analysis); loading another one later (the first heap copy of a pinned
     * result, a float[] wrapped for a copy, a mapped file) invalidates all of that code at once.
     * In a default ./vecgrad train that happened in the first epoch: at 1.98 s, 30 compiled
     * kernels and segment accessors were thrown away when HeapMemorySegmentImpl$OfByte loaded,
     * and again at the end for $OfFloat and $OfChar (-XX:+PrintCompilation, -Xlog:class+load).
     */
    static {
        MemorySegment.ofArray(new byte[0]);
        MemorySegment.ofArray(new short[0]);
        MemorySegment.ofArray(new char[0]);
        MemorySegment.ofArray(new int[0]);
        MemorySegment.ofArray(new float[0]);
        MemorySegment.ofArray(new long[0]);
        MemorySegment.ofArray(new double[0]);
        try { // file mappings (FileChannel.map into an arena); no public factory without a file
            Class.forName("jdk.internal.foreign.MappedMemorySegmentImpl", false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // another JDK's internals: nothing to preload
        }
    }

    /** Not final: a pinned workspace storage moves to the heap when released ({@link Workspace#give}). */
    private MemorySegment segment;
    private final DType dtype;
    private final long length;
    private int version;
    private boolean released;
    private boolean pinned;
    /** A pinned storage handed back to its workspace (it stays alive, off the pool's books). */
    private boolean givenBack;

    Storage(MemorySegment segment, DType dtype, long length) {
        this.segment = segment;
        this.dtype = dtype;
        this.length = length;
    }

    /** New zero-filled storage of {@code length} elements, reclaimed by the GC when unreachable. */
    public static Storage allocate(DType dtype, long length) {
        return allocate(Arena.ofAuto(), dtype, length);
    }

    /**
     * New zero-filled storage on the Java heap (a {@code byte[]}), for short-lived results: the
     * garbage collector sees its size and recycles it like any heap object, so code that makes
     * many temporary tensors never piles up native memory waiting for a GC. Falls back to
     * {@link #allocate(DType, long)} above the largest Java array.
     */
    public static Storage onHeap(DType dtype, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("allocate: negative length " + length);
        }
        if (length > (Integer.MAX_VALUE - 64) / dtype.byteSize()) {
            return allocate(dtype, length);
        }
        return new Storage(MemorySegment.ofArray(new byte[(int) Math.max(length * dtype.byteSize(), 1)]),
                dtype, length);
    }

    static Storage allocate(Arena arena, DType dtype, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("allocate: negative length " + length);
        }
        if (length > Long.MAX_VALUE / dtype.byteSize()) {
            throw new IllegalArgumentException("allocate: " + length + " " + dtype + " elements need more than "
                    + "2^63 - 1 bytes");
        }
        long bytes = Math.max(length * dtype.byteSize(), 1);
        MemorySegment seg;
        try {
            seg = arena.allocate(bytes, ALIGNMENT);
        } catch (OutOfMemoryError e) {
            // One oversized request (a typo'd shape) is a bad argument, not a dying JVM: nothing
            // was allocated, so report it as such with the size asked for.
            throw new IllegalArgumentException("allocate: " + length + " " + dtype + " elements need " + bytes
                    + " bytes (" + humanBytes(bytes) + "), which could not be allocated: " + e.getMessage(), e);
        }
        ALLOCATED.add(bytes);
        return new Storage(seg, dtype, length);
    }

    /** {@code 3.6 GiB}-style size for messages. */
    static String humanBytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    private static final java.util.concurrent.atomic.LongAdder ALLOCATED = new java.util.concurrent.atomic.LongAdder();

    /**
     * Native bytes allocated so far, process-wide, by {@link #allocate} and {@link MemoryScope}s
     * (not counting workspaces, which report their own). Benchmarks and tests use it to check
     * that a steady-state loop allocates no new native memory.
     */
    public static long nativeBytesAllocated() {
        return ALLOCATED.sum();
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public long length() {
        return length;
    }

    /** The version counter: bumped by every write through the engine. */
    public int version() {
        return version;
    }

    /** Records a write: bumps the version counter. Kernels call this; callers that write the
     *  segment directly should too. */
    public void bumpVersion() {
        version++;
    }

    /** True while the memory may be used (not released to a workspace, arena not closed). */
    public boolean isAlive() {
        return !released && segment.scope().isAlive();
    }

    /**
     * The raw segment, after checking that it is alive.
     *
     * @param op the operation to name if it is not
     * @throws IllegalStateException if the storage was released or its scope closed
     */
    public MemorySegment segment(String op) {
        if (released) {
            throw new IllegalStateException(op + ": " + dtype + " storage of " + length
                    + " elements was released to its workspace and may not be used any more");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException(op + ": " + dtype + " storage of " + length
                    + " elements belongs to a closed memory scope");
        }
        return segment;
    }

    /**
     * Marks this storage as still in use by someone outside the pass that took it (a retained or
     * detached tensor, the root of a backward pass): when its workspace gets it back, the values
     * move to a heap copy that stays with this storage, and only the native block is reused.
     * Storage that did not come from a workspace is unaffected. Idempotent.
     */
    public void pin() {
        pinned = true;
    }

    /** True once {@link #pin()} was called. */
    public boolean isPinned() {
        return pinned;
    }

    /** True if the memory went back to a workspace (as opposed to a closed memory scope). */
    public boolean isReleased() {
        return released;
    }

    /**
     * True once this storage went back to its workspace: released, or (pinned) handed back
     * while keeping its values. Owners that track storages (a tensor scope) skip these.
     */
    public boolean isGivenBack() {
        return released || givenBack;
    }

    /** Records that a pinned storage was handed back (its values stay readable). */
    void markGivenBack() {
        givenBack = true;
    }

    /** Swaps in a heap copy of the values (the workspace keeps the native block). */
    void moveTo(MemorySegment copy) {
        segment = copy;
    }

    /** Marks the storage dead; its memory goes back to a workspace. */
    void release() {
        released = true;
    }

    /** The segment without liveness checks, for the workspace that owns it. */
    MemorySegment rawSegment() {
        return segment;
    }

    @Override
    public String toString() {
        return "Storage[" + dtype + " x " + length + (isAlive() ? "" : ", dead") + ", v" + version + "]";
    }
}
