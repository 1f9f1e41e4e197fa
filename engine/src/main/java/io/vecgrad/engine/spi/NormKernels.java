package io.vecgrad.engine.spi;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;

/**
 * Fused normalization kernels (batch, layer and group norm), forward and backward, over
 * contiguous row-major data. A separate seam from {@link KernelProvider}, like
 * {@link UpdateKernels}, so this family can grow without touching the elementwise interface.
 *
 * <p><b>Layouts.</b> Batch and group norm see {@code x} as {@code [outer, groups, cpg, inner]}
 * (channels-per-group {@code cpg}; channel {@code c = g * cpg + j}); a statistic is indexed
 * {@code a * statStride + g}: batch norm has {@code groups = C, cpg = 1, statStride = 0} (one
 * statistic per channel, over the batch and the spatial dims), group norm has
 * {@code outer = N, groups = G, cpg = C / G, statStride = G} (one statistic per sample and
 * group). Layer norm sees {@code x} as {@code [rows, len]} with one statistic per row and an
 * elementwise weight of length {@code len}.
 *
 * <p><b>Statistics.</b> {@code mean} and {@code rstd = 1 / sqrt(var + eps)} with the biased
 * variance, computed in two passes (the mean, then the sum of squared deviations from it). The
 * two-pass sum of squares has relative error at most about {@code n·u + (n·u)²·(mean/std)²}
 * (Chan, Golub and LeVeque, 1983) for n terms and unit roundoff u of the accumulator: f32 data
 * is accumulated in double (u = 2^-53), so the error is far below f32 resolution for any n that
 * fits in memory; f64 data is accumulated with several partial sums, which divides the n·u term
 * by the number of partials. Unlike the one-pass {@code E[x²] - E[x]²} formula, a large mean
 * does not cancel the variance.
 *
 * <p><b>Contract.</b> Implementations trust their arguments (the {@code Normalization} facade
 * checked them): every operand is a {@link MemorySegment} plus an <em>element</em> offset,
 * contiguous, of element type {@code dt}; outputs do not overlap inputs. A {@code null} weight
 * means 1, a {@code null} bias 0; a {@code null} gradient output is not computed.
 *
 * <p><b>Allocation.</b> None, native or heap; the backward kernels take a caller-provided
 * {@code double[]} work array of the documented length.
 */
public interface NormKernels {

    /** {@code "scalar"} or {@code "vector-<bits>"}, for logs and benchmark metadata. */
    String name();

    /**
     * Per channel {@code c} of {@code x} viewed as {@code [outer, channels, inner]}: over its
     * {@code outer * inner} elements, {@code mean[c]}, {@code rstd[c] = 1/sqrt(var + eps)} and,
     * if {@code var != null}, the biased variance {@code var[c]}.
     *
     * @param var written when non-null (batch norm's running statistics need it)
     */
    void moments(DType dt, long outer, long channels, long inner, MemorySegment x, long xOff, double eps,
                 MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                 MemorySegment var, long varOff);

    /**
     * Batch/group-norm forward: {@code y[a,g,j,s] = (x[a,g,j,s] - mean[k]) * rstd[k] * w[c] + b[c]}
     * with {@code k = a * statStride + g}, {@code c = g * cpg + j}.
     */
    void channelForward(DType dt, long outer, long groups, long cpg, long inner,
                        MemorySegment x, long xOff,
                        MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff, long statStride,
                        MemorySegment w, long wOff, MemorySegment b, long bOff,
                        MemorySegment y, long yOff);

    /**
     * Backward of {@link #channelForward} for upstream gradient {@code g} (same layout as x):
     * <pre>
     * xhat = (x - mean) * rstd,  dxhat = g * w[c]
     * dx   = rstd * (dxhat - mean_k(dxhat) - xhat * mean_k(dxhat * xhat))   (statistics of the batch)
     * dx   = rstd * dxhat                                                    (statsConstant: eval mode)
     * dw[c] = sum over (a, s) of g * xhat,   db[c] = sum over (a, s) of g
     * </pre>
     * where {@code mean_k} averages over the elements that statistic {@code k} was computed from.
     *
     * @param statsConstant true when mean/rstd are constants (batch norm in eval mode)
     * @param work at least {@code 2 * nStats + 2 * groups * cpg + 2} doubles, {@code nStats} being
     *             {@code groups} when {@code statStride == 0}, else {@code outer * groups}
     */
    void channelBackward(DType dt, long outer, long groups, long cpg, long inner,
                         MemorySegment g, long gOff, MemorySegment x, long xOff,
                         MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff, long statStride,
                         MemorySegment w, long wOff, boolean statsConstant,
                         MemorySegment dx, long dxOff, MemorySegment dw, long dwOff, MemorySegment db, long dbOff,
                         double[] work);

    /** Layer-norm forward: {@code y[r,j] = (x[r,j] - mean[r]) * rstd[r] * w[j] + b[j]}. */
    void rowForward(DType dt, long rows, long len, MemorySegment x, long xOff,
                    MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                    MemorySegment w, long wOff, MemorySegment b, long bOff,
                    MemorySegment y, long yOff);

    /**
     * Layer-norm backward:
     * <pre>
     * dxhat = g * w[j]
     * dx    = rstd[r] * (dxhat - mean_j(dxhat) - xhat * mean_j(dxhat * xhat))
     * dw[j] = sum_r g * xhat,   db[j] = sum_r g      (overwritten, not accumulated into)
     * </pre>
     *
     * @param work at least {@code 2 * len + 2} doubles
     */
    void rowBackward(DType dt, long rows, long len, MemorySegment g, long gOff, MemorySegment x, long xOff,
                     MemorySegment mean, long meanOff, MemorySegment rstd, long rstdOff,
                     MemorySegment w, long wOff,
                     MemorySegment dx, long dxOff, MemorySegment dw, long dwOff, MemorySegment db, long dbOff,
                     double[] work);
}
