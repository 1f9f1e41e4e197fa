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

    /** Saved values and the storage versions they had when saved. */
    Buffer[] saved = NO_BUFFERS;
    private int[] savedVersions;
    /** Buffers this node owns (taken from the workspace) besides its output. */
    Buffer[] owned = NO_BUFFERS;

    double p0;
    double p1;
    int[] ints;
    boolean flag;
    long[] indices;
    Function custom;
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

    /** Saves values for backward, remembering their storage versions. */
    void save(Buffer... values) {
        saved = values;
        savedVersions = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            savedVersions[i] = values[i].storage().version();
        }
    }

    /** The saved value {@code i}, after checking that nothing modified it in place since. */
    Buffer saved(int i) {
        Buffer b = saved[i];
        Storage s = b.storage();
        if (!s.isAlive()) {
            throw new IllegalStateException(name() + ": a tensor saved for backward was released "
                    + "(its graph was freed by an earlier backward); use backward(retainGraph=true)");
        }
        if (s.version() != savedVersions[i]) {
            throw new IllegalStateException(name() + ": one of the tensors saved for backward ("
                    + b.dtype() + " " + b.shape() + ") was modified by an in-place operation: it is at version "
                    + s.version() + ", it was saved at version " + savedVersions[i]);
        }
        return b;
    }

    /** PyTorch-style node name, e.g. {@code MulBackward}. */
    String name() {
        return (op == Op.CUSTOM && custom != null ? custom.getClass().getSimpleName() : op.label) + "Backward";
    }

    @Override
    public String toString() {
        return name();
    }
}
