package io.vecgrad.engine.internal.vector;

import static io.vecgrad.engine.internal.vector.GemmTuning.KC_D;
import static io.vecgrad.engine.internal.vector.GemmTuning.KC_F;
import static io.vecgrad.engine.internal.vector.GemmTuning.MC_D;
import static io.vecgrad.engine.internal.vector.GemmTuning.MC_F;
import static io.vecgrad.engine.internal.vector.GemmTuning.MR_D;
import static io.vecgrad.engine.internal.vector.GemmTuning.MR_F;
import static io.vecgrad.engine.internal.vector.GemmTuning.NC_D;
import static io.vecgrad.engine.internal.vector.GemmTuning.NC_F;
import static io.vecgrad.engine.internal.vector.GemmTuning.NRV_D;
import static io.vecgrad.engine.internal.vector.GemmTuning.NRV_F;
import static io.vecgrad.engine.internal.vector.GemmTuning.NR_D;
import static io.vecgrad.engine.internal.vector.GemmTuning.NR_F;
import static io.vecgrad.engine.internal.vector.GemmTuning.PAR_FLOPS;
import static io.vecgrad.engine.internal.vector.GemmTuning.SMALL_DIM;
import static io.vecgrad.engine.internal.vector.GemmTuning.SMALL_FLOPS;

import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * GEMM with the Vector API: {@code C = alpha * op(A) * op(B) + beta * C}.
 *
 * <p>Blocked in the usual way for cache reuse: a {@code KC x NC} block of {@code op(B)} and an
 * {@code MC x KC} block of {@code op(A)} are packed unit-stride into per-thread heap arrays
 * (transposes are resolved while packing, so the micro-kernel never sees a stride), and a
 * register-blocked {@code MR x NR} micro-kernel multiplies them with broadcast-and-FMA. Tile
 * and block sizes live in {@link GemmTuning}. Matrix-vector shapes take a dot/axpy path
 * instead, small products with {@code op(B)} untransposed skip packing, and large products
 * are split over the caller's executor. Segments used with an executor must be accessible from
 * its threads (shared or global arenas).
 *
 * <p>Steady-state calls allocate nothing on our side: the packing buffers and the parallel call's
 * state (its tasks and countdown) are created once per thread and reused; only the executor's
 * own queueing may allocate.
 */
public final class VectorGemm {
    private VectorGemm() {}

    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Side of the squares a transposing pack copies at a time (16 x 16 floats = 16 lines). */
    private static final int TRANSPOSE_BLOCK = 16;

    static {
        // The micro-kernels below are written out for one tile shape each; fail fast if
        // GemmTuning is edited without regenerating them.
        if (MR_F != $MRF || NRV_F != $NRVF || MR_D != $MRD || NRV_D != $NRVD) {
            throw new ExceptionInInitializerError("VectorGemm kernels do not match GemmTuning tile sizes");
        }
    }

