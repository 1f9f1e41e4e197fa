package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Shape;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Anomaly detection, like PyTorch's {@code torch.autograd.detect_anomaly}: while a scope is
 * open on a thread, every recorded operation checks its output, and every backward rule its
 * input gradients, for NaN and infinities; the first one found throws an
 * {@link IllegalStateException} naming the op and the shapes involved, at the op that produced
 * it rather than many ops later.
 *
 * <pre>{@code
 * try (var a = Anomaly.detect()) {
 *     loss = model.forward(x) ...;
 *     loss.backward();   // throws e.g. "anomaly: LogBackward returned NaN/Inf in its gradient for input 0 ..."
 * }
 * }</pre>
 *
 * <p>Costs one extra pass over each result while enabled (a debugging aid, as in PyTorch);
 * nothing when no scope is open. Scopes nest and are per thread.
 */
public final class Anomaly implements AutoCloseable {
    /** Scopes open on any thread: lets the hot path skip the thread-local when zero. */
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final int[] depth;
    private boolean closed;

    private Anomaly() {
        depth = DEPTH.get();
        depth[0]++;
        OPEN.incrementAndGet();
    }

    /** Turns anomaly detection on for this thread until the scope is closed. */
    public static Anomaly detect() {
        return new Anomaly();
    }

    /** True while an anomaly scope is open on this thread. */
    public static boolean isEnabled() {
        return OPEN.get() > 0 && DEPTH.get()[0] > 0;
    }

    /** Ends this scope (idempotent). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            depth[0]--;
            OPEN.decrementAndGet();
        }
    }

    /** Forward check of a recorded op's output. */
    static void checkOutput(Op op, Tensor out, Tensor[] inputs) {
        Buffer b = out.buffer();
        if (nonFinite(b)) {
            throw new IllegalStateException("anomaly: " + op.opName + " produced NaN/Inf in its output "
                    + describe(b) + " from inputs " + describe(inputs) + " (first non-finite value "
                    + firstNonFinite(b) + ")");
        }
    }

    /** Backward check of one gradient a rule returned. */
    static void checkGradient(Node n, int input, Buffer grad, Buffer upstream) {
        if (grad != null && nonFinite(grad)) {
            throw new IllegalStateException("anomaly: " + n.name() + " returned NaN/Inf in its gradient for input "
                    + input + " " + describe(grad) + " (upstream gradient " + describe(upstream)
                    + ", forward inputs " + describe(n.inputs) + ", first non-finite value "
                    + firstNonFinite(grad) + ")");
        }
    }

    private static boolean nonFinite(Buffer b) {
        if (b.size() == 0) {
            return false;
        }
        if (Double.isFinite(Kernels.get().sumAll(b))) {
            return false; // a NaN or an infinity makes the sum non-finite: all elements are finite
        }
        return firstIndex(b) >= 0; // NaN/Inf present, or only a sum that overflowed
    }

    private static long firstIndex(Buffer b) {
        for (long i = 0; i < b.size(); i++) {
            if (!Double.isFinite(b.getFlat(i))) {
                return i;
            }
        }
        return -1;
    }

    private static double firstNonFinite(Buffer b) {
        long i = firstIndex(b);
        return i < 0 ? 0 : b.getFlat(i);
    }

    private static String describe(Buffer b) {
        return b.dtype() + " " + Shape.format(b.dims());
    }

    private static String describe(Tensor[] ts) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ts.length; i++) {
            sb.append(i > 0 ? ", " : "").append(ts[i].dtype()).append(' ').append(Shape.format(ts[i].dims()));
        }
        return sb.append(']').toString();
    }
}
