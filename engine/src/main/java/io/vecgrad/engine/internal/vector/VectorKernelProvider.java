package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Executor;

/**
 * The Vector API kernels ({@link VectorConfig#F}/{@link VectorConfig#D} species, fixed per JVM).
 *
 * <p><b>Dispatch.</b> Fast paths: elementwise ops whose output is contiguous (increment 1) and
 * whose inputs are each contiguous or broadcast (increment 0); reductions, softmax and dot over
 * contiguous rows. Every other layout (increments other than 0/1, negative increments, strided
 * outputs) runs the scalar twin's loop: the facade makes rows contiguous where it can, so these
 * are rare, and the twin is exactly the reference. A unary op on a broadcast input is evaluated
 * once (scalar twin) and filled.
 *
 * <p>POW with an exponent other than 0, 1, 2 and POW_BACKWARD with an exponent other than 0, 1
 * use the scalar twin ({@link Math#pow} semantics have no cheap vector equivalent here).
 *
 * <p>See {@link VectorElementwise}, {@link VectorReductions} and {@link VectorMath} for the
 * kernels and their accuracy.
 */
public final class VectorKernelProvider implements KernelProvider {

    private static final ScalarKernelProvider SCALAR = new ScalarKernelProvider();

    /**
     * Rows shorter than one vector (autograd's 0-d scalars, tiny biases) take the scalar twin's
     * loop: a masked vector op costs more than the few scalar operations it replaces.
     */
    private static int lanes(DType dt) {
        return dt == DType.F32 ? VectorConfig.FL : VectorConfig.DL;
    }

    /** Creates the (stateless) vector provider. */
    public VectorKernelProvider() {}

    @Override
    public String name() {
        return "vector-" + VectorConfig.BITS;
    }

    @Override
    public int vectorBits() {
        return VectorConfig.BITS;
    }

    private static boolean unitOrBroadcast(long inc) {
        return inc == 1 || inc == 0;
    }

