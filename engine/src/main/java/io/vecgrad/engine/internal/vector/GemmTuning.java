package io.vecgrad.engine.internal.vector;

/**
 * Tile and block sizes of {@link VectorGemm}, kept in one place with the measurement behind each.
 * All are {@code static final} so the JIT folds them into the kernels.
 *
 * <p>Measured with {@code GemmTuningMain} (test scope) on a 2-core AMD EPYC Zen 4 (AVX-512,
 * L1d 32 KiB, L2 1 MiB, L3 32 MiB), JDK 25, f32, single thread, best of warmed-up reps. The
 * machine was shared and heavily loaded (load average 10+ on 2 cores), so only ratios within
 * one run were compared and sizes of 1024 and up were often disturbed. For reference, OpenBLAS
 * 0.3.31 (numpy, Haswell kernel, 1 thread) measured 86-104 GFLOP/s f32 on the same machine for
 * the square and MLP shapes when the machine was quieter.
 *
 * <p>Final run, same period as an OpenBLAS run (GFLOP/s, ours vs OpenBLAS, 1 thread):
 * 256^3 105.3 vs 103.9, 512^3 99.9 vs 97.4, 1024^3 38.8 vs 38.3 and 2048^3 39.2 vs 38.5 (both
 * throttled by other load), (m,n,k) 64x256x784 91.3 vs 99.0, 64x784x256 88.6 vs 101.6,
 * 256x784x256 96.8 vs 105.4, 784x64x256 87.7 vs 96.2, 784x256x64 transA 91.6 vs 99.4. A
 * transposed B with small m is the weak spot (63 GFLOP/s at 64x256x784): its pack is a
 * k x n transpose done with scalar moves.
 *
 * <p>The micro-kernels in {@link VectorGemm} are written out for the tile shapes below; changing
 * {@code MR_*} or {@code NRV_*} means regenerating them (a static check fails fast otherwise).
 */
final class GemmTuning {
    private GemmTuning() {}

    // ---- f32 ----

    /**
     * Rows of the f32 micro-tile (A elements broadcast per k step). Zen 5 (48 KiB L1d), 2026-12-02,
     * GemmProbe, ratio to OpenBLAS-AVX512 (Cooperlake kernels) in the same process, thread CPU
     * time, load 15-18, at NN 1024 / NT 1024 / TN 512 / NT 64x256x784 / NN 64x784x256 /
     * TN 784x256x64: 6x4 KC=256 0.76/0.77/0.72/0.93/0.72/0.75; 6x4 KC=512 NC=256
     * 0.82-0.85/0.82-0.91/0.71-0.75/0.89-0.93/0.77-0.85/0.79-0.85; 12x2 KC=256
     * 0.73/0.74/0.69/0.90/0.83/0.86; 14x2 KC=256 0.83/0.90/0.81/0.91/0.82/0.83; <b>12x2 KC=384
     * 0.87/0.91/0.86/0.96/0.83/0.84</b>. The 2-vector-wide B micro-panel (KC x 32 floats = 48 KiB
     * at KC=384, 32 KiB at 256) stays in L1 while the 6x4 one (64 KiB) streams from L2.
     * A kernel that merged its accumulators into C from the registers (no tile spill) boxed
     * its vectors in C2 and ran at 0.01-0.5x: the spill stays.
     */
    static final int MR_F = 12;
    /** Width of the f32 micro-tile in vectors (see {@link #MR_F}). */
    static final int NRV_F = 2;
    /** Width of the f32 micro-tile in elements. */
    static final int NR_F = NRV_F * VectorConfig.FL;
    /**
     * Depth of a packed f32 block: 384 (see {@link #MR_F}); fewer C merges per flop than 256,
     * and the B micro-panel still fits L1.
     */
    static final int KC_F = 384;
    /**
     * Rows of A packed per block (multiple of MR_F): MC x KC = 144 KiB, in L2 next to the B block.
     * 96 beat 48 (89.6 at 512^3) and 192 (97.6) and 144 (95.6) with the earlier 6x4 tile.
     */
    static final int MC_F = 96;
    /**
     * Columns of B packed per block (a multiple of NR_F): KC x NC = 768 KiB at KC=384, in the
     * 1 MiB L2. Earlier (6x4 tile, KC=256, Zen 4): At
     * 1024^3, NC=512 reached 93.8 GFLOP/s where 1536 (1.5 MiB, spills L2) gave 55-90 and 768
     * 41-56 in the same sessions.
     */
    static final int NC_F = Math.max(NR_F, 512 / NR_F * NR_F);

    // ---- f64 ----

    /**
     * Rows of the f64 micro-tile: the same register shape as f32 (24 accumulators). 6x4
     * beat 8x3 in one run (19.6 vs 15.2 GFLOP/s at 512^3 under heavy load; 43.8 when quieter).
     */
    static final int MR_D = 6;
    /** Width of the f64 micro-tile in vectors. */
    static final int NRV_D = 4;
    /** Width of the f64 micro-tile in elements. */
    static final int NR_D = NRV_D * VectorConfig.DL;
    /** Depth of a packed f64 block: 256 beat 128 (27.7 vs 19.6 GFLOP/s at 512^3, same run). */
    static final int KC_D = 256;
    /** Rows of A packed per f64 block (multiple of MR_D): 192 KiB. */
    static final int MC_D = 96;
    /** Columns of B packed per f64 block: KC x NC = 512 KiB, the same bytes as the f32 block. */
    static final int NC_D = Math.max(NR_D, 256 / NR_D * NR_D);

    // ---- small products ----

    /**
     * Below this many flops (2mnk), a product with op(B) not transposed (and n at least one
     * vector) skips packing: unpacked vs packed GFLOP/s at 16^3 23.4 vs 7.8, 32^3 32.4 vs 21.1,
     * 64^3 73.0 vs 73.3 (even), 128^3 55.6 vs 91.8. 2.6e5 is about 2 * 50^3.
     */
    static final double SMALL_FLOPS = 2.6e5;

    /**
     * A product with k or m at most this (op(B) not transposed) also skips packing, and one with
     * op(B) = B^T, n at most this and m >= 2n is computed transposed (C^T = B * op(A)^T, n rows in
     * one panel) and merged back: the packed kernels' 12-row, 32-column
     * tiles would be mostly zeros. The 784-256-256-10 MLP's last layer, 2026-12-02, GemmProbe
     * ratio to OpenBLAS (Cooperlake) before / after: NN 64x256x10 0.20-0.26 / 0.37-0.50,
     * TN 10x256x64 0.30 / 0.59-0.61, NT 64x10x256 0.24 / 0.40, NT 256x10x256 0.30 / 1.10.
     */
    static final int SMALL_DIM = 16;

    // ---- parallelism ----

    /**
     * Below this many flops (2mnk) a call stays on the calling thread even with an executor.
     * 1 vs 2 threads (best case, other load permitting): 96^3 64 vs 93 GFLOP/s, 128^3 94 vs 125,
     * 256^3 106 vs 180. Waking a pool thread costs tens of microseconds when the machine is
     * busy, so the split starts at about 128^3 (4.2e6) rather than at the first measured gain.
     */
    static final double PAR_FLOPS = 4.0e6;
}
