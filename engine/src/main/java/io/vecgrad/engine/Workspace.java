package io.vecgrad.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * A pool of native buffers recycled by size class, so that a loop that takes the same shapes
 * every pass allocates no new native memory after its first pass.
 *
 * <p>{@link #take} hands out a contiguous buffer whose storage is a fresh {@link Storage} over a
 * pooled segment of the next power-of-two byte size (at least 64 bytes); {@link #give} marks
 * that storage dead (later use throws {@link IllegalStateException}) and returns the segment to
 * the pool. Contents of a taken buffer are undefined unless taken with {@link #takeZeroed}.
 *
 * <p>Each pooled segment has its own automatic arena, so memory that is taken and never given
 * back (say, a graph that is dropped without a backward pass) is freed by the GC once
 * unreachable, like any other Java object; it is never leaked. A workspace is <b>not
 * thread-safe</b>: use one per thread (autograd keeps one per thread).
 */
public final class Workspace {
    private static final int MIN_CLASS = 6; // 64 bytes
    private static final int CLASSES = 63;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ArrayDeque<MemorySegment>[] pools = new ArrayDeque[CLASSES];
    private long nativeBytes;
    private long nativeAllocations;
    private long takes;
    private long outstanding;
    private long heapCopies;
    /** Largest pinned storage whose values move to a heap copy on {@link #give} (one byte[]). */
    private static final long MAX_HEAP_COPY = Integer.MAX_VALUE - 64;

    /**
     * Contiguous shapes handed out so far, by dims (open addressing; the same few shapes come
     * back every pass of a loop, so a pass allocates no Shape or dims/strides arrays). Bounded:
     * past {@link #SHAPES} distinct shapes new ones are simply not remembered.
     */
    private final Shape[] shapes = new Shape[2 * SHAPES];
    private int shapeCount;
    private static final int SHAPES = 256;

    /** An empty workspace. */
    public Workspace() {}

    /** A contiguous buffer of these dims with undefined contents. */
    public Buffer take(DType dtype, int... dims) {
        Shape s = shape(dims);
        return new Buffer(takeStorage(dtype, s.size()), s, 0);
    }

    /** A contiguous {@code [rows, cols]} buffer with undefined contents. */
    public Buffer take(DType dtype, int rows, int cols) {
        Shape s = shape(rows, cols);
        return new Buffer(takeStorage(dtype, s.size()), s, 0);
    }

    /** A contiguous buffer with the dims of {@code shape} (reused as is when contiguous). */
    public Buffer take(DType dtype, Shape shape) {
        Shape s = shape.isDense() ? shape : shape(shape);
        return new Buffer(takeStorage(dtype, s.size()), s, 0);
    }

    /**
     * The contiguous shape with these dims, from this workspace's table when seen before (so a
     * loop that asks for the same dims every pass allocates no Shape).
     *
     * @throws IllegalArgumentException on a negative dim
     */
    public Shape shape(int... dims) {
        int h = 1;
        for (int d : dims) {
            h = 31 * h + d;
        }
        int mask = shapes.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            Shape s = shapes[i];
            if (s == null) {
                return remember(i, Shape.of(dims));
            }
            if (s.hasDims(dims)) {
                return s;
            }
        }
    }

    /** The contiguous {@code [rows, cols]} shape; see {@link #shape(int...)}. */
    public Shape shape(int rows, int cols) {
        int mask = shapes.length - 1;
        for (int i = mix(31 * (31 + rows) + cols) & mask; ; i = (i + 1) & mask) {
            Shape s = shapes[i];
            if (s == null) {
                return remember(i, Shape.of(rows, cols));
            }
            if (s.hasDims(rows, cols)) {
                return s;
            }
        }
    }

    /** The contiguous shape with {@code view}'s dims (a strided view's own dims, without a copy of them). */
    private Shape shape(Shape view) {
        return view.rank() == 2 ? shape(view.dim(0), view.dim(1)) : shape(view.dimsView());
    }

    private Shape remember(int slot, Shape s) {
        if (shapeCount < SHAPES) { // the table stays at most half full, so probes end
            shapes[slot] = s;
            shapeCount++;
        }
        return s;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    /** A contiguous zero-filled buffer of these dims. */
    public Buffer takeZeroed(DType dtype, int... dims) {
        Buffer b = take(dtype, dims);
        b.storage().rawSegment().asSlice(0, b.size() * dtype.byteSize()).fill((byte) 0);
        return b;
    }

    /** Storage of {@code length} elements with undefined contents. */
    public Storage takeStorage(DType dtype, long length) {
        long bytes = Math.max(Math.multiplyExact(length, (long) dtype.byteSize()), 1);
        int cls = sizeClass(bytes);
        ArrayDeque<MemorySegment> pool = pools[cls];
        MemorySegment seg = pool == null ? null : pool.pollLast();
        if (seg == null) {
            long classBytes = 1L << cls;
            seg = Arena.ofAuto().allocate(classBytes, Storage.ALIGNMENT);
            nativeBytes += classBytes;
            nativeAllocations++;
        }
        takes++;
        outstanding++;
        return new Storage(seg, dtype, length);
    }

    /**
     * Returns the buffer's storage to the pool; the storage (and every view of it) is dead after,
     * unless it was {@linkplain Storage#pin() pinned}: then its values move to a heap copy that
     * the storage keeps (its views stay valid) and only the native block is reused.
     *
     * @throws IllegalStateException if it was already given back
     */
    public void give(Buffer buffer) {
        give(buffer.storage());
    }

    /** Returns storage to the pool; see {@link #give(Buffer)}. */
    public void give(Storage storage) {
        if (!storage.isAlive() || storage.isGivenBack()) {
            throw new IllegalStateException("workspace.give: " + storage + " was already given back");
        }
        MemorySegment seg = storage.rawSegment();
        int cls = Long.numberOfTrailingZeros(seg.byteSize());
        if (!seg.isNative() || Long.bitCount(seg.byteSize()) != 1 || cls < MIN_CLASS) {
            throw new IllegalArgumentException("workspace.give: " + storage + " did not come from a workspace");
        }
        if (storage.isPinned()) {
            storage.markGivenBack();
            long bytes = storage.length() * storage.dtype().byteSize();
            if (bytes > MAX_HEAP_COPY) {
                // too big for one heap array: the storage keeps its native block (the GC frees it)
                outstanding--;
                return;
            }
            // byte[]-backed, so the vector kernels (which read heap segments only over byte[]) accept it
            MemorySegment copy = MemorySegment.ofArray(new byte[(int) bytes]);
            copy.copyFrom(seg.asSlice(0, bytes));
            storage.moveTo(copy);
            heapCopies++;
        } else {
            storage.release();
        }
        ArrayDeque<MemorySegment> pool = pools[cls];
        if (pool == null) {
            pool = pools[cls] = new ArrayDeque<>();
        }
        pool.addLast(seg);
        outstanding--;
    }

    /** Number of pinned storages given back whose values moved to a heap copy. */
    public long heapCopies() {
        return heapCopies;
    }

    /** Total native bytes this workspace has allocated so far (never decreases). */
    public long nativeBytesAllocated() {
        return nativeBytes;
    }

    /** Number of native allocations made so far; constant in a warm loop. */
    public long nativeAllocations() {
        return nativeAllocations;
    }

    /** Number of buffers taken so far. */
    public long takes() {
        return takes;
    }

    /** Buffers taken and not yet given back. */
    public long outstanding() {
        return outstanding;
    }

    static int sizeClass(long bytes) {
        int cls = 64 - Long.numberOfLeadingZeros(bytes - 1);
        return Math.max(cls, MIN_CLASS);
    }
}
