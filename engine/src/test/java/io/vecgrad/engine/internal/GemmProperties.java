package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarGemm;
import io.vecgrad.engine.internal.vector.VectorConfig;
import io.vecgrad.engine.internal.vector.VectorGemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;

/**
 * Differential properties of GEMM: {@link VectorGemm} and {@link ScalarGemm} against a float64
 * triple-loop reference on random shapes, transposes, scalars, padded leading dimensions and
 * offsets; plus the parallel path and a few large deterministic shapes against the scalar twin.
 * Also re-run by surefire at forced vector widths 256 and 128.
 */
class GemmProperties {

    private static ExecutorService pool;

    @BeforeContainer
    static void startPool() {
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "gemm-test-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterContainer
    static void stopPool() {
        pool.shutdownNow();
    }

    /** A strided row-major submatrix: {@code rows x cols} at element {@code off}, row stride {@code ld}. */
    record Mat(DType dt, MemorySegment seg, long off, long ld, int rows, int cols) {
        static Mat alloc(Arena arena, DType dt, int rows, int cols, int pad, int off) {
            long ld = cols + pad;
            long elems = off + (rows - 1L) * ld + cols + pad;
            return new Mat(dt, arena.allocate(elems * dt.byteSize(), 64), off, ld, rows, cols);
        }

        long index(int r, int c) {
            return off + r * ld + c;
        }

        double get(int r, int c) {
            return raw(index(r, c));
        }

        /** Reads any element of the backing segment (for checking the padding is untouched). */
        double raw(long i) {
            return dt == DType.F32
                    ? seg.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i)
                    : seg.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
        }

        void setRaw(long i, double v) {
            if (dt == DType.F32) {
                seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) v);
            } else {
                seg.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, v);
            }
        }

        long elements() {
            return seg.byteSize() / dt.byteSize();
        }

        /** Fills the whole backing segment (padding included) with values in [-1, 1). */
        void fillRandom(SplittableRandom rnd) {
            for (long i = 0; i < elements(); i++) {
                setRaw(i, rnd.nextDouble(-1, 1));
            }
        }

        void fillBlock(double v) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    setRaw(index(r, c), v);
                }
            }
        }

        double[] snapshot() {
            double[] s = new double[(int) elements()];
            for (int i = 0; i < s.length; i++) {
                s[i] = raw(i);
            }
            return s;
        }
    }

    /** Element {@code (i, p)} of {@code op(A)} where A is stored transposed when {@code trans}. */
    private static double op(Mat x, boolean trans, int i, int p) {
        return trans ? x.get(p, i) : x.get(i, p);
    }

    /**
     * Checks {@code got = alpha * op(A) op(B) + beta * C0} elementwise against a float64 triple
     * loop, with a tolerance of {@code (k + 4) * eps} relative to the sum of absolute terms, the
     * standard forward-error bound of a length-k dot product in the element type.
     */
    private static void check(String what, Mat a, boolean ta, Mat b, boolean tb, Mat c, double[] c0,
                              int m, int n, int k, double alpha, double beta) {
        DType dt = c.dt();
        double al = dt.round(alpha);
        double be = dt.round(beta);
        double eps = dt == DType.F32 ? 0x1p-23 : 0x1p-52;
        String ctx = what + " " + dt + " m=" + m + " n=" + n + " k=" + k + " transA=" + ta
                + " transB=" + tb + " alpha=" + al + " beta=" + be + " lda=" + a.ld() + " ldb=" + b.ld()
                + " ldc=" + c.ld() + " offs=" + a.off() + "/" + b.off() + "/" + c.off()
                + " width=" + VectorConfig.BITS;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double t = op(a, ta, i, p) * op(b, tb, p, j);
                    sum += t;
                    abs += Math.abs(t);
                }
                double cOld = c0[(int) c.index(i, j)];
                double want = al * sum + (be == 0 ? 0 : be * cOld);
                double scale = Math.abs(al) * abs + (be == 0 ? 0 : Math.abs(be * cOld));
                double tol = (k + 4) * eps * scale + Double.MIN_NORMAL;
                double got = c.get(i, j);
                if (!(Math.abs(got - want) <= tol)) {
                    fail(ctx + ": C[" + i + "," + j + "] = " + got + ", want " + want + " +- " + tol);
                }
            }
        }
        // Nothing outside the m x n block may change (padding and the offset prefix).
        for (long e = 0; e < c.elements(); e++) {
            long r = e < c.off() ? -1 : (e - c.off()) / c.ld();
            long col = e < c.off() ? -1 : (e - c.off()) % c.ld();
            boolean inside = r >= 0 && r < m && col < n;
            if (!inside && Double.compare(c.raw(e), c0[(int) e]) != 0) {
                fail(ctx + ": element " + e + " outside C was modified");
            }
        }
    }

    private static void run(boolean vector, DType dt, boolean ta, boolean tb, int m, int n, int k,
                            double alpha, Mat a, Mat b, double beta, Mat c, ExecutorService ex, int par) {
        if (vector) {
            VectorGemm.gemm(dt, ta, tb, m, n, k, alpha, a.seg(), a.off(), a.ld(), b.seg(), b.off(), b.ld(),
                    beta, c.seg(), c.off(), c.ld(), ex, par);
        } else {
            ScalarGemm.gemm(dt, ta, tb, m, n, k, alpha, a.seg(), a.off(), a.ld(), b.seg(), b.off(), b.ld(),
                    beta, c.seg(), c.off(), c.ld(), ex, par);
        }
    }

    private static void randomCase(boolean vector, boolean f64, int m, int n, int k,
                                   boolean ta, boolean tb, long seed) {
        DType dt = f64 ? DType.F64 : DType.F32;
        SplittableRandom rnd = new SplittableRandom(seed);
        double alpha = switch (rnd.nextInt(4)) {
            case 0 -> 1.0;
            case 1 -> -0.5;
            default -> rnd.nextDouble(-2, 2);
        };
        double beta = switch (rnd.nextInt(4)) {
            case 0 -> 0.0;
            case 1 -> 1.0;
            default -> rnd.nextDouble(-2, 2);
        };
        try (Arena arena = Arena.ofConfined()) {
            Mat a = ta ? Mat.alloc(arena, dt, k, m, rnd.nextInt(4) * rnd.nextInt(9), rnd.nextInt(5))
                    : Mat.alloc(arena, dt, m, k, rnd.nextInt(4) * rnd.nextInt(9), rnd.nextInt(5));
            Mat b = tb ? Mat.alloc(arena, dt, n, k, rnd.nextInt(4) * rnd.nextInt(9), rnd.nextInt(5))
                    : Mat.alloc(arena, dt, k, n, rnd.nextInt(4) * rnd.nextInt(9), rnd.nextInt(5));
            Mat c = Mat.alloc(arena, dt, m, n, rnd.nextInt(4) * rnd.nextInt(9), rnd.nextInt(5));
            a.fillRandom(rnd);
            b.fillRandom(rnd);
            c.fillRandom(rnd);
            if (beta == 0) {
                c.fillBlock(Double.NaN);   // beta == 0 must not read C
            }
            double[] c0 = c.snapshot();
            run(vector, dt, ta, tb, m, n, k, alpha, a, b, beta, c, null, 1);
            check(vector ? "vector" : "scalar", a, ta, b, tb, c, c0, m, n, k, alpha, beta);
        }
    }

    /**
     * Every special path at the shapes of a 784-256-256-10 MLP and the digits model, each
     * transpose, f32 and f64: edge tiles (m = 64 = 5 x 12 + 4), the swapped product for a few
     * rows of B^T (n = 10), the unpacked paths for a short k or m (10), the four-row unpacked
     * block (k = 64, 32) and, for B^T with at most a vector of rows in a small product, the
     * row-by-vector path (the 2-16-16-1 and digits models' layers, a single row).
     */
    @Example
    void modelShapesMatchReference() {
        int[][] shapes = {{64, 256, 784}, {64, 10, 256}, {256, 10, 256}, {64, 256, 10}, {10, 256, 64},
                {48, 48, 48}, {32, 128, 64}, {128, 64, 32}, {5, 70, 33}, {32, 16, 2}, {32, 16, 16}, {32, 1, 16},
                {32, 10, 64}, {1, 10, 64}};
        long seed = 20261202L;
        System.out.println("GemmProperties.modelShapesMatchReference seed " + seed);
        for (int[] sh : shapes) {
            for (int t = 0; t < 4; t++) {
                for (boolean f64 : new boolean[] {false, true}) {
                    randomCase(true, f64, sh[0], sh[1], sh[2], (t & 1) != 0, (t & 2) != 0, seed++);
                }
            }
        }
    }

    @Property(tries = 400)
    void vectorMatchesReference(@ForAll @IntRange(min = 1, max = 80) int m,
                                @ForAll @IntRange(min = 1, max = 80) int n,
                                @ForAll @IntRange(min = 1, max = 80) int k,
                                @ForAll boolean transA, @ForAll boolean transB,
                                @ForAll boolean f64, @ForAll long seed) {
        randomCase(true, f64, m, n, k, transA, transB, seed);
    }

    @Property(tries = 150)
    void scalarMatchesReference(@ForAll @IntRange(min = 1, max = 80) int m,
                                @ForAll @IntRange(min = 1, max = 80) int n,
                                @ForAll @IntRange(min = 1, max = 80) int k,
                                @ForAll boolean transA, @ForAll boolean transB,
                                @ForAll boolean f64, @ForAll long seed) {
        randomCase(false, f64, m, n, k, transA, transB, seed);
    }

    /** Sizes straddling the block constants (KC, MC, NC) so every tail of the blocking runs. */
    @Property(tries = 12)
    void vectorMatchesReferenceAcrossBlocks(@ForAll @IntRange(min = 90, max = 300) int m,
                                            @ForAll @IntRange(min = 40, max = 200) int n,
                                            @ForAll @IntRange(min = 200, max = 600) int k,
                                            @ForAll boolean transA, @ForAll boolean transB,
                                            @ForAll boolean f64, @ForAll long seed) {
        randomCase(true, f64, m, n, k, transA, transB, seed);
    }

    @Example
    void emptyProductScalesC() {
        for (boolean vector : new boolean[] {true, false}) {
            for (DType dt : DType.values()) {
                try (Arena arena = Arena.ofConfined()) {
                    Mat a = Mat.alloc(arena, dt, 3, 1, 0, 0);
                    Mat b = Mat.alloc(arena, dt, 1, 5, 0, 0);
                    Mat c = Mat.alloc(arena, dt, 3, 5, 2, 1);
                    c.fillRandom(new SplittableRandom(7));
                    double[] c0 = c.snapshot();
                    run(vector, dt, false, false, 3, 5, 0, 2.0, a, b, 0.5, c, null, 1);
                    check("k=0 " + vector, a, false, b, false, c, c0, 3, 5, 0, 2.0, 0.5);
                    c.fillBlock(Double.NaN);
                    run(vector, dt, false, false, 3, 5, 0, 2.0, a, b, 0.0, c, null, 1);
                    assertEquals(0.0, c.get(2, 4), "k=0 beta=0 " + dt + " vector=" + vector);
                }
            }
        }
    }

    /**
     * Compares VectorGemm (optionally parallel, optionally f32) with ScalarGemm computed in f64
     * on the same values, with the dot-product error bound of the tested type.
     */
    private static void againstScalarF64(DType dt, boolean ta, boolean tb, int m, int n, int k,
                                         double alpha, double beta, ExecutorService ex, int par, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared()) {
            Mat a = ta ? Mat.alloc(arena, dt, k, m, 3, 5) : Mat.alloc(arena, dt, m, k, 3, 5);
            Mat b = tb ? Mat.alloc(arena, dt, n, k, 1, 2) : Mat.alloc(arena, dt, k, n, 1, 2);
            Mat c = Mat.alloc(arena, dt, m, n, 7, 3);
            a.fillRandom(rnd);
            b.fillRandom(rnd);
            c.fillRandom(rnd);
            // The f64 twin of every operand, plus |A| and |B| for the error scale.
            Mat a64 = copy64(arena, a);
            Mat b64 = copy64(arena, b);
            Mat c64 = copy64(arena, c);
            Mat aAbs = abs(copy64(arena, a));
            Mat bAbs = abs(copy64(arena, b));
            Mat cAbs = copy64(arena, c);
            double al = dt.round(alpha);
            double be = dt.round(beta);
            ScalarGemm.gemm(DType.F64, ta, tb, m, n, k, al, a64.seg(), a64.off(), a64.ld(),
                    b64.seg(), b64.off(), b64.ld(), be, c64.seg(), c64.off(), c64.ld(), null, 1);
            ScalarGemm.gemm(DType.F64, ta, tb, m, n, k, Math.abs(al), aAbs.seg(), aAbs.off(), aAbs.ld(),
                    bAbs.seg(), bAbs.off(), bAbs.ld(), 0.0, cAbs.seg(), cAbs.off(), cAbs.ld(), null, 1);
            double[] c0 = c.snapshot();
            run(true, dt, ta, tb, m, n, k, alpha, a, b, beta, c, ex, par);
            double eps = dt == DType.F32 ? 0x1p-23 : 0x1p-52;
            String ctx = dt + " m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                    + " par=" + par + " width=" + VectorConfig.BITS;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double scale = cAbs.get(i, j) + Math.abs(be * c0[(int) c.index(i, j)]);
                    double tol = (k + 4) * eps * scale + Double.MIN_NORMAL;
                    double got = c.get(i, j);
                    double want = c64.get(i, j);
                    if (!(Math.abs(got - want) <= tol)) {
                        fail(ctx + ": C[" + i + "," + j + "] = " + got + ", want " + want + " +- " + tol);
                    }
                }
            }
        }
    }

    private static Mat copy64(Arena arena, Mat x) {
        Mat y = new Mat(DType.F64, arena.allocate(x.elements() * 8, 64), x.off(), x.ld(), x.rows(), x.cols());
        for (long i = 0; i < x.elements(); i++) {
            y.setRaw(i, x.raw(i));
        }
        return y;
    }

    private static Mat abs(Mat x) {
        for (long i = 0; i < x.elements(); i++) {
            x.setRaw(i, Math.abs(x.raw(i)));
        }
        return x;
    }

    @Example
    void parallelMatchesScalar() {
        long seed = 11;
        for (DType dt : DType.values()) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                againstScalarF64(dt, ta, tb, 300, 300, 300, 1.25, 0.5, pool, 2, seed++);
                againstScalarF64(dt, ta, tb, 301, 97, 333, -1.0, 0.0, pool, 2, seed++);  // split by rows
                againstScalarF64(dt, ta, tb, 65, 517, 129, 1.0, 1.0, pool, 2, seed++);   // split by columns
            }
        }
    }

    @Example
    void largeDeterministicShapes() {
        long seed = 99;
        for (DType dt : DType.values()) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                againstScalarF64(dt, ta, tb, 257, 513, 129, 0.75, -0.25, null, 1, seed++);
                againstScalarF64(dt, ta, tb, 1, 1000, 1000, 1.0, 0.0, null, 1, seed++);
                againstScalarF64(dt, ta, tb, 1000, 1, 1000, 1.0, 2.0, null, 1, seed++);
            }
        }
    }

    /**
     * Once compiled, a single-threaded call allocates nothing: the packing buffers are reused and
     * no vector is boxed (a kernel the JIT cannot fully inline boxes its accumulators and
     * allocates megabytes per call). JIT compilation runs in the background, so this waits up
     * to a deadline for a call to allocate zero bytes, per shape and transpose combination.
     */
    @Example
    void steadyStateCallsAllocateNothing() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int[][] shapes = {{64, 96, 80}, {20, 40, 30}, {1, 300, 200}, {300, 1, 200}, {64, 256, 10}, {10, 256, 64},
                {64, 10, 256}, {64, 256, 784}, {32, 10, 64}, {32, 16, 16}};
        // One budget for the whole check: the first cases pay for C2 compiling the kernels,
        // which takes long on a loaded machine; later cases are warm.
        long deadline = System.nanoTime() + 90_000_000_000L;
        try (Arena arena = Arena.ofConfined()) {
            for (DType dt : DType.values()) {
                for (int[] sh : shapes) {
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0;
                        boolean tb = (t & 2) != 0;
                        int m = sh[0];
                        int n = sh[1];
                        int k = sh[2];
                        Mat a = ta ? Mat.alloc(arena, dt, k, m, 0, 0) : Mat.alloc(arena, dt, m, k, 0, 0);
                        Mat b = tb ? Mat.alloc(arena, dt, n, k, 0, 0) : Mat.alloc(arena, dt, k, n, 0, 0);
                        Mat c = Mat.alloc(arena, dt, m, n, 0, 0);
                        // Boxed vectors (a kernel the JIT failed to inline) cost kilobytes to
                        // megabytes per call; a few hundred bytes can come from the test JVM itself
                        // before C2 has compiled the caller, so that much is tolerated.
                        long allocated;
                        do {
                            for (int i = 0; i < 200; i++) {
                                run(true, dt, ta, tb, m, n, k, 1.0, a, b, 0.5, c, null, 1);
                            }
                            long before = mx.getThreadAllocatedBytes(tid);
                            run(true, dt, ta, tb, m, n, k, 1.0, a, b, 0.5, c, null, 1);
                            allocated = mx.getThreadAllocatedBytes(tid) - before;
                        } while (allocated > 256 && System.nanoTime() < deadline);
                        assertTrue(allocated <= 256, allocated + " bytes allocated per call, " + dt + " m=" + m + " n=" + n
                                + " k=" + k + " transA=" + ta + " transB=" + tb + " width=" + VectorConfig.BITS);
                    }
                }
            }
        }
    }

    @Example
    void parallelismOneOrNullExecutorStaysCorrect() {
        againstScalarF64(DType.F32, false, false, 200, 200, 200, 1.0, 0.0, pool, 1, 5);
        againstScalarF64(DType.F32, true, true, 200, 200, 200, 1.0, 0.0, null, 4, 6);
    }
}
