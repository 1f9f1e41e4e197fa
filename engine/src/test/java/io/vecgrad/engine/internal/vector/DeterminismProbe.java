package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Parallel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Child-JVM half of {@link DeterminismTest}: runs a fixed set of kernels (the reductions that
 * combine vector lanes, a one-row forward {@code x · Wᵀ}, GEMMs, softmax rows, transcendental
 * elementwise ops) on seeded data, {@code reps} times each, and prints one line per kernel:
 * {@code name <bits of the first call> <bits of the last call>} (an FNV hash of the raw bits of
 * every output element). With {@code THREADS = 2} it then runs them all again on two threads
 * (lines {@code 2t name ...}). Run with {@code -Xint}, C1 only or the full tiered JIT; the test
 * compares.
 *
 * <p>Usage: {@code DeterminismProbe REPS THREADS}.
 */
// Results go to stderr: the JVM's -XX:+PrintCompilation lines go to stdout from the compiler
// threads and could land inside a result line (seen once: a kernel line lost in the C2 child).
public final class DeterminismProbe {
    private DeterminismProbe() {}

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "probe-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        // The vector provider itself: the automatic choice takes the scalar one under -Xint.
        System.err.println("provider vector-" + VectorConfig.BITS);
        for (int t = 1; t <= threads; t++) {
            Kernels k = Kernels.of(new VectorKernelProvider(), t > 1 ? Parallel.of(pool, t) : Parallel.sequential());
            for (Map.Entry<String, Supplier<String>> e : cases(k).entrySet()) {
                String first = e.getValue().get();
                String last = first;
                for (int i = 1; i < reps; i++) {
                    last = e.getValue().get();
                }
                System.err.println((t > 1 ? t + "t " : "") + e.getKey() + " " + first + " " + last);
            }
        }
        if (pool != null) {
            pool.shutdown();
        }
    }

    static Buffer rand(DType t, long seed, int... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (t == DType.F32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (r.nextDouble() * 4 - 2);
            }
            return Buffer.of(v, dims);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() * 4 - 2;
        }
        return Buffer.of(v, dims);
    }

    static String bits(Buffer b) {
        long h = 0xcbf29ce484222325L;
        if (b.dtype() == DType.F32) {
            for (float f : b.toFloatArray()) {
                h = (h ^ Float.floatToRawIntBits(f)) * 0x100000001b3L;
            }
        } else {
            for (double d : b.toDoubleArray()) {
                h = (h ^ Double.doubleToRawLongBits(d)) * 0x100000001b3L;
            }
        }
        return Long.toHexString(h);
    }

    static String bits(double d) {
        return Long.toHexString(Double.doubleToRawLongBits(d));
    }

    static Map<String, Supplier<String>> cases(Kernels k) {
        Map<String, Supplier<String>> c = new LinkedHashMap<>();
        for (DType t : new DType[] {DType.F32, DType.F64}) {
            String p = t == DType.F32 ? "f32 " : "f64 ";
            Buffer v = rand(t, 1, 1000);
            Buffer w = rand(t, 2, 1000);
            c.put(p + "sum", () -> bits(k.sumAll(v)));
            c.put(p + "sumSquares", () -> bits(k.sumSquaresAll(v)));
            c.put(p + "dot", () -> bits(k.dot(v, w)));
            // the one-row forward of a Linear layer: x [1, 784] · W [256, 784]ᵀ (a dot per output)
            Buffer x = rand(t, 3, 1, 784);
            Buffer wt = rand(t, 4, 256, 784);
            Buffer y = Buffer.zeros(t, 1, 256);
            c.put(p + "gemm 1x784 . (256x784)T", () -> bits(k.gemm(false, true, 1, x, wt, 0, y)));
            Buffer a = rand(t, 5, 33, 65);
            Buffer b = rand(t, 6, 65, 47);
            Buffer cc = Buffer.zeros(t, 33, 47);
            c.put(p + "gemm 33x47x65", () -> bits(k.gemm(false, false, 1, a, b, 0, cc)));
            // big enough (2mnk > GemmTuning.PAR_FLOPS) to be split when two threads are given
            Buffer a2 = rand(t, 7, 160, 128);
            Buffer b2 = rand(t, 8, 160, 130);
            Buffer c2 = Buffer.zeros(t, 128, 130);
            c.put(p + "gemm 128x130x160 A^T", () -> bits(k.gemm(true, false, 1, a2, b2, 0, c2)));
            Buffer rows = rand(t, 9, 4, 1000);
            Buffer out = Buffer.zeros(t, 4, 1000);
            Buffer lse = Buffer.zeros(t, 4);
            c.put(p + "softmax 4x1000", () -> bits(k.softmax(rows, 1, out)));
            c.put(p + "logSoftmax 4x1000", () -> bits(k.logSoftmax(rows, 1, out)));
            c.put(p + "logsumexp 4x1000", () -> bits(k.logsumexp(rows, new int[] {1}, false, lse)));
            c.put(p + "sum dim1 4x1000", () -> bits(k.sum(rows, new int[] {1}, false, lse)));
            Buffer e = Buffer.zeros(t, 1000);
            c.put(p + "exp", () -> bits(k.exp(v, e)));
            c.put(p + "tanh", () -> bits(k.tanh(v, e)));
            c.put(p + "sigmoid", () -> bits(k.sigmoid(v, e)));
        }
        return c;
    }
}