    /**
     * Computes {@code C = alpha * op(A) * op(B) + beta * C}; see
     * {@link io.vecgrad.engine.spi.KernelProvider#gemm} for the contract. Modifies only the
     * {@code m x n} block of {@code c} at {@code cOff} (row stride {@code ldc}); C is not read when
     * {@code beta == 0}. When {@code executor != null}, {@code parallelism > 1} and the product
     * is large enough, C is split into column (or row) blocks run on {@code executor}, the
     * calling thread running one of them, and the call returns once all are done.
     */
    public static void gemm(DType dt, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            MemorySegment a, long aOff, long lda,
                            MemorySegment b, long bOff, long ldb,
                            double beta, MemorySegment c, long cOff, long ldc,
                            Executor executor, int parallelism) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (dt == DType.F32) {
                scaleF(m, n, (float) beta, c, cOff, ldc);
            } else {
                scaleD(m, n, beta, c, cOff, ldc);
            }
            return;
        }
        if (m == 1 || n == 1) {
            if (dt == DType.F32) {
                gemvF(transA, transB, m, n, k, (float) alpha, a, aOff, lda, b, bOff, ldb,
                        (float) beta, c, cOff, ldc);
            } else {
                gemvD(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
            return;
        }
        double flops = 2.0 * m * n * k;
        int lanes = dt == DType.F32 ? VectorConfig.FL : VectorConfig.DL;
        if (!transB && n >= lanes && (flops < SMALL_FLOPS || k <= SMALL_DIM || m <= SMALL_DIM)) {
            if (dt == DType.F32) {
                smallF(transA, m, n, k, (float) alpha, a, aOff, lda, b, bOff, ldb, (float) beta, c, cOff, ldc);
            } else {
                smallD(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
            return;
        }
        if (dt == DType.F32 && transB && n <= VectorConfig.FL && k <= KC_F && flops < SMALL_FLOPS) {
            rowsBtF(transA, m, n, k, (float) alpha, a, aOff, lda, b, bOff, ldb, (float) beta, c, cOff, ldc);
            return;
        }
        if (transB && n <= SMALL_DIM && m >= 2 * n) {
            // C = op(A) * B^T with a few rows of B (a classifier's last layer): a packed 32-wide
            // panel would be mostly zeros, so compute C^T = B * op(A)^T (n rows, a 12-row panel)
            // and merge it transposed.
            swapped(dt, transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (executor == null || parallelism <= 1 || flops < PAR_FLOPS) {
            serial(dt, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        parallel(dt, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                executor, parallelism);
    }

    private static void serial(DType dt, boolean transA, boolean transB, int m, int n, int k,
                               double alpha, MemorySegment a, long aOff, long lda,
                               MemorySegment b, long bOff, long ldb,
                               double beta, MemorySegment c, long cOff, long ldc) {
        if (dt == DType.F32) {
            serialF(transA, transB, m, n, k, (float) alpha, a, aOff, lda, b, bOff, ldb,
                    (float) beta, c, cOff, ldc);
        } else {
            serialD(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /**
     * {@code C = alpha * op(A) * B^T + beta * C} for a small product whose B has at most one
     * vector of rows ({@code n <= FL}: a tiny layer, a classifier head) and {@code k <= KC_F}: B^T
     * is copied once into k vectors (lanes past n zero), then each row of C is one vector, k
     * broadcast fmas from zero, four rows at a time. That is the packed kernels' order of
     * operations per element (one fma chain over p, then {@code alpha * acc (+ beta * C)} as
     * {@link #putF}), so the bits are those of {@link #swapped}, which this replaces for such
     * shapes: its transposed merge, element by element, was 13 % of a 2-16-16-1 MLP's training
     * step (JFR, 2026-12-03).
     */
    private static void rowsBtF(boolean transA, int m, int n, int k, float alpha,
                                MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                                float beta, MemorySegment c, long cOff, long ldc) {
        final int lanes = VectorConfig.FL;
        Workspace ws = WORKSPACE.get();
        float[] bt = ws.bpF(); // k * FL <= KC_F * NC_F
        float[] tile = ws.tileF(); // 4 * FL <= MR_F * NR_F
        for (int p = 0; p < k; p++) {
            int row = p * lanes;
            for (int j = 0; j < n; j++) {
                bt[row + j] = b.getAtIndex(LF, bOff + (long) j * ldb + p);
            }
            for (int j = n; j < lanes; j++) {
                bt[row + j] = 0;
            }
        }
        long aRow = transA ? 1 : lda;
        long aCol = transA ? lda : 1;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            long a0 = aOff + i * aRow;
            FloatVector c0 = FloatVector.zero(VectorConfig.F);
            FloatVector c1 = c0;
            FloatVector c2 = c0;
            FloatVector c3 = c0;
            for (int p = 0; p < k; p++) {
                FloatVector bv = FloatVector.fromArray(VectorConfig.F, bt, p * lanes);
                long ap = a0 + p * aCol;
                c0 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, ap)).fma(bv, c0);
                c1 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, ap + aRow)).fma(bv, c1);
                c2 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, ap + 2 * aRow)).fma(bv, c2);
                c3 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, ap + 3 * aRow)).fma(bv, c3);
            }
            // spilled, then merged by a separate method: a vector passed to a call that C2 does
            // not inline is boxed (measured: 86 KB per step of the digits MLP)
            c0.intoArray(tile, 0);
            c1.intoArray(tile, lanes);
            c2.intoArray(tile, 2 * lanes);
            c3.intoArray(tile, 3 * lanes);
            long ci = cOff + (long) i * ldc;
            for (int r = 0; r < 4; r++) {
                putRowF(tile, r * lanes, c, ci + r * ldc, n, alpha, beta);
            }
        }
        for (; i < m; i++) {
            long ai = aOff + i * aRow;
            FloatVector acc = FloatVector.zero(VectorConfig.F);
            for (int p = 0; p < k; p++) {
                acc = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, ai + p * aCol))
                        .fma(FloatVector.fromArray(VectorConfig.F, bt, p * lanes), acc);
            }
            acc.intoArray(tile, 0);
            putRowF(tile, 0, c, cOff + (long) i * ldc, n, alpha, beta);
        }
    }

    /**
     * The first n of the spilled row {@code tile[t..t+FL)} into C's row at element {@code at}, as
     * {@link #putF} does per element; element by element where a whole vector would reach past
     * C's segment (a masked access there leaves the intrinsic).
     */
    private static void putRowF(float[] tile, int t, MemorySegment c, long at, int n, float alpha, float beta) {
        long byteOff = at * Float.BYTES;
        if (byteOff + (long) VectorConfig.FL * Float.BYTES <= c.byteSize()) {
            VectorMask<Float> mask = VectorConfig.F.indexInRange(0, n);
            FloatVector out = FloatVector.fromArray(VectorConfig.F, tile, t).mul(alpha);
            if (beta != 0) {
                out = out.add(FloatVector.fromMemorySegment(VectorConfig.F, c, byteOff, NATIVE, mask).mul(beta));
            }
            out.intoMemorySegment(c, byteOff, NATIVE, mask);
        } else {
            for (int j = 0; j < n; j++) {
                putF(c, at + j, tile[t + j], alpha, beta);
            }
        }
    }

    /**
     * {@code C = alpha * op(A) * B^T + beta * C} computed as {@code T = B * op(A)^T} (n x m) into
     * the thread's native scratch, then merged into C transposed, element by element (m x n is
     * small: n <= SMALL_DIM).
     */
    private static void swapped(DType dt, boolean transA, int m, int n, int k, double alpha,
                                MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                                double beta, MemorySegment c, long cOff, long ldc) {
        long size = dt == DType.F32 ? Float.BYTES : Double.BYTES;
        MemorySegment t = WORKSPACE.get().scratch((long) m * n * size);
        serial(dt, false, !transA, n, m, k, 1.0, b, bOff, ldb, a, aOff, lda, 0.0, t, 0, m);
        if (dt == DType.F32) {
            float al = (float) alpha;
            float be = (float) beta;
            for (int j = 0; j < n; j++) { // T's rows in order: the long loop runs over m
                long tj = (long) j * m;
                for (int i = 0; i < m; i++) {
                    putF(c, cOff + (long) i * ldc + j, t.getAtIndex(LF, tj + i), al, be);
                }
            }
        } else {
            for (int j = 0; j < n; j++) {
                long tj = (long) j * m;
                for (int i = 0; i < m; i++) {
                    putD(c, cOff + (long) i * ldc + j, t.getAtIndex(LD, tj + i), alpha, beta);
                }
            }
        }
    }

    /**
     * Splits C into up to {@code parallelism} blocks of whole micro-tiles along its longer side
     * (columns when {@code n >= m}, so each share packs its own slice of B), runs all but the
     * first on {@code executor}, the first on the calling thread, and waits for all of them.
     */
    private static void parallel(DType dt, boolean transA, boolean transB, int m, int n, int k,
                                 double alpha, MemorySegment a, long aOff, long lda,
                                 MemorySegment b, long bOff, long ldb,
                                 double beta, MemorySegment c, long cOff, long ldc,
                                 Executor executor, int parallelism) {
        boolean byCols = n >= m;
        int tileSize = dt == DType.F32 ? (byCols ? NR_F : MR_F) : (byCols ? NR_D : MR_D);
        int extent = byCols ? n : m;
        int tiles = (extent + tileSize - 1) / tileSize;
        int shares = Math.min(parallelism, tiles);
        if (shares <= 1) {
            serial(dt, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        ParallelCall call = CALLS.get();
        call.set(dt, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, byCols);
        call.start(shares - 1);
        for (int s = 1; s < shares; s++) {
            int from = (int) Math.min(extent, (long) s * tiles / shares * tileSize);
            int to = (int) Math.min(extent, (long) (s + 1) * tiles / shares * tileSize);
            Share share = call.share(s - 1, from, to);
            try {
                executor.execute(share);
            } catch (RejectedExecutionException e) {
                share.run();   // a saturated or shut-down executor: do the share here instead
            }
        }
        int firstTo = (int) Math.min(extent, (long) tiles / shares * tileSize);
        Throwable own = null;
        try {
            runShare(dt, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                    beta, c, cOff, ldc, byCols, 0, firstTo);
        } catch (Throwable t) {
            own = t;
        }
        // The other shares write into C, so we may not return before they finish, even if
        // interrupted (the wait does not throw; the interrupt status stays set).
        call.await();
        Throwable t = own != null ? own : call.failure;
        call.clear();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error err) {
            throw err;
        } else if (t != null) {
            throw new IllegalStateException("gemm: a parallel share failed", t);
        }
    }

    /**
     * The state of one parallel GEMM call, reused by every call from the same thread so a
     * steady-state call allocates nothing on our side: the operands, one {@link Share} per
     * extra task, and a countdown the calling thread waits on (spinning briefly, then parked;
     * the last share to finish unparks it).
     */
    private static final class ParallelCall {
        private static final java.lang.invoke.VarHandle PENDING;

        static {
            try {
                PENDING = java.lang.invoke.MethodHandles.lookup().findVarHandle(ParallelCall.class, "pending", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Longest spin of {@link #await} before it parks. */
        private static final long AWAIT_SPIN_NANOS = 1_000_000;

        private Share[] shares = new Share[0];
        @SuppressWarnings("unused") // accessed through PENDING
        private volatile int pending;
        private volatile Thread waiter;
        volatile Throwable failure;
        DType dt;
        boolean transA;
        boolean transB;
        int m;
        int n;
        int k;
        double alpha;
        MemorySegment a;
        long aOff;
        long lda;
        MemorySegment b;
        long bOff;
        long ldb;
        double beta;
        MemorySegment c;
        long cOff;
        long ldc;
        boolean byCols;

        void set(DType dt, boolean transA, boolean transB, int m, int n, int k, double alpha,
                 MemorySegment a, long aOff, long lda, MemorySegment b, long bOff, long ldb,
                 double beta, MemorySegment c, long cOff, long ldc, boolean byCols) {
            this.dt = dt;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.byCols = byCols;
        }

        void start(int extra) {
            if (shares.length < extra) {
                Share[] grown = java.util.Arrays.copyOf(shares, extra);
                for (int i = shares.length; i < extra; i++) {
                    grown[i] = new Share(this);
                }
                shares = grown;
            }
            failure = null;
            waiter = Thread.currentThread();
            PENDING.setVolatile(this, extra);
        }

        Share share(int i, int from, int to) {
            Share s = shares[i];
            s.from = from;
            s.to = to;
            return s;
        }

        void finished(Throwable t) {
            if (t != null && failure == null) {
                failure = t;
            }
            if ((int) PENDING.getAndAdd(this, -1) == 1) {
                java.util.concurrent.locks.LockSupport.unpark(waiter);
            }
        }

        void await() {
            // The other shares are running and about as long as ours: spin (a parked thread
            // takes tens of microseconds to wake on a VM whose idle vCPU has halted), then park.
            long spinEnd = System.nanoTime() + AWAIT_SPIN_NANOS;
            while (pending > 0 && System.nanoTime() < spinEnd) {
                Thread.onSpinWait();
            }
            while (pending > 0) {
                java.util.concurrent.locks.LockSupport.park(this);
            }
        }

        /** Drops the operand references so a finished call keeps no segment reachable. */
        void clear() {
            a = null;
            b = null;
            c = null;
            waiter = null;
            failure = null;
        }
    }

    /** One extra task of a {@link ParallelCall}: the columns (or rows) {@code [from, to)}. */
    private static final class Share implements Runnable {
        private final ParallelCall call;
        int from;
        int to;

        Share(ParallelCall call) {
            this.call = call;
        }

        @Override
        public void run() {
            Throwable failed = null;
            try {
                ParallelCall p = call;
                runShare(p.dt, p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.aOff, p.lda, p.b, p.bOff,
                        p.ldb, p.beta, p.c, p.cOff, p.ldc, p.byCols, from, to);
            } catch (Throwable t) {
                failed = t;
            } finally {
                call.finished(failed);
            }
        }
    }

    private static final ThreadLocal<ParallelCall> CALLS = ThreadLocal.withInitial(ParallelCall::new);

    /** Runs the columns (or rows) {@code [from, to)} of C as an independent serial GEMM. */
    private static void runShare(DType dt, boolean transA, boolean transB, int m, int n, int k,
                                 double alpha, MemorySegment a, long aOff, long lda,
                                 MemorySegment b, long bOff, long ldb,
                                 double beta, MemorySegment c, long cOff, long ldc,
                                 boolean byCols, int from, int to) {
        if (to <= from) {
            return;
        }
        if (byCols) {
            long bShift = transB ? (long) from * ldb : from;
            serial(dt, transA, transB, m, to - from, k, alpha, a, aOff, lda,
                    b, bOff + bShift, ldb, beta, c, cOff + from, ldc);
        } else {
            long aShift = transA ? from : (long) from * lda;
            serial(dt, transA, transB, to - from, n, k, alpha, a, aOff + aShift, lda,
                    b, bOff, ldb, beta, c, cOff + (long) from * ldc, ldc);
        }
    }

    /**
     * Per-thread packing buffers, created on first use at their largest size (fixed by the
     * block constants) so steady-state calls allocate nothing. The matrix-vector buffers grow to
     * the largest k / m / n seen.
     */
    private static final class Workspace {
        private float[] apF;
        private float[] bpF;
        private float[] tileF;
        private float[] xF;
        private float[] yF;
        private float[] stageF;
        private double[] stageD;
        private double[] apD;
        private double[] bpD;
        private double[] tileD;
        private double[] xD;
        private double[] yD;
        private MemorySegment scratch;

        /**
         * Native scratch of at least {@code bytes}, grown on demand (native, like the callers'
         * buffers, so the stores into it keep the JDK's type profiles of segment stores
         * monomorphic; see {@code Mem}).
         */
        MemorySegment scratch(long bytes) {
            if (scratch == null || scratch.byteSize() < bytes) {
                scratch = java.lang.foreign.Arena.ofAuto().allocate(Math.max(bytes, 4096), 64);
            }
            return scratch;
        }

        float[] apF() {
            return apF != null ? apF : (apF = new float[MC_F * KC_F]);
        }

        float[] bpF() {
            return bpF != null ? bpF : (bpF = new float[KC_F * NC_F]);
        }

        float[] stageF() {
            return stageF != null ? stageF : (stageF = new float[NR_F * KC_F]);
        }

        double[] stageD() {
            return stageD != null ? stageD : (stageD = new double[NR_D * KC_D]);
        }

        float[] tileF() {
            return tileF != null ? tileF : (tileF = new float[MR_F * NR_F]);
        }

        float[] xF(int len) {
            return xF != null && xF.length >= len ? xF : (xF = new float[len]);
        }

        float[] yF(int len) {
            return yF != null && yF.length >= len ? yF : (yF = new float[len]);
        }

        double[] apD() {
            return apD != null ? apD : (apD = new double[MC_D * KC_D]);
        }

        double[] bpD() {
            return bpD != null ? bpD : (bpD = new double[KC_D * NC_D]);
        }

        double[] tileD() {
            return tileD != null ? tileD : (tileD = new double[MR_D * NR_D]);
        }

        double[] xD(int len) {
            return xD != null && xD.length >= len ? xD : (xD = new double[len]);
        }

        double[] yD(int len) {
            return yD != null && yD.length >= len ? yD : (yD = new double[len]);
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    // ============================== f32 ==============================

$FLOAT_PART
    // ============================== f64 ==============================

$DOUBLE_PART}