    @Override
    public void unary(DType dt, UnaryOp op, double p0, double p1, long n,
                      MemorySegment x, long xOff, long xInc,
                      MemorySegment y, long yOff, long yInc) {
        if (n <= 0) {
            return;
        }
        if (yInc != 1 || !unitOrBroadcast(xInc) || n < lanes(dt)) {
            SCALAR.unary(dt, op, p0, p1, n, x, xOff, xInc, y, yOff, yInc);
            return;
        }
        UnaryOp o = op;
        double fillValue = p0;
        if (o == UnaryOp.POW) {
            double p = dt.round(p0);
            if (p == 2) {
                o = UnaryOp.SQUARE;
            } else if (p == 1) {
                o = UnaryOp.IDENTITY;
            } else if (p == 0) {
                o = UnaryOp.FILL; // Math.pow(x, 0) == 1, even for NaN
                fillValue = 1.0;
            } else {
                SCALAR.unary(dt, op, p0, p1, n, x, xOff, xInc, y, yOff, yInc);
                return;
            }
        }
        if (o == UnaryOp.FILL) {
            fill(dt, fillValue, n, y, yOff);
            return;
        }
        if (xInc == 0) {
            // one value: compute it with the scalar twin into y[0], then fill the rest
            SCALAR.unary(dt, o, p0, p1, 1, x, xOff, 0, y, yOff, 1);
            if (n > 1) {
                double v = dt == DType.F32
                        ? y.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, yOff * 4)
                        : y.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, yOff * 8);
                fill(dt, v, n - 1, y, yOff + 1);
            }
            return;
        }
        // ---- norm/embedding/activations ----
        if (VectorActivations.handles(o)) {
            if (dt == DType.F32) {
                VectorActivations.unaryF(o, (float) p0, (float) p1, n, x, xOff * 4, y, yOff * 4);
            } else {
                VectorActivations.unaryD(o, p0, p1, n, x, xOff * 8, y, yOff * 8);
            }
            return;
        }
        if (dt == DType.F32) {
            VectorElementwise.unaryF(o, (float) p0, (float) p1, n, x, xOff * 4, y, yOff * 4);
        } else {
            VectorElementwise.unaryD(o, p0, p1, n, x, xOff * 8, y, yOff * 8);
        }
    }

    private static void fill(DType dt, double v, long n, MemorySegment y, long yOff) {
        if (dt == DType.F32) {
            VectorElementwise.fillF((float) v, n, y, yOff * 4);
        } else {
            VectorElementwise.fillD(v, n, y, yOff * 8);
        }
    }

    @Override
    public void binary(DType dt, BinaryOp op, double p0, long n,
                       MemorySegment a, long aOff, long aInc,
                       MemorySegment b, long bOff, long bInc,
                       MemorySegment y, long yOff, long yInc) {
        if (n <= 0) {
            return;
        }
        if (yInc != 1 || !unitOrBroadcast(aInc) || !unitOrBroadcast(bInc) || n < lanes(dt)) {
            SCALAR.binary(dt, op, p0, n, a, aOff, aInc, b, bOff, bInc, y, yOff, yInc);
            return;
        }
        if (op == BinaryOp.POW_BACKWARD) {
            double p = dt.round(p0);
            if (p == 0) {
                fill(dt, 0.0, n, y, yOff); // PyTorch: zero gradient for exponent 0
            } else if (p == 1) {
                unary(dt, UnaryOp.IDENTITY, 0, 0, n, a, aOff, aInc, y, yOff, yInc); // a * 1 * b^0
            } else {
                SCALAR.binary(dt, op, p0, n, a, aOff, aInc, b, bOff, bInc, y, yOff, yInc);
            }
            return;
        }
        // ---- norm/embedding/activations ----
        if (VectorActivations.handles(op)) {
            if (dt == DType.F32) {
                VectorActivations.binaryF(op, (float) p0, n, a, aOff * 4, aInc == 0, b, bOff * 4, bInc == 0,
                        y, yOff * 4);
            } else {
                VectorActivations.binaryD(op, p0, n, a, aOff * 8, aInc == 0, b, bOff * 8, bInc == 0, y, yOff * 8);
            }
            return;
        }
        if (dt == DType.F32) {
            VectorElementwise.binaryF(op, (float) p0, n, a, aOff * 4, aInc == 0, b, bOff * 4, bInc == 0, y, yOff * 4);
        } else {
            VectorElementwise.binaryD(op, p0, n, a, aOff * 8, aInc == 0, b, bOff * 8, bInc == 0, y, yOff * 8);
        }
    }

    @Override
    public void where(DType dt, long n,
                      MemorySegment c, long cOff, long cInc,
                      MemorySegment a, long aOff, long aInc,
                      MemorySegment b, long bOff, long bInc,
                      MemorySegment y, long yOff, long yInc) {
        if (n <= 0) {
            return;
        }
        if (yInc != 1 || !unitOrBroadcast(cInc) || !unitOrBroadcast(aInc) || !unitOrBroadcast(bInc)) {
            SCALAR.where(dt, n, c, cOff, cInc, a, aOff, aInc, b, bOff, bInc, y, yOff, yInc);
            return;
        }
        if (dt == DType.F32) {
            VectorElementwise.whereF(n, c, cOff * 4, cInc == 0, a, aOff * 4, aInc == 0,
                    b, bOff * 4, bInc == 0, y, yOff * 4);
        } else {
            VectorElementwise.whereD(n, c, cOff * 8, cInc == 0, a, aOff * 8, aInc == 0,
                    b, bOff * 8, bInc == 0, y, yOff * 8);
        }
    }

    @Override
    public double reduce(DType dt, ReduceOp op, long n, MemorySegment x, long xOff, long xInc) {
        if (xInc != 1) {
            return SCALAR.reduce(dt, op, n, x, xOff, xInc);
        }
        boolean f = dt == DType.F32;
        long xb = xOff * dt.byteSize();
        return switch (op) {
            case SUM -> f ? VectorReductions.sumF(n, x, xb, false) : VectorReductions.sumD(n, x, xb, false);
            case SUM_SQUARES -> f ? VectorReductions.sumF(n, x, xb, true) : VectorReductions.sumD(n, x, xb, true);
            case MAX -> f ? VectorReductions.extremeF(n, x, xb, true) : VectorReductions.extremeD(n, x, xb, true);
            case MIN -> f ? VectorReductions.extremeF(n, x, xb, false) : VectorReductions.extremeD(n, x, xb, false);
        };
    }

    @Override
    public long argmax(DType dt, long n, MemorySegment x, long xOff, long xInc) {
        if (xInc != 1) {
            return SCALAR.argmax(dt, n, x, xOff, xInc);
        }
        return dt == DType.F32 ? VectorReductions.argExtremeF(n, x, xOff * 4, true)
                : VectorReductions.argExtremeD(n, x, xOff * 8, true);
    }

    @Override
    public long argmin(DType dt, long n, MemorySegment x, long xOff, long xInc) {
        if (xInc != 1) {
            return SCALAR.argmin(dt, n, x, xOff, xInc);
        }
        return dt == DType.F32 ? VectorReductions.argExtremeF(n, x, xOff * 4, false)
                : VectorReductions.argExtremeD(n, x, xOff * 8, false);
    }

    @Override
    public double logsumexp(DType dt, long n, MemorySegment x, long xOff, long xInc) {
        if (xInc != 1) {
            return SCALAR.logsumexp(dt, n, x, xOff, xInc);
        }
        return dt == DType.F32 ? VectorReductions.logsumexpF(n, x, xOff * 4)
                : VectorReductions.logsumexpD(n, x, xOff * 8);
    }

    @Override
    public void softmax(DType dt, boolean log, long n,
                        MemorySegment x, long xOff, long xInc,
                        MemorySegment y, long yOff, long yInc) {
        if (xInc != 1 || yInc != 1) {
            SCALAR.softmax(dt, log, n, x, xOff, xInc, y, yOff, yInc);
            return;
        }
        if (n <= 0) {
            return;
        }
        if (dt == DType.F32) {
            VectorReductions.softmaxF(log, n, x, xOff * 4, y, yOff * 4);
        } else {
            VectorReductions.softmaxD(log, n, x, xOff * 8, y, yOff * 8);
        }
    }

    @Override
    public double dot(DType dt, long n, MemorySegment x, long xOff, long xInc,
                      MemorySegment y, long yOff, long yInc) {
        if (xInc != 1 || yInc != 1) {
            return SCALAR.dot(dt, n, x, xOff, xInc, y, yOff, yInc);
        }
        return dt == DType.F32 ? VectorReductions.dotF(n, x, xOff * 4, y, yOff * 4)
                : VectorReductions.dotD(n, x, xOff * 8, y, yOff * 8);
    }

    @Override
    public void rankSum(DType dt, long n, MemorySegment[] x, long xOff, double[] w, MemorySegment y, long yOff) {
        long done = dt == DType.F32 ? VectorRankSum.sumF(n, x, xOff * 4, w, y, yOff * 4)
                : VectorRankSum.sumD(n, x, xOff * 8, w, y, yOff * 8);
        if (done < n) {
            SCALAR.rankSum(dt, n - done, x, xOff + done, w, y, yOff + done);
        }
    }

    @Override
    public void gemm(DType dt, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     MemorySegment a, long aOff, long lda,
                     MemorySegment b, long bOff, long ldb,
                     double beta, MemorySegment c, long cOff, long ldc,
                     Executor executor, int parallelism) {
        VectorGemm.gemm(dt, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc, executor, parallelism);
    }
}
