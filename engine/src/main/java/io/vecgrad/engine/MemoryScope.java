package io.vecgrad.engine;

import java.lang.foreign.Arena;

/**
 * An explicitly closed lifetime for long-lived storage (parameters, datasets):
 * {@code try (var scope = MemoryScope.open()) { Buffer w = scope.zeros(DType.F32, 256, 784); ... }}.
 * Closing frees all its memory at once; any later use of its buffers throws
 * {@link IllegalStateException}. The scope may be used and closed from any thread (a shared
 * arena); closing while another thread is inside a kernel on its memory fails that close with
 * {@link IllegalStateException} rather than freeing memory in use.
 */
public final class MemoryScope implements AutoCloseable {
    private final Arena arena = Arena.ofShared();

    private MemoryScope() {}

    /** Opens a new scope. */
    public static MemoryScope open() {
        return new MemoryScope();
    }

    /** New zero-filled storage of {@code length} elements owned by this scope. */
    public Storage allocate(DType dtype, long length) {
        return Storage.allocate(arena, dtype, length);
    }

    /** A new zero-filled contiguous buffer owned by this scope. */
    public Buffer zeros(DType dtype, int... dims) {
        Shape shape = Shape.of(dims);
        return new Buffer(allocate(dtype, shape.size()), shape, 0);
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /** Frees every storage of this scope. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
