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
 * Elementwise vector kernels for the unit-increment / broadcast fast paths. One loop per op (the
 * switch on the op is outside the element loop): an unmasked main loop up to
 * {@code loopBound(n)} and one masked tail iteration, so any n works. Offsets are byte offsets
 * into the segments. A broadcast operand (increment 0) is loaded once before the loop and
 * selected by a loop-invariant test (unswitched by C2). The op formulas match the scalar twin's
 * order of operations exactly, so the cheap ops are bit-identical to it; transcendental ops go
 * through {@link VectorMath}.
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
        v.intoMemorySegment(s, byteOff + (i << 2), BO);
    }

    private static void stmF(MemorySegment s, long byteOff, long i, FloatVector v, VectorMask<Float> m) {
        v.intoMemorySegment(s, byteOff + (i << 2), BO, m);
    }

    private static DoubleVector ldD(MemorySegment s, long byteOff, long i) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, byteOff + (i << 3), BO);
    }

    private static DoubleVector ldmD(MemorySegment s, long byteOff, long i, VectorMask<Double> m) {
        return DoubleVector.fromMemorySegment(VectorConfig.D, s, byteOff + (i << 3), BO, m);
    }

    private static void stD(MemorySegment s, long byteOff, long i, DoubleVector v) {
        v.intoMemorySegment(s, byteOff + (i << 3), BO);
    }

    private static void stmD(MemorySegment s, long byteOff, long i, DoubleVector v, VectorMask<Double> m) {
        v.intoMemorySegment(s, byteOff + (i << 3), BO, m);
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
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        long i = 0;
        switch (op) {
            case IDENTITY -> {
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
            case NEG -> {
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
            case ABS -> {
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
            case EXP -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.expF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.expF(v), m);
                }
            }
            case LOG -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.logF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.logF(v), m);
                }
            }
            case SQRT -> {
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
            case SIN -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.sinF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.sinF(v), m);
                }
            }
            case COS -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.cosF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.cosF(v), m);
                }
            }
            case TANH -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.tanhF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.tanhF(v), m);
                }
            }
            case SIGMOID -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.sigmoidF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.sigmoidF(v), m);
                }
            }
            case RELU -> {
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
            case LEAKY_RELU -> {
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
            case GELU -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.geluF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.geluF(v), m);
                }
            }
            case GELU_TANH -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector v = ldF(x, xb, i);
                    stF(y, yb, i, VectorMath.geluTanhF(v));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector v = ldmF(x, xb, i, m);
                    stmF(y, yb, i, VectorMath.geluTanhF(v), m);
                }
            }
            case CLAMP -> {
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
            case AFFINE -> {
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
            case SQUARE -> {
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
            case RECIPROCAL -> {
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
            case SIGN -> {
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
            default -> throw new IllegalArgumentException("unaryF: " + op);
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
        final long ub = VectorConfig.F.loopBound(n);
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final FloatVector a0 = aBc ? FloatVector.broadcast(VectorConfig.F, as.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, ab)) : one;
        final FloatVector b0 = bBc ? FloatVector.broadcast(VectorConfig.F, bs.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, bb)) : one;
        long i = 0;
        switch (op) {
            case ADD -> {
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
            case SUB -> {
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
            case MUL -> {
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
            case DIV -> {
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
            case MAX -> {
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
            case MIN -> {
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
            case ADD_SCALED -> {
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
            case RELU_BACKWARD -> {
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
            case LEAKY_RELU_BACKWARD -> {
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
            case TANH_BACKWARD -> {
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
            case SIGMOID_BACKWARD -> {
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
            case GELU_BACKWARD -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector a = aBc ? a0 : ldF(as, ab, i);
                    FloatVector b = bBc ? b0 : ldF(bs, bb, i);
                    stF(y, yb, i, VectorMath.geluBackwardF(a, b));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
                    FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
                    stmF(y, yb, i, VectorMath.geluBackwardF(a, b), m);
                }
            }
            case GELU_TANH_BACKWARD -> {
                for (; i < ub; i += VectorConfig.FL) {
                    FloatVector a = aBc ? a0 : ldF(as, ab, i);
                    FloatVector b = bBc ? b0 : ldF(bs, bb, i);
                    stF(y, yb, i, VectorMath.geluTanhBackwardF(a, b));
                }
                if (i < n) {
                    VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
                    FloatVector a = aBc ? a0 : ldmF(as, ab, i, m);
                    FloatVector b = bBc ? b0 : ldmF(bs, bb, i, m);
                    stmF(y, yb, i, VectorMath.geluTanhBackwardF(a, b), m);
                }
            }
            case ABS_BACKWARD -> {
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
            default -> throw new IllegalArgumentException("binaryF: " + op);
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
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        long i = 0;
        switch (op) {
            case IDENTITY -> {
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
            case NEG -> {
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
            case ABS -> {
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
            case EXP -> {
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
            case LOG -> {
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
            case SQRT -> {
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
            case SIN -> {
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
            case COS -> {
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
            case TANH -> {
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
            case SIGMOID -> {
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
            case RELU -> {
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
            case LEAKY_RELU -> {
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
            case GELU -> {
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
            case GELU_TANH -> {
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
            case CLAMP -> {
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
            case AFFINE -> {
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
            case SQUARE -> {
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
            case RECIPROCAL -> {
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
            case SIGN -> {
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
            default -> throw new IllegalArgumentException("unaryD: " + op);
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
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final DoubleVector a0 = aBc ? DoubleVector.broadcast(VectorConfig.D, as.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, ab)) : one;
        final DoubleVector b0 = bBc ? DoubleVector.broadcast(VectorConfig.D, bs.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, bb)) : one;
        long i = 0;
        switch (op) {
            case ADD -> {
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
            case SUB -> {
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
            case MUL -> {
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
            case DIV -> {
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
            case MAX -> {
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
            case MIN -> {
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
            case ADD_SCALED -> {
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
            case RELU_BACKWARD -> {
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
            case LEAKY_RELU_BACKWARD -> {
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
            case TANH_BACKWARD -> {
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
            case SIGMOID_BACKWARD -> {
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
            case GELU_BACKWARD -> {
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
            case GELU_TANH_BACKWARD -> {
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
            case ABS_BACKWARD -> {
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
            default -> throw new IllegalArgumentException("binaryD: " + op);
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
