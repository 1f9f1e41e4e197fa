package io.vecgrad.nn;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;
import java.util.random.RandomGenerator;

/**
 * A lookup table, PyTorch's {@code nn.Embedding}: {@code weight [numEmbeddings, embeddingDim]}
 * initialised from N(0, 1) (the row {@code paddingIdx}, if any, zeroed); indices of any shape
 * {@code [*]} give {@code [*, embeddingDim]}. Rows looked up at paddingIdx get no gradient.
 */
public final class Embedding extends Layer {
    private final Tensor weight;
    private final long paddingIdx;

    /**
     * A table of the dtype drawn from {@code gen}.
     *
     * @param paddingIdx a row that gets no gradient (negative counts from the end as in PyTorch),
     *                   or {@code null} for none
     * @throws IllegalArgumentException if a size is not positive or paddingIdx is out of range
     */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, RandomGenerator gen, DType dtype) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got num_embeddings=" + numEmbeddings
                    + ", embedding_dim=" + embeddingDim);
        }
        long p = -1;
        if (paddingIdx != null) {
            p = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
            if (p < 0 || p >= numEmbeddings) {
                throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx
                        + " must be within num_embeddings " + numEmbeddings);
            }
        }
        this.paddingIdx = p;
        this.weight = registerParameter("weight", Tensor.zeros(dtype, numEmbeddings, embeddingDim));
        Init.normal(weight, gen, 0, 1);
        if (p >= 0) {
            try (var _ = Tensor.noGrad()) {
                weight.narrow(0, (int) p, 1).fill_(0);
            }
        }
    }

    /** An f32 table without padding. */
    public Embedding(int numEmbeddings, int embeddingDim, RandomGenerator gen) {
        this(numEmbeddings, embeddingDim, null, gen, DType.F32);
    }

    /**
     * The rows for these indices: {@code indices.shape + [embedding_dim]}.
     *
     * @throws IllegalArgumentException naming the index and the vocabulary size if an index is
     *     out of range
     */
    public Tensor forward(Indices indices) {
        return Tensor.embedding(indices, weight, paddingIdx);
    }

    /**
     * The rows for indices given as a tensor of whole numbers (e.g. a batch from a data loader).
     *
     * @throws IllegalArgumentException if a value is not a whole number, or out of range
     */
    @Override
    public Tensor forward(Tensor input) {
        double[] v = input.toDoubleArray();
        long[] idx = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) {
                throw new IllegalArgumentException("Embedding: indices must be whole numbers, got " + v[i]
                        + " at position " + i + " of " + Shape.format(input.dims()));
            }
            idx[i] = (long) v[i];
        }
        return forward(Indices.of(idx, input.dims()));
    }

    /** The table {@code [num_embeddings, embedding_dim]} (the registered parameter). */
    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return weight.dim(0) + ", " + weight.dim(1) + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }

    /** The padding index (-1 for none), for {@link Architecture}. */
    long paddingIdx() {
        return paddingIdx;
    }
}
