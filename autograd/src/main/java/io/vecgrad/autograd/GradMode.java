package io.vecgrad.autograd;

import java.util.ArrayList;

/**
 * Per-thread switch for graph recording. {@link Tensor#noGrad()} returns a scope that turns
 * recording off until closed; scopes nest. The mode in force is that of the innermost scope
 * still open (recording is on when none is), so scopes closed out of order still leave the
 * right mode behind: closing an outer scope while an inner one is open changes nothing.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private static final class State {
        /** The mode in force: read on every recorded op, so kept in one field. */
        boolean enabled = true;
        /** The scopes opened on this thread and not yet closed, oldest first. */
        final ArrayList<GradMode> open = new ArrayList<>();
    }

    private final State state;
    private final boolean enabled;
    private boolean closed;

    private GradMode(boolean enabled) {
        this.state = STATE.get();
        this.enabled = enabled;
        state.open.add(this);
        state.enabled = enabled;
    }

    /** True if operations on this thread are recorded for backward. */
    public static boolean isEnabled() {
        return STATE.get().enabled;
    }

    static GradMode set(boolean enabled) {
        return new GradMode(enabled);
    }

    /**
     * Ends this scope: the mode becomes that of the innermost scope still open on the thread
     * that opened this one (recording on if none). Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ArrayList<GradMode> open = state.open;
            for (int i = open.size() - 1; i >= 0; i--) {
                if (open.get(i) == this) {
                    open.remove(i);
                    break;
                }
            }
            state.enabled = open.isEmpty() || open.get(open.size() - 1).enabled;
        }
    }
}
