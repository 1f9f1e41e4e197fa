package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.internal.scalar.Erf;
import java.math.BigDecimal;
import java.math.MathContext;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector transcendental functions, all evaluated in <b>double lanes</b> with (near) double
 * accuracy: f64 kernels use them directly, f32 kernels widen each float vector to two double
 * vectors, evaluate, and round once to float — so f32 results are within 1 ulp of the correctly
 * rounded result by construction (the polynomial error is ~2^-52, far below float's 2^-24).
 *
 * <p><b>Why own polynomials.</b> On this JDK/CPU {@code VectorOperators.EXP/LOG/SIN/COS/TANH}
 * were measured to run per lane through the scalar {@link Math} functions (no SVML stub
 * was used: bit-identical results, 1.0-1.8x <em>slower</em> than a plain scalar loop), so every
 * function here is written from its math: range reduction + Taylor/atanh series or a Chebyshev
 * fit computed at class initialisation.
 * <ul>
 *   <li>exp: {@code 2^k e^r}, {@code k = rint(x / ln 2)}, two-part ln 2 with fma, degree-13
 *       Taylor polynomial on |r| <= ln2/2, two-step scaling by 2^k (correct subnormals).</li>
 *   <li>log: exponent/mantissa split (subnormals pre-scaled by 2^54), mantissa in
 *       [sqrt(1/2), sqrt 2), {@code log(1+f) = f - s (f - T(s^2))} with {@code s = f/(2+f)} and
 *       the atanh series T.</li>
 *   <li>sin/cos: {@code k = rint(x 2/pi)}, three-part pi/2 with fma (Cody-Waite), Taylor
 *       polynomials on |r| <= pi/4 and quadrant selection. Fast path for |x| <= 1e5; a vector
 *       with a larger (or infinite) lane falls back to the lanewise library op (= Math).</li>
 *   <li>tanh: {@code expm1(2|x|) / (expm1(2|x|) + 2)} with expm1 by Taylor below 1.1, copysign.</li>
 *   <li>sigmoid: {@code e = exp(-|x|)}, {@code (x < 0 ? e : 1) / (1 + e)}.</li>
 *   <li>erfc (for GELU): Maclaurin series of erf for |t| < 0.5; above,
 *       {@code erfc t = e^(-t^2) * 2/(1+2t) * F(Z)}, {@code Z = (K - t)/(K + t)}, where F is a
 *       degree-{@value #CHEB_N} Chebyshev interpolant of {@code (1+2t)/2 erfcx(t)} in Z
 *       (Weideman's change of variable), fitted at class initialisation to the scalar
 *       {@link Erf#erfcx}; {@code e^(-t^2)} uses the exact split of t^2.</li>
 * </ul>
 * Every method takes and returns vectors of {@link VectorConfig#D} / {@link VectorConfig#F}.
 */
final class VectorMath {
    private VectorMath() {}

    private static final double SHIFTER = 0x1.8p52; // adding it rounds |v| < 2^51 to an integer
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI;
    private static final double LN2_LO;
    private static final double TWO_OVER_PI = 0.6366197723675814;
    private static final double PIO2_1;
    private static final double PIO2_2;
    private static final double PIO2_3;
    private static final double SQRT2 = 1.4142135623730951;
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double GELU_TANH_BETA = 0.7978845608028654;
    private static final double GELU_TANH_KAPPA = 0.044715;
    private static final double SIN_COS_FAST_LIMIT = 1e5;

    /** 1/n! for n = 0..13 (exp). */
    private static final double[] INV_FACT = new double[20];
    /** 2/(2n+1) for n = 1..11 (log's atanh series). */
    private static final double[] ATANH = new double[12];
    /** Coefficients of the erf Maclaurin series: 2/sqrt(pi) (-1)^n / (n! (2n+1)), n = 0..13. */
    private static final double[] ERF_SERIES = new double[14];

    /** Chebyshev degree of the erfc tail fit. */
    static final int CHEB_N = 40;
    private static final double CHEB_K = 4.0;
    private static final double Z_HI = (CHEB_K - 0.5) / (CHEB_K + 0.5);
    private static final double Z_LO = -1.0;
    private static final double[] CHEB = new double[CHEB_N];

    static {
        MathContext mc = new MathContext(50);
        BigDecimal ln2 = new BigDecimal("0.69314718055994530941723212145817656807550013436025525412068");
        double ln2d = ln2.doubleValue();
        LN2_HI = Double.longBitsToDouble(Double.doubleToRawLongBits(ln2d) & 0xFFFFFFFF00000000L);
        LN2_LO = ln2.subtract(new BigDecimal(LN2_HI), mc).doubleValue();
        BigDecimal pio2 = new BigDecimal(
                "1.57079632679489661923132169163975144209858469968755291048747229615390820314310449931")
                ;
        PIO2_1 = pio2.doubleValue();
        BigDecimal rest = pio2.subtract(new BigDecimal(PIO2_1), mc);
        PIO2_2 = rest.doubleValue();
        PIO2_3 = rest.subtract(new BigDecimal(PIO2_2), mc).doubleValue();
        BigDecimal f = BigDecimal.ONE;
        for (int n = 0; n < INV_FACT.length; n++) {
            if (n > 0) {
                f = f.multiply(BigDecimal.valueOf(n));
            }
            INV_FACT[n] = BigDecimal.ONE.divide(f, mc).doubleValue();
        }
        for (int n = 1; n < ATANH.length; n++) {
            ATANH[n] = 2.0 / (2 * n + 1);
        }
        BigDecimal twoOverSqrtPi = BigDecimal.valueOf(2).divide(
                new BigDecimal("3.14159265358979323846264338327950288419716939937510").sqrt(mc), mc);
        BigDecimal nf = BigDecimal.ONE;
        for (int n = 0; n < ERF_SERIES.length; n++) {
            if (n > 0) {
                nf = nf.multiply(BigDecimal.valueOf(n));
            }
            BigDecimal c = twoOverSqrtPi.divide(nf.multiply(BigDecimal.valueOf(2L * n + 1)), mc);
            ERF_SERIES[n] = (n % 2 == 0 ? c : c.negate()).doubleValue();
        }
        // Chebyshev interpolation of F(Z) = (1+2t)/2 erfcx(t), t = K(1-Z)/(1+Z), Z in [Z_LO, Z_HI]
        double[] fv = new double[CHEB_N];
        for (int j = 0; j < CHEB_N; j++) {
            double u = Math.cos(Math.PI * (j + 0.5) / CHEB_N);
            double z = 0.5 * (Z_HI - Z_LO) * u + 0.5 * (Z_HI + Z_LO);
            double t = CHEB_K * (1 - z) / (1 + z);
            fv[j] = Double.isInfinite(t) ? 1 / Math.sqrt(Math.PI) : (1 + 2 * t) / 2 * Erf.erfcx(t);
        }
        for (int k = 0; k < CHEB_N; k++) {
            double s = 0;
            for (int j = 0; j < CHEB_N; j++) {
                s += fv[j] * Math.cos(Math.PI * k * (j + 0.5) / CHEB_N);
            }
            CHEB[k] = (k == 0 ? 1.0 : 2.0) * s / CHEB_N;
        }
    }

    // ------------------------------------------------------------------ float <-> double lanes

    /** Lower half of a float vector widened to doubles. */
    static DoubleVector lo(FloatVector x) {
        return (DoubleVector) x.convertShape(VectorOperators.F2D, VectorConfig.D, 0);
    }

    /** Upper half of a float vector widened to doubles. */
    static DoubleVector hi(FloatVector x) {
        return (DoubleVector) x.convertShape(VectorOperators.F2D, VectorConfig.D, 1);
    }

    /** Rounds two double vectors to floats and joins them (lo lanes first). */
    static FloatVector join(DoubleVector lo, DoubleVector hi) {
        FloatVector a = (FloatVector) lo.convertShape(VectorOperators.D2F, VectorConfig.F, 0);
        FloatVector b = (FloatVector) hi.convertShape(VectorOperators.D2F, VectorConfig.F, -1);
        // the unused half of each is zero-filled: OR the bit patterns (keeps -0.0 and NaN payloads)
        return a.reinterpretAsInts().or(b.reinterpretAsInts()).reinterpretAsFloats();
    }

    private static DoubleVector c(double v) {
        return DoubleVector.broadcast(VectorConfig.D, v);
    }

    // ------------------------------------------------------------------ exp

    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(-746.0).min(710.0); // NaN propagates
        DoubleVector t = xc.fma(c(LOG2E), c(SHIFTER));
        DoubleVector k = t.sub(SHIFTER);
        DoubleVector r = k.fma(c(-LN2_HI), xc);
        r = k.fma(c(-LN2_LO), r);
        return scale2k(expPoly(r), t);
    }

    /** e^r on |r| <= ln2/2 (degree-13 Taylor). Kept small for C2's inlining limit. */
    private static DoubleVector expPoly(DoubleVector r) {
        DoubleVector p = r.fma(c(INV_FACT[13]), c(INV_FACT[12]));
        p = p.fma(r, c(INV_FACT[11]));
        p = p.fma(r, c(INV_FACT[10]));
        p = p.fma(r, c(INV_FACT[9]));
        p = p.fma(r, c(INV_FACT[8]));
        p = p.fma(r, c(INV_FACT[7]));
        p = p.fma(r, c(INV_FACT[6]));
        p = p.fma(r, c(INV_FACT[5]));
        p = p.fma(r, c(INV_FACT[4]));
        p = p.fma(r, c(INV_FACT[3]));
        p = p.fma(r, c(0.5));
        p = p.fma(r, c(1.0));
        return p.fma(r, c(1.0));
    }

    /** p * 2^k, k taken from the shifter-rounded t, in two steps (correct subnormals). */
    private static DoubleVector scale2k(DoubleVector p, DoubleVector t) {
        LongVector kl = t.reinterpretAsLongs().sub(SHIFTER_BITS);
        LongVector k1 = kl.lanewise(VectorOperators.ASHR, 1);
        LongVector k2 = kl.sub(k1);
        DoubleVector s1 = k1.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector s2 = k2.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(s1).mul(s2);
    }

    // ------------------------------------------------------------------ log

    static DoubleVector log(DoubleVector x) {
        VectorMask<Double> sub = x.lt(Double.MIN_NORMAL);
        DoubleVector xs = x.blend(x.mul(0x1p54), sub);
        LongVector bits = xs.reinterpretAsLongs();
        DoubleVector e = ((DoubleVector) bits.lanewise(VectorOperators.LSHR, 52).and(0x7ffL).sub(1023L)
                .convert(VectorOperators.L2D, 0)).lanewise(VectorOperators.SUB, 54.0, sub);
        DoubleVector m = bits.and(0x000FFFFFFFFFFFFFL).or(0x3FF0000000000000L).reinterpretAsDoubles();
        VectorMask<Double> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), big);
        e = e.lanewise(VectorOperators.ADD, 1.0, big);
        DoubleVector f = m.sub(1.0);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector p = z.fma(c(ATANH[11]), c(ATANH[10]));
        for (int n = 9; n >= 1; n--) {
            p = p.fma(z, c(ATANH[n]));
        }
        DoubleVector tt = p.mul(z);
        DoubleVector logm = s.neg().fma(f.sub(tt), f); // f - s (f - T)
        DoubleVector r = e.fma(c(LN2_HI), e.fma(c(LN2_LO), logm));
        r = r.blend(x, x.test(VectorOperators.IS_FINITE).not());
        r = r.blend(Double.NaN, x.lt(0.0));
        return r.blend(Double.NEGATIVE_INFINITY, x.eq(0.0));
    }

    // ------------------------------------------------------------------ sin / cos

    static DoubleVector sin(DoubleVector x) {
        if (x.abs().compare(VectorOperators.GT, SIN_COS_FAST_LIMIT).anyTrue()) {
            return x.lanewise(VectorOperators.SIN);
        }
        return sinCos(x, 0L);
    }

    static DoubleVector cos(DoubleVector x) {
        if (x.abs().compare(VectorOperators.GT, SIN_COS_FAST_LIMIT).anyTrue()) {
            return x.lanewise(VectorOperators.COS);
        }
        return sinCos(x, 1L);
    }

    private static DoubleVector sinCos(DoubleVector x, long quadrantOffset) {
        DoubleVector t = x.fma(c(TWO_OVER_PI), c(SHIFTER));
        DoubleVector k = t.sub(SHIFTER);
        DoubleVector r = k.fma(c(-PIO2_1), x);
        r = k.fma(c(-PIO2_2), r);
        r = k.fma(c(-PIO2_3), r);
        LongVector q = t.reinterpretAsLongs().sub(SHIFTER_BITS).add(quadrantOffset);
        DoubleVector z = r.mul(r);
        DoubleVector sinr = sinPoly(r, z);
        DoubleVector cosr = cosPoly(z);
        VectorMask<Double> odd = q.and(1L).compare(VectorOperators.NE, 0L).cast(VectorConfig.D);
        VectorMask<Double> neg = q.and(2L).compare(VectorOperators.NE, 0L).cast(VectorConfig.D);
        return sinr.blend(cosr, odd).lanewise(VectorOperators.NEG, neg);
    }

    private static DoubleVector sinPoly(DoubleVector r, DoubleVector z) {
        // sin r = r + r z S(z), S = -1/3! + z/5! - ... (through r^17)
        DoubleVector ps = z.fma(c(INV_FACT[17]), c(-INV_FACT[15]));
        ps = ps.fma(z, c(INV_FACT[13]));
        ps = ps.fma(z, c(-INV_FACT[11]));
        ps = ps.fma(z, c(INV_FACT[9]));
        ps = ps.fma(z, c(-INV_FACT[7]));
        ps = ps.fma(z, c(INV_FACT[5]));
        ps = ps.fma(z, c(-INV_FACT[3]));
        return r.mul(z).fma(ps, r);
    }

    private static DoubleVector cosPoly(DoubleVector z) {
        // cos r = 1 - z/2 + z^2 C(z), C = 1/4! - z/6! + ... (through r^18)
        DoubleVector pc = z.fma(c(-INV_FACT[18]), c(INV_FACT[16]));
        pc = pc.fma(z, c(-INV_FACT[14]));
        pc = pc.fma(z, c(INV_FACT[12]));
        pc = pc.fma(z, c(-INV_FACT[10]));
        pc = pc.fma(z, c(INV_FACT[8]));
        pc = pc.fma(z, c(-INV_FACT[6]));
        pc = pc.fma(z, c(INV_FACT[4]));
        return z.mul(z).fma(pc, z.fma(c(-0.5), c(1.0)));
    }

    // ------------------------------------------------------------------ tanh, sigmoid

    /** expm1(y) for y >= 0 (or NaN); y may be large (-> +inf). */
    private static DoubleVector expm1Pos(DoubleVector y) {
        VectorMask<Double> small = y.lt(1.1);
        DoubleVector big = exp(y).sub(1.0);
        if (small.anyTrue()) {
            // y (1 + y/2! + y^2/3! + ... + y^18/19!)
            DoubleVector p = y.fma(c(INV_FACT[19]), c(INV_FACT[18]));
            for (int n = 17; n >= 1; n--) {
                p = p.fma(y, c(INV_FACT[n]));
            }
            return big.blend(p.mul(y), small);
        }
        return big;
    }

    private static DoubleVector copySign(DoubleVector magnitude, DoubleVector sign) {
        return magnitude.reinterpretAsLongs()
                .or(sign.reinterpretAsLongs().and(Long.MIN_VALUE))
                .reinterpretAsDoubles();
    }

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector ax = x.abs().min(20.0); // tanh(20) rounds to 1
        DoubleVector em1 = expm1Pos(ax.mul(2.0));
        return copySign(em1.div(em1.add(2.0)), x);
    }

    static DoubleVector sigmoid(DoubleVector x) {
        DoubleVector e = exp(x.abs().neg());
        DoubleVector num = c(1.0).blend(e, x.lt(0.0));
        return num.div(e.add(1.0));
    }

    // ------------------------------------------------------------------ erfc, GELU

    static DoubleVector erfc(DoubleVector t) {
        DoubleVector at = t.abs().min(40.0); // erfc(40) == 0 in double
        VectorMask<Double> small = at.lt(0.5);
        DoubleVector r;
        if (small.allTrue()) {
            r = c(1.0).sub(erfSmall(at));
        } else {
            DoubleVector ta = at.max(0.5);
            DoubleVector z = c(CHEB_K).sub(ta).div(ta.add(CHEB_K));
            DoubleVector u = z.mul(2.0 / (Z_HI - Z_LO)).sub((Z_HI + Z_LO) / (Z_HI - Z_LO));
            // Clenshaw
            DoubleVector u2 = u.add(u);
            DoubleVector b1 = c(0.0);
            DoubleVector b2 = c(0.0);
            for (int k = CHEB_N - 1; k >= 1; k--) {
                DoubleVector b0 = u2.fma(b1, c(CHEB[k])).sub(b2);
                b2 = b1;
                b1 = b0;
            }
            DoubleVector fz = u.fma(b1, c(CHEB[0])).sub(b2);
            DoubleVector s = ta.mul(ta);
            DoubleVector e = ta.fma(ta, s.neg()); // t^2 = s + e exactly
            r = exp(s.neg()).mul(c(1.0).sub(e)).mul(fz).mul(2.0).div(ta.fma(c(2.0), c(1.0)));
            if (small.anyTrue()) {
                r = r.blend(c(1.0).sub(erfSmall(at)), small);
            }
        }
        return r.blend(c(2.0).sub(r), t.lt(0.0));
    }

    /** erf(x) for 0 <= x < 0.5 by its Maclaurin series. */
    private static DoubleVector erfSmall(DoubleVector x) {
        DoubleVector z = x.mul(x);
        DoubleVector p = z.fma(c(ERF_SERIES[13]), c(ERF_SERIES[12]));
        for (int n = 11; n >= 0; n--) {
            p = p.fma(z, c(ERF_SERIES[n]));
        }
        return p.mul(x);
    }

    /** Exact GELU {@code 0.5 x erfc(-x/sqrt 2)}, -0.0 at -inf. */
    static DoubleVector gelu(DoubleVector x) {
        DoubleVector g = x.mul(0.5).mul(erfc(x.mul(-INV_SQRT2)));
        return g.blend(-0.0, x.eq(Double.NEGATIVE_INFINITY));
    }

    /** GELU'(x) = Phi(x) + x phi(x) (1 at +inf, 0 at -inf). */
    static DoubleVector geluDerivative(DoubleVector x) {
        DoubleVector xc = x.max(-40.0).min(40.0);
        DoubleVector phi = exp(xc.mul(-0.5).mul(xc)).mul(INV_SQRT_2PI);
        return erfc(xc.mul(-INV_SQRT2)).mul(0.5).add(xc.mul(phi));
    }

    /** Tanh GELU {@code x / (1 + e^(-2u))}, {@code u = sqrt(2/pi)(x + 0.044715 x^3)}. */
    static DoubleVector geluTanh(DoubleVector x) {
        // same order of operations as the scalar twin: beta * (x + ((kappa * x) * x) * x)
        DoubleVector u = x.mul(GELU_TANH_KAPPA).mul(x).mul(x).add(x).mul(GELU_TANH_BETA);
        DoubleVector g = x.div(exp(u.mul(-2.0)).add(1.0));
        return g.blend(-0.0, x.eq(Double.NEGATIVE_INFINITY));
    }

    /** d/dx of the tanh GELU (PyTorch's formula, cancellation-free form as in the scalar twin). */
    static DoubleVector geluTanhDerivative(DoubleVector x) {
        DoubleVector x2 = x.mul(x);
        DoubleVector u = x2.mul(GELU_TANH_KAPPA).mul(x).add(x).mul(GELU_TANH_BETA);
        DoubleVector e = exp(u.abs().mul(-2.0));
        DoubleVector ope = e.add(1.0);
        DoubleVector half = c(1.0).blend(e, u.lt(0.0)).div(ope);
        DoubleVector sech2 = e.mul(4.0).div(ope.mul(ope));
        DoubleVector inner = x2.mul(3.0 * GELU_TANH_KAPPA).add(1.0);
        DoubleVector full = x.mul(0.5).mul(sech2).mul(GELU_TANH_BETA).mul(inner).add(half);
        return full.blend(half, e.eq(0.0));
    }

    // ------------------------------------------------------------------ f32 through double lanes

    static FloatVector expF(FloatVector x) {
        return join(exp(lo(x)), exp(hi(x)));
    }

    static FloatVector logF(FloatVector x) {
        return join(log(lo(x)), log(hi(x)));
    }

    static FloatVector sinF(FloatVector x) {
        return join(sin(lo(x)), sin(hi(x)));
    }

    static FloatVector cosF(FloatVector x) {
        return join(cos(lo(x)), cos(hi(x)));
    }

    static FloatVector tanhF(FloatVector x) {
        return join(tanh(lo(x)), tanh(hi(x)));
    }

    static FloatVector sigmoidF(FloatVector x) {
        return join(sigmoid(lo(x)), sigmoid(hi(x)));
    }

    static FloatVector geluF(FloatVector x) {
        return join(gelu(lo(x)), gelu(hi(x)));
    }

    static FloatVector geluTanhF(FloatVector x) {
        return join(geluTanh(lo(x)), geluTanh(hi(x)));
    }

    /** {@code a * geluDerivative(b)} in double lanes, rounded once to float. */
    static FloatVector geluBackwardF(FloatVector a, FloatVector b) {
        return join(lo(a).mul(geluDerivative(lo(b))), hi(a).mul(geluDerivative(hi(b))));
    }

    /** {@code a * geluTanhDerivative(b)} in double lanes, rounded once to float. */
    static FloatVector geluTanhBackwardF(FloatVector a, FloatVector b) {
        return join(lo(a).mul(geluTanhDerivative(lo(b))), hi(a).mul(geluTanhDerivative(hi(b))));
    }
}
