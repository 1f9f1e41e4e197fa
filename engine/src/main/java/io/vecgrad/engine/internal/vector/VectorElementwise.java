package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise vector kernels for the unit-increment / broadcast fast paths. One small method and
 * loop per op (the switch on the op is outside the element loop; small methods keep each loop
 * within C2's inlining budget so no vector gets boxed): an unmasked main loop up to
 * {@code loopBound(n)} and one masked tail iteration, so any n works. Offsets are byte offsets
 * into the segments. A broadcast operand (increment 0) is loaded once before the loop and
 * selected by a loop-invariant test (unswitched by C2); when it is not broadcast its vector is
 * {@code null}, never a placeholder vector: a placeholder merged with the loaded one made C2 box
 * it (a {@code Float512Vector} and its 64-byte payload) when the kernel was inlined deep in a
 * training step's backward pass (found with a JVMTI allocation trace, 2026-12-03). The op
 * formulas match the scalar twin's order of operations exactly, so the cheap ops are
 * bit-identical to it; transcendental ops go through {@link VectorMath}.
 *
 * <p>Written out per op and per element type (a generic loop with a functional parameter would
 * not inline the vector code and would box every vector).
 */
final class VectorElementwise {
    private VectorElementwise() {}

    private static final ByteOrder BO = ByteOrder.nativeOrder();

    private static FloatVector ldF(MemorySegment s, long byteOff, long i) {
        return FloatVector.fromMemorySegment(VectorConfig.F, s, byteOff + (i << 2), BO);
    }

    private static FloatVector ldmF(MemorySegment s, long byteOff, long i, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(VectorConfig.F, s, byteOff + (i << 2), BO, m);
    }

    private static void stF(MemorySegment s, long byteOff, long i, FloatVector v) {
        Mem.st(v, s, byteOff + (i << 2));
    }

    private static void stmF(MemorySegment s, long byteOff, long i, FloatVector v, VectorMask<Float> m) {
        Mem.st(v, s, byteOff + (i << 2), m);
    }

    /** DL floats at element i, widened to one double vector (half-width load, intrinsified F2D). */
    private static DoubleVector ldwF(MemorySegment s, long byteOff, long i) {
        return VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, s, byteOff + (i << 2), BO));
    }

    private static DoubleVector ldwmF(MemorySegment s, long byteOff, long i, VectorMask<Float> m) {
        return VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, s, byteOff + (i << 2), BO, m));
    }

    /** Rounds v to float and stores its DL lanes at element i. */
    private static void stnF(MemorySegment s, long byteOff, long i, DoubleVector v) {
        Mem.st(VectorMath.narrow(v), s, byteOff + (i << 2));
    }

    private static void stnmF(MemorySegment s, long byteOff, long i, DoubleVector v, VectorMask<Float> m) {
        Mem.st(VectorMath.narrow(v), s, byteOff + (i << 2), m);
    }

    private static DoubleVector ldD(MemorySegment s, long byteOff, long i) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, byteOff + (i << 3), BO);
    }

    private static DoubleVector ldmD(MemorySegment s, long byteOff, long i, VectorMask<Double> m) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, byteOff + (i << 3), BO, m);
    }

    private static void stD(MemorySegment s, long byteOff, long i, DoubleVector v) {
        Mem.st(v, s, byteOff + (i << 3));
    }

    private static void stmD(MemorySegment s, long byteOff, long i, DoubleVector v, VectorMask<Double> m) {
        Mem.st(v, s, byteOff + (i << 3), m);
    }

    /** {@code (x > 0) - (x < 0)}, +0 at ±0, NaN at NaN. */
    static FloatVector signF(FloatVector v) {
        FloatVector z = FloatVector.zero(VectorConfig.F);
        return z.blend(1f, v.compare(VectorOperators.GT, 0f))
                .blend(-1f, v.compare(VectorOperators.LT, 0f))
                .blend(v, v.test(VectorOperators.IS_NAN));
    }

    static DoubleVector signD(DoubleVector v) {
        DoubleVector z = DoubleVector.zero(VectorConfig.D);
        return z.blend(1.0, v.compare(VectorOperators.GT, 0.0))
                .blend(-1.0, v.compare(VectorOperators.LT, 0.0))
                .blend(v, v.test(VectorOperators.IS_NAN));
    }


    /** {@code y[i] = op(x[i])}, x and y contiguous (float); POW and FILL are handled by the caller. */
    static void unaryF(UnaryOp op, float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        switch (op) {
            case IDENTITY -> uF_IDENTITY(p0, p1, n, x, xb, y, yb);
            case NEG -> uF_NEG(p0, p1, n, x, xb, y, yb);
            case ABS -> uF_ABS(p0, p1, n, x, xb, y, yb);
            case EXP -> uF_EXP(p0, p1, n, x, xb, y, yb);
            case LOG -> uF_LOG(p0, p1, n, x, xb, y, yb);
            case SQRT -> uF_SQRT(p0, p1, n, x, xb, y, yb);
            case SIN -> uF_SIN(p0, p1, n, x, xb, y, yb);
            case COS -> uF_COS(p0, p1, n, x, xb, y, yb);
            case TANH -> uF_TANH(p0, p1, n, x, xb, y, yb);
            case SIGMOID -> uF_SIGMOID(p0, p1, n, x, xb, y, yb);
            case RELU -> uF_RELU(p0, p1, n, x, xb, y, yb);
            case LEAKY_RELU -> uF_LEAKY_RELU(p0, p1, n, x, xb, y, yb);
            case GELU -> uF_GELU(p0, p1, n, x, xb, y, yb);
            case GELU_TANH -> uF_GELU_TANH(p0, p1, n, x, xb, y, yb);
            case CLAMP -> uF_CLAMP(p0, p1, n, x, xb, y, yb);
            case AFFINE -> uF_AFFINE(p0, p1, n, x, xb, y, yb);
            case SQUARE -> uF_SQUARE(p0, p1, n, x, xb, y, yb);
            case RECIPROCAL -> uF_RECIPROCAL(p0, p1, n, x, xb, y, yb);
            case SIGN -> uF_SIGN(p0, p1, n, x, xb, y, yb);
            default -> throw new IllegalArgumentException("unaryF: " + op);
        }
    }

    private static void uF_IDENTITY(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v, m);
        }
    }

    private static void uF_NEG(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.neg());
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.neg(), m);
        }
    }

    private static void uF_ABS(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.abs());
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.abs(), m);
        }
    }

    private static void uF_EXP(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        VectorMath.expLoopF(n, x, xb, y, yb);
    }

    private static void uF_LOG(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        VectorMath.logLoopF(n, x, xb, y, yb);
    }

    private static void uF_SQRT(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.sqrt());
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.sqrt(), m);
        }
    }

    /** In double lanes: DL floats per step, widened and rounded once. */
    private static void uF_SIN(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            stnF(y, yb, i, VectorMath.sin(ldwF(x, xb, i)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            stnmF(y, yb, i, VectorMath.sin(ldwmF(x, xb, i, m)), m);
        }
    }

    /** In double lanes: DL floats per step, widened and rounded once. */
    private static void uF_COS(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            stnF(y, yb, i, VectorMath.cos(ldwF(x, xb, i)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            stnmF(y, yb, i, VectorMath.cos(ldwmF(x, xb, i, m)), m);
        }
    }

    private static void uF_TANH(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        VectorMath.tanhLoopF(n, x, xb, y, yb);
    }

    private static void uF_SIGMOID(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        VectorMath.sigmoidLoopF(n, x, xb, y, yb);
    }

    private static void uF_RELU(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.blend(0f, v.compare(VectorOperators.LE, 0f)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.blend(0f, v.compare(VectorOperators.LE, 0f)), m);
        }
    }

    private static void uF_LEAKY_RELU(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.blend(v.mul(p0), v.compare(VectorOperators.GT, 0f).not()));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.blend(v.mul(p0), v.compare(VectorOperators.GT, 0f).not()), m);
        }
    }

    /** In double lanes: DL floats per step, widened and rounded once. */
    private static void uF_GELU(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            stnF(y, yb, i, VectorMath.gelu(ldwF(x, xb, i)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            stnmF(y, yb, i, VectorMath.gelu(ldwmF(x, xb, i, m)), m);
        }
    }

    /** In double lanes: DL floats per step, widened and rounded once. */
    private static void uF_GELU_TANH(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            stnF(y, yb, i, VectorMath.geluTanh(ldwF(x, xb, i)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            stnmF(y, yb, i, VectorMath.geluTanh(ldwmF(x, xb, i, m)), m);
        }
    }

    private static void uF_CLAMP(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.max(p0).min(p1));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.max(p0).min(p1), m);
        }
    }

    private static void uF_AFFINE(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.mul(p0).add(p1));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.mul(p0).add(p1), m);
        }
    }

    private static void uF_SQUARE(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, v.mul(v));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, v.mul(v), m);
        }
    }

    private static void uF_RECIPROCAL(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, one.div(v));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, one.div(v), m);
        }
    }

    private static void uF_SIGN(float p0, float p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = ldF(x, xb, i);
            stF(y, yb, i, signF(v));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector v = ldmF(x, xb, i, m);
            stmF(y, yb, i, signF(v), m);
        }
    }

    /** {@code y[i] = p0}, y contiguous. */
    static void fillF(float p0, long n, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        FloatVector v = FloatVector.broadcast(VectorConfig.F, p0);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            stF(y, yb, i, v);
        }
        if (i < n) {
            stmF(y, yb, i, v, VectorConfig.F.indexInRange(i, n));
        }
    }

    /**
     * {@code y[i] = op(a[i], b[i])} with y contiguous and each input contiguous or broadcast
     * ({@code aBc}/{@code bBc}: increment 0). POW_BACKWARD is handled by the caller.
     */
    static void binaryF(BinaryOp op, float p, long n, MemorySegment as, long ab, boolean aBc,
                        MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        switch (op) {
            case ADD -> bF_ADD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SUB -> bF_SUB(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MUL -> bF_MUL(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case DIV -> bF_DIV(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MAX -> bF_MAX(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MIN -> bF_MIN(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case ADD_SCALED -> bF_ADD_SCALED(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case RELU_BACKWARD -> bF_RELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case LEAKY_RELU_BACKWARD -> bF_LEAKY_RELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case TANH_BACKWARD -> bF_TANH_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SIGMOID_BACKWARD -> bF_SIGMOID_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case GELU_BACKWARD -> bF_GELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case GELU_TANH_BACKWARD -> bF_GELU_TANH_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case ABS_BACKWARD -> bF_ABS_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            default -> throw new IllegalArgumentException("binaryF: " + op);
        }
    }

    private static void bF_ADD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.add(b));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.add(b), m);
        }
    }

    private static void bF_SUB(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.sub(b));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.sub(b), m);
        }
    }

    private static void bF_MUL(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.mul(b));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.mul(b), m);
        }
    }

    private static void bF_DIV(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.div(b));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.div(b), m);
        }
    }

    private static void bF_MAX(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.max(b));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.max(b), m);
        }
    }

    private static void bF_MIN(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.min(b));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.min(b), m);
        }
    }

    private static void bF_ADD_SCALED(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.add(b.mul(p)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.add(b.mul(p)), m);
        }
    }

    private static void bF_RELU_BACKWARD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.blend(0f, b.compare(VectorOperators.GT, 0f).not()));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.blend(0f, b.compare(VectorOperators.GT, 0f).not()), m);
        }
    }

    private static void bF_LEAKY_RELU_BACKWARD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.mul(p).blend(a, b.compare(VectorOperators.GT, 0f)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.mul(p).blend(a, b.compare(VectorOperators.GT, 0f)), m);
        }
    }

    private static void bF_TANH_BACKWARD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.mul(one.sub(b.mul(b))));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.mul(one.sub(b.mul(b))), m);
        }
    }

    private static void bF_SIGMOID_BACKWARD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.mul(b.mul(one.sub(b))));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.mul(b.mul(one.sub(b))), m);
        }
    }

    /** {@code a * geluDerivative(b)} in double lanes (DL floats per step), rounded once. */
    private static void bF_GELU_BACKWARD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldwF(as, ab, i);
            DoubleVector b = bBc ? b0 : ldwF(bs, bb, i);
            stnF(y, yb, i, a.mul(VectorMath.geluDerivative(b)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldwmF(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldwmF(bs, bb, i, m);
            stnmF(y, yb, i, a.mul(VectorMath.geluDerivative(b)), m);
        }
    }

    /** {@code a * geluTanhDerivative(b)} in double lanes (DL floats per step), rounded once. */
    private static void bF_GELU_TANH_BACKWARD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldwF(as, ab, i);
            DoubleVector b = bBc ? b0 : ldwF(bs, bb, i);
            stnF(y, yb, i, a.mul(VectorMath.geluTanhDerivative(b)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldwmF(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldwmF(bs, bb, i, m);
            stnmF(y, yb, i, a.mul(VectorMath.geluTanhDerivative(b)), m);
        }
    }

    private static void bF_ABS_BACKWARD(float p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, a.mul(signF(b)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, a.mul(signF(b)), m);
        }
    }

    /** {@code y[i] = c[i] != 0 ? a[i] : b[i]}, inputs contiguous or broadcast, y contiguous. */
    static void whereF(long n, MemorySegment cs, long cb, boolean cBc, MemorySegment as, long ab, boolean aBc,
                       MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector c0 = cBc ? FloatVector.broadcast(VectorConfig.F, cs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, cb)) : null;
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : null;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector c = cBc ? c0 : ldF(cs, cb, i);
            FloatVector a = aBc ? a0 : ldF(as, ab, i);
            FloatVector b = bBc ? b0 : ldF(bs, bb, i);
            stF(y, yb, i, b.blend(a, c.compare(VectorOperators.NE, 0)));
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector c = cBc ? c0 : ldmF(cs, cb, i, m);
            FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
            FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
            stmF(y, yb, i, b.blend(a, c.compare(VectorOperators.NE, 0)), m);
        }
    }


    /** {@code y[i] = op(x[i])}, x and y contiguous (double); POW and FILL are handled by the caller. */
    static void unaryD(UnaryOp op, double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        switch (op) {
            case IDENTITY -> uD_IDENTITY(p0, p1, n, x, xb, y, yb);
            case NEG -> uD_NEG(p0, p1, n, x, xb, y, yb);
            case ABS -> uD_ABS(p0, p1, n, x, xb, y, yb);
            case EXP -> uD_EXP(p0, p1, n, x, xb, y, yb);
            case LOG -> uD_LOG(p0, p1, n, x, xb, y, yb);
            case SQRT -> uD_SQRT(p0, p1, n, x, xb, y, yb);
            case SIN -> uD_SIN(p0, p1, n, x, xb, y, yb);
            case COS -> uD_COS(p0, p1, n, x, xb, y, yb);
            case TANH -> uD_TANH(p0, p1, n, x, xb, y, yb);
            case SIGMOID -> uD_SIGMOID(p0, p1, n, x, xb, y, yb);
            case RELU -> uD_RELU(p0, p1, n, x, xb, y, yb);
            case LEAKY_RELU -> uD_LEAKY_RELU(p0, p1, n, x, xb, y, yb);
            case GELU -> uD_GELU(p0, p1, n, x, xb, y, yb);
            case GELU_TANH -> uD_GELU_TANH(p0, p1, n, x, xb, y, yb);
            case CLAMP -> uD_CLAMP(p0, p1, n, x, xb, y, yb);
            case AFFINE -> uD_AFFINE(p0, p1, n, x, xb, y, yb);
            case SQUARE -> uD_SQUARE(p0, p1, n, x, xb, y, yb);
            case RECIPROCAL -> uD_RECIPROCAL(p0, p1, n, x, xb, y, yb);
            case SIGN -> uD_SIGN(p0, p1, n, x, xb, y, yb);
            default -> throw new IllegalArgumentException("unaryD: " + op);
        }
    }

    private static void uD_IDENTITY(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v, m);
        }
    }

    private static void uD_NEG(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.neg());
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.neg(), m);
        }
    }

    private static void uD_ABS(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.abs());
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.abs(), m);
        }
    }

    private static void uD_EXP(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.exp(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.exp(v), m);
        }
    }

    private static void uD_LOG(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.log(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.log(v), m);
        }
    }

    private static void uD_SQRT(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.sqrt());
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.sqrt(), m);
        }
    }

    private static void uD_SIN(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.sin(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.sin(v), m);
        }
    }

    private static void uD_COS(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.cos(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.cos(v), m);
        }
    }

    private static void uD_TANH(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.tanh(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.tanh(v), m);
        }
    }

    private static void uD_SIGMOID(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.sigmoid(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.sigmoid(v), m);
        }
    }

    private static void uD_RELU(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.blend(0.0, v.compare(VectorOperators.LE, 0.0)));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.blend(0.0, v.compare(VectorOperators.LE, 0.0)), m);
        }
    }

    private static void uD_LEAKY_RELU(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.blend(v.mul(p0), v.compare(VectorOperators.GT, 0.0).not()));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.blend(v.mul(p0), v.compare(VectorOperators.GT, 0.0).not()), m);
        }
    }

    private static void uD_GELU(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.gelu(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.gelu(v), m);
        }
    }

    private static void uD_GELU_TANH(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, VectorMath.geluTanh(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, VectorMath.geluTanh(v), m);
        }
    }

    private static void uD_CLAMP(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.max(p0).min(p1));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.max(p0).min(p1), m);
        }
    }

    private static void uD_AFFINE(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.mul(p0).add(p1));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.mul(p0).add(p1), m);
        }
    }

    private static void uD_SQUARE(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, v.mul(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, v.mul(v), m);
        }
    }

    private static void uD_RECIPROCAL(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, one.div(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, one.div(v), m);
        }
    }

    private static void uD_SIGN(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = ldD(x, xb, i);
            stD(y, yb, i, signD(v));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = ldmD(x, xb, i, m);
            stmD(y, yb, i, signD(v), m);
        }
    }

    /** {@code y[i] = p0}, y contiguous. */
    static void fillD(double p0, long n, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        DoubleVector v = DoubleVector.broadcast(VectorConfig.D, p0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            stD(y, yb, i, v);
        }
        if (i < n) {
            stmD(y, yb, i, v, VectorConfig.D.indexInRange(i, n));
        }
    }

    /**
     * {@code y[i] = op(a[i], b[i])} with y contiguous and each input contiguous or broadcast
     * ({@code aBc}/{@code bBc}: increment 0). POW_BACKWARD is handled by the caller.
     */
    static void binaryD(BinaryOp op, double p, long n, MemorySegment as, long ab, boolean aBc,
                        MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        switch (op) {
            case ADD -> bD_ADD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SUB -> bD_SUB(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MUL -> bD_MUL(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case DIV -> bD_DIV(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MAX -> bD_MAX(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MIN -> bD_MIN(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case ADD_SCALED -> bD_ADD_SCALED(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case RELU_BACKWARD -> bD_RELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case LEAKY_RELU_BACKWARD -> bD_LEAKY_RELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case TANH_BACKWARD -> bD_TANH_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SIGMOID_BACKWARD -> bD_SIGMOID_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case GELU_BACKWARD -> bD_GELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case GELU_TANH_BACKWARD -> bD_GELU_TANH_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case ABS_BACKWARD -> bD_ABS_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            default -> throw new IllegalArgumentException("binaryD: " + op);
        }
    }

    private static void bD_ADD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.add(b));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.add(b), m);
        }
    }

    private static void bD_SUB(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.sub(b));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.sub(b), m);
        }
    }

    private static void bD_MUL(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.mul(b));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.mul(b), m);
        }
    }

    private static void bD_DIV(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.div(b));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.div(b), m);
        }
    }

    private static void bD_MAX(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.max(b));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.max(b), m);
        }
    }

    private static void bD_MIN(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.min(b));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.min(b), m);
        }
    }

    private static void bD_ADD_SCALED(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.add(b.mul(p)));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.add(b.mul(p)), m);
        }
    }

    private static void bD_RELU_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.blend(0.0, b.compare(VectorOperators.GT, 0.0).not()));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.blend(0.0, b.compare(VectorOperators.GT, 0.0).not()), m);
        }
    }

    private static void bD_LEAKY_RELU_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.mul(p).blend(a, b.compare(VectorOperators.GT, 0.0)));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.mul(p).blend(a, b.compare(VectorOperators.GT, 0.0)), m);
        }
    }

    private static void bD_TANH_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.mul(one.sub(b.mul(b))));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.mul(one.sub(b.mul(b))), m);
        }
    }

    private static void bD_SIGMOID_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.mul(b.mul(one.sub(b))));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.mul(b.mul(one.sub(b))), m);
        }
    }

    private static void bD_GELU_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.mul(VectorMath.geluDerivative(b)));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.mul(VectorMath.geluDerivative(b)), m);
        }
    }

    private static void bD_GELU_TANH_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.mul(VectorMath.geluTanhDerivative(b)));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.mul(VectorMath.geluTanhDerivative(b)), m);
        }
    }

    private static void bD_ABS_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, a.mul(signD(b)));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, a.mul(signD(b)), m);
        }
    }

    /** {@code y[i] = c[i] != 0 ? a[i] : b[i]}, inputs contiguous or broadcast, y contiguous. */
    static void whereD(long n, MemorySegment cs, long cb, boolean cBc, MemorySegment as, long ab, boolean aBc,
                       MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector c0 = cBc ? DoubleVector.broadcast(VectorConfig.D, cs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, cb)) : null;
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : null;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : null;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector c = cBc ? c0 : ldD(cs, cb, i);
            DoubleVector a = aBc ? a0 : ldD(as, ab, i);
            DoubleVector b = bBc ? b0 : ldD(bs, bb, i);
            stD(y, yb, i, b.blend(a, c.compare(VectorOperators.NE, 0)));
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector c = cBc ? c0 : ldmD(cs, cb, i, m);
            DoubleVector a = aBc ? a0 : ldmD(as, ab, i, m);
            DoubleVector b = bBc ? b0 : ldmD(bs, bb, i, m);
            stmD(y, yb, i, b.blend(a, c.compare(VectorOperators.NE, 0)), m);
        }
    }

}
