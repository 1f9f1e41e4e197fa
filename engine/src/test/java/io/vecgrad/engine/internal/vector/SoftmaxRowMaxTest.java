package io.vecgrad.engine.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorReductions#rowMaxF}, softmax's row maximum by compare and blend: the largest
 * non-NaN element at every length (whole vectors, a partial last vector read as the vector ending
 * at the row's end, rows shorter than a vector, rows longer than a chunk), and a row holding a NaN
 * still comes out all NaN from softmax and log-softmax.
 */
class SoftmaxRowMaxTest {
    private static MemorySegment segment(float[] x) {
        MemorySegment s = Arena.ofAuto().allocate(4L * Math.max(1, x.length), 64);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, x.length);
        return s;
    }

    @Test
    void largestNonNaNElementAtEveryLength() {
        long seed = 0x5eed2000L;
        System.out.println("SoftmaxRowMaxTest seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        int[] lengths = {1, 2, 7, 15, 16, 17, 31, 32, 63, 64, 65, 100, 1000, 8191, 8192, 8193, 20000};
        for (int n : lengths) {
            for (int trial = 0; trial < 20; trial++) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) r.nextDouble(-100, 100);
                }
                int at = r.nextInt(n);
                switch (trial % 5) {
                    case 1 -> x[at] = 1000f; // the maximum anywhere, the last element included
                    case 2 -> x[n - 1] = 2000f;
                    case 3 -> { // NaNs are passed over, in the last vector too, and the lanes they sit in still count
                        x[at] = Float.NaN;
                        x[n - 1] = Float.NaN;
                        for (int j = 63; j < n - 64; j += 64) { // lane 15 of every fourth vector: the last vector's lane
                            x[j] = 3000f + j;
                        }
                    }
                    case 4 -> java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
                    default -> { }
                }
                float want = Float.NEGATIVE_INFINITY;
                for (float v : x) {
                    if (v > want) {
                        want = v;
                    }
                }
                float got = VectorReductions.rowMaxF(n, segment(x), 0);
                int nn = n;
                int t = trial;
                assertEquals(want, got, () -> "n=" + nn + " trial " + t);
            }
        }
    }

    @Test
    void aRowWithANaNIsAllNaN() {
        for (int n : new int[] {3, 16, 40, 1000}) {
            for (boolean log : new boolean[] {false, true}) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i * 0.01f;
                }
                x[n / 2] = Float.NaN;
                MemorySegment y = Arena.ofAuto().allocate(4L * n, 64);
                VectorReductions.softmaxF(log, n, segment(x), 0, y, 0);
                for (int i = 0; i < n; i++) {
                    float v = y.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                    int k = i;
                    int nn = n;
                    assertTrue(Float.isNaN(v), () -> (log ? "log_softmax" : "softmax") + " n=" + nn + " element " + k + ": " + v);
                }
            }
        }
    }
}
