package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;
import io.vecgrad.engine.Storage;
import java.util.Arrays;

/**
 * A lifetime for every tensor made on this thread while it is open: results of operations
 * (recorded or not) and tensors made by the {@link Tensor} factories ({@code zeros},
 * {@code fromArray}, {@code scalar}, ...) take their memory from this thread's buffer pool, and
 * {@link #close()} gives all of it back at once.
 *
 * <pre>{@code
 * try (TensorScope scope = Tensor.scope(); var g = Tensor.noGrad()) {
 *     Tensor y = model.forward(Tensor.fromArray(row, 1, 64));
 *     float[] out = y.toFloatArray();   // copy out what you need before the scope closes
 * }
 * }</pre>
 *
 * Without a scope, results computed with grad off live in GC-managed memory that is freed only
 * when the garbage collector finds them: a loop of predictions then grows native memory between
 * collections. Inside a scope, a loop that repeats the same shapes allocates no native memory
 * after its first pass.
 *
 * <p><b>What is freed.</b> Every tensor made inside the scope, including leaves made by
 * factories (so build models and other long-lived tensors outside it), and every view of them.
 * Using one after {@link #close()} throws {@link IllegalStateException}; it never reads freed
 * memory. {@link #keep(Tensor)} takes one tensor out of the scope: it then belongs to the
 * enclosing scope if there is one, otherwise to the garbage collector. Gradients accumulated
 * into leaves by {@code backward} and buffers of graphs freed by {@code backward} are not
 * affected by the scope.
 *
 * <p><b>Threads.</b> A scope belongs to the thread that opened it: only that thread's tensors
 * go into it, and it must be closed on that thread. Scopes nest and must be closed in reverse
 * order of opening (try-with-resources does that).
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final Thread owner;
    private Storage[] owned = new Storage[16];
    private int count;
    private boolean closed;

    private TensorScope() {
        this.owner = Thread.currentThread();
        this.parent = CURRENT.get();
        CURRENT.set(this);
    }

    /** Opens a scope on this thread; same as {@link Tensor#scope()}. */
    public static TensorScope open() {
        return new TensorScope();
    }

    /** The innermost open scope of this thread, or null. */
    static TensorScope current() {
        return CURRENT.get();
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return !closed;
    }

    /** Number of buffers this scope will give back when closed (those still alive). */
    public int liveBuffers() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            n += owned[i].isAlive() && !owned[i].isGivenBack() ? 1 : 0;
        }
        return n;
    }

    /**
     * Takes {@code t} (and its views) out of this scope, so closing it does not free it: it
     * belongs to the enclosing scope if there is one, otherwise to the garbage collector.
     * Tensors not made in this scope are returned unchanged.
     *
     * @return {@code t}
     * @throws IllegalStateException if the scope is closed or used from another thread
     */
    public Tensor keep(Tensor t) {
        checkOpen("keep");
        Storage s = t.buffer().storage();
        for (int i = count - 1; i >= 0; i--) {
            if (owned[i] == s) {
                System.arraycopy(owned, i + 1, owned, i, count - i - 1);
                owned[--count] = null;
                if (parent != null && !parent.closed) {
                    parent.own(s);
                }
                break;
            }
        }
        return t;
    }

    /**
     * Gives every buffer made in this scope back to this thread's pool; tensors made in it are
     * dead afterwards. Idempotent.
     *
     * @throws IllegalStateException if called from another thread, or while a scope opened
     *     inside this one is still open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("TensorScope.close: the scope was opened on thread " + owner.getName()
                    + " and must be closed there, not on " + Thread.currentThread().getName());
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("TensorScope.close: a scope opened inside this one is still open; "
                    + "close scopes in reverse order (use try-with-resources)");
        }
        closed = true;
        if (parent == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(parent);
        }
        var ws = Pool.ws();
        for (int i = count - 1; i >= 0; i--) {
            // skip what backward already handed back (a pinned root stays alive, on the heap)
            if (owned[i].isAlive() && !owned[i].isGivenBack()) {
                ws.give(owned[i]);
            }
            owned[i] = null;
        }
        count = 0;
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException("TensorScope." + op + ": the scope is closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("TensorScope." + op + ": the scope belongs to thread " + owner.getName());
        }
    }

    private void own(Storage s) {
        if (count == owned.length) {
            // drop storages already given back (by backward freeing a graph) before growing
            int live = 0;
            for (int i = 0; i < count; i++) {
                if (owned[i].isAlive() && !owned[i].isGivenBack()) {
                    owned[live++] = owned[i];
                }
            }
            Arrays.fill(owned, live, count, null);
            count = live;
            if (count > owned.length / 2) {
                owned = Arrays.copyOf(owned, owned.length * 2);
            }
        }
        owned[count++] = s;
    }

    // ------------------------------------------------------------------ allocation for Tensor

    /**
     * Memory for an operation's result (contents undefined; the kernel overwrites it): from this
     * thread's pool when recorded or inside a scope (then owned by the scope), else GC-managed.
     */
    static Buffer result(DType dt, Shape shape, boolean track) {
        TensorScope s = CURRENT.get();
        if (s == null) {
            // Untracked results (no-grad code) live on the Java heap: the GC recycles them like any
            // short-lived object, where GC-managed native blocks would pile up between collections.
            return track ? Pool.ws().take(dt, shape) : Buffer.onHeap(dt, shape);
        }
        Buffer b = Pool.ws().take(dt, shape);
        s.own(b.storage());
        return b;
    }

    /** Zero-filled memory for a factory: from the scope when one is open, else GC-managed. */
    static Buffer zeros(DType dt, int... dims) {
        TensorScope s = CURRENT.get();
        if (s == null) {
            return Buffer.zeros(dt, dims);
        }
        Buffer b = Pool.ws().takeZeroed(dt, dims);
        s.own(b.storage());
        return b;
    }

    @Override
    public String toString() {
        return "TensorScope[" + (closed ? "closed" : liveBuffers() + " live buffers") + ", thread " + owner.getName() + "]";
    }
}
