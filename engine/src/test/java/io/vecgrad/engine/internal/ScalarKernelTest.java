package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The scalar provider is the oracle, so it is tested against independent formulas and known
 * values (hand-computed, or from tables / high-precision computations), not against itself.
 */
class ScalarKernelTest {
    private static final KernelProvider K = new ScalarKernelProvider();
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    static MemorySegment seg(DType dt, double... v) {
        MemorySegment s = Arena.ofAuto().allocate(Math.max(1, v.length) * (long) dt.byteSize());
        for (int i = 0; i < v.length; i++) {
            if (dt == DType.F32) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) v[i]);
            } else {
                s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, v[i]);
            }
        }
        return s;
    }

    static double at(DType dt, MemorySegment s, long i) {
        return dt == DType.F32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i)
                : s.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
    }

    static double[] unary(DType dt, UnaryOp op, double p0, double p1, double... x) {
        MemorySegment xs = seg(dt, x);
        MemorySegment ys = seg(dt, new double[x.length]);
        K.unary(dt, op, p0, p1, x.length, xs, 0, 1, ys, 0, 1);
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) r[i] = at(dt, ys, i);
        return r;
    }

    static double un(DType dt, UnaryOp op, double x) {
        return unary(dt, op, 0, 0, x)[0];
    }

    static double bin(DType dt, BinaryOp op, double p0, double a, double b) {
        MemorySegment as = seg(dt, a);
        MemorySegment bs = seg(dt, b);
        MemorySegment ys = seg(dt, 0);
        K.binary(dt, op, p0, 1, as, 0, 1, bs, 0, 1, ys, 0, 1);
        return at(dt, ys, 0);
    }

    static void eq(double want, double got, String what) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
                what + ": want " + want + " got " + got);
    }

    static void near(double want, double got, double relTol, String what) {
        assertTrue(Math.abs(want - got) <= relTol * Math.abs(want), what + ": want " + want + " got " + got);
    }

    @Test
    void nameAndBits() {
        assertEquals("scalar", K.name());
        assertEquals(0, K.vectorBits());
    }

    @Test
    void simpleUnaryBothTypes() {
        for (DType dt : DType.values()) {
            eq(-2.5, un(dt, UnaryOp.NEG, 2.5), "neg");
            eq(2.5, un(dt, UnaryOp.ABS, -2.5), "abs");
            eq(0.0, un(dt, UnaryOp.ABS, -0.0), "abs -0");
            eq(3.0, un(dt, UnaryOp.SQRT, 9.0), "sqrt");
            eq(0.0, un(dt, UnaryOp.EXP, -1000), "exp underflow");
            eq(1.0, un(dt, UnaryOp.EXP, 0), "exp 0");
            eq(Double.NEGATIVE_INFINITY, un(dt, UnaryOp.LOG, 0), "log 0");
            assertTrue(Double.isNaN(un(dt, UnaryOp.LOG, -1)), "log -1");
            eq(0.0, un(dt, UnaryOp.RELU, -3), "relu");
            eq(0.0, un(dt, UnaryOp.RELU, -0.0), "relu -0");
            eq(3.0, un(dt, UnaryOp.RELU, 3), "relu +");
            assertTrue(Double.isNaN(un(dt, UnaryOp.RELU, NAN)), "relu nan");
            eq(-0.5, unary(dt, UnaryOp.LEAKY_RELU, 0.25, 0, -2)[0], "leaky");
            eq(2.0, unary(dt, UnaryOp.LEAKY_RELU, 0.25, 0, 2)[0], "leaky +");
            eq(8.0, unary(dt, UnaryOp.POW, 3, 0, 2)[0], "pow");
            eq(1.0, unary(dt, UnaryOp.POW, 0, 0, NAN)[0], "pow nan^0 (Math.pow)");
            eq(-1.0, unary(dt, UnaryOp.CLAMP, -1, 1, -7)[0], "clamp lo");
            eq(1.0, unary(dt, UnaryOp.CLAMP, -1, 1, 7)[0], "clamp hi");
            eq(0.5, unary(dt, UnaryOp.CLAMP, Double.NEGATIVE_INFINITY, 1, 0.5)[0], "clamp open");
            assertTrue(Double.isNaN(unary(dt, UnaryOp.CLAMP, -1, 1, NAN)[0]), "clamp nan");
            eq(7.0, unary(dt, UnaryOp.AFFINE, 2, 1, 3)[0], "affine");
            eq(9.0, un(dt, UnaryOp.SQUARE, -3), "square");
            eq(0.25, un(dt, UnaryOp.RECIPROCAL, 4), "recip");
            eq(Double.NEGATIVE_INFINITY, un(dt, UnaryOp.RECIPROCAL, -0.0), "recip -0");
            eq(1.0, un(dt, UnaryOp.SIGN, 5), "sign +");
            eq(-1.0, un(dt, UnaryOp.SIGN, -INF), "sign -inf");
            eq(0.0, un(dt, UnaryOp.SIGN, -0.0), "sign -0");
            assertTrue(Double.isNaN(un(dt, UnaryOp.SIGN, NAN)), "sign nan");
            eq(4.5, unary(dt, UnaryOp.FILL, 4.5, 0, NAN, 1)[1], "fill");
            eq(-3.0, un(dt, UnaryOp.IDENTITY, -3), "identity");
        }
    }

    @Test
    void transcendentalsF64() {
        DType d = DType.F64;
        near(Math.E, un(d, UnaryOp.EXP, 1), 1e-16, "exp");
        near(0.8414709848078965, un(d, UnaryOp.SIN, 1), 1e-16, "sin");
        near(0.5403023058681398, un(d, UnaryOp.COS, 1), 1e-16, "cos");
        near(0.7615941559557649, un(d, UnaryOp.TANH, 1), 1e-16, "tanh");
        // sigmoid(1) = e/(1+e)
        near(0.7310585786300049, un(d, UnaryOp.SIGMOID, 1), 2e-16, "sigmoid");
        near(4.5397868702434395e-05, un(d, UnaryOp.SIGMOID, -10), 1e-15, "sigmoid -10");
        eq(0.0, un(d, UnaryOp.SIGMOID, -1000), "sigmoid -1000 (no NaN)");
        eq(1.0, un(d, UnaryOp.SIGMOID, 1000), "sigmoid 1000");
        eq(0.0, un(d, UnaryOp.SIGMOID, Double.NEGATIVE_INFINITY), "sigmoid -inf");
        // exact GELU: gelu(1) = Phi(1) = 0.8413447460685429, gelu(-1) = -(1 - Phi(1))
        near(0.8413447460685429, un(d, UnaryOp.GELU, 1), 2e-16, "gelu 1");
        near(-0.15865525393145707, un(d, UnaryOp.GELU, -1), 4e-16, "gelu -1");
        // gelu(-10) = -10 * Phi(-10) = -10 * 7.619853024160527e-24
        near(-7.619853024160527e-23, un(d, UnaryOp.GELU, -10), 1e-14, "gelu -10 (no cancellation)");
        eq(INF, un(d, UnaryOp.GELU, INF), "gelu inf");
        eq(-0.0, un(d, UnaryOp.GELU, Double.NEGATIVE_INFINITY), "gelu -inf");
        assertTrue(Double.isNaN(un(d, UnaryOp.GELU, NAN)), "gelu nan");
        // tanh GELU by PyTorch's formula at x = 1 and x = -3
        for (double x : new double[] {1, -3, 0.3}) {
            double want = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            near(want, un(d, UnaryOp.GELU_TANH, x), 1e-14, "gelu_tanh " + x);
        }
        eq(-0.0, un(d, UnaryOp.GELU_TANH, Double.NEGATIVE_INFINITY), "gelu_tanh -inf");
        eq(INF, un(d, UnaryOp.GELU_TANH, INF), "gelu_tanh inf");
    }

    @Test
    void transcendentalsF32AreRoundedDouble() {
        DType f = DType.F32;
        for (double x : new double[] {-3.7, -0.5, 0.1, 1, 2.5, 20}) {
            float xf = (float) x;
            eq((float) Math.exp(xf), un(f, UnaryOp.EXP, xf), "exp " + x);
            eq((float) Math.tanh(xf), un(f, UnaryOp.TANH, xf), "tanh " + x);
            eq((float) Math.sin(xf), un(f, UnaryOp.SIN, xf), "sin " + x);
            eq((float) (1 / (1 + Math.exp(-xf))), un(f, UnaryOp.SIGMOID, xf), "sigmoid " + x);
        }
        eq((float) 0.8413447460685429, un(f, UnaryOp.GELU, 1), "gelu f32");
        eq(0.0, un(f, UnaryOp.SIGMOID, -1000), "sigmoid f32 -1000");
    }

    @Test
    void binaryOps() {
        for (DType dt : DType.values()) {
            eq(5.0, bin(dt, BinaryOp.ADD, 0, 2, 3), "add");
            eq(-1.0, bin(dt, BinaryOp.SUB, 0, 2, 3), "sub");
            eq(6.0, bin(dt, BinaryOp.MUL, 0, 2, 3), "mul");
            eq(0.5, bin(dt, BinaryOp.DIV, 0, 1, 2), "div");
            eq(3.0, bin(dt, BinaryOp.MAX, 0, 2, 3), "max");
            eq(2.0, bin(dt, BinaryOp.MIN, 0, 2, 3), "min");
            assertTrue(Double.isNaN(bin(dt, BinaryOp.MAX, 0, NAN, 3)), "max nan a");
            assertTrue(Double.isNaN(bin(dt, BinaryOp.MAX, 0, 3, NAN)), "max nan b");
            assertTrue(Double.isNaN(bin(dt, BinaryOp.MIN, 0, 3, NAN)), "min nan");
            eq(8.0, bin(dt, BinaryOp.ADD_SCALED, 2, 2, 3), "axpy");
            eq(7.0, bin(dt, BinaryOp.RELU_BACKWARD, 0, 7, 0.5), "relu bw +");
            eq(0.0, bin(dt, BinaryOp.RELU_BACKWARD, 0, 7, 0), "relu bw 0");
            eq(dt.round(dt.round(0.1) * 7), bin(dt, BinaryOp.LEAKY_RELU_BACKWARD, 0.1, 7, -1), "leaky bw");
            eq(2 * (1 - 0.25), bin(dt, BinaryOp.TANH_BACKWARD, 0, 2, 0.5), "tanh bw");
            eq(2 * 0.25 * 0.75, bin(dt, BinaryOp.SIGMOID_BACKWARD, 0, 2, 0.25), "sigmoid bw");
            eq(2 * 3 * 4.0, bin(dt, BinaryOp.POW_BACKWARD, 3, 2, 2), "pow bw");
            eq(0.0, bin(dt, BinaryOp.POW_BACKWARD, 0, 2, 0), "pow bw p=0 (not 0 * 0^-1 = NaN)");
            eq(-2.0, bin(dt, BinaryOp.ABS_BACKWARD, 0, 2, -5), "abs bw");
            eq(0.0, bin(dt, BinaryOp.ABS_BACKWARD, 0, 2, 0), "abs bw at 0");
        }
        DType d = DType.F64;
        // gelu'(x) = Phi(x) + x phi(x); at x = 1: 0.8413447460685429 + 0.24197072451914337
        near(3 * 1.0833154705876864, bin(d, BinaryOp.GELU_BACKWARD, 0, 3, 1), 1e-15, "gelu bw");
        near((1.0 - 0.8413447460685429) - 0.24197072451914337, bin(d, BinaryOp.GELU_BACKWARD, 0, 1, -1), 1e-15, "gelu bw -1");
        eq(0.0, bin(d, BinaryOp.GELU_BACKWARD, 0, 1, Double.NEGATIVE_INFINITY), "gelu bw -inf");
        eq(1.0, bin(d, BinaryOp.GELU_BACKWARD, 0, 1, INF), "gelu bw inf");
        for (double x : new double[] {1, -2, 0.3, 4}) {
            // PyTorch's GeluBackward (tanh) formula, directly
            double kb = Math.sqrt(2 / Math.PI);
            double inner = kb * (x + 0.044715 * x * x * x);
            double t = Math.tanh(inner);
            double want = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * kb * (1 + 3 * 0.044715 * x * x);
            near(want, bin(d, BinaryOp.GELU_TANH_BACKWARD, 0, 1, x), 1e-14, "gelu_tanh bw " + x);
        }
        eq(0.0, bin(d, BinaryOp.GELU_TANH_BACKWARD, 0, 1, -1e200), "gelu_tanh bw huge");
    }

    @Test
    void whereSelects() {
        for (DType dt : DType.values()) {
            MemorySegment c = seg(dt, 1, 0, -0.0, NAN);
            MemorySegment a = seg(dt, 10, 11, 12, 13);
            MemorySegment b = seg(dt, 20, 21, 22, 23);
            MemorySegment y = seg(dt, 0, 0, 0, 0);
            K.where(dt, 4, c, 0, 1, a, 0, 1, b, 0, 1, y, 0, 1);
            eq(10, at(dt, y, 0), "where 1");
            eq(21, at(dt, y, 1), "where 0");
            eq(22, at(dt, y, 2), "where -0");
            eq(13, at(dt, y, 3), "where NaN is non-zero");
        }
    }

    @Test
    void stridesBroadcastOffsetsAndInPlace() {
        for (DType dt : DType.values()) {
            MemorySegment x = seg(dt, 9, 1, 9, 2, 9, 3);
            MemorySegment b = seg(dt, 10);
            MemorySegment y = seg(dt, 0, 0, 0);
            K.binary(dt, BinaryOp.MUL, 0, 3, x, 1, 2, b, 0, 0, y, 0, 1);
            eq(10, at(dt, y, 0), "strided*broadcast");
            eq(30, at(dt, y, 2), "strided*broadcast");
            K.unary(dt, UnaryOp.NEG, 0, 0, 3, y, 0, 1, y, 0, 1);
            eq(-20, at(dt, y, 1), "in place");
            MemorySegment r = seg(dt, 5, 4, 3, 2, 1);
            K.unary(dt, UnaryOp.IDENTITY, 0, 0, 5, r, 4, -1, y = seg(dt, 0, 0, 0, 0, 0), 0, 1);
            eq(1, at(dt, y, 0), "negative increment");
            eq(5, at(dt, y, 4), "negative increment");
        }
    }

    @Test
    void reductions() {
        for (DType dt : DType.values()) {
            MemorySegment x = seg(dt, 3, -1, 4, 1, -5, 9, 2, 6, 9);
            eq(28, K.reduce(dt, ReduceOp.SUM, 9, x, 0, 1), "sum");
            eq(9 + 1 + 16 + 1 + 25 + 81 + 4 + 36 + 81, K.reduce(dt, ReduceOp.SUM_SQUARES, 9, x, 0, 1), "sumsq");
            eq(9, K.reduce(dt, ReduceOp.MAX, 9, x, 0, 1), "max");
            eq(-5, K.reduce(dt, ReduceOp.MIN, 9, x, 0, 1), "min");
            eq(3 + 4 - 5 + 2 + 9, K.reduce(dt, ReduceOp.SUM, 5, x, 0, 2), "strided sum");
            eq(0, K.reduce(dt, ReduceOp.SUM, 0, x, 0, 1), "empty sum");
            eq(Double.NEGATIVE_INFINITY, K.reduce(dt, ReduceOp.MAX, 0, x, 0, 1), "empty max");
            eq(INF, K.reduce(dt, ReduceOp.MIN, 0, x, 0, 1), "empty min");
            eq(5, K.argmax(dt, 9, x, 0, 1), "argmax first of ties");
            eq(4, K.argmin(dt, 9, x, 0, 1), "argmin");
            eq(-1, K.argmax(dt, 0, x, 0, 1), "argmax empty");
            MemorySegment z = seg(dt, 0.0, -0.0, 0.0);
            eq(0, K.argmin(dt, 3, z, 0, 1), "argmin -0 == 0 tie");
            MemorySegment nan = seg(dt, 1, NAN, 7, NAN);
            eq(1, K.argmax(dt, 4, nan, 0, 1), "argmax NaN");
            eq(1, K.argmin(dt, 4, nan, 0, 1), "argmin NaN");
            assertTrue(Double.isNaN(K.reduce(dt, ReduceOp.MAX, 4, nan, 0, 1)), "max NaN");
            assertTrue(Double.isNaN(K.reduce(dt, ReduceOp.MIN, 4, nan, 0, 1)), "min NaN");
            assertTrue(Double.isNaN(K.reduce(dt, ReduceOp.SUM, 4, nan, 0, 1)), "sum NaN");
            MemorySegment y = seg(dt, 1, 2, 3);
            eq(3 * 3 + -1 * 2 + 4 * 1, K.dot(dt, 3, x, 0, 1, y, 2, -1), "dot negative inc");
        }
        // compensated f64 sum: 1e16 + 1 - 1e16 ... exactly
        MemorySegment c = seg(DType.F64, 1e16, 1, -1e16, 1);
        eq(2, K.reduce(DType.F64, ReduceOp.SUM, 4, c, 0, 1), "compensated sum");
        eq(2, K.dot(DType.F64, 4, c, 0, 1, seg(DType.F64, 1, 1, 1, 1), 0, 1), "compensated dot");
    }

    @Test
    void logsumexpSpecials() {
        for (DType dt : DType.values()) {
            double ninf = Double.NEGATIVE_INFINITY;
            eq(ninf, K.logsumexp(dt, 2, seg(dt, ninf, ninf), 0, 1), "all -inf");
            eq(ninf, K.logsumexp(dt, 0, seg(dt), 0, 1), "empty");
            eq(INF, K.logsumexp(dt, 2, seg(dt, 1, INF), 0, 1), "+inf");
            assertTrue(Double.isNaN(K.logsumexp(dt, 3, seg(dt, 1, INF, NAN), 0, 1)), "NaN");
            eq(1000.0, K.logsumexp(dt, 2, seg(dt, 1000, 0), 0, 1), "[1000, 0]");
            // log(e^1000 + e^1000) = 1000 + ln 2
            near(dt.round(1000 + Math.log(2)), K.logsumexp(dt, 2, seg(dt, 1000, 1000), 0, 1), 1e-15, "[1000,1000]");
            near(dt.round(-1000 + Math.log(3)), K.logsumexp(dt, 3, seg(dt, -1000, -1000, -1000), 0, 1), 1e-15, "-1000");
            near(dt.round(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))),
                    K.logsumexp(dt, 3, seg(dt, 1, 2, 3), 0, 1), 1e-7, "1,2,3");
        }
    }

    @Test
    void softmaxStable() {
        for (DType dt : DType.values()) {
            MemorySegment x = seg(dt, 1000, 0);
            MemorySegment y = seg(dt, 0, 0);
            K.softmax(dt, false, 2, x, 0, 1, y, 0, 1);
            eq(1.0, at(dt, y, 0), "softmax [1000,0][0]");
            eq(0.0, at(dt, y, 1), "softmax [1000,0][1]");
            K.softmax(dt, true, 2, x, 0, 1, y, 0, 1);
            eq(0.0, at(dt, y, 0), "log_softmax [1000,0][0]");
            eq(-1000.0, at(dt, y, 1), "log_softmax [1000,0][1]");
            MemorySegment z = seg(dt, -1000, -1000, -1000, -1000);
            K.softmax(dt, false, 4, z, 0, 1, z, 0, 1); // in place
            for (int i = 0; i < 4; i++) eq(0.25, at(dt, z, i), "uniform in place");
            MemorySegment w = seg(dt, 1, 2, 3);
            K.softmax(dt, true, 3, w, 0, 1, w, 0, 1);
            double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
            for (int i = 0; i < 3; i++) near(dt.round(i + 1 - lse), at(dt, w, i), 1e-7, "log_softmax 1,2,3");
            MemorySegment ni = seg(dt, Double.NEGATIVE_INFINITY, 0);
            K.softmax(dt, false, 2, ni, 0, 1, y, 0, 1);
            eq(0.0, at(dt, y, 0), "softmax -inf entry");
            eq(1.0, at(dt, y, 1), "softmax -inf entry");
        }
    }
}
