package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.internal.scalar.ScalarActivations;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector twins of {@link ScalarActivations}: the issue-11 activations (ELU/SELU, softplus, SiLU,
 * softsign, Mish, the hardtanh mask, PReLU) and their backward forms, for contiguous outputs and
 * contiguous or broadcast (increment 0) inputs. Both element types compute in double lanes (f32
 * loads DL floats at a time with the half-width species, widens, rounds once when storing), with
 * {@link VectorMath}'s exp/tanh/sigmoid/log, so f32 results are the correctly rounded value
 * except within a few double ulps of a rounding boundary; f64 results are within a few ulps of
 * the scalar twin (e^x - 1 and log(1 + u) are computed without cancellation, see
 * {@link #log1p} and {@link #expm1}).
 *
 * <p>One small loop method per op and element type, the op's formula in a small static method
 * of vectors (inlined by C2), as in {@link VectorElementwise}: the switch on the op is outside
 * the loops.
 */
final class VectorActivations {
    private VectorActivations() {}

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /**
     * {@code log(1 + e)} for {@code e >= 0} without losing the low bits of small e: with
     * {@code u = 1 + e} rounded, {@code log(u) * e / (u - 1)} (exact to a few ulps; e when u == 1).
     */
    static DoubleVector log1p(DoubleVector e) {
        DoubleVector u = e.add(1.0);
        DoubleVector um1 = u.sub(1.0);
        VectorMask<Double> tiny = um1.compare(VectorOperators.EQ, 0.0);
        DoubleVector r = VectorMath.log(u).mul(e.div(um1.blend(1.0, tiny)));
        return r.blend(e, tiny);
    }

    /** {@code e^x - 1} (kept for ELU's accuracy near 0 in f64): {@code (u - 1) * x / log u}, u = e^x. */
    static DoubleVector expm1(DoubleVector x) {
        DoubleVector u = VectorMath.exp(x);
        DoubleVector um1 = u.sub(1.0);
        DoubleVector lu = VectorMath.log(u);
        VectorMask<Double> plain = um1.compare(VectorOperators.EQ, 0.0)
                .or(x.abs().compare(VectorOperators.GT, 0.5))
                .or(lu.compare(VectorOperators.EQ, 0.0));
        DoubleVector r = um1.mul(x.div(lu.blend(1.0, plain)));
        return r.blend(um1, plain).blend(x, um1.compare(VectorOperators.EQ, 0.0));
    }

    /** {@code tanh(log(1 + e^x))} as {@code n / (n + 2)}, {@code n = e^x (e^x + 2)}; 1 above x = 20. */
    static DoubleVector tanhSoftplus(DoubleVector x) {
        DoubleVector e = VectorMath.exp(x.min(20.0));
        DoubleVector n = e.mul(e.add(2.0));
        return n.div(n.add(2.0)).blend(1.0, x.compare(VectorOperators.GT, 20.0));
    }

    static DoubleVector elu(DoubleVector v, double p0, double p1) {
        VectorMask<Double> pos = v.compare(VectorOperators.GT, 0.0);
        return expm1(v).mul(p0).blend(v, pos).mul(p1);
    }

    static DoubleVector softplus(DoubleVector v, double p0, double p1) {
        DoubleVector t = v.mul(p0);
        DoubleVector r = t.max(0.0).add(log1p(VectorMath.exp(t.abs().neg()))).div(p0);
        return r.blend(v, t.compare(VectorOperators.GT, p1));
    }

    static DoubleVector silu(DoubleVector v, double p0, double p1) {
        return v.mul(VectorMath.sigmoid(v));
    }

    static DoubleVector softsign(DoubleVector v, double p0, double p1) {
        return v.div(v.abs().add(1.0));
    }

    static DoubleVector mish(DoubleVector v, double p0, double p1) {
        return v.mul(tanhSoftplus(v));
    }

    static DoubleVector inside(DoubleVector v, double p0, double p1) {
        VectorMask<Double> in = v.compare(VectorOperators.GT, p0).and(v.compare(VectorOperators.LT, p1));
        return DoubleVector.zero(VectorConfig.D).blend(1.0, in);
    }

    static DoubleVector eluBackward(DoubleVector a, DoubleVector b, double p) {
        return a.mul(VectorMath.exp(b).mul(p)).blend(a, b.compare(VectorOperators.GT, 0.0));
    }

    static DoubleVector softplusBackward(DoubleVector a, DoubleVector b, double p) {
        return a.mul(VectorMath.sigmoid(b)).blend(a, b.compare(VectorOperators.GT, p));
    }

    static DoubleVector siluBackward(DoubleVector a, DoubleVector b, double p) {
        DoubleVector s = VectorMath.sigmoid(b);
        DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        return a.mul(s.mul(b.mul(one.sub(s)).add(1.0)));
    }

    static DoubleVector softsignBackward(DoubleVector a, DoubleVector b, double p) {
        DoubleVector d = b.abs().add(1.0);
        return a.div(d.mul(d));
    }

    static DoubleVector mishBackward(DoubleVector a, DoubleVector b, double p) {
        DoubleVector t = tanhSoftplus(b);
        DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        return a.mul(b.mul(VectorMath.sigmoid(b)).mul(one.sub(t.mul(t))).add(t));
    }

    static DoubleVector prelu(DoubleVector a, DoubleVector b, double p) {
        return a.mul(b).blend(a, a.compare(VectorOperators.GT, 0.0));
    }

    static DoubleVector preluSlope(DoubleVector a, DoubleVector b, double p) {
        return b.blend(1.0, a.compare(VectorOperators.GT, 0.0));
    }

    /** True for the unary ops implemented here. */
    static boolean handles(UnaryOp op) {
        return ScalarActivations.handles(op);
    }

    /** True for the binary ops implemented here. */
    static boolean handles(BinaryOp op) {
        return ScalarActivations.handles(op);
    }

    /** {@code y[i] = op(x[i])}, x and y contiguous; float data; byte offsets. */
    static void unaryF(UnaryOp op, double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        switch (op) {
            case ELU -> uF_ELU(p0, p1, n, x, xb, y, yb);
            case SOFTPLUS -> uF_SOFTPLUS(p0, p1, n, x, xb, y, yb);
            case SILU -> uF_SILU(p0, p1, n, x, xb, y, yb);
            case SOFTSIGN -> uF_SOFTSIGN(p0, p1, n, x, xb, y, yb);
            case MISH -> uF_MISH(p0, p1, n, x, xb, y, yb);
            case INSIDE -> uF_INSIDE(p0, p1, n, x, xb, y, yb);
            default -> throw new IllegalArgumentException("VectorActivations: " + op);
        }
    }

    /** {@code y[i] = op(x[i])}, x and y contiguous; double data; byte offsets. */
    static void unaryD(UnaryOp op, double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        switch (op) {
            case ELU -> uD_ELU(p0, p1, n, x, xb, y, yb);
            case SOFTPLUS -> uD_SOFTPLUS(p0, p1, n, x, xb, y, yb);
            case SILU -> uD_SILU(p0, p1, n, x, xb, y, yb);
            case SOFTSIGN -> uD_SOFTSIGN(p0, p1, n, x, xb, y, yb);
            case MISH -> uD_MISH(p0, p1, n, x, xb, y, yb);
            case INSIDE -> uD_INSIDE(p0, p1, n, x, xb, y, yb);
            default -> throw new IllegalArgumentException("VectorActivations: " + op);
        }
    }

    /** {@code y[i] = op(a[i], b[i])}, a/b contiguous or broadcast (flag), y contiguous; float data. */
    static void binaryF(BinaryOp op, double p, long n, MemorySegment as, long ab, boolean aBc,
                        MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        switch (op) {
            case ELU_BACKWARD -> bF_ELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SOFTPLUS_BACKWARD -> bF_SOFTPLUS_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SILU_BACKWARD -> bF_SILU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SOFTSIGN_BACKWARD -> bF_SOFTSIGN_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MISH_BACKWARD -> bF_MISH_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case PRELU -> bF_PRELU(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case PRELU_SLOPE -> bF_PRELU_SLOPE(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            default -> throw new IllegalArgumentException("VectorActivations: " + op);
        }
    }

    /** {@code y[i] = op(a[i], b[i])}, a/b contiguous or broadcast (flag), y contiguous; double data. */
    static void binaryD(BinaryOp op, double p, long n, MemorySegment as, long ab, boolean aBc,
                        MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        switch (op) {
            case ELU_BACKWARD -> bD_ELU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SOFTPLUS_BACKWARD -> bD_SOFTPLUS_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SILU_BACKWARD -> bD_SILU_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case SOFTSIGN_BACKWARD -> bD_SOFTSIGN_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case MISH_BACKWARD -> bD_MISH_BACKWARD(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case PRELU -> bD_PRELU(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            case PRELU_SLOPE -> bD_PRELU_SLOPE(p, n, as, ab, aBc, bs, bb, bBc, y, yb);
            default -> throw new IllegalArgumentException("VectorActivations: " + op);
        }
    }

    private static void uF_ELU(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO));
            VectorMath.narrow(elu(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, m));
            VectorMath.narrow(elu(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void uD_ELU(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO);
            elu(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO, m);
            elu(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void uF_SOFTPLUS(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO));
            VectorMath.narrow(softplus(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, m));
            VectorMath.narrow(softplus(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void uD_SOFTPLUS(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO);
            softplus(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO, m);
            softplus(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void uF_SILU(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO));
            VectorMath.narrow(silu(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, m));
            VectorMath.narrow(silu(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void uD_SILU(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO);
            silu(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO, m);
            silu(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void uF_SOFTSIGN(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO));
            VectorMath.narrow(softsign(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, m));
            VectorMath.narrow(softsign(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void uD_SOFTSIGN(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO);
            softsign(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO, m);
            softsign(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void uF_MISH(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO));
            VectorMath.narrow(mish(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, m));
            VectorMath.narrow(mish(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void uD_MISH(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO);
            mish(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO, m);
            mish(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void uF_INSIDE(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO));
            VectorMath.narrow(inside(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector v = VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, x, xb + (i << 2), BO, m));
            VectorMath.narrow(inside(v, p0, p1)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void uD_INSIDE(double p0, double p1, long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO);
            inside(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, x, xb + (i << 3), BO, m);
            inside(v, p0, p1).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void bF_ELU_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LF, ab) : 0f);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LF, bb) : 0f);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO));
            VectorMath.narrow(eluBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO, m));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO, m));
            VectorMath.narrow(eluBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void bD_ELU_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LD, ab) : 0.0);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LD, bb) : 0.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO);
            eluBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO, m);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO, m);
            eluBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void bF_SOFTPLUS_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LF, ab) : 0f);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LF, bb) : 0f);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO));
            VectorMath.narrow(softplusBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO, m));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO, m));
            VectorMath.narrow(softplusBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void bD_SOFTPLUS_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LD, ab) : 0.0);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LD, bb) : 0.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO);
            softplusBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO, m);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO, m);
            softplusBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void bF_SILU_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LF, ab) : 0f);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LF, bb) : 0f);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO));
            VectorMath.narrow(siluBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO, m));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO, m));
            VectorMath.narrow(siluBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void bD_SILU_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LD, ab) : 0.0);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LD, bb) : 0.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO);
            siluBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO, m);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO, m);
            siluBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void bF_SOFTSIGN_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LF, ab) : 0f);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LF, bb) : 0f);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO));
            VectorMath.narrow(softsignBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO, m));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO, m));
            VectorMath.narrow(softsignBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void bD_SOFTSIGN_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LD, ab) : 0.0);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LD, bb) : 0.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO);
            softsignBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO, m);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO, m);
            softsignBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void bF_MISH_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LF, ab) : 0f);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LF, bb) : 0f);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO));
            VectorMath.narrow(mishBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO, m));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO, m));
            VectorMath.narrow(mishBackward(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void bD_MISH_BACKWARD(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LD, ab) : 0.0);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LD, bb) : 0.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO);
            mishBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO, m);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO, m);
            mishBackward(a, b, p).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void bF_PRELU(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LF, ab) : 0f);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LF, bb) : 0f);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO));
            VectorMath.narrow(prelu(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO, m));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO, m));
            VectorMath.narrow(prelu(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void bD_PRELU(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LD, ab) : 0.0);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LD, bb) : 0.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO);
            prelu(a, b, p).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO, m);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO, m);
            prelu(a, b, p).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }

    private static void bF_PRELU_SLOPE(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = n - n % VectorConfig.DL;
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LF, ab) : 0f);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LF, bb) : 0f);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO));
            VectorMath.narrow(preluSlope(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> m = VectorConfig.FH.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, as, ab + (i << 2), BO, m));
            DoubleVector b = bBc ? b0 : VectorMath.widen(FloatVector.fromMemorySegment(VectorConfig.FH, bs, bb + (i << 2), BO, m));
            VectorMath.narrow(preluSlope(a, b, p)).intoMemorySegment(y, yb + (i << 2), BO, m);
        }
    }

    private static void bD_PRELU_SLOPE(double p, long n, MemorySegment as, long ab, boolean aBc,
                                MemorySegment bs, long bb, boolean bBc, MemorySegment y, long yb) {
        final long ub = VectorConfig.D.loopBound(n);
        final DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, aBc ? as.get(LD, ab) : 0.0);
        final DoubleVector b0 = DoubleVector.broadcast(VectorConfig.D, bBc ? bs.get(LD, bb) : 0.0);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO);
            preluSlope(a, b, p).intoMemorySegment(y, yb + (i << 3), BO);
        }
        if (i < n) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector a = aBc ? a0 : DoubleVector.fromMemorySegment(VectorConfig.D, as, ab + (i << 3), BO, m);
            DoubleVector b = bBc ? b0 : DoubleVector.fromMemorySegment(VectorConfig.D, bs, bb + (i << 3), BO, m);
            preluSlope(a, b, p).intoMemorySegment(y, yb + (i << 3), BO, m);
        }
    }
}
