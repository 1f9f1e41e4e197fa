package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Executor;

/** GEMM (placeholder until the GEMM kernels land; see KernelProvider#gemm for the contract). */
public final class ScalarGemm {
    private ScalarGemm() {}

    /** See {@link io.vecgrad.engine.spi.KernelProvider#gemm}. */
    public static void gemm(DType dt, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            MemorySegment a, long aOff, long lda,
                            MemorySegment b, long bOff, long ldb,
                            double beta, MemorySegment c, long cOff, long ldc,
                            Executor executor, int parallelism) {
        throw new UnsupportedOperationException("gemm: not yet implemented");
    }
}
