package io.vecgrad.nn;

import io.vecgrad.autograd.Attention;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.MultiheadAttention} (no dropout, no extra key/value biases, equal
 * query/key/value sizes): the inputs are projected by {@code in_proj_weight [3E, E]} and
 * {@code in_proj_bias [3E]} (rows {@code [0, E)} for queries, {@code [E, 2E)} keys,
 * {@code [2E, 3E)} values), split into {@code numHeads} heads of {@code E / numHeads}, combined
 * by {@link Attention#scaledDotProductAttention} per head, concatenated, and projected by
 * {@code out_proj} (a {@link Linear} {@code E -> E}).
 *
 * <p>Shapes: query {@code [L, N, E]}, key and value {@code [S, N, E]} (with {@code batchFirst}:
 * {@code [N, L, E]} and {@code [N, S, E]}); output like the query. Initialised as PyTorch:
 * {@code in_proj_weight} Xavier-uniform, both biases zero, {@code out_proj.weight} as a
 * {@link Linear}'s weight.
 */
public final class MultiheadAttention extends Layer {
    private final int embedDim;
    private final int numHeads;
    private final boolean batchFirst;
    private final Tensor inProjWeight;
    private final Tensor inProjBias;
    private final Linear outProj;

    /**
     * A layer with freshly initialised parameters.
     *
     * @param bias whether the input and output projections have biases
     * @param gen the seeded generator the initial weights are drawn from
     * @throws IllegalArgumentException if {@code numHeads} does not divide {@code embedDim}
     */
    public MultiheadAttention(int embedDim, int numHeads, boolean bias, boolean batchFirst, RandomGenerator gen,
                              DType dtype) {
        if (embedDim < 1 || numHeads < 1 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim must be divisible by num_heads, got "
                    + "embed_dim=" + embedDim + ", num_heads=" + numHeads);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.batchFirst = batchFirst;
        this.inProjWeight = registerParameter("in_proj_weight", Tensor.zeros(dtype, 3 * embedDim, embedDim));
        Init.xavierUniform(inProjWeight, gen, 1);
        this.inProjBias = bias ? registerParameter("in_proj_bias", Tensor.zeros(dtype, 3 * embedDim)) : null;
        this.outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, gen, dtype));
        if (bias) {
            Init.zeros(outProj.bias());
        }
    }

    /** An f32 layer with biases and {@code [L, N, E]} inputs. */
    public MultiheadAttention(int embedDim, int numHeads, RandomGenerator gen) {
        this(embedDim, numHeads, true, false, gen, DType.F32);
    }

    /** Self-attention: {@code forward(x, x, x, null, false)}. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, input, input, null, false);
    }

    /**
     * Attention of {@code query} over {@code key}/{@code value}.
     *
     * @param attnMask an additive float mask {@code [L, S]} or {@code [N·numHeads, L, S]}
     *     ({@code -inf} excludes a key), or null
     * @param causal mask key {@code j > i} for query {@code i}
     * @return like the query: {@code [L, N, E]} (or {@code [N, L, E]} with batchFirst)
     * @throws IllegalArgumentException naming the module and the shapes if they do not fit
     */
    public Tensor forward(Tensor query, Tensor key, Tensor value, Tensor attnMask, boolean causal) {
        if (query.ndim() != 3 || key.ndim() != 3 || value.ndim() != 3 || query.dim(2) != embedDim
                || key.dim(2) != embedDim || value.dim(2) != embedDim || !Arrays.equals(key.dims(), value.dims())
                || query.dim(batchFirst ? 0 : 1) != key.dim(batchFirst ? 0 : 1)) {
            throw new IllegalArgumentException("MultiheadAttention: expected query " + (batchFirst ? "[N, L, " : "[L, N, ")
                    + embedDim + "] and key, value " + (batchFirst ? "[N, S, " : "[S, N, ") + embedDim + "], got query "
                    + Shape.format(query.dims()) + ", key " + Shape.format(key.dims()) + ", value "
                    + Shape.format(value.dims()));
        }
        Tensor q = batchFirst ? query : query.transpose(0, 1);
        Tensor k = batchFirst ? key : key.transpose(0, 1);
        Tensor v = batchFirst ? value : value.transpose(0, 1);
        int n = q.dim(0);
        int l = q.dim(1);
        int s = k.dim(1);
        Tensor qh = heads(project(q, 0), n, l);
        Tensor kh = heads(project(k, 1), n, s);
        Tensor vh = heads(project(v, 2), n, s);
        Tensor mask = attnMask;
        if (mask != null && mask.ndim() == 3) {
            if (mask.dim(0) != n * numHeads) {
                throw new IllegalArgumentException("MultiheadAttention: attn_mask " + Shape.format(mask.dims())
                        + " must be [" + l + ", " + s + "] or [" + n * numHeads + ", " + l + ", " + s + "]");
            }
            mask = mask.reshape(n, numHeads, l, s);
        }
        Tensor a = Attention.scaledDotProductAttention(qh, kh, vh, mask, causal); // [N, h, L, hd]
        Tensor y = outProj.forward(a.permute(0, 2, 1, 3).reshape(n, l, embedDim));
        return batchFirst ? y : y.transpose(0, 1);
    }

    /** {@code x·W_partᵀ + b_part} for part 0 (q), 1 (k) or 2 (v). */
    private Tensor project(Tensor x, int part) {
        Tensor w = inProjWeight.narrow(0, part * embedDim, embedDim);
        Tensor b = inProjBias == null ? null : inProjBias.narrow(0, part * embedDim, embedDim);
        return Linear.linear(x, w, b);
    }

    /** {@code [N, L, E] -> [N, heads, L, E/heads]}. */
    private Tensor heads(Tensor x, int n, int len) {
        return x.reshape(n, len, numHeads, embedDim / numHeads).permute(0, 2, 1, 3);
    }

    /** {@code in_proj_weight [3E, E]}. */
    public Tensor inProjWeight() {
        return inProjWeight;
    }

    /** {@code in_proj_bias [3E]}, or null without bias. */
    public Tensor inProjBias() {
        return inProjBias;
    }

    /** The output projection. */
    public Linear outProj() {
        return outProj;
    }

    @Override
    protected String extraRepr() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + (batchFirst ? ", batch_first=true" : "");
    }

    /** Constructor arguments for {@link Architecture}: embed_dim, num_heads, bias, batch_first. */
    int[] config() {
        return new int[] {embedDim, numHeads, inProjBias != null ? 1 : 0, batchFirst ? 1 : 0};
    }
}
