package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.internal.scalar.Erf;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.MathContext;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
 *   <li>tanh: odd least-squares polynomial below 1/2, else {@code 1 - 2/(e^(2|x|) + 1)}, copysign.</li>
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

    /* 1/n! as compile-time constants (n! is exact in double for n <= 18; one rounding). */
    private static final double INV_FACT_3 = 1.0 / 6.0;
    private static final double INV_FACT_4 = 1.0 / 24.0;
    private static final double INV_FACT_5 = 1.0 / 120.0;
    private static final double INV_FACT_6 = 1.0 / 720.0;
    private static final double INV_FACT_7 = 1.0 / 5040.0;
    private static final double INV_FACT_8 = 1.0 / 40320.0;
    private static final double INV_FACT_9 = 1.0 / 362880.0;
    private static final double INV_FACT_10 = 1.0 / 3628800.0;
    private static final double INV_FACT_11 = 1.0 / 39916800.0;
    private static final double INV_FACT_12 = 1.0 / 479001600.0;
    private static final double INV_FACT_13 = 1.0 / 6227020800.0;
    private static final double INV_FACT_14 = 1.0 / 87178291200.0;
    private static final double INV_FACT_15 = 1.0 / 1307674368000.0;
    private static final double INV_FACT_16 = 1.0 / 20922789888000.0;
    private static final double INV_FACT_17 = 1.0 / 355687428096000.0;
    private static final double INV_FACT_18 = 1.0 / 6402373705728000.0;
    /* 2/(2n+1), the atanh series of log. */
    private static final double ATANH_1 = 2.0 / 3;
    private static final double ATANH_2 = 2.0 / 5;
    private static final double ATANH_3 = 2.0 / 7;
    private static final double ATANH_4 = 2.0 / 9;
    private static final double ATANH_5 = 2.0 / 11;
    private static final double ATANH_6 = 2.0 / 13;
    private static final double ATANH_7 = 2.0 / 15;
    private static final double ATANH_8 = 2.0 / 17;
    private static final double ATANH_9 = 2.0 / 19;
    private static final double ATANH_10 = 2.0 / 21;
    private static final double ATANH_11 = 2.0 / 23;
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
        DoubleVector p = r.fma(c(INV_FACT_13), c(INV_FACT_12));
        p = p.fma(r, c(INV_FACT_11));
        p = p.fma(r, c(INV_FACT_10));
        p = p.fma(r, c(INV_FACT_9));
        p = p.fma(r, c(INV_FACT_8));
        p = p.fma(r, c(INV_FACT_7));
        p = p.fma(r, c(INV_FACT_6));
        p = p.fma(r, c(INV_FACT_5));
        p = p.fma(r, c(INV_FACT_4));
        p = p.fma(r, c(INV_FACT_3));
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
        DoubleVector p = z.fma(c(ATANH_11), c(ATANH_10));
        p = p.fma(z, c(ATANH_9));
        p = p.fma(z, c(ATANH_8));
        p = p.fma(z, c(ATANH_7));
        p = p.fma(z, c(ATANH_6));
        p = p.fma(z, c(ATANH_5));
        p = p.fma(z, c(ATANH_4));
        p = p.fma(z, c(ATANH_3));
        p = p.fma(z, c(ATANH_2));
        p = p.fma(z, c(ATANH_1));
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
        DoubleVector ps = z.fma(c(INV_FACT_17), c(-INV_FACT_15));
        ps = ps.fma(z, c(INV_FACT_13));
        ps = ps.fma(z, c(-INV_FACT_11));
        ps = ps.fma(z, c(INV_FACT_9));
        ps = ps.fma(z, c(-INV_FACT_7));
        ps = ps.fma(z, c(INV_FACT_5));
        ps = ps.fma(z, c(-INV_FACT_3));
        return r.mul(z).fma(ps, r);
    }

    private static DoubleVector cosPoly(DoubleVector z) {
        // cos r = 1 - z/2 + z^2 C(z), C = 1/4! - z/6! + ... (through r^18)
        DoubleVector pc = z.fma(c(-INV_FACT_18), c(INV_FACT_16));
        pc = pc.fma(z, c(-INV_FACT_14));
        pc = pc.fma(z, c(INV_FACT_12));
        pc = pc.fma(z, c(-INV_FACT_10));
        pc = pc.fma(z, c(INV_FACT_8));
        pc = pc.fma(z, c(-INV_FACT_6));
        pc = pc.fma(z, c(INV_FACT_4));
        return z.mul(z).fma(pc, z.fma(c(-0.5), c(1.0)));
    }

    // ------------------------------------------------------------------ tanh, sigmoid

    private static DoubleVector copySign(DoubleVector magnitude, DoubleVector sign) {
        return magnitude.reinterpretAsLongs()
                .or(sign.reinterpretAsLongs().and(Long.MIN_VALUE))
                .reinterpretAsDoubles();
    }

    /*
     * tanh(x) = x + x^3 P(x^2) on |x| < 1/2, P of degree 9: a weighted least-squares fit to
     * (tanh x - x)/x^3 on 400 Chebyshev nodes of z = x^2 in [0, 1/4], weights = relative error of
     * tanh, refined by 30 Lawson re-weightings (numpy + mpmath at 40 digits, offline); max error
     * about 1.3 ulp including rounding. Above 1/2: 1 - 2/(e^(2|x|) + 1) (cancellation at most
     * ~0.54/0.46, about 3 ulp).
     */
    private static final double TH1 = -0.3333333333333316;
    private static final double TH2 = 0.1333333333330187;
    private static final double TH3 = -0.05396825394666004;
    private static final double TH4 = 0.021869487812150354;
    private static final double TH5 = -0.008863221560175846;
    private static final double TH6 = 0.003591960259716331;
    private static final double TH7 = -0.001454534306790432;
    private static final double TH8 = 0.000583486077367704;
    private static final double TH9 = -0.00021823932886188822;
    private static final double TH10 = 5.717459693555587e-05;

    static DoubleVector tanh(DoubleVector x) {
        DoubleVector ax = x.abs();
        DoubleVector z = x.mul(x);
        DoubleVector p = z.fma(c(TH10), c(TH9));
        p = p.fma(z, c(TH8));
        p = p.fma(z, c(TH7));
        p = p.fma(z, c(TH6));
        p = p.fma(z, c(TH5));
        p = p.fma(z, c(TH4));
        p = p.fma(z, c(TH3));
        p = p.fma(z, c(TH2));
        p = p.fma(z, c(TH1));
        DoubleVector small = x.mul(z).fma(p, x);
        DoubleVector e = exp(ax.min(20.0).mul(2.0)); // tanh(20) rounds to 1; NaN propagates
        DoubleVector big = copySign(c(1.0).sub(c(2.0).div(e.add(1.0))), x);
        return big.blend(small, ax.lt(0.5));
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

    // ------------------------------------------------------------------ f32 in float lanes

    /*
     * exp, log, tanh and sigmoid of f32 are evaluated in float lanes (twice the lanes of double,
     * no widening): each stays within 2 ulp of the correctly rounded result (VectorMathUlpTest;
     * measured max 1 ulp). The arguments of these functions are exact in float (x, -|x|, 2|x|), so
     * only the kernel's own error counts. GELU and tanh-GELU stay in double lanes: their inner
     * argument (x/sqrt 2, or beta (x + kappa x^3)) is rounded in float with a relative error that
     * the exp/erfc amplifies by up to ~2u^2 ulps at large negative x.
     */
    private static final float SHIFTER_F = 0x1.8p23f; // adding it rounds |v| < 2^22 to an integer
    private static final int SHIFTER_F_BITS = Float.floatToRawIntBits(SHIFTER_F);
    private static final float LOG2E_F = 0x1.715476p0f;
    /** ln 2 rounded to 16 significant bits, so k * LN2_HI_F is exact for |k| < 256. */
    private static final float LN2_HI_F = 0x1.62e4p-1f;
    /** ln 2 - LN2_HI_F rounded to float. */
    private static final float LN2_LO_F = 0x1.7f7d1cp-20f;
    private static final float SQRT2_F = 0x1.6a09e6p0f;
    /*
     * The loops' fast path: while every |x| <= 87 in a vector, e^x (and e^-|x|) is a normal float,
     * k is in [-126, 126] and 2^k is one normal float, built by shifting the low bits of t
     * (t = x log2 e + 1.5 * 2^23 holds k + 2^22 in its low 23 bits) with EXP_FAST_BIAS. Then p * 2^k
     * is the same single rounding as the general path's p * 2^k1 * 2^k2, so the bits are the same
     * (ExpFastPathBitsTest), and the clamps are not needed (NaN fails the test and propagates).
     * Nine vector operations fewer than the general path: exp 64K 20.9 -> 14.9 us; two vectors per
     * iteration (independent chains that hide the FMA latency): 12.2 us (KernelProbe, 2026-12-03).
     */
    private static final float EXP_FAST_LIMIT_F = 87f;
    private static final int EXP_FAST_BIAS = 127 - SHIFTER_F_BITS;
    /* Taylor coefficients 1/n!, n = 2..7, for e^r on |r| <= ln2/2 (truncation r^8/8! < 5.3e-9 = 0.09 ulp). */
    private static final float E2 = 1f / 2;
    private static final float E3 = 1f / 6;
    private static final float E4 = 1f / 24;
    private static final float E5 = 1f / 120;
    private static final float E6 = 1f / 720;
    private static final float E7 = 1f / 5040;
    /* atanh series 2/(2n+1), n = 1..5, for log: |s| <= 0.172, truncation s^13/13 ~ 1e-9 relative. */
    private static final float A1 = 2f / 3;
    private static final float A2 = 2f / 5;
    private static final float A3 = 2f / 7;
    private static final float A4 = 2f / 9;
    private static final float A5 = 2f / 11;
    /*
     * tanh(x) = x + x^3 Q(x^2) on |x| < 0.625, Q of degree 4: same fit as TH1..TH10 (weighted
     * least squares on Chebyshev nodes of z in [0, 0.390625] with Lawson re-weighting, offline),
     * rounded to float; max error about 0.6 ulp with float Horner evaluation.
     */
    private static final float TF1 = -0.3333328068256378f;
    private static final float TF2 = 0.13331395387649536f;
    private static final float TF3 = -0.05373624339699745f;
    private static final float TF4 = 0.020628871396183968f;
    private static final float TF5 = -0.0056945206597447395f;
    private static final float TANH_POLY_LIMIT_F = 0.625f;


    /** e^x in float lanes: {@code 2^k e^r}, two-part ln 2, degree-7 Taylor, two-step 2^k. */
    static FloatVector expF(FloatVector x) {
        FloatVector xc = x; // e^-104 rounds to 0, e^89 to inf; NaN propagates
        xc = xc.blend(-104f, xc.lt(-104f)); // compare + blend: Java's max/min cost C2 ~5 instructions each
        xc = xc.blend(89f, xc.compare(VectorOperators.GT, 89f));
        FloatVector t = xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
        FloatVector k = t.sub(SHIFTER_F);
        FloatVector r = k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), xc); // exact
        r = k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), r);
        // Estrin: the three pairs in parallel, then two levels (Horner: five dependent FMAs)
        FloatVector r2 = r.mul(r);
        FloatVector qa = r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
        FloatVector qb = r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
        FloatVector qc = r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
        FloatVector q = qc.fma(r2, qb).fma(r2, qa);
        FloatVector p = r2.fma(q, r).add(1f); // 1 + r + r^2 q
        // p * 2^k in two steps (k in [-150, 129]): both factors normal, one rounding at the end
        IntVector kl = t.reinterpretAsInts().sub(SHIFTER_F_BITS);
        IntVector k1 = kl.lanewise(VectorOperators.ASHR, 1);
        IntVector k2 = kl.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** log x in float lanes: exponent/mantissa split, {@code log(1+f) = f - s (f - T(s^2))}. */
    static FloatVector logF(FloatVector x) {
        VectorMask<Float> sub = x.lt(Float.MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(0x1p23f), sub);
        IntVector bits = xs.reinterpretAsInts();
        FloatVector e = ((FloatVector) bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(127)
                .convert(VectorOperators.I2F, 0)).lanewise(VectorOperators.SUB, 23f, sub);
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2_F);
        m = m.blend(m.mul(0.5f), big);
        e = e.lanewise(VectorOperators.ADD, 1f, big);
        FloatVector f = m.sub(1f); // exact
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector p = z.fma(FloatVector.broadcast(VectorConfig.F, A5), FloatVector.broadcast(VectorConfig.F, A4));
        p = p.fma(z, FloatVector.broadcast(VectorConfig.F, A3));
        p = p.fma(z, FloatVector.broadcast(VectorConfig.F, A2));
        p = p.fma(z, FloatVector.broadcast(VectorConfig.F, A1));
        FloatVector logm = s.neg().fma(f.sub(p.mul(z)), f);
        FloatVector r = e.fma(FloatVector.broadcast(VectorConfig.F, LN2_HI_F), e.fma(FloatVector.broadcast(VectorConfig.F, LN2_LO_F), logm));
        r = r.blend(x, x.test(VectorOperators.IS_FINITE).not());
        r = r.blend(Float.NaN, x.lt(0f));
        return r.blend(Float.NEGATIVE_INFINITY, x.eq(0f));
    }

    /** tanh in float lanes: odd polynomial below 0.625, else {@code 1 - 2/(e^(2|x|) + 1)}. */
    static FloatVector tanhF(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(FloatVector.broadcast(VectorConfig.F, TF5), FloatVector.broadcast(VectorConfig.F, TF4));
        p = p.fma(z, FloatVector.broadcast(VectorConfig.F, TF3));
        p = p.fma(z, FloatVector.broadcast(VectorConfig.F, TF2));
        p = p.fma(z, FloatVector.broadcast(VectorConfig.F, TF1));
        FloatVector small = x.mul(z).fma(p, x);
        FloatVector e = expF(ax.blend(10f, ax.compare(VectorOperators.GT, 10f)).mul(2f)); // tanh(10) rounds to 1; NaN propagates
        FloatVector big = FloatVector.broadcast(VectorConfig.F, 1f).sub(FloatVector.broadcast(VectorConfig.F, 2f).div(e.add(1f)));
        big = big.reinterpretAsInts().or(x.reinterpretAsInts().and(Integer.MIN_VALUE)).reinterpretAsFloats();
        return big.blend(small, ax.lt(TANH_POLY_LIMIT_F));
    }

    /**
     * Logistic function in float lanes: {@code e = e^-|x|}, {@code (x < 0 ? e : 1) / (1 + e)}.
     * The rounding of {@code 1 + e} and of the quotient are compensated (exact Fast2Sum error of
     * the sum, exact fma residual of the quotient, one Newton correction step), so the only error
     * left is exp's (<= 1 ulp); uncompensated the result reached 2 ulp. One division: the
     * reciprocal {@code 1 / (1 + e)}, used for both the quotient and the correction (a vector
     * division costs as much as the whole exp; two of them made sigmoid 2.4x PyTorch's time).
     */
    static FloatVector sigmoidF(FloatVector x) {
        FloatVector e = expF(x.abs().neg());
        FloatVector num = FloatVector.broadcast(VectorConfig.F, 1f).blend(e, x.lt(0f));
        FloatVector d = e.add(1f);
        FloatVector err = FloatVector.broadcast(VectorConfig.F, 1f).sub(d).add(e); // d + err == 1 + e exactly (|e| <= 1)
        FloatVector rcp = FloatVector.broadcast(VectorConfig.F, 1f).div(d); // the one division
        FloatVector q = num.mul(rcp);
        FloatVector res = q.neg().fma(d, num); // num - q d exactly
        FloatVector corr = q.neg().fma(err, res).mul(rcp); // (num - q (d + err)) / d
        return q.add(corr);
    }

    // ------------------------------------------------------------------ f32 loops (hand-inlined)

    private static final java.nio.ByteOrder BO = java.nio.ByteOrder.nativeOrder();

    /**
     * {@code y[i] = expF(x[i])} for contiguous floats. The body of {@link #expF} is copied in
     * (generated from it; keep in sync): called once per vector, the helper gets hot enough that
     * C2 compiles it standalone first and then refuses to inline it into the loop ("already
     * compiled into a medium method"), which boxes every vector argument.
     */
    static void expLoopF(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        // two vectors per iteration while no |x| > 87: the fast path's single 2^k (see above);
        // two independent chains hide the FMA latency that one chain per iteration leaves exposed
        for (; i + VectorConfig.FL <= ub - VectorConfig.FL; i += 2 * VectorConfig.FL) {
            FloatVector v0 = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO);
            FloatVector v1 = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + ((i + VectorConfig.FL) << 2), BO);
            if (v0.abs().compare(VectorOperators.GT, EXP_FAST_LIMIT_F).or(v1.abs().compare(VectorOperators.GT, EXP_FAST_LIMIT_F)).anyTrue()) {
                break;
            }
            FloatVector a_t = v0.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector a_k = a_t.sub(SHIFTER_F);
            FloatVector a_r = a_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), v0); // exact
            a_r = a_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), a_r);
            FloatVector a_r2 = a_r.mul(a_r);
            FloatVector a_qa = a_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector a_qb = a_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector a_qc = a_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector a_q = a_qc.fma(a_r2, a_qb).fma(a_r2, a_qa);
            FloatVector a_e = a_r2.fma(a_q, a_r).add(1f).mul(a_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector b_t = v1.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector b_k = b_t.sub(SHIFTER_F);
            FloatVector b_r = b_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), v1); // exact
            b_r = b_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), b_r);
            FloatVector b_r2 = b_r.mul(b_r);
            FloatVector b_qa = b_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector b_qb = b_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector b_qc = b_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector b_q = b_qc.fma(b_r2, b_qb).fma(b_r2, b_qa);
            FloatVector b_e = b_r2.fma(b_q, b_r).add(1f).mul(b_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            a_e.intoMemorySegment(y, yb + (i << 2), BO);
            b_e.intoMemorySegment(y, yb + ((i + VectorConfig.FL) << 2), BO);
        }
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO);
            FloatVector r;
            if (!v.abs().compare(VectorOperators.GT, EXP_FAST_LIMIT_F).anyTrue()) {
                FloatVector f_t = v.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
                FloatVector f_k = f_t.sub(SHIFTER_F);
                FloatVector f_r = f_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), v); // exact
                f_r = f_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), f_r);
                FloatVector f_r2 = f_r.mul(f_r);
                FloatVector f_qa = f_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
                FloatVector f_qb = f_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
                FloatVector f_qc = f_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
                FloatVector f_q = f_qc.fma(f_r2, f_qb).fma(f_r2, f_qa);
                FloatVector f_p = f_r2.fma(f_q, f_r).add(1f);
                FloatVector f_s = f_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
                f_p.mul(f_s).intoMemorySegment(y, yb + (i << 2), BO);
                continue;
            }
            // e^-104 rounds to 0, e^89 to inf; NaN propagates (compare + blend: Java's max/min
            // semantics cost C2 a five-instruction sequence each)
            FloatVector u_xc = v.blend(-104f, v.lt(-104f));
            u_xc = u_xc.blend(89f, u_xc.compare(VectorOperators.GT, 89f));
            FloatVector u_t = u_xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector u_k = u_t.sub(SHIFTER_F);
            FloatVector u_r = u_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), u_xc); // exact
            u_r = u_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), u_r);
            // Estrin: the three pairs in parallel, then two levels (Horner: five dependent FMAs)
            FloatVector u_r2 = u_r.mul(u_r);
            FloatVector u_qa = u_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector u_qb = u_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector u_qc = u_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector u_q = u_qc.fma(u_r2, u_qb).fma(u_r2, u_qa);
            FloatVector u_p = u_r2.fma(u_q, u_r).add(1f); // 1 + u_r + u_r^2 u_q
            // u_p * 2^u_k in two steps (u_k in [-150, 129]): both factors normal, one rounding at the end
            IntVector u_kl = u_t.reinterpretAsInts().sub(SHIFTER_F_BITS);
            IntVector u_k1 = u_kl.lanewise(VectorOperators.ASHR, 1);
            IntVector u_k2 = u_kl.sub(u_k1);
            FloatVector u_s1 = u_k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector u_s2 = u_k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            r = u_p.mul(u_s1).mul(u_s2);
            r.intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> msk = VectorConfig.F.indexInRange(i, n);
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO, msk);
            FloatVector r;
            // e^-104 rounds to 0, e^89 to inf; NaN propagates (compare + blend: Java's max/min
            // semantics cost C2 a five-instruction sequence each)
            FloatVector u_xc = v.blend(-104f, v.lt(-104f));
            u_xc = u_xc.blend(89f, u_xc.compare(VectorOperators.GT, 89f));
            FloatVector u_t = u_xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector u_k = u_t.sub(SHIFTER_F);
            FloatVector u_r = u_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), u_xc); // exact
            u_r = u_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), u_r);
            // Estrin: the three pairs in parallel, then two levels (Horner: five dependent FMAs)
            FloatVector u_r2 = u_r.mul(u_r);
            FloatVector u_qa = u_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector u_qb = u_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector u_qc = u_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector u_q = u_qc.fma(u_r2, u_qb).fma(u_r2, u_qa);
            FloatVector u_p = u_r2.fma(u_q, u_r).add(1f); // 1 + u_r + u_r^2 u_q
            // u_p * 2^u_k in two steps (u_k in [-150, 129]): both factors normal, one rounding at the end
            IntVector u_kl = u_t.reinterpretAsInts().sub(SHIFTER_F_BITS);
            IntVector u_k1 = u_kl.lanewise(VectorOperators.ASHR, 1);
            IntVector u_k2 = u_kl.sub(u_k1);
            FloatVector u_s1 = u_k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector u_s2 = u_k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            r = u_p.mul(u_s1).mul(u_s2);
            r.intoMemorySegment(y, yb + (i << 2), BO, msk);
        }
    }

    /**
     * {@code y[i] = logF(x[i])} for contiguous floats. The body of {@link #logF} is copied in
     * (generated from it; keep in sync): called once per vector, the helper gets hot enough that
     * C2 compiles it standalone first and then refuses to inline it into the loop ("already
     * compiled into a medium method"), which boxes every vector argument.
     */
    static void logLoopF(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO);
            FloatVector r;
            VectorMask<Float> u_sub = v.lt(Float.MIN_NORMAL);
            FloatVector u_xs = v.blend(v.mul(0x1p23f), u_sub);
            IntVector u_bits = u_xs.reinterpretAsInts();
            FloatVector u_e = ((FloatVector) u_bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(127)
                    .convert(VectorOperators.I2F, 0)).lanewise(VectorOperators.SUB, 23f, u_sub);
            FloatVector u_m = u_bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
            VectorMask<Float> u_big = u_m.compare(VectorOperators.GT, SQRT2_F);
            u_m = u_m.blend(u_m.mul(0.5f), u_big);
            u_e = u_e.lanewise(VectorOperators.ADD, 1f, u_big);
            FloatVector u_f = u_m.sub(1f); // exact
            FloatVector u_s = u_f.div(u_f.add(2f));
            FloatVector u_z = u_s.mul(u_s);
            FloatVector u_p = u_z.fma(FloatVector.broadcast(VectorConfig.F, A5), FloatVector.broadcast(VectorConfig.F, A4));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, A3));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, A2));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, A1));
            FloatVector u_logm = u_s.neg().fma(u_f.sub(u_p.mul(u_z)), u_f);
            FloatVector u_r = u_e.fma(FloatVector.broadcast(VectorConfig.F, LN2_HI_F), u_e.fma(FloatVector.broadcast(VectorConfig.F, LN2_LO_F), u_logm));
            u_r = u_r.blend(v, v.test(VectorOperators.IS_FINITE).not());
            u_r = u_r.blend(Float.NaN, v.lt(0f));
            r = u_r.blend(Float.NEGATIVE_INFINITY, v.eq(0f));
            r.intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> msk = VectorConfig.F.indexInRange(i, n);
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO, msk);
            FloatVector r;
            VectorMask<Float> u_sub = v.lt(Float.MIN_NORMAL);
            FloatVector u_xs = v.blend(v.mul(0x1p23f), u_sub);
            IntVector u_bits = u_xs.reinterpretAsInts();
            FloatVector u_e = ((FloatVector) u_bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(127)
                    .convert(VectorOperators.I2F, 0)).lanewise(VectorOperators.SUB, 23f, u_sub);
            FloatVector u_m = u_bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
            VectorMask<Float> u_big = u_m.compare(VectorOperators.GT, SQRT2_F);
            u_m = u_m.blend(u_m.mul(0.5f), u_big);
            u_e = u_e.lanewise(VectorOperators.ADD, 1f, u_big);
            FloatVector u_f = u_m.sub(1f); // exact
            FloatVector u_s = u_f.div(u_f.add(2f));
            FloatVector u_z = u_s.mul(u_s);
            FloatVector u_p = u_z.fma(FloatVector.broadcast(VectorConfig.F, A5), FloatVector.broadcast(VectorConfig.F, A4));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, A3));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, A2));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, A1));
            FloatVector u_logm = u_s.neg().fma(u_f.sub(u_p.mul(u_z)), u_f);
            FloatVector u_r = u_e.fma(FloatVector.broadcast(VectorConfig.F, LN2_HI_F), u_e.fma(FloatVector.broadcast(VectorConfig.F, LN2_LO_F), u_logm));
            u_r = u_r.blend(v, v.test(VectorOperators.IS_FINITE).not());
            u_r = u_r.blend(Float.NaN, v.lt(0f));
            r = u_r.blend(Float.NEGATIVE_INFINITY, v.eq(0f));
            r.intoMemorySegment(y, yb + (i << 2), BO, msk);
        }
    }

    /**
     * {@code y[i] = tanhF(x[i])} for contiguous floats. The body of {@link #tanhF} is copied in
     * (generated from it; keep in sync): called once per vector, the helper gets hot enough that
     * C2 compiles it standalone first and then refuses to inline it into the loop ("already
     * compiled into a medium method"), which boxes every vector argument.
     */
    static void tanhLoopF(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO);
            FloatVector r;
            FloatVector u_ax = v.abs();
            FloatVector u_z = v.mul(v);
            FloatVector u_p = u_z.fma(FloatVector.broadcast(VectorConfig.F, TF5), FloatVector.broadcast(VectorConfig.F, TF4));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, TF3));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, TF2));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, TF1));
            FloatVector u_small = v.mul(u_z).fma(u_p, v);
            FloatVector u_e;
            {
            FloatVector u_x_xc = u_ax.blend(10f, u_ax.compare(VectorOperators.GT, 10f)).mul(2f); // tanh(10) rounds to 1; in [0, 20] or NaN: no clamp needed
            FloatVector u_x_t = u_x_xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector u_x_k = u_x_t.sub(SHIFTER_F);
            FloatVector u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), u_x_xc); // exact
            u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), u_x_r);
            // Estrin: the three pairs in parallel, then two levels (Horner: five dependent FMAs)
            FloatVector u_x_r2 = u_x_r.mul(u_x_r);
            FloatVector u_x_qa = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector u_x_qb = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector u_x_qc = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector u_x_q = u_x_qc.fma(u_x_r2, u_x_qb).fma(u_x_r2, u_x_qa);
            FloatVector u_x_p = u_x_r2.fma(u_x_q, u_x_r).add(1f); // 1 + u_x_r + u_x_r^2 u_x_q
            // u_x_k in [0, 29]: 2^u_x_k is one normal float, built from the low bits of u_x_t
            u_e = u_x_p.mul(u_x_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            } // tanh(10) rounds to 1; NaN propagates
            FloatVector u_big = FloatVector.broadcast(VectorConfig.F, 1f).sub(FloatVector.broadcast(VectorConfig.F, 2f).div(u_e.add(1f)));
            u_big = u_big.reinterpretAsInts().or(v.reinterpretAsInts().and(Integer.MIN_VALUE)).reinterpretAsFloats();
            r = u_big.blend(u_small, u_ax.lt(TANH_POLY_LIMIT_F));
            r.intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> msk = VectorConfig.F.indexInRange(i, n);
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO, msk);
            FloatVector r;
            FloatVector u_ax = v.abs();
            FloatVector u_z = v.mul(v);
            FloatVector u_p = u_z.fma(FloatVector.broadcast(VectorConfig.F, TF5), FloatVector.broadcast(VectorConfig.F, TF4));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, TF3));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, TF2));
            u_p = u_p.fma(u_z, FloatVector.broadcast(VectorConfig.F, TF1));
            FloatVector u_small = v.mul(u_z).fma(u_p, v);
            FloatVector u_e;
            {
            FloatVector u_x_xc = u_ax.blend(10f, u_ax.compare(VectorOperators.GT, 10f)).mul(2f); // tanh(10) rounds to 1; in [0, 20] or NaN: no clamp needed
            FloatVector u_x_t = u_x_xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector u_x_k = u_x_t.sub(SHIFTER_F);
            FloatVector u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), u_x_xc); // exact
            u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), u_x_r);
            // Estrin: the three pairs in parallel, then two levels (Horner: five dependent FMAs)
            FloatVector u_x_r2 = u_x_r.mul(u_x_r);
            FloatVector u_x_qa = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector u_x_qb = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector u_x_qc = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector u_x_q = u_x_qc.fma(u_x_r2, u_x_qb).fma(u_x_r2, u_x_qa);
            FloatVector u_x_p = u_x_r2.fma(u_x_q, u_x_r).add(1f); // 1 + u_x_r + u_x_r^2 u_x_q
            // u_x_k in [0, 29]: 2^u_x_k is one normal float, built from the low bits of u_x_t
            u_e = u_x_p.mul(u_x_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            } // tanh(10) rounds to 1; NaN propagates
            FloatVector u_big = FloatVector.broadcast(VectorConfig.F, 1f).sub(FloatVector.broadcast(VectorConfig.F, 2f).div(u_e.add(1f)));
            u_big = u_big.reinterpretAsInts().or(v.reinterpretAsInts().and(Integer.MIN_VALUE)).reinterpretAsFloats();
            r = u_big.blend(u_small, u_ax.lt(TANH_POLY_LIMIT_F));
            r.intoMemorySegment(y, yb + (i << 2), BO, msk);
        }
    }

    /**
     * {@code y[i] = sigmoidF(x[i])} for contiguous floats. The body of {@link #sigmoidF} is copied in
     * (generated from it; keep in sync): called once per vector, the helper gets hot enough that
     * C2 compiles it standalone first and then refuses to inline it into the loop ("already
     * compiled into a medium method"), which boxes every vector argument.
     */
    static void sigmoidLoopF(long n, MemorySegment x, long xb, MemorySegment y, long yb) {
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        // two vectors per iteration while no |x| > 87, as in expLoopF
        for (; i + VectorConfig.FL <= ub - VectorConfig.FL; i += 2 * VectorConfig.FL) {
            FloatVector v0 = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO);
            FloatVector v1 = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + ((i + VectorConfig.FL) << 2), BO);
            FloatVector a0 = v0.abs();
            FloatVector a1 = v1.abs();
            if (a0.compare(VectorOperators.GT, EXP_FAST_LIMIT_F).or(a1.compare(VectorOperators.GT, EXP_FAST_LIMIT_F)).anyTrue()) {
                break;
            }
            FloatVector n0 = a0.neg();
            FloatVector n1 = a1.neg();
            FloatVector a_t = n0.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector a_k = a_t.sub(SHIFTER_F);
            FloatVector a_r = a_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), n0); // exact
            a_r = a_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), a_r);
            FloatVector a_r2 = a_r.mul(a_r);
            FloatVector a_qa = a_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector a_qb = a_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector a_qc = a_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector a_q = a_qc.fma(a_r2, a_qb).fma(a_r2, a_qa);
            FloatVector a_e = a_r2.fma(a_q, a_r).add(1f).mul(a_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector b_t = n1.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector b_k = b_t.sub(SHIFTER_F);
            FloatVector b_r = b_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), n1); // exact
            b_r = b_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), b_r);
            FloatVector b_r2 = b_r.mul(b_r);
            FloatVector b_qa = b_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector b_qb = b_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector b_qc = b_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector b_q = b_qc.fma(b_r2, b_qb).fma(b_r2, b_qa);
            FloatVector b_e = b_r2.fma(b_q, b_r).add(1f).mul(b_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector a_num = FloatVector.broadcast(VectorConfig.F, 1f).blend(a_e, v0.lt(0f));
            FloatVector a_d = a_e.add(1f);
            FloatVector a_err = FloatVector.broadcast(VectorConfig.F, 1f).sub(a_d).add(a_e);
            FloatVector a_rcp = FloatVector.broadcast(VectorConfig.F, 1f).div(a_d);
            FloatVector a_q2 = a_num.mul(a_rcp);
            FloatVector a_res = a_q2.neg().fma(a_d, a_num);
            FloatVector a_s = a_q2.add(a_q2.neg().fma(a_err, a_res).mul(a_rcp));
            FloatVector b_num = FloatVector.broadcast(VectorConfig.F, 1f).blend(b_e, v1.lt(0f));
            FloatVector b_d = b_e.add(1f);
            FloatVector b_err = FloatVector.broadcast(VectorConfig.F, 1f).sub(b_d).add(b_e);
            FloatVector b_rcp = FloatVector.broadcast(VectorConfig.F, 1f).div(b_d);
            FloatVector b_q2 = b_num.mul(b_rcp);
            FloatVector b_res = b_q2.neg().fma(b_d, b_num);
            FloatVector b_s = b_q2.add(b_q2.neg().fma(b_err, b_res).mul(b_rcp));
            a_s.intoMemorySegment(y, yb + (i << 2), BO);
            b_s.intoMemorySegment(y, yb + ((i + VectorConfig.FL) << 2), BO);
        }
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO);
            FloatVector r;
            FloatVector u_e;
            if (!v.abs().compare(VectorOperators.GT, EXP_FAST_LIMIT_F).anyTrue()) { // fast path: see expLoopF
            FloatVector f_xc = v.abs().neg();
            FloatVector f_t = f_xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector f_k = f_t.sub(SHIFTER_F);
            FloatVector f_r = f_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), f_xc); // exact
            f_r = f_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), f_r);
            FloatVector f_r2 = f_r.mul(f_r);
            FloatVector f_qa = f_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector f_qb = f_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector f_qc = f_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector f_q = f_qc.fma(f_r2, f_qb).fma(f_r2, f_qa);
            FloatVector f_p = f_r2.fma(f_q, f_r).add(1f);
            FloatVector f_e = f_p.mul(f_t.reinterpretAsInts().add(EXP_FAST_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector f_num = FloatVector.broadcast(VectorConfig.F, 1f).blend(f_e, v.lt(0f));
            FloatVector f_d = f_e.add(1f);
            FloatVector f_err = FloatVector.broadcast(VectorConfig.F, 1f).sub(f_d).add(f_e);
            FloatVector f_rcp = FloatVector.broadcast(VectorConfig.F, 1f).div(f_d);
            FloatVector f_q2 = f_num.mul(f_rcp);
            FloatVector f_res = f_q2.neg().fma(f_d, f_num);
            FloatVector f_corr = f_q2.neg().fma(f_err, f_res).mul(f_rcp);
            f_q2.add(f_corr).intoMemorySegment(y, yb + (i << 2), BO); // stored here: a vector merged from two paths is boxed by C2
            continue;
            }
            {
            FloatVector u_x_xc = v.abs().neg(); // e^-104 rounds to 0, e^89 to inf; NaN propagates
            u_x_xc = u_x_xc.blend(-104f, u_x_xc.lt(-104f)); // compare + blend: Java's max/min cost C2 ~5 instructions each
            u_x_xc = u_x_xc.blend(89f, u_x_xc.compare(VectorOperators.GT, 89f));
            FloatVector u_x_t = u_x_xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector u_x_k = u_x_t.sub(SHIFTER_F);
            FloatVector u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), u_x_xc); // exact
            u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), u_x_r);
            // Estrin: the three pairs in parallel, then two levels (Horner: five dependent FMAs)
            FloatVector u_x_r2 = u_x_r.mul(u_x_r);
            FloatVector u_x_qa = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector u_x_qb = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector u_x_qc = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector u_x_q = u_x_qc.fma(u_x_r2, u_x_qb).fma(u_x_r2, u_x_qa);
            FloatVector u_x_p = u_x_r2.fma(u_x_q, u_x_r).add(1f); // 1 + u_x_r + u_x_r^2 u_x_q
            // u_x_p * 2^u_x_k in two steps (u_x_k in [-150, 129]): both factors normal, one rounding at the end
            IntVector u_x_kl = u_x_t.reinterpretAsInts().sub(SHIFTER_F_BITS);
            IntVector u_x_k1 = u_x_kl.lanewise(VectorOperators.ASHR, 1);
            IntVector u_x_k2 = u_x_kl.sub(u_x_k1);
            FloatVector u_x_s1 = u_x_k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector u_x_s2 = u_x_k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            u_e = u_x_p.mul(u_x_s1).mul(u_x_s2);
            }
            FloatVector u_num = FloatVector.broadcast(VectorConfig.F, 1f).blend(u_e, v.lt(0f));
            FloatVector u_d = u_e.add(1f);
            FloatVector u_err = FloatVector.broadcast(VectorConfig.F, 1f).sub(u_d).add(u_e); // u_d + u_err == 1 + u_e exactly (|u_e| <= 1)
            FloatVector u_rcp = FloatVector.broadcast(VectorConfig.F, 1f).div(u_d); // the one division
            FloatVector u_q = u_num.mul(u_rcp);
            FloatVector u_res = u_q.neg().fma(u_d, u_num); // u_num - u_q u_d exactly
            FloatVector u_corr = u_q.neg().fma(u_err, u_res).mul(u_rcp); // (u_num - u_q (u_d + u_err)) / u_d
            r = u_q.add(u_corr);
            r.intoMemorySegment(y, yb + (i << 2), BO);
        }
        if (i < n) {
            VectorMask<Float> msk = VectorConfig.F.indexInRange(i, n);
            FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, x, xb + (i << 2), BO, msk);
            FloatVector r;
            FloatVector u_e;
            {
            FloatVector u_x_xc = v.abs().neg(); // e^-104 rounds to 0, e^89 to inf; NaN propagates
            u_x_xc = u_x_xc.blend(-104f, u_x_xc.lt(-104f)); // compare + blend: Java's max/min cost C2 ~5 instructions each
            u_x_xc = u_x_xc.blend(89f, u_x_xc.compare(VectorOperators.GT, 89f));
            FloatVector u_x_t = u_x_xc.fma(FloatVector.broadcast(VectorConfig.F, LOG2E_F), FloatVector.broadcast(VectorConfig.F, SHIFTER_F));
            FloatVector u_x_k = u_x_t.sub(SHIFTER_F);
            FloatVector u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_HI_F), u_x_xc); // exact
            u_x_r = u_x_k.fma(FloatVector.broadcast(VectorConfig.F, -LN2_LO_F), u_x_r);
            // Estrin: the three pairs in parallel, then two levels (Horner: five dependent FMAs)
            FloatVector u_x_r2 = u_x_r.mul(u_x_r);
            FloatVector u_x_qa = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E3), FloatVector.broadcast(VectorConfig.F, E2));
            FloatVector u_x_qb = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E5), FloatVector.broadcast(VectorConfig.F, E4));
            FloatVector u_x_qc = u_x_r.fma(FloatVector.broadcast(VectorConfig.F, E7), FloatVector.broadcast(VectorConfig.F, E6));
            FloatVector u_x_q = u_x_qc.fma(u_x_r2, u_x_qb).fma(u_x_r2, u_x_qa);
            FloatVector u_x_p = u_x_r2.fma(u_x_q, u_x_r).add(1f); // 1 + u_x_r + u_x_r^2 u_x_q
            // u_x_p * 2^u_x_k in two steps (u_x_k in [-150, 129]): both factors normal, one rounding at the end
            IntVector u_x_kl = u_x_t.reinterpretAsInts().sub(SHIFTER_F_BITS);
            IntVector u_x_k1 = u_x_kl.lanewise(VectorOperators.ASHR, 1);
            IntVector u_x_k2 = u_x_kl.sub(u_x_k1);
            FloatVector u_x_s1 = u_x_k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector u_x_s2 = u_x_k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            u_e = u_x_p.mul(u_x_s1).mul(u_x_s2);
            }
            FloatVector u_num = FloatVector.broadcast(VectorConfig.F, 1f).blend(u_e, v.lt(0f));
            FloatVector u_d = u_e.add(1f);
            FloatVector u_err = FloatVector.broadcast(VectorConfig.F, 1f).sub(u_d).add(u_e); // u_d + u_err == 1 + u_e exactly (|u_e| <= 1)
            FloatVector u_rcp = FloatVector.broadcast(VectorConfig.F, 1f).div(u_d); // the one division
            FloatVector u_q = u_num.mul(u_rcp);
            FloatVector u_res = u_q.neg().fma(u_d, u_num); // u_num - u_q u_d exactly
            FloatVector u_corr = u_q.neg().fma(u_err, u_res).mul(u_rcp); // (u_num - u_q (u_d + u_err)) / u_d
            r = u_q.add(u_corr);
            r.intoMemorySegment(y, yb + (i << 2), BO, msk);
        }
    }

    // ------------------------------------------------------------------ f32 through double lanes

    /** Widens a half-width float vector ({@link VectorConfig#FH}, DL lanes) to one double vector. */
    static DoubleVector widen(FloatVector h) {
        return (DoubleVector) h.convertShape(VectorOperators.F2D, VectorConfig.D, 0);
    }

    /** Rounds a double vector to a half-width float vector ({@link VectorConfig#FH}). */
    static FloatVector narrow(DoubleVector d) {
        return (FloatVector) d.convertShape(VectorOperators.D2F, VectorConfig.FH, 0);
    }
}
