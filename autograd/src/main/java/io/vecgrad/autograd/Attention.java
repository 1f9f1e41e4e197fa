package io.vecgrad.autograd;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scaled dot-product attention, composed from batched {@code matmul} and {@code softmax} (so it
 * needs no rule of its own): {@code softmax(q·kᵀ/√D + mask)·v}.
 */
public final class Attention {
    private Attention() {}

    /** Additive causal masks by dtype and size: 0 on and below the diagonal, -inf above. */
    private static final ConcurrentHashMap<String, Tensor> CAUSAL = new ConcurrentHashMap<>();

    /**
     * {@code softmax(q·kᵀ/√D)·v}, PyTorch's {@code F.scaled_dot_product_attention} without
     * dropout.
     *
     * @param q queries {@code [..., T, D]} (e.g. {@code [B, T, D]} or {@code [B, heads, T, D]})
     * @param k keys {@code [..., S, D]}
     * @param v values {@code [..., S, Dv]}
     * @param causal mask key {@code j > i} for query {@code i} (PyTorch's {@code is_causal})
     * @return {@code [..., T, Dv]}
     * @throws IllegalArgumentException naming the shapes if they do not fit together
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, boolean causal) {
        return scaledDotProductAttention(q, k, v, null, causal);
    }

    /**
     * As {@link #scaledDotProductAttention(Tensor, Tensor, Tensor, boolean)} with an optional
     * additive float mask {@code attnMask} broadcastable to {@code [..., T, S]} (use
     * {@code -inf} to exclude a key; a row with every key excluded gives NaN, as in PyTorch).
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, boolean causal) {
        String op = "scaled_dot_product_attention";
        if (q.ndim() < 2 || k.ndim() < 2 || v.ndim() < 2) {
            throw new IllegalArgumentException(op + ": q, k and v need at least 2 dims [..., L, D], got q "
                    + Shape.format(q.dims()) + ", k " + Shape.format(k.dims()) + ", v " + Shape.format(v.dims()));
        }
        int d = q.dim(-1);
        int t = q.dim(-2);
        int s = k.dim(-2);
        if (k.dim(-1) != d || v.dim(-2) != s) {
            throw new IllegalArgumentException(op + ": shapes do not fit: q " + Shape.format(q.dims()) + ", k "
                    + Shape.format(k.dims()) + ", v " + Shape.format(v.dims())
                    + " (expected q [..., T, D], k [..., S, D], v [..., S, Dv])");
        }
        if (q.dtype() != k.dtype() || q.dtype() != v.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ: q " + q.dtype() + ", k " + k.dtype()
                    + ", v " + v.dtype());
        }
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(d));
        if (attnMask != null) {
            scores = scores.add(attnMask);
        }
        if (causal) {
            scores = scores.add(causalMask(q.dtype(), t, s));
        }
        return scores.softmax(-1).matmul(v);
    }

    /**
     * The additive causal mask {@code [T, S]} of the dtype: 0 where key {@code j <= i}, -inf
     * where {@code j > i} (shared, cached; never write to it).
     */
    public static Tensor causalMask(DType dtype, int t, int s) {
        return CAUSAL.computeIfAbsent(dtype + ":" + t + "x" + s, key -> {
            double[] m = new double[t * s];
            for (int i = 0; i < t; i++) {
                for (int j = i + 1; j < s; j++) {
                    m[i * s + j] = Double.NEGATIVE_INFINITY;
                }
            }
            return Tensor.fromArray(dtype, m, t, s);
        });
    }
}
