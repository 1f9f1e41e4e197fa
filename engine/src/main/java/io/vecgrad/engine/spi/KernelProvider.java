package io.vecgrad.engine.spi;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Executor;

/**
 * The raw kernel interface: the stable seam between the checked facade
 * ({@link io.vecgrad.engine.Kernels}) and an implementation (plain loops or Vector API), and the
 * interface another library may implement or call directly.
 *
 * <p><b>Contract.</b> Implementations trust their arguments: the caller has already checked
 * shapes, bounds, dtypes and aliasing. Every array operand is a {@link MemorySegment} plus an
 * <em>element</em> offset and an <em>element</em> increment (BLAS style: {@code x[i]} lives at
 * element {@code xOff + i * xInc}). An increment of 0 broadcasts one element. All operands of a
 * call have the element type {@code dt} ({@code float} for {@link DType#F32}, {@code double} for
 * {@link DType#F64}, little-endian native layout). Scalar parameters are passed as
 * {@code double} and rounded to {@code dt} by the kernel.
 *
 * <p><b>Aliasing.</b> Elementwise kernels allow the output to be exactly one of the inputs
 * (same segment, offset and increment), which makes in-place forms; partial overlap is not
 * allowed. GEMM output must not overlap its inputs.
 *
 * <p><b>Allocation.</b> Kernels allocate no native memory and, in steady state, no heap
 * (GEMM's packing buffers are per-thread and reused).
 */
public interface KernelProvider {

    /** A short name for logs and benchmark metadata: {@code "scalar"} or {@code "vector-512"}. */
    String name();

    /** The vector width in bits used by the kernels, 0 for scalar code. */
    int vectorBits();

    /** {@code y[i] = op(x[i]; p0, p1)} for {@code i < n}. */
    void unary(DType dt, UnaryOp op, double p0, double p1, long n,
               MemorySegment x, long xOff, long xInc,
               MemorySegment y, long yOff, long yInc);

    /** {@code y[i] = op(a[i], b[i]; p0)} for {@code i < n}. */
    void binary(DType dt, BinaryOp op, double p0, long n,
                MemorySegment a, long aOff, long aInc,
                MemorySegment b, long bOff, long bInc,
                MemorySegment y, long yOff, long yInc);

    /** {@code y[i] = c[i] != 0 ? a[i] : b[i]}; {@code c} has element type {@code dt} too. */
    void where(DType dt, long n,
               MemorySegment c, long cOff, long cInc,
               MemorySegment a, long aOff, long aInc,
               MemorySegment b, long bOff, long bInc,
               MemorySegment y, long yOff, long yInc);

    /**
     * Reduces {@code x[0..n)} with {@code op}. Sums accumulate in {@code dt} with several
     * independent partial sums (vector) or sequentially (scalar); the result is returned as a
     * double holding a value of type {@code dt}.
     */
    double reduce(DType dt, ReduceOp op, long n, MemorySegment x, long xOff, long xInc);

    /** Index of the first largest element of {@code x[0..n)} (first NaN if any); -1 if n == 0. */
    long argmax(DType dt, long n, MemorySegment x, long xOff, long xInc);

    /** Index of the first smallest element of {@code x[0..n)} (first NaN if any); -1 if n == 0. */
    long argmin(DType dt, long n, MemorySegment x, long xOff, long xInc);

    /** {@code log(sum(exp(x)))} over {@code x[0..n)}, stable (shifted by the max); -inf if n == 0. */
    double logsumexp(DType dt, long n, MemorySegment x, long xOff, long xInc);

    /**
     * Softmax ({@code log == false}) or log-softmax ({@code log == true}) of one row, stable
     * for |x| up to at least 1000. {@code y} may alias {@code x}.
     */
    void softmax(DType dt, boolean log, long n,
                 MemorySegment x, long xOff, long xInc,
                 MemorySegment y, long yOff, long yInc);

    /** {@code sum_i x[i] * y[i]}. */
    double dot(DType dt, long n, MemorySegment x, long xOff, long xInc,
               MemorySegment y, long yOff, long yInc);

    /**
     * The rank-ordered weighted sum of {@code x.length} equally laid out inputs ("ranks"), the
     * all-reduce sum of data-parallel training: for {@code i < n}
     * <pre>
     * s = 0.0 + w[0] * x[0][xOff + i]
     * s = s + w[r] * x[r][xOff + i]       for r = 1, 2, ..., x.length - 1, in that order
     * y[yOff + i] = s rounded once to dt
     * </pre>
     * in {@code double} whatever {@code dt} (an f32 input widens exactly), each product and each
     * sum rounded to double on its own (never a fused multiply-add). Every implementation must
     * perform exactly these operations per element, whatever its vector width or chunking, so
     * that every replica that sums the same bytes gets the same bits. All operands contiguous;
     * {@code y} may be exactly one of the inputs at the same offset (each element is read from
     * every rank before it is written), nothing else may overlap.
     */
    void rankSum(DType dt, long n, MemorySegment[] x, long xOff, double[] w, MemorySegment y, long yOff);

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} of shape {@code [m, k]},
     * {@code op(B)} of shape {@code [k, n]}, all matrices row-major with leading dimensions
     * {@code lda, ldb, ldc} (elements between consecutive rows of the stored matrix).
     * {@code transA} means A is stored as {@code [k, m]} and used transposed (likewise B).
     * When {@code beta == 0}, C is not read (NaNs in C do not propagate), as in BLAS.
     *
     * @param executor runs the parallel blocks; {@code null} or {@code parallelism == 1} means
     *                 run on the calling thread
     * @param parallelism the largest number of tasks to split the work into
     */
    void gemm(DType dt, boolean transA, boolean transB, int m, int n, int k, double alpha,
              MemorySegment a, long aOff, long lda,
              MemorySegment b, long bOff, long ldb,
              double beta, MemorySegment c, long cOff, long ldc,
              Executor executor, int parallelism);
}
