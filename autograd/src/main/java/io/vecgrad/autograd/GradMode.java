package io.vecgrad.autograd;

/**
 * Per-thread switch for graph recording. {@link Tensor#noGrad()} returns a scope that turns
 * recording off and restores the previous state when closed; scopes nest.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private final boolean previous;
    private boolean closed;

    private GradMode(boolean enabled) {
        boolean[] cell = ENABLED.get();
        previous = cell[0];
        cell[0] = enabled;
    }

    /** True if operations on this thread are recorded for backward. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    static GradMode set(boolean enabled) {
        return new GradMode(enabled);
    }

    /** Restores the recording state from before this scope. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ENABLED.get()[0] = previous;
        }
    }
}
