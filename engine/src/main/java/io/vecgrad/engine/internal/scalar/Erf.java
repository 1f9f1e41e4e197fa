package io.vecgrad.engine.internal.scalar;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Double-precision error function and its complement, for the scalar oracle (GELU) and as the
 * reference the vector approximations are fitted and tested against. Java has no {@code erf}.
 *
 * <p><b>Method</b> (no tables of fitted coefficients; everything follows from the definitions):
 * <ul>
 *   <li>{@code |x| < 3.5}: the Maclaurin series
 *       {@code erf x = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))}, summed in double-double
 *       arithmetic (~106 bits). The alternating series loses at most {@code log2(e^(x^2))} ≈ 18
 *       bits to cancellation, and {@code erfc = 1 - erf} is formed in double-double too, so even
 *       {@code erfc(3.5) ≈ 7.4e-7} keeps more than 65 correct bits before the final rounding.</li>
 *   <li>{@code |x| >= 3.5}: Laplace's continued fraction
 *       {@code erfc x = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))},
 *       evaluated bottom-up (stable) with enough terms to converge to double precision (checked
 *       numerically: 40 terms suffice at x = 2.5, 20 at x = 4; 50 are used). {@code e^(-x^2)} uses the exact split
 *       {@code x^2 = s + e} (via fma) so that the argument's rounding error does not get
 *       amplified by {@code x^2}.</li>
 * </ul>
 * Measured against a 170-digit BigDecimal series in {@code ErfTest}: erf within 0.5 ulp; erfc
 * within 0.5 ulp for x < 3.5 and within 3 ulp in the continued-fraction range (x >= 3.5, where
 * erfc < 1e-6; the error there comes from {@code exp} and the divisions), far below float32
 * resolution.
 */
public final class Erf {
    private Erf() {}

    /** Below this |x| the double-double series is used, at and above it the continued fraction. */
    private static final double SERIES_LIMIT = 3.5;

    /** 2/sqrt(pi) as a double-double (hi + lo), derived from pi at class initialisation. */
    private static final double TWO_OVER_SQRT_PI_HI;
    private static final double TWO_OVER_SQRT_PI_LO;
    /** sqrt(pi) as a double-double. */
    private static final double SQRT_PI;
    private static final double SQRT_PI_LO;

    static {
        MathContext mc = new MathContext(60);
        BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459");
        BigDecimal sqrtPi = pi.sqrt(mc);
        BigDecimal v = BigDecimal.valueOf(2).divide(sqrtPi, mc);
        TWO_OVER_SQRT_PI_HI = v.doubleValue();
        TWO_OVER_SQRT_PI_LO = v.subtract(new BigDecimal(TWO_OVER_SQRT_PI_HI)).doubleValue();
        SQRT_PI = sqrtPi.doubleValue();
        SQRT_PI_LO = sqrtPi.subtract(new BigDecimal(SQRT_PI)).doubleValue();
    }

