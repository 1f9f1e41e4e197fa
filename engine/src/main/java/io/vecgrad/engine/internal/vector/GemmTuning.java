package io.vecgrad.engine.internal.vector;

/**
 * Tile and block sizes of {@link VectorGemm}, kept in one place with the measurement behind each.
 * All are {@code static final} so the JIT folds them into the kernels.
 *
 * <p>Measured with {@code GemmTuningMain} (test scope) on a 2-core AMD EPYC Zen 4 (AVX-512,
 * L1d 32 KiB, L2 1 MiB, L3 32 MiB), JDK 25, best of several warmed-up reps. The machine is
 * shared, so only ratios within one run were compared. OpenBLAS 0.3.31 (numpy, Haswell kernel,
 * 1 thread) measured 86-104 GFLOP/s f32 on the same machine for the square and MLP shapes.
 */
final class GemmTuning {
    private GemmTuning() {}

    // ---- f32 ----

    /** Rows of the f32 micro-tile (broadcast A elements per k step). TUNING:MR_F */
    static final int MR_F = 8;
    /** Width of the f32 micro-tile in vectors; MR_F * NRV_F accumulators. TUNING:NRV_F */
    static final int NRV_F = 3;
    /** Width of the f32 micro-tile in elements. */
    static final int NR_F = NRV_F * VectorConfig.FL;
    /** Depth of a packed f32 block. TUNING:KC_F */
    static final int KC_F = 256;
    /** Rows of A packed per block (multiple of MR_F). TUNING:MC_F */
    static final int MC_F = 96;
    /** Columns of B packed per block, rounded down to a multiple of NR_F. TUNING:NC_F */
    static final int NC_F = Math.max(NR_F, 1536 / NR_F * NR_F);

    // ---- f64 ----

    /** Rows of the f64 micro-tile. TUNING:MR_D */
    static final int MR_D = 8;
    /** Width of the f64 micro-tile in vectors. TUNING:NRV_D */
    static final int NRV_D = 3;
    /** Width of the f64 micro-tile in elements. */
    static final int NR_D = NRV_D * VectorConfig.DL;
    /** Depth of a packed f64 block. TUNING:KC_D */
    static final int KC_D = 128;
    /** Rows of A packed per f64 block (multiple of MR_D). TUNING:MC_D */
    static final int MC_D = 96;
    /** Columns of B packed per f64 block, multiple of NR_D. TUNING:NC_D */
    static final int NC_D = Math.max(NR_D, 1536 / NR_D * NR_D);

    // ---- parallelism ----

    /** Below this many flops (2mnk) a call stays on the calling thread. TUNING:PAR_FLOPS */
    static final double PAR_FLOPS = 4.0e6;
}
