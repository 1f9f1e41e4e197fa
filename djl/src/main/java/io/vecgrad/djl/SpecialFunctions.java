package io.vecgrad.djl;

/**
 * Scalar special functions for DJL operators vecgrad has no kernel for (heap path, float64):
 * log-gamma (Lanczos, g = 7, 9 terms), erf (from the regularized incomplete gamma series and
 * continued fraction, accurate to ~1e-14) and its inverse (Newton on erf).
 */
final class SpecialFunctions {
    private SpecialFunctions() {}

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    /** {@code ln |Γ(x)|}. */
    static double lgamma(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x <= 0 && x == Math.rint(x)) {
            return Double.POSITIVE_INFINITY;
        }
        if (x < 0.5) {
            // reflection: Γ(x)Γ(1-x) = π / sin(πx)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
        }
        double z = x - 1;
        double a = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The error function. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return -erf(-x);
        }
        if (x > 6) {
            return 1;
        }
        // erf(x) = P(1/2, x^2), the regularized lower incomplete gamma function
        double a = 0.5;
        double s = x * x;
        if (s < a + 1) {
            double sum = 1 / a;
            double term = sum;
            for (int n = 1; n < 500; n++) {
                term *= s / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-16) {
                    break;
                }
            }
            return sum * Math.exp(-s + a * Math.log(s) - lgamma(a));
        }
        // continued fraction for Q(a, s) (modified Lentz)
        double b = s + 1 - a;
        double c = 1 / 1e-300;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 500; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < 1e-300) {
                d = 1e-300;
            }
            c = b + an / c;
            if (Math.abs(c) < 1e-300) {
                c = 1e-300;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) {
                break;
            }
        }
        return 1 - Math.exp(-s + a * Math.log(s) - lgamma(a)) * h;
    }

    /** The inverse error function on (-1, 1); ±inf at ±1, NaN outside. */
    static double erfinv(double y) {
        if (Double.isNaN(y) || y < -1 || y > 1) {
            return Double.NaN;
        }
        if (y == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (y == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        // start from a logarithmic approximation, then Newton: x -= (erf(x) - y) / erf'(x)
        double w = -Math.log((1 - y) * (1 + y));
        double x = Math.signum(y) * Math.sqrt(Math.max(0, w - Math.log(Math.max(w, 1e-300)) * 0.5));
        if (Math.abs(y) < 0.5) {
            x = y * Math.sqrt(Math.PI) / 2;
        }
        for (int i = 0; i < 100; i++) {
            double e = erf(x) - y;
            double step = e / (2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
            x -= step;
            if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) {
                break;
            }
        }
        return x;
    }
}