    /** The error function {@code erf x = 2/sqrt(pi) * int_0^x e^(-t^2) dt}. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x == 0) {
            return x; // keeps the sign of -0
        }
        double ax = Math.abs(x);
        double r;
        if (ax < SERIES_LIMIT) {
            r = series(ax, 0);
        } else if (ax >= 6.0) {
            r = 1.0; // erfc(6) ~ 2e-17 < ulp(1)/2
        } else {
            r = 1.0 - erfcTail(ax);
        }
        return x < 0 ? -r : r;
    }

    /** The complementary error function {@code erfc x = 1 - erf x}, accurate relative to itself. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < SERIES_LIMIT) {
            if (ax == 0) {
                return 1.0;
            }
            return series(ax, x < 0 ? -1 : 1);
        }
        if (x < 0) {
            return ax >= 6.0 ? 2.0 : 2.0 - erfcTail(ax);
        }
        return erfcTail(ax);
    }

    /**
     * The scaled complementary error function {@code erfcx x = e^(x^2) erfc x} for {@code x >= 0}
     * (tends to {@code 1/(x sqrt(pi))}); finite for all finite x, 1/sqrt(pi) times 0 at +inf.
     */
    public static double erfcx(double x) {
        if (Double.isNaN(x) || x < 0) {
            throw new IllegalArgumentException("erfcx: x must be >= 0, got " + x);
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        if (x < SERIES_LIMIT) {
            double s = x * x;
            double e = Math.fma(x, x, -s);
            return StrictMath.exp(s) * (1.0 + e) * erfc(x);
        }
        int terms = x < 5.0 ? 50 : 30;
        double f = x;
        for (int k = terms; k >= 1; k--) {
            f = x + (0.5 * k) / f;
        }
        return 1.0 / (SQRT_PI * f);
    }

    /** erfc for x >= 2 by the continued fraction. */
    private static double erfcTail(double x) {
        if (x == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        if (x > 27.3) {
            return 0.0; // erfc(27.3) < 2^-1075: underflows
        }
        int terms = x < 5.0 ? 50 : 30;
        double f = x;
        for (int k = terms; k >= 1; k--) {
            f = x + (0.5 * k) / f;
        }
        double s = x * x;
        double e = Math.fma(x, x, -s); // x^2 = s + e exactly
        double d = SQRT_PI * f;
        // sqrt(pi) * f = d * (1 + c) with the product's rounding error and sqrt(pi)'s low part
        double c = (Math.fma(SQRT_PI, f, -d) + SQRT_PI_LO * f) / d;
        if (s < 700) {
            return StrictMath.exp(-s) * (1.0 - e - c) / d;
        }
        // the result is (nearly) subnormal: fold the divisor into the exponent to avoid a
        // premature underflow of e^(-s)
        return StrictMath.exp(-s - StrictMath.log(d)) * (1.0 - e);
    }

    /**
     * erf(x) for 0 < x < SERIES_LIMIT by the Maclaurin series in double-double arithmetic.
     * Returns erf x rounded to double when {@code complementSign == 0}, otherwise
     * {@code 1 - complementSign * erf x} (complementSign = +1 for erfc(x), -1 for erfc(-x))
     * formed in double-double before the single final rounding.
     */
    private static double series(double x, int complementSign) {
        // x^2 = s + sl exactly
        double s = x * x;
        double sl = Math.fma(x, x, -s);
        // term t_n = (-1)^n x^(2n+1) / n!, as a double-double; sum of t_n / (2n+1)
        double th = x;
        double tl = 0.0;
        double sh = x;
        double slo = 0.0;
        for (int n = 1; n < 400; n++) {
            // t *= -(s + sl)
            double p = th * -s;
            double pe = Math.fma(th, -s, -p) + (th * -sl + tl * -s);
            th = p + pe;
            tl = pe - (th - p);
            // t /= n
            double q = th / n;
            double rem = Math.fma(-q, n, th) + tl; // (th + tl) - q*n, the first part exact
            double q2 = rem / n;
            th = q + q2;
            tl = q2 - (th - q);
            // u = t / (2n+1)
            int m = 2 * n + 1;
            double uh = th / m;
            double ur = Math.fma(-uh, m, th) + tl;
            double ul = ur / m;
            // sum += u (accurate double-double addition)
            double a1 = sh + uh;
            double bb = a1 - sh;
            double a2 = (sh - (a1 - bb)) + (uh - bb);
            double b1 = slo + ul;
            double cc = b1 - slo;
            double b2 = (slo - (b1 - cc)) + (ul - cc);
            a2 += b1;
            double h = a1 + a2;
            a2 = a2 - (h - a1);
            a2 += b2;
            sh = h + a2;
            slo = a2 - (sh - h);
            if (Math.abs(uh) < 0x1p-110 * sh) {
                break;
            }
        }
        // r = sum * 2/sqrt(pi)
        double rh = sh * TWO_OVER_SQRT_PI_HI;
        double re = Math.fma(sh, TWO_OVER_SQRT_PI_HI, -rh) + (sh * TWO_OVER_SQRT_PI_LO + slo * TWO_OVER_SQRT_PI_HI);
        double erfHi = rh + re;
        double erfLo = re - (erfHi - rh);
        if (complementSign == 0) {
            return erfHi;
        }
        if (complementSign < 0) {
            erfHi = -erfHi;
            erfLo = -erfLo;
        }
        // 1 - (erfHi + erfLo): 1 - erfHi is exact for erfHi in [0.5, 1] (Sterbenz), and for
        // smaller erfHi the result is >= 0.5 so the error of this subtraction is below ulp/2
        // of the result anyway; the low part then enters once.
        double d = 1.0 - erfHi;
        double dErr = (1.0 - d) - erfHi; // exact error of the subtraction (|erfHi| <= 1)
        return d + (dErr - erfLo);
    }
}
