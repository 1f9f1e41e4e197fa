package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Executor;

/**
 * The scalar twin of GEMM: plain triple loops, kept deliberately simple because it is the
 * oracle the vector kernel is tested against. Each {@code C[i,j]} is one sequential dot product
 * over {@code p}, accumulated in the element type ({@code float} for F32, as a naive float kernel
 * would), then scaled: {@code C = alpha * sum + beta * C}.
 */
public final class ScalarGemm {
    private ScalarGemm() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /**
     * Computes {@code C = alpha * op(A) * op(B) + beta * C} on the calling thread; see
     * {@link io.vecgrad.engine.spi.KernelProvider#gemm} for the full contract. Modifies only the
     * {@code m x n} block of {@code c} at {@code cOff} with row stride {@code ldc}; when
     * {@code beta == 0} C is overwritten without being read. {@code executor} and
     * {@code parallelism} are accepted for signature parity and ignored: the oracle is serial.
     */
    public static void gemm(DType dt, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            MemorySegment a, long aOff, long lda,
                            MemorySegment b, long bOff, long ldb,
                            double beta, MemorySegment c, long cOff, long ldc,
                            Executor executor, int parallelism) {
        if (m <= 0 || n <= 0) {
            return;
        }
        // Element strides of op(A)[i, p] and op(B)[p, j]: a transposed operand swaps its strides.
        long aRow = transA ? 1 : lda;
        long aCol = transA ? lda : 1;
        long bRow = transB ? 1 : ldb;
        long bCol = transB ? ldb : 1;
        if (dt == DType.F32) {
            gemmF(m, n, k, (float) alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol,
                    (float) beta, c, cOff, ldc);
        } else {
            gemmD(m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff, ldc);
        }
    }

    private static void gemmF(int m, int n, int k, float alpha,
                              MemorySegment a, long aOff, long aRow, long aCol,
                              MemorySegment b, long bOff, long bRow, long bCol,
                              float beta, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                long ai = aOff + i * aRow;
                long bj = bOff + j * bCol;
                for (int p = 0; p < k; p++) {
                    sum += a.getAtIndex(F, ai + p * aCol) * b.getAtIndex(F, bj + p * bRow);
                }
                long ci = cOff + i * ldc + j;
                // beta == 0 must not read C: 0 * NaN would otherwise leak NaN into the result.
                float out = beta == 0f ? alpha * sum : alpha * sum + beta * c.getAtIndex(F, ci);
                c.setAtIndex(F, ci, out);
            }
        }
    }

    private static void gemmD(int m, int n, int k, double alpha,
                              MemorySegment a, long aOff, long aRow, long aCol,
                              MemorySegment b, long bOff, long bRow, long bCol,
                              double beta, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0d;
                long ai = aOff + i * aRow;
                long bj = bOff + j * bCol;
                for (int p = 0; p < k; p++) {
                    sum += a.getAtIndex(D, ai + p * aCol) * b.getAtIndex(D, bj + p * bRow);
                }
                long ci = cOff + i * ldc + j;
                double out = beta == 0d ? alpha * sum : alpha * sum + beta * c.getAtIndex(D, ci);
                c.setAtIndex(D, ci, out);
            }
        }
    }
}
