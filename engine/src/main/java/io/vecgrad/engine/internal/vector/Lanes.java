package io.vecgrad.engine.internal.vector;

import jdk.incubator.vector.VectorShuffle;

/**
 * Sums of the lanes of one vector in a <em>fixed</em> order, the same in every JIT tier.
 *
 * <p><b>Why not {@code reduceLanes(ADD)}.</b> Its floating-point order is unspecified: the
 * interpreter and C1 run the Java fallback (lane 0 + lane 1 + ... in sequence) while C2 emits its
 * own shuffle tree, so the last bit of a sum changed when C2 compiled the kernel (a one-row forward
 * differed after ~430 calls). Here the order is written out as lanewise vector adds of the vector
 * and a lane permutation of it ({@code v + v[i ^ h]} for h = lanes/2, ..., 1, then lane 0): a tree
 * {@code ((v0 + v8) + (v4 + v12)) + ...} that every tier evaluates identically, because each step
 * is a lanewise IEEE add. Only the vector width changes the order (and so, possibly, the bits).
 *
 * <p>The permutations are {@code static final} shuffles so that C2 folds them into constants;
 * the {@code if}s on the lane count fold away too. <b>The tree is written out at each use</b>
 * (the chunk ends of the reductions, the GEMM dot path, the softmax sums) rather than called:
 * such a call runs once per chunk, after the hot loop, and C2 declined to inline even a 12-byte
 * helper there ("low call site frequency"), so every call boxed its vector argument (96 B per
 * chunk, caught by ReductionAllocationTest). The pattern, for a float vector {@code t}:
 * <pre>
 * if (VectorConfig.FL &gt;= 16) t = t.add(t.rearrange(Lanes.F8));
 * if (VectorConfig.FL &gt;= 8) t = t.add(t.rearrange(Lanes.F4));
 * if (VectorConfig.FL &gt;= 4) t = t.add(t.rearrange(Lanes.F2));
 * float sum = t.lane(0) + t.lane(1);  // the last level as two lane extracts: no shuffle
 * </pre>
 * and the same with {@code DL} and {@code D8, D4, D2} for doubles.
 */
final class Lanes {
    private Lanes() {}

    /** Lane i takes lane i ^ 8 (used at 16 lanes and up). */
    static final VectorShuffle<Float> F8 = VectorShuffle.fromOp(VectorConfig.F, i -> i ^ (8 % VectorConfig.FL));
    static final VectorShuffle<Float> F4 = VectorShuffle.fromOp(VectorConfig.F, i -> i ^ (4 % VectorConfig.FL));
    static final VectorShuffle<Float> F2 = VectorShuffle.fromOp(VectorConfig.F, i -> i ^ (2 % VectorConfig.FL));
    /** Swaps the two halves of a float vector (lane i takes lane i ^ FL/2), to widen the upper half. */
    static final VectorShuffle<Float> FH = VectorShuffle.fromOp(VectorConfig.F, i -> i ^ (VectorConfig.FL / 2));
    static final VectorShuffle<Double> D8 = VectorShuffle.fromOp(VectorConfig.D, i -> i ^ (8 % VectorConfig.DL));
    static final VectorShuffle<Double> D4 = VectorShuffle.fromOp(VectorConfig.D, i -> i ^ (4 % VectorConfig.DL));
    static final VectorShuffle<Double> D2 = VectorShuffle.fromOp(VectorConfig.D, i -> i ^ (2 % VectorConfig.DL));
}
