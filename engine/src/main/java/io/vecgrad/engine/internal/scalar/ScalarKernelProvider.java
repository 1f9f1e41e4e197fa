package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Executor;

/**
 * The scalar twin of every kernel: plain loops over {@link MemorySegment}s. It is the
 * <em>oracle</em> the vector kernels are tested against, so clarity and accuracy come first.
 *
 * <p><b>Arithmetic.</b> Cheap f32 ops ({@code +, -, *, /}, min/max, compares, the ReLU family,
 * affine/axpy forms and the tanh/sigmoid backward products) are computed in {@code float}, in the
 * order the formulas in {@link UnaryOp}/{@link BinaryOp} are written, without fused
 * multiply-adds, so the vector kernels can (and do) reproduce them bit for bit. Transcendental
 * functions and the composite activations (exp, log, sqrt, sin, cos, tanh, sigmoid, GELU, GELU
 * tanh, pow and their backward forms) are computed in {@code double} with {@link Math} /
 * {@link Erf} and rounded once to {@code float}: the (nearly) correctly rounded reference.
 *
 * <p><b>Reductions are more accurate than the SPI minimum</b>: f32 sums, sums of squares, dot
 * products, logsumexp and softmax accumulate in {@code double} and round once at the end; f64
 * sums and dot products use compensated (Neumaier / Dot2 with fma) summation, falling back to the
 * plain sum when it is not finite (so infinities and NaN propagate exactly as IEEE says). The
 * vector kernels, which sum in the element type with several partial sums, are compared with a
 * tolerance growing with n.
 *
 * <p>Special values: MAX/MIN (binary and reductions) propagate NaN ({@link Math#max}); RELU and
 * CLAMP keep NaN; SIGN and ABS_BACKWARD use sign(0) = 0 and sign(NaN) = NaN; argmax/argmin return
 * the first NaN's index if any NaN is present, else the first extreme index. GELU and GELU_TANH
 * return their limit -0.0 at -inf (the plain formula would give -inf * 0 = NaN), and their
 * derivatives 1 at +inf and 0 at -inf.
 *
 * <p>Non-unit and zero increments are handled by the same loops (element index
 * {@code off + i * inc}). An output that exactly aliases an input is fine: each element is read
 * before it is written, and softmax's second pass only reads {@code x}.
 */
public final class ScalarKernelProvider implements KernelProvider {

    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** 1 / sqrt(2). */
    private static final double INV_SQRT2 = 0.7071067811865476;
    /** 1 / sqrt(2 pi). */
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    /** sqrt(2 / pi), PyTorch's kBeta for the tanh GELU. */
    private static final double GELU_TANH_BETA = 0.7978845608028654;
    /** PyTorch's kKappa for the tanh GELU. */
    private static final double GELU_TANH_KAPPA = 0.044715;

    /** Creates the (stateless) scalar provider. */
    public ScalarKernelProvider() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBits() {
        return 0;
    }

    // ---------------------------------------------------------------- element access

    private static float gf(MemorySegment s, long off, long inc, long i) {
        return s.get(LF, (off + i * inc) * 4L);
    }

    private static void sf(MemorySegment s, long off, long inc, long i, float v) {
        s.set(LF, (off + i * inc) * 4L, v);
    }

    private static double gd(MemorySegment s, long off, long inc, long i) {
        return s.get(LD, (off + i * inc) * 8L);
    }

    private static void sd(MemorySegment s, long off, long inc, long i, double v) {
        s.set(LD, (off + i * inc) * 8L, v);
    }

    // ---------------------------------------------------------------- scalar functions (double)

    /** Numerically stable logistic function {@code 1 / (1 + e^-x)}. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x); // NaN stays NaN
        return e / (1.0 + e);
    }

    /** Exact GELU {@code x/2 * erfc(-x / sqrt 2)} (= {@code x/2 * (1 + erf(x / sqrt 2))}). */
    public static double gelu(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        return 0.5 * x * Erf.erfc(-x * INV_SQRT2);
    }

