package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.Storage;

/**
 * One recorded operation: its inputs (the edges backward follows), what its rule saved, and
 * the scalar arguments it needs. The output tensor points at its node; the node holds its
 * output only to release it when the graph is freed.
 */
final class Node {
    final Op op;
    final Tensor[] inputs;
    Tensor output;

    /*
     * Saved values and the storage versions they had when saved. One or two (almost every rule)
     * live in fields, so recording a node allocates no arrays for them; more go to the arrays.
     */
    private Buffer saved0;
    private Buffer saved1;
    private int version0;
    private int version1;
    /** Three or more saved values with their versions (rare: norms, recurrent layers), or null. */
    private SavedValues more;
    /** True if {@link #saved(int) saved(0)} was taken from the workspace for this node and goes back with it. */
    boolean ownsSaved0;
    /** Buffers this node owns (taken from the workspace) besides its output. */
    Buffer[] owned = NO_BUFFERS;

    double p0;
    double p1;
    int[] ints;
    boolean flag;
    long[] indices;
    /** A custom function's context (which knows the function), or null. */
    FunctionContext ctx;

    /** Gradient of the output accumulated during a backward pass (workspace buffer). */
    Buffer grad;
    boolean freed;
    int visit;

    static final Buffer[] NO_BUFFERS = new Buffer[0];

    Node(Op op, Tensor[] inputs) {
        this.op = op;
        this.inputs = inputs;
    }

    /** Saves one value for backward, remembering its storage version. */
    void save(Buffer a) {
        more = null;
        saved0 = a;
        version0 = a.storage().version();
    }

    /** Saves two values for backward, remembering their storage versions. */
    void save(Buffer a, Buffer b) {
        more = null;
        saved0 = a;
        version0 = a.storage().version();
        saved1 = b;
        version1 = b.storage().version();
    }

    /** Saves values for backward, remembering their storage versions. */
    void save(Buffer... values) {
        saved0 = null;
        saved1 = null;
        int[] versions = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            versions[i] = values[i].storage().version();
        }
        more = new SavedValues(values, versions);
    }

    private record SavedValues(Buffer[] values, int[] versions) {}

    /** The saved value {@code i}, after checking that nothing modified it in place since. */
    Buffer saved(int i) {
        Buffer b;
        int version;
        if (saved0 != null && i < 2) {
            b = i == 0 ? saved0 : saved1;
            version = i == 0 ? version0 : version1;
            if (b == null) {
                throw new IndexOutOfBoundsException(name() + ": no saved value " + i);
            }
        } else {
            if (more == null) {
                throw new IndexOutOfBoundsException(name() + ": no saved value " + i);
            }
            b = more.values()[i];
            version = more.versions()[i];
        }
        Storage s = b.storage();
        if (!s.isAlive()) {
            throw new IllegalStateException(name() + ": a tensor saved for backward was released "
                    + "(its graph was freed by an earlier backward); use backward(retainGraph=true)");
        }
        if (s.version() != version) {
            throw new IllegalStateException(name() + ": one of the tensors saved for backward ("
                    + b.dtype() + " " + b.shape() + ") was modified by an in-place operation: it is at version "
                    + s.version() + ", it was saved at version " + version);
        }
        return b;
    }

    /** Gives back what the node owns (when its graph is freed) and drops its saved values. */
    void releaseSaved() {
        if (ownsSaved0 && saved0.storage().isAlive()) {
            Pool.give(saved0);
        }
        for (Buffer b : owned) {
            if (b.storage().isAlive()) {
                Pool.give(b);
            }
        }
        owned = NO_BUFFERS;
        ownsSaved0 = false;
        saved0 = null;
        saved1 = null;
        more = null;
        if (ctx != null) {
            ctx.release(); // keeps the function, for the node's name
        }
    }

    /** PyTorch-style node name, e.g. {@code MulBackward}. */
    String name() {
        return (op == Op.CUSTOM && ctx != null && ctx.function != null ? ctx.function.getClass().getSimpleName()
                : op.label) + "Backward";
    }

    @Override
    public String toString() {
        return name();
    }
}
