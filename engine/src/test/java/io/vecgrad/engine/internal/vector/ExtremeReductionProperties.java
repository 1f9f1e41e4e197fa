package io.vecgrad.engine.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorReductions#extremeF} / {@link VectorReductions#extremeD} (max and min reductions,
 * compare and blend, a NaN scan after an inf or NaN, a zero-sign scan after a zero result, MAX/MIN
 * for rows shorter than a vector) and the arg-max / arg-min built on them, bit for bit
 * against a plain scalar loop of {@link Math#max} / {@link Math#min}: NaN if any element is NaN
 * (the canonical NaN, as before), max(-0, +0) = +0 and min = -0, infinities, -inf / +inf when
 * empty. Lengths cover every vector-length edge up to a few vectors, the chunk edges (CHUNK = 8192)
 * and rows of several chunks; special values are placed first, in the middle, last and in the last
 * partial vector. Named *Properties so the 256- and 128-bit surefire runs repeat it.
 */
class ExtremeReductionProperties {
    private static final long SEED = 0x3a7b1e5dL;

    private static int[] lengths() {
        TreeSet<Integer> s = new TreeSet<>();
        for (int n = 1; n <= 80; n++) {
            s.add(n);
        }
        int c = VectorReductions.CHUNK;
        for (int edge : new int[] {127, 128, 129, 255, 256, 257, 1000, 4095, 4096, 4097,
                                   c, 2 * c, 3 * c}) {
            for (int d = -17; d <= 17; d += (Math.abs(d) < 3 || Math.abs(d) > 14) ? 1 : 4) {
                if (edge + d > 0) {
                    s.add(edge + d);
                }
            }
        }
        s.add(20000);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Case names, one per way of filling a row (see fill). */
    private static final String[] CASES = {
        "random", "NaN first", "NaN middle", "NaN last", "NaN in last vector", "+inf", "-inf",
        "all -inf", "all +inf", "+inf and -inf", "inf then NaN later", "zeros only", "-0 max among negatives",
        "+0 min among positives", "both zeros among negatives", "both zeros among positives",
        "extreme last", "zeros present, extreme nonzero", "huge and subnormal", "NaN payload",
    };

    /** Fills x (length n) for case k; doubles, rounded to float by the f32 caller. */
    private static void fill(double[] x, int k, SplittableRandom r) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble(-100, 100);
        }
        int at = r.nextInt(n);
        int lastVec = Math.max(0, n - 1 - r.nextInt(16)); // within the last 16 elements
        switch (CASES[k]) {
            case "random" -> { }
            case "NaN first" -> x[0] = Double.NaN;
            case "NaN middle" -> x[n / 2] = Double.NaN;
            case "NaN last" -> x[n - 1] = Double.NaN;
            case "NaN in last vector" -> x[lastVec] = Double.NaN;
            case "+inf" -> x[at] = Double.POSITIVE_INFINITY;
            case "-inf" -> x[at] = Double.NEGATIVE_INFINITY;
            case "all -inf" -> Arrays.fill(x, Double.NEGATIVE_INFINITY);
            case "all +inf" -> Arrays.fill(x, Double.POSITIVE_INFINITY);
            case "+inf and -inf" -> {
                x[at] = Double.POSITIVE_INFINITY;
                x[lastVec] = Double.NEGATIVE_INFINITY;
            }
            case "inf then NaN later" -> {
                x[0] = Double.POSITIVE_INFINITY;
                x[1 % n] = Double.NEGATIVE_INFINITY;
                x[lastVec] = Double.NaN;
            }
            case "zeros only" -> {
                int mode = r.nextInt(5); // all -0, all +0, one +0 among -0, one -0 among +0, random
                for (int i = 0; i < n; i++) {
                    x[i] = switch (mode) {
                        case 0 -> -0.0;
                        case 1 -> 0.0;
                        case 2 -> i == at ? 0.0 : -0.0;
                        case 3 -> i == at ? -0.0 : 0.0;
                        default -> r.nextBoolean() ? 0.0 : -0.0;
                    };
                }
            }
            case "-0 max among negatives" -> {
                for (int i = 0; i < n; i++) {
                    x[i] = -Math.abs(x[i]);
                }
                x[at] = -0.0;
                x[lastVec] = -0.0;
            }
            case "+0 min among positives" -> {
                for (int i = 0; i < n; i++) {
                    x[i] = Math.abs(x[i]);
                }
                x[at] = 0.0;
                x[lastVec] = 0.0;
            }
            case "both zeros among negatives", "both zeros among positives" -> {
                boolean neg = CASES[k].endsWith("negatives");
                for (int i = 0; i < n; i++) {
                    x[i] = neg ? -Math.abs(x[i]) : Math.abs(x[i]);
                }
                x[at] = r.nextBoolean() ? 0.0 : -0.0;
                x[lastVec] = -x[at]; // the other zero (when at != lastVec)
            }
            case "extreme last" -> x[n - 1] = r.nextBoolean() ? 1000 : -1000;
            case "zeros present, extreme nonzero" -> {
                for (int i = 0; i < n; i += 3) {
                    x[i] = r.nextBoolean() ? 0.0 : -0.0;
                }
            }
            case "huge and subnormal" -> {
                for (int i = 0; i < n; i++) {
                    x[i] = switch (r.nextInt(4)) {
                        case 0 -> r.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
                        case 1 -> r.nextBoolean() ? Float.MIN_VALUE : -Float.MIN_VALUE;
                        case 2 -> r.nextBoolean() ? Double.MIN_VALUE : -Double.MIN_VALUE; // f32: a zero
                        default -> x[i];
                    };
                }
            }
            case "NaN payload" -> x[at] = Double.longBitsToDouble(0x7ff8_dead_beef_0001L);
            default -> throw new AssertionError(CASES[k]);
        }
    }

    private static MemorySegment segF(float[] x, int off) {
        MemorySegment s = Arena.ofAuto().allocate(4L * (x.length + off), 64);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * off, x.length);
        return s;
    }

    private static MemorySegment segD(double[] x, int off) {
        MemorySegment s = Arena.ofAuto().allocate(8L * (x.length + off), 64);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_DOUBLE_UNALIGNED, 8L * off, x.length);
        return s;
    }

    /** The scalar loop, with a NaN result as the canonical NaN (what the vector kernels return). */
    private static int refBitsF(float[] x, boolean max) {
        float m = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = max ? Math.max(m, v) : Math.min(m, v);
        }
        return Float.floatToRawIntBits(m != m ? Float.NaN : m);
    }

    private static long refBitsD(double[] x, boolean max) {
        double m = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (double v : x) {
            m = max ? Math.max(m, v) : Math.min(m, v);
        }
        return Double.doubleToRawLongBits(m != m ? Double.NaN : m);
    }

    /** The first NaN's index, else the first index whose element == the extreme (-0 == +0). */
    private static long refArgF(float[] x, boolean max) {
        float m = Float.intBitsToFloat(refBitsF(x, max));
        for (int i = 0; i < x.length; i++) {
            if (m != m ? x[i] != x[i] : x[i] == m) {
                return i;
            }
        }
        return -1;
    }

    private static long refArgD(double[] x, boolean max) {
        double m = Double.longBitsToDouble(refBitsD(x, max));
        for (int i = 0; i < x.length; i++) {
            if (m != m ? x[i] != x[i] : x[i] == m) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void f32MaxMinMatchMathMaxMinBitForBit() {
        System.out.println("ExtremeReductionProperties f32 seed " + SEED + ", FL=" + VectorConfig.FL);
        SplittableRandom r = new SplittableRandom(SEED);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (int n : lengths()) {
            for (int k = 0; k < CASES.length; k++) {
                double[] d = new double[n];
                fill(d, k, r);
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) d[i];
                }
                int off = r.nextInt(4) == 0 ? 1 + r.nextInt(VectorConfig.FL) : 0; // some unaligned rows
                MemorySegment s = segF(x, off);
                for (boolean max : new boolean[] {true, false}) {
                    int want = refBitsF(x, max);
                    int got = Float.floatToRawIntBits(VectorReductions.extremeF(n, s, 4L * off, max));
                    long wantArg = refArgF(x, max);
                    long gotArg = VectorReductions.argExtremeF(n, s, 4L * off, max);
                    checked++;
                    if (want != got || wantArg != gotArg) {
                        failures.add(String.format("f32 %s n=%d off=%d case '%s': want %s (0x%08x) at %d, got %s (0x%08x) at %d",
                                max ? "max" : "min", n, off, CASES[k], Float.intBitsToFloat(want), want, wantArg,
                                Float.intBitsToFloat(got), got, gotArg));
                    }
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " of " + checked + " differ (seed " + SEED + ")");
    }

    @Test
    void f64MaxMinMatchMathMaxMinBitForBit() {
        System.out.println("ExtremeReductionProperties f64 seed " + SEED + ", DL=" + VectorConfig.DL);
        SplittableRandom r = new SplittableRandom(SEED + 1);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (int n : lengths()) {
            for (int k = 0; k < CASES.length; k++) {
                double[] x = new double[n];
                fill(x, k, r);
                int off = r.nextInt(4) == 0 ? 1 + r.nextInt(VectorConfig.DL) : 0;
                MemorySegment s = segD(x, off);
                for (boolean max : new boolean[] {true, false}) {
                    long want = refBitsD(x, max);
                    long got = Double.doubleToRawLongBits(VectorReductions.extremeD(n, s, 8L * off, max));
                    long wantArg = refArgD(x, max);
                    long gotArg = VectorReductions.argExtremeD(n, s, 8L * off, max);
                    checked++;
                    if (want != got || wantArg != gotArg) {
                        failures.add(String.format("f64 %s n=%d off=%d case '%s': want %s (0x%016x) at %d, got %s (0x%016x) at %d",
                                max ? "max" : "min", n, off, CASES[k], Double.longBitsToDouble(want), want, wantArg,
                                Double.longBitsToDouble(got), got, gotArg));
                    }
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " of " + checked + " differ (seed " + SEED + ")");
    }

    /** Hand-written rows: the zero-sign and infinity cases spelled out, across a chunk boundary too. */
    @Test
    void signedZerosInfinitiesAndEmptyRows() {
        int c = VectorReductions.CHUNK;
        for (int n : new int[] {1, 3, VectorConfig.FL, 4 * VectorConfig.FL + 3, c, c + 5, 2 * c + 17}) {
            float[] zf = new float[n];
            double[] zd = new double[n];
            Arrays.fill(zf, -0.0f);
            Arrays.fill(zd, -0.0);
            zf[n - 1] = 0.0f; // +0 last, behind n - 1 negative zeros (in another chunk when n > c)
            zd[n - 1] = 0.0;
            int nn = n;
            assertEquals(Float.floatToRawIntBits(0.0f),
                    Float.floatToRawIntBits(VectorReductions.extremeF(n, segF(zf, 0), 0, true)), () -> "f32 max n=" + nn);
            assertEquals(Float.floatToRawIntBits(n == 1 ? 0.0f : -0.0f),
                    Float.floatToRawIntBits(VectorReductions.extremeF(n, segF(zf, 0), 0, false)), () -> "f32 min n=" + nn);
            assertEquals(Double.doubleToRawLongBits(0.0),
                    Double.doubleToRawLongBits(VectorReductions.extremeD(n, segD(zd, 0), 0, true)), () -> "f64 max n=" + nn);
            assertEquals(Double.doubleToRawLongBits(n == 1 ? 0.0 : -0.0),
                    Double.doubleToRawLongBits(VectorReductions.extremeD(n, segD(zd, 0), 0, false)), () -> "f64 min n=" + nn);
            // the maximum is -0 among negatives: -0, not +0 and not a negative
            float[] nf = new float[n];
            double[] nd = new double[n];
            for (int i = 0; i < n; i++) {
                nf[i] = -1f - i;
                nd[i] = -1.0 - i;
            }
            nf[n / 2] = -0.0f;
            nd[n / 2] = -0.0;
            assertEquals(Float.floatToRawIntBits(-0.0f),
                    Float.floatToRawIntBits(VectorReductions.extremeF(n, segF(nf, 0), 0, true)), () -> "f32 -0 max n=" + nn);
            assertEquals(Double.doubleToRawLongBits(-0.0),
                    Double.doubleToRawLongBits(VectorReductions.extremeD(n, segD(nd, 0), 0, true)), () -> "f64 -0 max n=" + nn);
            // all -inf: max is -inf, min -inf; all +inf: min +inf
            Arrays.fill(nf, Float.NEGATIVE_INFINITY);
            Arrays.fill(nd, Double.NEGATIVE_INFINITY);
            assertEquals(Float.NEGATIVE_INFINITY, VectorReductions.extremeF(n, segF(nf, 0), 0, true));
            assertEquals(Double.NEGATIVE_INFINITY, VectorReductions.extremeD(n, segD(nd, 0), 0, true));
            Arrays.fill(nf, Float.POSITIVE_INFINITY);
            Arrays.fill(nd, Double.POSITIVE_INFINITY);
            assertEquals(Float.POSITIVE_INFINITY, VectorReductions.extremeF(n, segF(nf, 0), 0, false));
            assertEquals(Double.POSITIVE_INFINITY, VectorReductions.extremeD(n, segD(nd, 0), 0, false));
        }
        MemorySegment empty = Arena.ofAuto().allocate(8, 64);
        assertEquals(Float.NEGATIVE_INFINITY, VectorReductions.extremeF(0, empty, 0, true));
        assertEquals(Float.POSITIVE_INFINITY, VectorReductions.extremeF(0, empty, 0, false));
        assertEquals(Double.NEGATIVE_INFINITY, VectorReductions.extremeD(0, empty, 0, true));
        assertEquals(Double.POSITIVE_INFINITY, VectorReductions.extremeD(0, empty, 0, false));
        assertEquals(-1L, VectorReductions.argExtremeF(0, empty, 0, true));
        assertEquals(-1L, VectorReductions.argExtremeD(0, empty, 0, false));
    }
}