    /** d/dx of exact GELU: {@code Phi(x) + x phi(x)}. */
    public static double geluDerivative(double x) {
        if (Double.isInfinite(x)) {
            return x > 0 ? 1.0 : 0.0;
        }
        return 0.5 * Erf.erfc(-x * INV_SQRT2) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
    }

    /**
     * Tanh GELU {@code x/2 * (1 + tanh(u))}, {@code u = sqrt(2/pi) (x + 0.044715 x^3)}, evaluated
     * as the identical {@code x / (1 + e^(-2u))}, which has no cancellation for negative x.
     */
    public static double geluTanh(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return -0.0;
        }
        double u = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x * x * x);
        return x / (1.0 + Math.exp(-2.0 * u));
    }

    /**
     * d/dx of the tanh GELU, PyTorch's formula
     * {@code 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2)} evaluated
     * without cancellation: {@code 0.5 (1 + tanh u) = sigmoid(2u)} and
     * {@code 1 - tanh^2 u = 4 e / (1 + e)^2} with {@code e = e^(-2|u|)}.
     */
    public static double geluTanhDerivative(double x) {
        double x2 = x * x;
        double u = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x2 * x);
        double e = Math.exp(-2.0 * Math.abs(u));
        double half1pTanh = u >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        if (e == 0.0) {
            return half1pTanh; // sech^2 u == 0; avoids 0 * inf for huge |x|
        }
        double sech2 = 4.0 * e / ((1.0 + e) * (1.0 + e));
        return half1pTanh + 0.5 * x * sech2 * GELU_TANH_BETA * (1.0 + 3.0 * GELU_TANH_KAPPA * x2);
    }

    /** {@code (x > 0) - (x < 0)}: 0 at ±0, NaN at NaN. */
    public static double sign(double x) {
        return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x;
    }

    private static float signF(float x) {
        return x > 0 ? 1f : x < 0 ? -1f : x == 0 ? 0f : x;
    }

    /** ReLU keeping NaN: {@code x > 0 ? x : (NaN ? NaN : +0)}. */
    private static float reluF(float x) {
        return x > 0 ? x : x != x ? x : 0f;
    }

    private static double reluD(double x) {
        return x > 0 ? x : x != x ? x : 0.0;
    }

    /** pow backward factor {@code p * b^(p-1)}; exactly 0 when {@code p == 0} (PyTorch). */
    public static double powBackward(double a, double b, double p) {
        if (p == 0) {
            return 0.0;
        }
        return a * (p * Math.pow(b, p - 1));
    }

    // ---------------------------------------------------------------- unary

    @Override
    public void unary(DType dt, UnaryOp op, double p0, double p1, long n,
                      MemorySegment x, long xOff, long xInc,
                      MemorySegment y, long yOff, long yInc) {
        if (dt == DType.F32) {
            unaryF(op, (float) p0, (float) p1, n, x, xOff, xInc, y, yOff, yInc);
        } else {
            unaryD(op, p0, p1, n, x, xOff, xInc, y, yOff, yInc);
        }
    }

    private static void unaryF(UnaryOp op, float p0, float p1, long n,
                               MemorySegment x, long xo, long xi, MemorySegment y, long yo, long yi) {
        switch (op) {
            case IDENTITY -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(x, xo, xi, i)); }
            case NEG -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, -gf(x, xo, xi, i)); }
            case ABS -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, Math.abs(gf(x, xo, xi, i))); }
            case EXP -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) Math.exp(gf(x, xo, xi, i))); }
            case LOG -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) Math.log(gf(x, xo, xi, i))); }
            case SQRT -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) Math.sqrt(gf(x, xo, xi, i))); }
            case SIN -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) Math.sin(gf(x, xo, xi, i))); }
            case COS -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) Math.cos(gf(x, xo, xi, i))); }
            case TANH -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) Math.tanh(gf(x, xo, xi, i))); }
            case SIGMOID -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) sigmoid(gf(x, xo, xi, i))); }
            case RELU -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, reluF(gf(x, xo, xi, i))); }
            case LEAKY_RELU -> {
                for (long i = 0; i < n; i++) {
                    float v = gf(x, xo, xi, i);
                    sf(y, yo, yi, i, v > 0 ? v : p0 * v);
                }
            }
            case GELU -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) gelu(gf(x, xo, xi, i))); }
            case GELU_TANH -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) geluTanh(gf(x, xo, xi, i))); }
            case POW -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) Math.pow(gf(x, xo, xi, i), p0)); }
            case CLAMP -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, Math.min(Math.max(gf(x, xo, xi, i), p0), p1)); }
            case AFFINE -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(x, xo, xi, i) * p0 + p1); }
            case SQUARE -> {
                for (long i = 0; i < n; i++) {
                    float v = gf(x, xo, xi, i);
                    sf(y, yo, yi, i, v * v);
                }
            }
            case RECIPROCAL -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, 1f / gf(x, xo, xi, i)); }
            case SIGN -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, signF(gf(x, xo, xi, i))); }
            case FILL -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, p0); }
            // ---- norm/embedding/activations ----
            default -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) ScalarActivations.unary(op, gf(x, xo, xi, i), p0, p1)); }
        }
    }

    private static void unaryD(UnaryOp op, double p0, double p1, long n,
                               MemorySegment x, long xo, long xi, MemorySegment y, long yo, long yi) {
        switch (op) {
            case IDENTITY -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(x, xo, xi, i)); }
            case NEG -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, -gd(x, xo, xi, i)); }
            case ABS -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.abs(gd(x, xo, xi, i))); }
            case EXP -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.exp(gd(x, xo, xi, i))); }
            case LOG -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.log(gd(x, xo, xi, i))); }
            case SQRT -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.sqrt(gd(x, xo, xi, i))); }
            case SIN -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.sin(gd(x, xo, xi, i))); }
            case COS -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.cos(gd(x, xo, xi, i))); }
            case TANH -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.tanh(gd(x, xo, xi, i))); }
            case SIGMOID -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, sigmoid(gd(x, xo, xi, i))); }
            case RELU -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, reluD(gd(x, xo, xi, i))); }
            case LEAKY_RELU -> {
                for (long i = 0; i < n; i++) {
                    double v = gd(x, xo, xi, i);
                    sd(y, yo, yi, i, v > 0 ? v : p0 * v);
                }
            }
            case GELU -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gelu(gd(x, xo, xi, i))); }
            case GELU_TANH -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, geluTanh(gd(x, xo, xi, i))); }
            case POW -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.pow(gd(x, xo, xi, i), p0)); }
            case CLAMP -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.min(Math.max(gd(x, xo, xi, i), p0), p1)); }
            case AFFINE -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(x, xo, xi, i) * p0 + p1); }
            case SQUARE -> {
                for (long i = 0; i < n; i++) {
                    double v = gd(x, xo, xi, i);
                    sd(y, yo, yi, i, v * v);
                }
            }
            case RECIPROCAL -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, 1.0 / gd(x, xo, xi, i)); }
            case SIGN -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, sign(gd(x, xo, xi, i))); }
            case FILL -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, p0); }
            // ---- norm/embedding/activations ----
            default -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, ScalarActivations.unary(op, gd(x, xo, xi, i), p0, p1)); }
        }
    }

    // ---------------------------------------------------------------- binary

    @Override
    public void binary(DType dt, BinaryOp op, double p0, long n,
                       MemorySegment a, long aOff, long aInc,
                       MemorySegment b, long bOff, long bInc,
                       MemorySegment y, long yOff, long yInc) {
        if (dt == DType.F32) {
            binaryF(op, (float) p0, n, a, aOff, aInc, b, bOff, bInc, y, yOff, yInc);
        } else {
            binaryD(op, p0, n, a, aOff, aInc, b, bOff, bInc, y, yOff, yInc);
        }
    }

    private static void binaryF(BinaryOp op, float p, long n, MemorySegment a, long ao, long ai,
                                MemorySegment b, long bo, long bi, MemorySegment y, long yo, long yi) {
        switch (op) {
            case ADD -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(a, ao, ai, i) + gf(b, bo, bi, i)); }
            case SUB -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(a, ao, ai, i) - gf(b, bo, bi, i)); }
            case MUL -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(a, ao, ai, i) * gf(b, bo, bi, i)); }
            case DIV -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(a, ao, ai, i) / gf(b, bo, bi, i)); }
            case MAX -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, Math.max(gf(a, ao, ai, i), gf(b, bo, bi, i))); }
            case MIN -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, Math.min(gf(a, ao, ai, i), gf(b, bo, bi, i))); }
            case ADD_SCALED -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(a, ao, ai, i) + p * gf(b, bo, bi, i)); }
            case RELU_BACKWARD -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(b, bo, bi, i) > 0 ? gf(a, ao, ai, i) : 0f); }
            case LEAKY_RELU_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    float g = gf(a, ao, ai, i);
                    sf(y, yo, yi, i, gf(b, bo, bi, i) > 0 ? g : p * g);
                }
            }
            case TANH_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    float t = gf(b, bo, bi, i);
                    sf(y, yo, yi, i, gf(a, ao, ai, i) * (1f - t * t));
                }
            }
            case SIGMOID_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    float s = gf(b, bo, bi, i);
                    sf(y, yo, yi, i, gf(a, ao, ai, i) * (s * (1f - s)));
                }
            }
            case GELU_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    sf(y, yo, yi, i, (float) (gf(a, ao, ai, i) * geluDerivative(gf(b, bo, bi, i))));
                }
            }
            case GELU_TANH_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    sf(y, yo, yi, i, (float) (gf(a, ao, ai, i) * geluTanhDerivative(gf(b, bo, bi, i))));
                }
            }
            case POW_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    sf(y, yo, yi, i, (float) powBackward(gf(a, ao, ai, i), gf(b, bo, bi, i), p));
                }
            }
            case ABS_BACKWARD -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, gf(a, ao, ai, i) * signF(gf(b, bo, bi, i))); }
            // ---- norm/embedding/activations ----
            default -> { for (long i = 0; i < n; i++) sf(y, yo, yi, i, (float) ScalarActivations.binary(op, gf(a, ao, ai, i), gf(b, bo, bi, i), p)); }
        }
    }

    private static void binaryD(BinaryOp op, double p, long n, MemorySegment a, long ao, long ai,
                                MemorySegment b, long bo, long bi, MemorySegment y, long yo, long yi) {
        switch (op) {
            case ADD -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) + gd(b, bo, bi, i)); }
            case SUB -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) - gd(b, bo, bi, i)); }
            case MUL -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) * gd(b, bo, bi, i)); }
            case DIV -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) / gd(b, bo, bi, i)); }
            case MAX -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.max(gd(a, ao, ai, i), gd(b, bo, bi, i))); }
            case MIN -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, Math.min(gd(a, ao, ai, i), gd(b, bo, bi, i))); }
            case ADD_SCALED -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) + p * gd(b, bo, bi, i)); }
            case RELU_BACKWARD -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(b, bo, bi, i) > 0 ? gd(a, ao, ai, i) : 0.0); }
            case LEAKY_RELU_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    double g = gd(a, ao, ai, i);
                    sd(y, yo, yi, i, gd(b, bo, bi, i) > 0 ? g : p * g);
                }
            }
            case TANH_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    double t = gd(b, bo, bi, i);
                    sd(y, yo, yi, i, gd(a, ao, ai, i) * (1.0 - t * t));
                }
            }
            case SIGMOID_BACKWARD -> {
                for (long i = 0; i < n; i++) {
                    double s = gd(b, bo, bi, i);
                    sd(y, yo, yi, i, gd(a, ao, ai, i) * (s * (1.0 - s)));
                }
            }
            case GELU_BACKWARD -> {
                for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) * geluDerivative(gd(b, bo, bi, i)));
            }
            case GELU_TANH_BACKWARD -> {
                for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) * geluTanhDerivative(gd(b, bo, bi, i)));
            }
            case POW_BACKWARD -> {
                for (long i = 0; i < n; i++) sd(y, yo, yi, i, powBackward(gd(a, ao, ai, i), gd(b, bo, bi, i), p));
            }
            case ABS_BACKWARD -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, gd(a, ao, ai, i) * sign(gd(b, bo, bi, i))); }
            // ---- norm/embedding/activations ----
            default -> { for (long i = 0; i < n; i++) sd(y, yo, yi, i, ScalarActivations.binary(op, gd(a, ao, ai, i), gd(b, bo, bi, i), p)); }
        }
    }

    // ---------------------------------------------------------------- where

    @Override
    public void where(DType dt, long n,
                      MemorySegment c, long cOff, long cInc,
                      MemorySegment a, long aOff, long aInc,
                      MemorySegment b, long bOff, long bInc,
                      MemorySegment y, long yOff, long yInc) {
        if (dt == DType.F32) {
            for (long i = 0; i < n; i++) {
                sf(y, yOff, yInc, i, gf(c, cOff, cInc, i) != 0 ? gf(a, aOff, aInc, i) : gf(b, bOff, bInc, i));
            }
        } else {
            for (long i = 0; i < n; i++) {
                sd(y, yOff, yInc, i, gd(c, cOff, cInc, i) != 0 ? gd(a, aOff, aInc, i) : gd(b, bOff, bInc, i));
            }
        }
    }

    // ---------------------------------------------------------------- reductions

    /** Reads element i as a double (exact for f32). */
    private static double get(DType dt, MemorySegment x, long off, long inc, long i) {
        return dt == DType.F32 ? gf(x, off, inc, i) : gd(x, off, inc, i);
    }

    @Override
    public double reduce(DType dt, ReduceOp op, long n, MemorySegment x, long xOff, long xInc) {
        switch (op) {
            case MAX -> {
                double m = Double.NEGATIVE_INFINITY;
                for (long i = 0; i < n; i++) m = Math.max(m, get(dt, x, xOff, xInc, i));
                return m;
            }
            case MIN -> {
                double m = Double.POSITIVE_INFINITY;
                for (long i = 0; i < n; i++) m = Math.min(m, get(dt, x, xOff, xInc, i));
                return m;
            }
            case SUM, SUM_SQUARES -> {
                boolean sq = op == ReduceOp.SUM_SQUARES;
                if (dt == DType.F32) {
                    double s = 0; // float values and their squares are exact in double
                    for (long i = 0; i < n; i++) {
                        double v = gf(x, xOff, xInc, i);
                        s += sq ? v * v : v;
                    }
                    return (float) s;
                }
                // f64: Neumaier compensated summation
                double s = 0;
                double comp = 0;
                for (long i = 0; i < n; i++) {
                    double v = gd(x, xOff, xInc, i);
                    if (sq) {
                        v = v * v;
                    }
                    double t = s + v;
                    comp += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
                    s = t;
                }
                return Double.isFinite(s) ? s + comp : s;
            }
        }
        throw new AssertionError(op);
    }

    @Override
    public long argmax(DType dt, long n, MemorySegment x, long xOff, long xInc) {
        return argExtreme(dt, true, n, x, xOff, xInc);
    }

    @Override
    public long argmin(DType dt, long n, MemorySegment x, long xOff, long xInc) {
        return argExtreme(dt, false, n, x, xOff, xInc);
    }

    private static long argExtreme(DType dt, boolean max, long n, MemorySegment x, long xOff, long xInc) {
        if (n == 0) {
            return -1;
        }
        long best = 0;
        double bv = get(dt, x, xOff, xInc, 0);
        if (Double.isNaN(bv)) {
            return 0;
        }
        for (long i = 1; i < n; i++) {
            double v = get(dt, x, xOff, xInc, i);
            if (Double.isNaN(v)) {
                return i;
            }
            if (max ? v > bv : v < bv) {
                bv = v;
                best = i;
            }
        }
        return best;
    }

    @Override
    public double logsumexp(DType dt, long n, MemorySegment x, long xOff, long xInc) {
        double m = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < n; i++) {
            m = Math.max(m, get(dt, x, xOff, xInc, i));
        }
        if (Double.isNaN(m) || Double.isInfinite(m)) {
            return m; // any NaN -> NaN; any +inf -> +inf; empty or all -inf -> -inf
        }
        double s = 0;
        for (long i = 0; i < n; i++) {
            s += Math.exp(get(dt, x, xOff, xInc, i) - m);
        }
        return dt.round(m + Math.log(s));
    }

    @Override
    public void softmax(DType dt, boolean log, long n,
                        MemorySegment x, long xOff, long xInc,
                        MemorySegment y, long yOff, long yInc) {
        double m = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < n; i++) {
            m = Math.max(m, get(dt, x, xOff, xInc, i));
        }
        double s = 0;
        for (long i = 0; i < n; i++) {
            s += Math.exp(get(dt, x, xOff, xInc, i) - m);
        }
        if (log) {
            double ls = Math.log(s);
            for (long i = 0; i < n; i++) {
                double v = get(dt, x, xOff, xInc, i) - m - ls;
                set(dt, y, yOff, yInc, i, v);
            }
        } else {
            // recompute e^(x - m) rather than storing it: keeps double precision for f32 and
            // leaves x untouched until each element's final write (y may alias x)
            for (long i = 0; i < n; i++) {
                double v = Math.exp(get(dt, x, xOff, xInc, i) - m) / s;
                set(dt, y, yOff, yInc, i, v);
            }
        }
    }

    private static void set(DType dt, MemorySegment y, long off, long inc, long i, double v) {
        if (dt == DType.F32) {
            sf(y, off, inc, i, (float) v);
        } else {
            sd(y, off, inc, i, v);
        }
    }

    @Override
    public double dot(DType dt, long n, MemorySegment x, long xOff, long xInc,
                      MemorySegment y, long yOff, long yInc) {
        if (dt == DType.F32) {
            double s = 0; // products of floats are exact in double
            for (long i = 0; i < n; i++) {
                s += (double) gf(x, xOff, xInc, i) * gf(y, yOff, yInc, i);
            }
            return (float) s;
        }
        // f64: Dot2 (error-free products with fma + compensated sum)
        double s = 0;
        double comp = 0;
        for (long i = 0; i < n; i++) {
            double a = gd(x, xOff, xInc, i);
            double b = gd(y, yOff, yInc, i);
            double p = a * b;
            double pe = Math.fma(a, b, -p);
            double t = s + p;
            double bb = t - s;
            comp += ((s - (t - bb)) + (p - bb)) + pe;
            s = t;
        }
        return Double.isFinite(s) ? s + comp : s;
    }

    // ---------------------------------------------------------------- rank-ordered sum

    @Override
    public void rankSum(DType dt, long n, MemorySegment[] x, long xOff, double[] w, MemorySegment y, long yOff) {
        int ranks = x.length;
        if (dt == DType.F32) {
            for (long i = 0; i < n; i++) {
                double s = 0.0 + w[0] * (double) x[0].getAtIndex(LF, xOff + i);
                for (int r = 1; r < ranks; r++) {
                    s = s + w[r] * (double) x[r].getAtIndex(LF, xOff + i);
                }
                y.setAtIndex(LF, yOff + i, (float) s);
            }
        } else {
            for (long i = 0; i < n; i++) {
                double s = 0.0 + w[0] * x[0].getAtIndex(LD, xOff + i);
                for (int r = 1; r < ranks; r++) {
                    s = s + w[r] * x[r].getAtIndex(LD, xOff + i);
                }
                y.setAtIndex(LD, yOff + i, s);
            }
        }
    }

    // ---------------------------------------------------------------- gemm

    @Override
    public void gemm(DType dt, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     MemorySegment a, long aOff, long lda,
                     MemorySegment b, long bOff, long ldb,
                     double beta, MemorySegment c, long cOff, long ldc,
                     Executor executor, int parallelism) {
        ScalarGemm.gemm(dt, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc, executor, parallelism);
    }
}
