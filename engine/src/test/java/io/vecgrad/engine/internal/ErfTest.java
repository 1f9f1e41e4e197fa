package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.internal.scalar.Erf;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Erf} against an independent high-precision reference (BigDecimal Maclaurin series). */
class ErfTest {

    private static final MathContext MC = new MathContext(170, RoundingMode.HALF_EVEN);
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651328230664709384460955058223172535940812848111745028410270193852110555964462294895493038196");
    private static final BigDecimal TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(MC), MC);

    /** erf(x) to ~170 significant digits (absolute), for |x| <= 10. */
    static BigDecimal erfRef(double xd) {
        BigDecimal x = new BigDecimal(xd);
        BigDecimal x2 = x.multiply(x, MC).negate();
        BigDecimal t = x;        // (-1)^n x^(2n+1) / n!
        BigDecimal sum = x;
        BigDecimal eps = new BigDecimal("1e-175");
        for (int n = 1; n < 5000; n++) {
            t = t.multiply(x2, MC).divide(BigDecimal.valueOf(n), MC);
            BigDecimal u = t.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(u, MC);
            if (u.abs().compareTo(eps) < 0 && n > x2.abs().doubleValue()) {
                break;
            }
        }
        return sum.multiply(TWO_OVER_SQRT_PI, MC);
    }

    /** Error of {@code got} in ulps of the exact value {@code want}. */
    static double ulpErr(double got, BigDecimal want) {
        double w = want.doubleValue();
        double ulp = Math.ulp(w);
        return new BigDecimal(got).subtract(want).abs().doubleValue() / ulp;
    }

    @Test
    void knownValues() {
        assertEquals(0.5204998778130465, Erf.erf(0.5), 0.0);
        assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-16);
        assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-16);
        assertEquals(1.5374597944280349e-12, Erf.erfc(5.0), 1.5374597944280349e-12 * 4e-16);
        assertEquals(2.088487583762545e-45, Erf.erfc(10.0), 2.088487583762545e-45 * 4e-16);
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(-0.0, Erf.erf(-0.0));
        assertEquals(1.0, Erf.erfc(0.0));
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
        assertEquals(Double.MIN_VALUE, Erf.erf(Double.MIN_VALUE)); // 1.128 * min rounds to min
        assertEquals(1e-300 * 1.1283791670955126, Erf.erf(1e-300), 1e-316);
        assertEquals(0.0, Erf.erfc(30.0));
        assertTrue(Erf.erfc(26.6) > 0 && Erf.erfc(26.6) < Double.MIN_NORMAL);
    }

    @Test
    void erfWithinOneUlp() {
        SplittableRandom rnd = new SplittableRandom(42);
        double worst = 0;
        double worstX = 0;
        for (int i = 0; i < 1500; i++) {
            double x = i < 1000 ? rnd.nextDouble(-6, 6) : Math.scalb(rnd.nextDouble(1, 2), -rnd.nextInt(1, 60));
            double e = ulpErr(Erf.erf(x), erfRef(x));
            if (e > worst) {
                worst = e;
                worstX = x;
            }
        }
        System.out.println("erf max ulp error " + worst + " at " + worstX);
        assertTrue(worst <= 1.0, "erf max ulp " + worst + " at x=" + worstX);
    }

    @Test
    void erfcRelativeAccuracy() {
        SplittableRandom rnd = new SplittableRandom(7);
        double worst = 0;
        double worstX = 0;
        for (int i = 0; i < 1500; i++) {
            double x = rnd.nextDouble(-6, 10);
            BigDecimal want = BigDecimal.ONE.subtract(erfRef(x), MC);
            double e = ulpErr(Erf.erfc(x), want);
            if (e > worst) {
                worst = e;
                worstX = x;
            }
        }
        System.out.println("erfc max ulp error " + worst + " at " + worstX);
        assertTrue(worst <= 3.0, "erfc max ulp " + worst + " at x=" + worstX);
    }
}
