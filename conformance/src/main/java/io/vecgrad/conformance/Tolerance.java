package io.vecgrad.conformance;

import java.util.Arrays;

/**
 * The acceptance tolerance rule for one expected float tensor:
 * {@code |got_i - want_i| <= rtol*|want_i| + atol*max(1, max_j |want_j|)}. {@code want} is
 * PyTorch's float64 reference; {@code max_j} runs over the finite elements of the whole
 * expected tensor. A non-finite {@code want_i} (NaN, ±inf) must be matched exactly: NaN by
 * NaN, an infinity by the same infinity. A NaN or infinite {@code got_i} where a finite value
 * is expected always fails.
 *
 * @param rtol relative tolerance per element
 * @param atol absolute tolerance, scaled by the expected tensor's magnitude (floored at 1)
 */
public record Tolerance(double rtol, double atol) {

    /** The README's default for float32 engines. */
    public static final Tolerance DEFAULT_F32 = new Tolerance(1e-4, 1e-5);
    /** The README's default for float64 engines. */
    public static final Tolerance DEFAULT_F64 = new Tolerance(1e-9, 1e-11);

    /**
     * The worst element of a comparison.
     *
     * @param index flat row-major index of the worst element, or -1 when every element passed
     *     and the tensors are empty
     * @param got the engine's value there
     * @param want the reference value there
     * @param bound the allowed |got - want| there ({@code NaN} for a non-finite reference)
     * @param ok whether every element is within its bound
     */
    public record Outcome(int index, double got, double want, double bound, boolean ok) {}

    /** The allowed deviation of one element: {@code rtol*|want| + atol*max(1, scale)}. */
    public double bound(double want, double scale) {
        return rtol * Math.abs(want) + atol * Math.max(1, scale);
    }

    /** True if a single element is within tolerance given the tensor's {@code max_j |want_j|}. */
    public boolean accepts(double got, double want, double scale) {
        if (!Double.isFinite(want)) {
            return Double.isNaN(want) ? Double.isNaN(got) : got == want;
        }
        if (!Double.isFinite(got)) {
            return false;
        }
        return Math.abs(got - want) <= bound(want, scale);
    }

    /**
     * Compares equally long arrays element by element and returns the first failing element
     * that is worst (largest |got - want| / bound; a non-finite mismatch counts as worst of all),
     * or the element closest to its bound when all pass.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public Outcome compare(double[] got, double[] want) {
        if (got.length != want.length) {
            throw new IllegalArgumentException("tolerance: " + got.length + " values compared to " + want.length);
        }
        double scale = Arrays.stream(want).filter(Double::isFinite).map(Math::abs).max().orElse(0);
        int worst = -1;
        double worstRatio = -1;
        boolean ok = true;
        for (int i = 0; i < want.length; i++) {
            boolean pass = accepts(got[i], want[i], scale);
            double ratio;
            if (!pass && (!Double.isFinite(want[i]) || !Double.isFinite(got[i]))) {
                ratio = Double.POSITIVE_INFINITY;
            } else if (!Double.isFinite(want[i])) {
                ratio = 0;
            } else {
                ratio = Math.abs(got[i] - want[i]) / bound(want[i], scale);
            }
            if (worst < 0 || (!pass && ok) || (pass == ok && ratio > worstRatio)) {
                worst = i;
                worstRatio = ratio;
            }
            ok &= pass;
        }
        if (worst < 0) {
            return new Outcome(-1, Double.NaN, Double.NaN, Double.NaN, true);
        }
        double w = want[worst];
        return new Outcome(worst, got[worst], w, Double.isFinite(w) ? bound(w, scale) : Double.NaN, ok);
    }
}
