package io.vecgrad.engine;

import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.MemorySegment;

/**
 * Checked row lookup (PyTorch's {@code embedding}) and its backward, a scatter-add of rows.
 * Rows are copied with {@link MemorySegment#copy} and accumulated with the default
 * {@link KernelProvider}'s vector {@code ADD}; every index is validated before anything is
 * written.
 */
public final class Embeddings {
    private Embeddings() {}

    private static void checkIndices(String op, long[] idx, int vocab) {
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= vocab) {
                throw new IllegalArgumentException(op + ": index " + idx[i] + " at position " + i
                        + " is out of range for a vocabulary of size " + vocab + " (valid: 0.." + (vocab - 1) + ")");
            }
        }
    }

    private static void checkWeight(String op, Buffer weight) {
        if (weight.rank() != 2 || !weight.isContiguous()) {
            throw new IllegalArgumentException(op + ": weight must be a contiguous 2-D [num_embeddings, embedding_dim] "
                    + "tensor, got " + Shape.format(weight.dims()));
        }
    }

    /**
     * {@code out[i, :] = weight[idx[i], :]} for the flattened indices.
     *
     * @param weight contiguous {@code [V, D]}
     * @param out contiguous with {@code idx.length * D} elements, weight's dtype (written)
     * @throws IllegalArgumentException if an index is outside {@code [0, V)} (naming it and V), or
     *     for mismatched shapes/dtypes
     */
    public static Buffer lookup(Buffer weight, long[] idx, Buffer out) {
        String op = "embedding";
        checkWeight(op, weight);
        int vocab = weight.dims()[0];
        long d = weight.dims()[1];
        checkIndices(op, idx, vocab);
        if (out.dtype() != weight.dtype() || !out.isContiguous() || out.size() != idx.length * d) {
            throw new IllegalArgumentException(op + ": output " + out.dtype() + " " + Shape.format(out.dims())
                    + " does not hold " + idx.length + " rows of weight " + weight.dtype() + " "
                    + Shape.format(weight.dims()));
        }
        MemorySegment w = weight.segment(op);
        MemorySegment o = out.segment(op);
        long es = weight.dtype().byteSize();
        for (int i = 0; i < idx.length; i++) {
            MemorySegment.copy(w, (weight.offset() + idx[i] * d) * es, o, (out.offset() + i * d) * es, d * es);
        }
        out.storage().bumpVersion();
        return out;
    }

    /**
     * Backward of {@link #lookup}: {@code dWeight} is zeroed, then {@code dWeight[idx[i]] += g[i]}
     * for every i whose index is not {@code paddingIdx} (pass -1 for none), so repeated indices
     * sum their gradients.
     *
     * @param g contiguous with {@code idx.length * D} elements
     * @param dWeight contiguous {@code [V, D]} (written)
     * @throws IllegalArgumentException for an index out of range or mismatched shapes/dtypes
     */
    public static Buffer backward(Buffer g, long[] idx, long paddingIdx, Buffer dWeight) {
        String op = "embedding_backward";
        checkWeight(op, dWeight);
        int vocab = dWeight.dims()[0];
        long d = dWeight.dims()[1];
        checkIndices(op, idx, vocab);
        if (g.dtype() != dWeight.dtype() || !g.isContiguous() || g.size() != idx.length * d) {
            throw new IllegalArgumentException(op + ": gradient " + g.dtype() + " " + Shape.format(g.dims())
                    + " does not hold " + idx.length + " rows of " + dWeight.dtype() + " " + Shape.format(dWeight.dims()));
        }
        Kernels k = Kernels.get();
        k.fill(dWeight, 0);
        KernelProvider p = k.provider();
        MemorySegment gs = g.segment(op);
        MemorySegment ws = dWeight.segment(op);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] == paddingIdx) {
                continue;
            }
            long row = dWeight.offset() + idx[i] * d;
            p.binary(g.dtype(), BinaryOp.ADD, 0, d, ws, row, 1, gs, g.offset() + i * d, 1, ws, row, 1);
        }
        dWeight.storage().bumpVersion();
        return dWeight;
    }
}
