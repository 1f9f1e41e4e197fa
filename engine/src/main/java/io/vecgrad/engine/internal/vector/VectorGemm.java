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
        if (MR_F != 12 || NRV_F != 2 || MR_D != 6 || NRV_D != 4) {
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

    /** Single-threaded blocked {@code float} GEMM on the calling thread's packing buffers. */
    private static void serialF(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                MemorySegment a, long aOff, long lda,
                                MemorySegment b, long bOff, long ldb,
                                float beta, MemorySegment c, long cOff, long ldc) {
        Workspace ws = WORKSPACE.get();
        float[] ap = ws.apF();
        float[] bp = ws.bpF();
        float[] tile = ws.tileF();
        float[] stage = transB ? ws.stageF() : null;
        for (int jc = 0; jc < n; jc += NC_F) {
            int nc = Math.min(NC_F, n - jc);
            for (int pc = 0; pc < k; pc += KC_F) {
                int kc = Math.min(KC_F, k - pc);
                // Only the first k block applies the caller's beta; later blocks add to it.
                float betaEff = pc == 0 ? beta : 1;
                packBF(transB, b, bOff, ldb, pc, kc, jc, nc, bp, stage);
                for (int ic = 0; ic < m; ic += MC_F) {
                    int mc = Math.min(MC_F, m - ic);
                    packAF(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    // B's micro-panel (kc x NR) is reused across the A panels of the block; the
                    // opposite order (A's panel reused across B's) measured the same (0.70-0.89 vs
                    // 0.73-0.84 of OpenBLAS in one run, 2026-12-02, load 27).
                    for (int jr = 0; jr < nc; jr += NR_F) {
                        int nr = Math.min(NR_F, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR_F) {
                            int mr = Math.min(MR_F, mc - ir);
                            tileF(transA, kc, ap, ir, bp, jr, tile, mr, nr, c,
                                    cOff + (long) (ic + ir) * ldc + jc + jr, ldc, alpha, betaEff);
                        }
                    }
                }
            }
        }
    }

    /**
     * One micro-tile: the kernel for A's packed layout, then the merge into C. A partial tile at
     * an edge of C takes the smallest edge kernel that covers it ({@link #edgeF}): with m = 64
     * the sixth 12-row panel holds 4 rows, and with n = 10 a 32-wide panel holds 10 columns, so
     * the full kernel would spend two thirds of that tile's work on the packing's zeros.
     */
    private static void tileF(boolean transA, int kc, float[] ap, int ir, float[] bp, int jr, float[] tile,
                              int mr, int nr, MemorySegment c, long cTile, long ldc, float alpha, float beta) {
        if (mr == MR_F && nr == NR_F) {
            if (transA) {
                kernelF(kc, ap, ir * kc, bp, jr * kc, tile);
            } else {
                kernelFR(kc, ap, ir * KC_F, bp, jr * kc, tile);
            }
            mergeFullF(tile, c, cTile, ldc, alpha, beta);
        } else {
            edgeF(transA, kc, ap, transA ? ir * kc : ir * KC_F, bp, jr * kc, tile, mr, nr);
            mergeTileF(tile, mr, nr, c, cTile, ldc, alpha, beta);
        }
    }

    /**
     * Packs {@code op(A)[ic..ic+mc, pc..pc+kc]} into MR-row panels of {@code MR * kc} elements;
     * rows past {@code mc} are zero so the kernel never needs a row tail. A transposed A is packed
     * k-step-major (for each {@code p}, the MR elements of column {@code p}, read contiguously;
     * {@link #kernelF}); a non-transposed A keeps its rows ({@link #kernelFR}), so both packs are
     * contiguous copies and neither transposes.
     */
    private static void packAF(boolean transA, MemorySegment a, long aOff, long lda,
                               int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR_F) {
            int mr = Math.min(MR_F, mc - ir);
            int base = ir * kc;
            if (!transA) {
                // op(A)[i, p] = A[i * lda + p]: the panel keeps A's rows (kernelFR's layout), so
                // packing is one bulk copy per row; rows past mc are zero. Row i of the block
                // starts at i * KC_F whatever kc is: a constant stride, so the kernel reads all
                // MR rows at constant displacements from one index (with kc, the MR row indices
                // did not fit the integer registers and C2 reloaded some from the stack every k step).
                for (int r = 0; r < mr; r++) {
                    long src = aOff + (long) (ic + ir + r) * lda + pc;
                    MemorySegment.copy(a, LF, src * Float.BYTES, ap, (ir + r) * KC_F, kc);
                }
                for (int r = mr; r < MR_F; r++) {
                    java.util.Arrays.fill(ap, (ir + r) * KC_F, (ir + r) * KC_F + kc, (float) 0);
                }
                continue;
            } else {
                // op(A)[i, p] = A[p * lda + i]: the MR elements of a k step are adjacent already.
                // Masked vector copies: a scalar loop of only MR elements per k step costs more in
                // loop overhead than in data movement (measured 50 vs 85 GFLOP/s at 784x64x256).
                for (int p = 0; p < kc; p++) {
                    long src = aOff + (long) (pc + p) * lda + ic + ir;
                    int dst = base + p * MR_F;
                    int r = 0;
                    for (; r <= mr - VectorConfig.FL; r += VectorConfig.FL) {
                        FloatVector.fromMemorySegment(VectorConfig.F, a, (src + r) * Float.BYTES, NATIVE).intoArray(ap, dst + r);
                    }
                    if (mr - r == 1) {
                        // A one-lane remainder only occurs with 2-lane species, whose masked
                        // loads C2 does not intrinsify (f64 at 128 bits boxed 120 KB per call).
                        ap[dst + r] = a.getAtIndex(LF, src + r);
                    } else if (r < mr) {
                        VectorMask<Float> mask = VectorConfig.F.indexInRange(r, mr);
                        FloatVector.fromMemorySegment(VectorConfig.F, a, (src + r) * Float.BYTES, NATIVE, mask)
                                .intoArray(ap, dst + r, mask);
                    }
                }
            }
            if (mr < MR_F) {
                for (int p = 0; p < kc; p++) {
                    for (int r = mr; r < MR_F; r++) {
                        ap[base + p * MR_F + r] = 0;
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc..pc+kc, jc..jc+nc]} into NR-column panels: panel {@code jr / NR}
     * holds, for each k step, NR contiguous elements of row {@code p}; columns past {@code nc}
     * are zero so the kernel never needs a column tail.
     */
    private static void packBF(boolean transB, MemorySegment b, long bOff, long ldb,
                               int pc, int kc, int jc, int nc, float[] bp, float[] stage) {
        for (int jr = 0; jr < nc; jr += NR_F) {
            int nr = Math.min(NR_F, nc - jr);
            int base = jr * kc;
            if (!transB) {
                // op(B)[p, j] = B[p * ldb + j]: rows are contiguous, so full panels copy by vector.
                long src = bOff + (long) pc * ldb + jc + jr;
                if (nr == NR_F) {
                    for (int p = 0; p < kc; p++) {
                        long byteOff = (src + p * ldb) * Float.BYTES;
                        int dst = base + p * NR_F;
                        for (int v = 0; v < NRV_F; v++) {
                            FloatVector.fromMemorySegment(VectorConfig.F, b, byteOff + (long) v * VectorConfig.FL * Float.BYTES, NATIVE)
                                    .intoArray(bp, dst + v * VectorConfig.FL);
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        long row = src + p * ldb;
                        int dst = base + p * NR_F;
                        for (int j = 0; j < nr; j++) {
                            bp[dst + j] = b.getAtIndex(LF, row + j);
                        }
                        for (int j = nr; j < NR_F; j++) {
                            bp[dst + j] = 0;
                        }
                    }
                }
            } else if (TF_LO != null && nr == NR_F && kc >= VectorConfig.FL) {
                // op(B)[p, j] = B[j * ldb + p]: a transpose, done in registers L x L at a time
                // (two-source shuffles); the last kc % L steps element by element.
                int pFull = kc - kc % VectorConfig.FL;
                long ldBytes = ldb * Float.BYTES;
                for (int pb = 0; pb < pFull; pb += VectorConfig.FL) {
                    for (int jb = 0; jb < NR_F; jb += VectorConfig.FL) {
                        long off = (bOff + (long) (jc + jr + jb) * ldb + pc + pb) * Float.BYTES;
                        transposeF(b, off, ldBytes, bp, base + pb * NR_F + jb);
                    }
                }
                for (int j = 0; j < NR_F; j++) {
                    long src = bOff + (long) (jc + jr + j) * ldb + pc;
                    for (int p = pFull; p < kc; p++) {
                        bp[base + p * NR_F + j] = b.getAtIndex(LF, src + p);
                    }
                }
            } else {
                // op(B)[p, j] = B[j * ldb + p]: a transpose. The panel's stored rows are first
                // bulk-copied to a heap staging array (row stride KC), then transposed array to
                // array in TB x TB squares so the lines read and written stay in L1 (a whole
                // panel, KC * NR elements, does not fit). A vector scatter down the panel is
                // not intrinsified for every species (f64 at 256 bits boxed: 60 KB per call).
                for (int j = 0; j < nr; j++) {
                    long src = bOff + (long) (jc + jr + j) * ldb + pc;
                    MemorySegment.copy(b, LF, src * Float.BYTES, stage, j * KC_F, kc);
                }
                for (int jb = 0; jb < nr; jb += TRANSPOSE_BLOCK) {
                    int je = Math.min(nr, jb + TRANSPOSE_BLOCK);
                    for (int pb = 0; pb < kc; pb += TRANSPOSE_BLOCK) {
                        int pe = Math.min(kc, pb + TRANSPOSE_BLOCK);
                        for (int j = jb; j < je; j++) {
                            int row = j * KC_F;
                            for (int p = pb; p < pe; p++) {
                                bp[base + p * NR_F + j] = stage[row + p];
                            }
                        }
                    }
                }
                if (nr < NR_F) {
                    for (int p = 0; p < kc; p++) {
                        for (int j = nr; j < NR_F; j++) {
                            bp[base + p * NR_F + j] = 0;
                        }
                    }
                }
            }
        }
    }

    /**
     * The float micro-kernel: an 12 x 2-vector tile of C held in 24 accumulators,
     * updated by one broadcast of A and 2 vector loads of B per k step, then spilled to
     * {@code tile} (row-major, row stride NR_F). Written out for MR_F = 12, NRV_F = 2
     * because the JIT keeps locals in registers but not array elements.
     */
    private static void kernelF(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F); FloatVector c01 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F); FloatVector c11 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F); FloatVector c21 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F); FloatVector c31 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F); FloatVector c41 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F); FloatVector c51 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F); FloatVector c61 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F); FloatVector c71 = FloatVector.zero(VectorConfig.F);
        FloatVector c80 = FloatVector.zero(VectorConfig.F); FloatVector c81 = FloatVector.zero(VectorConfig.F);
        FloatVector c90 = FloatVector.zero(VectorConfig.F); FloatVector c91 = FloatVector.zero(VectorConfig.F);
        FloatVector c100 = FloatVector.zero(VectorConfig.F); FloatVector c101 = FloatVector.zero(VectorConfig.F);
        FloatVector c110 = FloatVector.zero(VectorConfig.F); FloatVector c111 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_F;
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(VectorConfig.F, bp, ib + VectorConfig.FL);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[ia + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[ia + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[ia + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[ia + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[ia + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[ia + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(VectorConfig.F, ap[ia + 8]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(VectorConfig.F, ap[ia + 9]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(VectorConfig.F, ap[ia + 10]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(VectorConfig.F, ap[ia + 11]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_F); c01.intoArray(tile, 0 * NR_F + 1 * VectorConfig.FL);
        c10.intoArray(tile, 1 * NR_F); c11.intoArray(tile, 1 * NR_F + 1 * VectorConfig.FL);
        c20.intoArray(tile, 2 * NR_F); c21.intoArray(tile, 2 * NR_F + 1 * VectorConfig.FL);
        c30.intoArray(tile, 3 * NR_F); c31.intoArray(tile, 3 * NR_F + 1 * VectorConfig.FL);
        c40.intoArray(tile, 4 * NR_F); c41.intoArray(tile, 4 * NR_F + 1 * VectorConfig.FL);
        c50.intoArray(tile, 5 * NR_F); c51.intoArray(tile, 5 * NR_F + 1 * VectorConfig.FL);
        c60.intoArray(tile, 6 * NR_F); c61.intoArray(tile, 6 * NR_F + 1 * VectorConfig.FL);
        c70.intoArray(tile, 7 * NR_F); c71.intoArray(tile, 7 * NR_F + 1 * VectorConfig.FL);
        c80.intoArray(tile, 8 * NR_F); c81.intoArray(tile, 8 * NR_F + 1 * VectorConfig.FL);
        c90.intoArray(tile, 9 * NR_F); c91.intoArray(tile, 9 * NR_F + 1 * VectorConfig.FL);
        c100.intoArray(tile, 10 * NR_F); c101.intoArray(tile, 10 * NR_F + 1 * VectorConfig.FL);
        c110.intoArray(tile, 11 * NR_F); c111.intoArray(tile, 11 * NR_F + 1 * VectorConfig.FL);
    }

    /**
     * The float micro-kernel for a row-panel A: like {@link #kernelF}, but the packed A panel holds
     * its 12 rows one after another ({@code kc} elements each, at a stride of KC_F), so packing a
     * non-transposed A is a plain copy; the broadcasts read 12 sequential streams.
     */
    private static void kernelFR(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F); FloatVector c01 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F); FloatVector c11 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F); FloatVector c21 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F); FloatVector c31 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F); FloatVector c41 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F); FloatVector c51 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F); FloatVector c61 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F); FloatVector c71 = FloatVector.zero(VectorConfig.F);
        FloatVector c80 = FloatVector.zero(VectorConfig.F); FloatVector c81 = FloatVector.zero(VectorConfig.F);
        FloatVector c90 = FloatVector.zero(VectorConfig.F); FloatVector c91 = FloatVector.zero(VectorConfig.F);
        FloatVector c100 = FloatVector.zero(VectorConfig.F); FloatVector c101 = FloatVector.zero(VectorConfig.F);
        FloatVector c110 = FloatVector.zero(VectorConfig.F); FloatVector c111 = FloatVector.zero(VectorConfig.F);
        int a0i = ai;
        int a1i = ai + KC_F;
        int a2i = ai + 2 * KC_F;
        int a3i = ai + 3 * KC_F;
        int a4i = ai + 4 * KC_F;
        int a5i = ai + 5 * KC_F;
        int a6i = ai + 6 * KC_F;
        int a7i = ai + 7 * KC_F;
        int a8i = ai + 8 * KC_F;
        int a9i = ai + 9 * KC_F;
        int a10i = ai + 10 * KC_F;
        int a11i = ai + 11 * KC_F;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(VectorConfig.F, bp, ib + VectorConfig.FL);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[a2i + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[a3i + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[a4i + p]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[a5i + p]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[a6i + p]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[a7i + p]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(VectorConfig.F, ap[a8i + p]);
            c80 = a8.fma(b0, c80); c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(VectorConfig.F, ap[a9i + p]);
            c90 = a9.fma(b0, c90); c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(VectorConfig.F, ap[a10i + p]);
            c100 = a10.fma(b0, c100); c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(VectorConfig.F, ap[a11i + p]);
            c110 = a11.fma(b0, c110); c111 = a11.fma(b1, c111);
        }
        c00.intoArray(tile, 0 * NR_F); c01.intoArray(tile, 0 * NR_F + 1 * VectorConfig.FL);
        c10.intoArray(tile, 1 * NR_F); c11.intoArray(tile, 1 * NR_F + 1 * VectorConfig.FL);
        c20.intoArray(tile, 2 * NR_F); c21.intoArray(tile, 2 * NR_F + 1 * VectorConfig.FL);
        c30.intoArray(tile, 3 * NR_F); c31.intoArray(tile, 3 * NR_F + 1 * VectorConfig.FL);
        c40.intoArray(tile, 4 * NR_F); c41.intoArray(tile, 4 * NR_F + 1 * VectorConfig.FL);
        c50.intoArray(tile, 5 * NR_F); c51.intoArray(tile, 5 * NR_F + 1 * VectorConfig.FL);
        c60.intoArray(tile, 6 * NR_F); c61.intoArray(tile, 6 * NR_F + 1 * VectorConfig.FL);
        c70.intoArray(tile, 7 * NR_F); c71.intoArray(tile, 7 * NR_F + 1 * VectorConfig.FL);
        c80.intoArray(tile, 8 * NR_F); c81.intoArray(tile, 8 * NR_F + 1 * VectorConfig.FL);
        c90.intoArray(tile, 9 * NR_F); c91.intoArray(tile, 9 * NR_F + 1 * VectorConfig.FL);
        c100.intoArray(tile, 10 * NR_F); c101.intoArray(tile, 10 * NR_F + 1 * VectorConfig.FL);
        c110.intoArray(tile, 11 * NR_F); c111.intoArray(tile, 11 * NR_F + 1 * VectorConfig.FL);
    }

    /** Edge tile of {@link #kernelF}: the first 4 rows and 1 vector(s) of columns of the panels. */
    private static void kernelF_4x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_F;
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[ia]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[ia + 1]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[ia + 2]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[ia + 3]);
            c30 = a3.fma(b0, c30);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_F);
        c10.intoArray(tile, 1 * NR_F);
        c20.intoArray(tile, 2 * NR_F);
        c30.intoArray(tile, 3 * NR_F);
    }

    /** Edge tile of {@link #kernelFR}: the first 4 rows and 1 vector(s) of columns of the panels. */
    private static void kernelFR_4x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F);
        int a0i = ai;
        int a1i = ai + KC_F;
        int a2i = ai + 2 * KC_F;
        int a3i = ai + 3 * KC_F;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[a0i + p]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[a1i + p]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[a2i + p]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[a3i + p]);
            c30 = a3.fma(b0, c30);
        }
        c00.intoArray(tile, 0 * NR_F);
        c10.intoArray(tile, 1 * NR_F);
        c20.intoArray(tile, 2 * NR_F);
        c30.intoArray(tile, 3 * NR_F);
    }

    /** Edge tile of {@link #kernelF}: the first 4 rows and 2 vector(s) of columns of the panels. */
    private static void kernelF_4x2(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F); FloatVector c01 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F); FloatVector c11 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F); FloatVector c21 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F); FloatVector c31 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_F;
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(VectorConfig.F, bp, ib + VectorConfig.FL);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[ia + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[ia + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_F); c01.intoArray(tile, 0 * NR_F + 1 * VectorConfig.FL);
        c10.intoArray(tile, 1 * NR_F); c11.intoArray(tile, 1 * NR_F + 1 * VectorConfig.FL);
        c20.intoArray(tile, 2 * NR_F); c21.intoArray(tile, 2 * NR_F + 1 * VectorConfig.FL);
        c30.intoArray(tile, 3 * NR_F); c31.intoArray(tile, 3 * NR_F + 1 * VectorConfig.FL);
    }

    /** Edge tile of {@link #kernelFR}: the first 4 rows and 2 vector(s) of columns of the panels. */
    private static void kernelFR_4x2(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F); FloatVector c01 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F); FloatVector c11 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F); FloatVector c21 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F); FloatVector c31 = FloatVector.zero(VectorConfig.F);
        int a0i = ai;
        int a1i = ai + KC_F;
        int a2i = ai + 2 * KC_F;
        int a3i = ai + 3 * KC_F;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(VectorConfig.F, bp, ib + VectorConfig.FL);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[a2i + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[a3i + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        c00.intoArray(tile, 0 * NR_F); c01.intoArray(tile, 0 * NR_F + 1 * VectorConfig.FL);
        c10.intoArray(tile, 1 * NR_F); c11.intoArray(tile, 1 * NR_F + 1 * VectorConfig.FL);
        c20.intoArray(tile, 2 * NR_F); c21.intoArray(tile, 2 * NR_F + 1 * VectorConfig.FL);
        c30.intoArray(tile, 3 * NR_F); c31.intoArray(tile, 3 * NR_F + 1 * VectorConfig.FL);
    }

    /** Edge tile of {@link #kernelF}: the first 8 rows and 1 vector(s) of columns of the panels. */
    private static void kernelF_8x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_F;
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[ia]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[ia + 1]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[ia + 2]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[ia + 3]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[ia + 4]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[ia + 5]);
            c50 = a5.fma(b0, c50);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[ia + 6]);
            c60 = a6.fma(b0, c60);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[ia + 7]);
            c70 = a7.fma(b0, c70);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_F);
        c10.intoArray(tile, 1 * NR_F);
        c20.intoArray(tile, 2 * NR_F);
        c30.intoArray(tile, 3 * NR_F);
        c40.intoArray(tile, 4 * NR_F);
        c50.intoArray(tile, 5 * NR_F);
        c60.intoArray(tile, 6 * NR_F);
        c70.intoArray(tile, 7 * NR_F);
    }

    /** Edge tile of {@link #kernelFR}: the first 8 rows and 1 vector(s) of columns of the panels. */
    private static void kernelFR_8x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F);
        int a0i = ai;
        int a1i = ai + KC_F;
        int a2i = ai + 2 * KC_F;
        int a3i = ai + 3 * KC_F;
        int a4i = ai + 4 * KC_F;
        int a5i = ai + 5 * KC_F;
        int a6i = ai + 6 * KC_F;
        int a7i = ai + 7 * KC_F;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[a0i + p]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[a1i + p]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[a2i + p]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[a3i + p]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[a4i + p]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[a5i + p]);
            c50 = a5.fma(b0, c50);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[a6i + p]);
            c60 = a6.fma(b0, c60);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[a7i + p]);
            c70 = a7.fma(b0, c70);
        }
        c00.intoArray(tile, 0 * NR_F);
        c10.intoArray(tile, 1 * NR_F);
        c20.intoArray(tile, 2 * NR_F);
        c30.intoArray(tile, 3 * NR_F);
        c40.intoArray(tile, 4 * NR_F);
        c50.intoArray(tile, 5 * NR_F);
        c60.intoArray(tile, 6 * NR_F);
        c70.intoArray(tile, 7 * NR_F);
    }

    /** Edge tile of {@link #kernelF}: the first 8 rows and 2 vector(s) of columns of the panels. */
    private static void kernelF_8x2(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F); FloatVector c01 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F); FloatVector c11 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F); FloatVector c21 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F); FloatVector c31 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F); FloatVector c41 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F); FloatVector c51 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F); FloatVector c61 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F); FloatVector c71 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_F;
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(VectorConfig.F, bp, ib + VectorConfig.FL);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[ia + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[ia + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[ia + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[ia + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[ia + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[ia + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_F); c01.intoArray(tile, 0 * NR_F + 1 * VectorConfig.FL);
        c10.intoArray(tile, 1 * NR_F); c11.intoArray(tile, 1 * NR_F + 1 * VectorConfig.FL);
        c20.intoArray(tile, 2 * NR_F); c21.intoArray(tile, 2 * NR_F + 1 * VectorConfig.FL);
        c30.intoArray(tile, 3 * NR_F); c31.intoArray(tile, 3 * NR_F + 1 * VectorConfig.FL);
        c40.intoArray(tile, 4 * NR_F); c41.intoArray(tile, 4 * NR_F + 1 * VectorConfig.FL);
        c50.intoArray(tile, 5 * NR_F); c51.intoArray(tile, 5 * NR_F + 1 * VectorConfig.FL);
        c60.intoArray(tile, 6 * NR_F); c61.intoArray(tile, 6 * NR_F + 1 * VectorConfig.FL);
        c70.intoArray(tile, 7 * NR_F); c71.intoArray(tile, 7 * NR_F + 1 * VectorConfig.FL);
    }

    /** Edge tile of {@link #kernelFR}: the first 8 rows and 2 vector(s) of columns of the panels. */
    private static void kernelFR_8x2(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F); FloatVector c01 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F); FloatVector c11 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F); FloatVector c21 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F); FloatVector c31 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F); FloatVector c41 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F); FloatVector c51 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F); FloatVector c61 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F); FloatVector c71 = FloatVector.zero(VectorConfig.F);
        int a0i = ai;
        int a1i = ai + KC_F;
        int a2i = ai + 2 * KC_F;
        int a3i = ai + 3 * KC_F;
        int a4i = ai + 4 * KC_F;
        int a5i = ai + 5 * KC_F;
        int a6i = ai + 6 * KC_F;
        int a7i = ai + 7 * KC_F;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector b1 = FloatVector.fromArray(VectorConfig.F, bp, ib + VectorConfig.FL);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[a2i + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[a3i + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[a4i + p]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[a5i + p]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[a6i + p]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[a7i + p]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR_F); c01.intoArray(tile, 0 * NR_F + 1 * VectorConfig.FL);
        c10.intoArray(tile, 1 * NR_F); c11.intoArray(tile, 1 * NR_F + 1 * VectorConfig.FL);
        c20.intoArray(tile, 2 * NR_F); c21.intoArray(tile, 2 * NR_F + 1 * VectorConfig.FL);
        c30.intoArray(tile, 3 * NR_F); c31.intoArray(tile, 3 * NR_F + 1 * VectorConfig.FL);
        c40.intoArray(tile, 4 * NR_F); c41.intoArray(tile, 4 * NR_F + 1 * VectorConfig.FL);
        c50.intoArray(tile, 5 * NR_F); c51.intoArray(tile, 5 * NR_F + 1 * VectorConfig.FL);
        c60.intoArray(tile, 6 * NR_F); c61.intoArray(tile, 6 * NR_F + 1 * VectorConfig.FL);
        c70.intoArray(tile, 7 * NR_F); c71.intoArray(tile, 7 * NR_F + 1 * VectorConfig.FL);
    }

    /** Edge tile of {@link #kernelF}: the first 12 rows and 1 vector(s) of columns of the panels. */
    private static void kernelF_12x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F);
        FloatVector c80 = FloatVector.zero(VectorConfig.F);
        FloatVector c90 = FloatVector.zero(VectorConfig.F);
        FloatVector c100 = FloatVector.zero(VectorConfig.F);
        FloatVector c110 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_F;
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[ia]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[ia + 1]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[ia + 2]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[ia + 3]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[ia + 4]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[ia + 5]);
            c50 = a5.fma(b0, c50);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[ia + 6]);
            c60 = a6.fma(b0, c60);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[ia + 7]);
            c70 = a7.fma(b0, c70);
            FloatVector a8 = FloatVector.broadcast(VectorConfig.F, ap[ia + 8]);
            c80 = a8.fma(b0, c80);
            FloatVector a9 = FloatVector.broadcast(VectorConfig.F, ap[ia + 9]);
            c90 = a9.fma(b0, c90);
            FloatVector a10 = FloatVector.broadcast(VectorConfig.F, ap[ia + 10]);
            c100 = a10.fma(b0, c100);
            FloatVector a11 = FloatVector.broadcast(VectorConfig.F, ap[ia + 11]);
            c110 = a11.fma(b0, c110);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_F);
        c10.intoArray(tile, 1 * NR_F);
        c20.intoArray(tile, 2 * NR_F);
        c30.intoArray(tile, 3 * NR_F);
        c40.intoArray(tile, 4 * NR_F);
        c50.intoArray(tile, 5 * NR_F);
        c60.intoArray(tile, 6 * NR_F);
        c70.intoArray(tile, 7 * NR_F);
        c80.intoArray(tile, 8 * NR_F);
        c90.intoArray(tile, 9 * NR_F);
        c100.intoArray(tile, 10 * NR_F);
        c110.intoArray(tile, 11 * NR_F);
    }

    /** Edge tile of {@link #kernelFR}: the first 12 rows and 1 vector(s) of columns of the panels. */
    private static void kernelFR_12x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        FloatVector c00 = FloatVector.zero(VectorConfig.F);
        FloatVector c10 = FloatVector.zero(VectorConfig.F);
        FloatVector c20 = FloatVector.zero(VectorConfig.F);
        FloatVector c30 = FloatVector.zero(VectorConfig.F);
        FloatVector c40 = FloatVector.zero(VectorConfig.F);
        FloatVector c50 = FloatVector.zero(VectorConfig.F);
        FloatVector c60 = FloatVector.zero(VectorConfig.F);
        FloatVector c70 = FloatVector.zero(VectorConfig.F);
        FloatVector c80 = FloatVector.zero(VectorConfig.F);
        FloatVector c90 = FloatVector.zero(VectorConfig.F);
        FloatVector c100 = FloatVector.zero(VectorConfig.F);
        FloatVector c110 = FloatVector.zero(VectorConfig.F);
        int a0i = ai;
        int a1i = ai + KC_F;
        int a2i = ai + 2 * KC_F;
        int a3i = ai + 3 * KC_F;
        int a4i = ai + 4 * KC_F;
        int a5i = ai + 5 * KC_F;
        int a6i = ai + 6 * KC_F;
        int a7i = ai + 7 * KC_F;
        int a8i = ai + 8 * KC_F;
        int a9i = ai + 9 * KC_F;
        int a10i = ai + 10 * KC_F;
        int a11i = ai + 11 * KC_F;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_F;
            FloatVector b0 = FloatVector.fromArray(VectorConfig.F, bp, ib);
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, ap[a0i + p]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, ap[a1i + p]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, ap[a2i + p]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, ap[a3i + p]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(VectorConfig.F, ap[a4i + p]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(VectorConfig.F, ap[a5i + p]);
            c50 = a5.fma(b0, c50);
            FloatVector a6 = FloatVector.broadcast(VectorConfig.F, ap[a6i + p]);
            c60 = a6.fma(b0, c60);
            FloatVector a7 = FloatVector.broadcast(VectorConfig.F, ap[a7i + p]);
            c70 = a7.fma(b0, c70);
            FloatVector a8 = FloatVector.broadcast(VectorConfig.F, ap[a8i + p]);
            c80 = a8.fma(b0, c80);
            FloatVector a9 = FloatVector.broadcast(VectorConfig.F, ap[a9i + p]);
            c90 = a9.fma(b0, c90);
            FloatVector a10 = FloatVector.broadcast(VectorConfig.F, ap[a10i + p]);
            c100 = a10.fma(b0, c100);
            FloatVector a11 = FloatVector.broadcast(VectorConfig.F, ap[a11i + p]);
            c110 = a11.fma(b0, c110);
        }
        c00.intoArray(tile, 0 * NR_F);
        c10.intoArray(tile, 1 * NR_F);
        c20.intoArray(tile, 2 * NR_F);
        c30.intoArray(tile, 3 * NR_F);
        c40.intoArray(tile, 4 * NR_F);
        c50.intoArray(tile, 5 * NR_F);
        c60.intoArray(tile, 6 * NR_F);
        c70.intoArray(tile, 7 * NR_F);
        c80.intoArray(tile, 8 * NR_F);
        c90.intoArray(tile, 9 * NR_F);
        c100.intoArray(tile, 10 * NR_F);
        c110.intoArray(tile, 11 * NR_F);
    }

    /**
     * Runs the smallest kernel whose tile covers {@code mr x nr} (a partial tile at an edge of C)
     * into {@code tile}; rows and columns it skips are the packing's zeros, never merged.
     */
    private static void edgeF(boolean transA, int kc, float[] ap, int ai, float[] bp, int bi, float[] tile,
                              int mr, int nr) {
        if (mr <= 4 && nr <= VectorConfig.FL) {
            if (transA) {
                kernelF_4x1(kc, ap, ai, bp, bi, tile);
            } else {
                kernelFR_4x1(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 4 && nr <= 2 * VectorConfig.FL) {
            if (transA) {
                kernelF_4x2(kc, ap, ai, bp, bi, tile);
            } else {
                kernelFR_4x2(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 8 && nr <= VectorConfig.FL) {
            if (transA) {
                kernelF_8x1(kc, ap, ai, bp, bi, tile);
            } else {
                kernelFR_8x1(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 8 && nr <= 2 * VectorConfig.FL) {
            if (transA) {
                kernelF_8x2(kc, ap, ai, bp, bi, tile);
            } else {
                kernelFR_8x2(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 12 && nr <= VectorConfig.FL) {
            if (transA) {
                kernelF_12x1(kc, ap, ai, bp, bi, tile);
            } else {
                kernelFR_12x1(kc, ap, ai, bp, bi, tile);
            }
        } else {
            if (transA) {
                kernelF(kc, ap, ai, bp, bi, tile);
            } else {
                kernelFR(kc, ap, ai, bp, bi, tile);
            }
        }
    }

    /**
     * Shuffle indices of the 16 x 16 transpose ({@link #transposeF}): stage {@code b} swaps bit
     * {@code b} of the row index with bit {@code b} of the column index; for a row pair
     * {@code (r, r | 1 << b)}, {@code TF_LO[b]} builds the new row {@code r} and {@code TF_HI[b]}
     * the new row {@code r | 1 << b} (indices past 16 select from the second row). Null when
     * the species is not 16 lanes wide.
     */
    private static final FloatVector[] TF_LO = transposeIndicesF(false);
    private static final FloatVector[] TF_HI = transposeIndicesF(true);
    private static final FloatVector TF_LO0 = TF_LO == null ? null : TF_LO[0];
    private static final FloatVector TF_HI0 = TF_HI == null ? null : TF_HI[0];
    private static final FloatVector TF_LO1 = TF_LO == null ? null : TF_LO[1];
    private static final FloatVector TF_HI1 = TF_HI == null ? null : TF_HI[1];
    private static final FloatVector TF_LO2 = TF_LO == null ? null : TF_LO[2];
    private static final FloatVector TF_HI2 = TF_HI == null ? null : TF_HI[2];
    private static final FloatVector TF_LO3 = TF_LO == null ? null : TF_LO[3];
    private static final FloatVector TF_HI3 = TF_HI == null ? null : TF_HI[3];

    private static FloatVector[] transposeIndicesF(boolean hi) {
        if (VectorConfig.F.length() != 16) {
            return null;
        }
        FloatVector[] out = new FloatVector[4];
        for (int b = 0; b < 4; b++) {
            float[] idx = new float[16];
            int d = 1 << b;
            for (int c = 0; c < 16; c++) {
                boolean bit = (c & d) != 0;
                idx[c] = hi ? (bit ? 16 + c : c + d) : (bit ? 16 + c - d : c);
            }
            out[b] = FloatVector.fromArray(VectorConfig.F, idx, 0);
        }
        return out;
    }

    /**
     * Transposes the 16 x 16 block of B at byte offset {@code off} (row stride {@code ldBytes})
     * into {@code bp}: row {@code q} of the result (16 elements) goes to {@code dst + q * NR_F}.
     * Only for a 16-lane species ({@code TF_LO != null}).
     */
    private static void transposeF(MemorySegment b, long off, long ldBytes, float[] bp, int dst) {
        FloatVector r0s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off, NATIVE);
        FloatVector r1s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 1 * ldBytes, NATIVE);
        FloatVector r2s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 2 * ldBytes, NATIVE);
        FloatVector r3s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 3 * ldBytes, NATIVE);
        FloatVector r4s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 4 * ldBytes, NATIVE);
        FloatVector r5s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 5 * ldBytes, NATIVE);
        FloatVector r6s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 6 * ldBytes, NATIVE);
        FloatVector r7s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 7 * ldBytes, NATIVE);
        FloatVector r8s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 8 * ldBytes, NATIVE);
        FloatVector r9s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 9 * ldBytes, NATIVE);
        FloatVector r10s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 10 * ldBytes, NATIVE);
        FloatVector r11s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 11 * ldBytes, NATIVE);
        FloatVector r12s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 12 * ldBytes, NATIVE);
        FloatVector r13s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 13 * ldBytes, NATIVE);
        FloatVector r14s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 14 * ldBytes, NATIVE);
        FloatVector r15s0 = FloatVector.fromMemorySegment(VectorConfig.F, b, off + 15 * ldBytes, NATIVE);
        FloatVector r0s1 = TF_LO0.selectFrom(r0s0, r1s0);
        FloatVector r1s1 = TF_HI0.selectFrom(r0s0, r1s0);
        FloatVector r2s1 = TF_LO0.selectFrom(r2s0, r3s0);
        FloatVector r3s1 = TF_HI0.selectFrom(r2s0, r3s0);
        FloatVector r4s1 = TF_LO0.selectFrom(r4s0, r5s0);
        FloatVector r5s1 = TF_HI0.selectFrom(r4s0, r5s0);
        FloatVector r6s1 = TF_LO0.selectFrom(r6s0, r7s0);
        FloatVector r7s1 = TF_HI0.selectFrom(r6s0, r7s0);
        FloatVector r8s1 = TF_LO0.selectFrom(r8s0, r9s0);
        FloatVector r9s1 = TF_HI0.selectFrom(r8s0, r9s0);
        FloatVector r10s1 = TF_LO0.selectFrom(r10s0, r11s0);
        FloatVector r11s1 = TF_HI0.selectFrom(r10s0, r11s0);
        FloatVector r12s1 = TF_LO0.selectFrom(r12s0, r13s0);
        FloatVector r13s1 = TF_HI0.selectFrom(r12s0, r13s0);
        FloatVector r14s1 = TF_LO0.selectFrom(r14s0, r15s0);
        FloatVector r15s1 = TF_HI0.selectFrom(r14s0, r15s0);
        FloatVector r0s2 = TF_LO1.selectFrom(r0s1, r2s1);
        FloatVector r2s2 = TF_HI1.selectFrom(r0s1, r2s1);
        FloatVector r1s2 = TF_LO1.selectFrom(r1s1, r3s1);
        FloatVector r3s2 = TF_HI1.selectFrom(r1s1, r3s1);
        FloatVector r4s2 = TF_LO1.selectFrom(r4s1, r6s1);
        FloatVector r6s2 = TF_HI1.selectFrom(r4s1, r6s1);
        FloatVector r5s2 = TF_LO1.selectFrom(r5s1, r7s1);
        FloatVector r7s2 = TF_HI1.selectFrom(r5s1, r7s1);
        FloatVector r8s2 = TF_LO1.selectFrom(r8s1, r10s1);
        FloatVector r10s2 = TF_HI1.selectFrom(r8s1, r10s1);
        FloatVector r9s2 = TF_LO1.selectFrom(r9s1, r11s1);
        FloatVector r11s2 = TF_HI1.selectFrom(r9s1, r11s1);
        FloatVector r12s2 = TF_LO1.selectFrom(r12s1, r14s1);
        FloatVector r14s2 = TF_HI1.selectFrom(r12s1, r14s1);
        FloatVector r13s2 = TF_LO1.selectFrom(r13s1, r15s1);
        FloatVector r15s2 = TF_HI1.selectFrom(r13s1, r15s1);
        FloatVector r0s3 = TF_LO2.selectFrom(r0s2, r4s2);
        FloatVector r4s3 = TF_HI2.selectFrom(r0s2, r4s2);
        FloatVector r1s3 = TF_LO2.selectFrom(r1s2, r5s2);
        FloatVector r5s3 = TF_HI2.selectFrom(r1s2, r5s2);
        FloatVector r2s3 = TF_LO2.selectFrom(r2s2, r6s2);
        FloatVector r6s3 = TF_HI2.selectFrom(r2s2, r6s2);
        FloatVector r3s3 = TF_LO2.selectFrom(r3s2, r7s2);
        FloatVector r7s3 = TF_HI2.selectFrom(r3s2, r7s2);
        FloatVector r8s3 = TF_LO2.selectFrom(r8s2, r12s2);
        FloatVector r12s3 = TF_HI2.selectFrom(r8s2, r12s2);
        FloatVector r9s3 = TF_LO2.selectFrom(r9s2, r13s2);
        FloatVector r13s3 = TF_HI2.selectFrom(r9s2, r13s2);
        FloatVector r10s3 = TF_LO2.selectFrom(r10s2, r14s2);
        FloatVector r14s3 = TF_HI2.selectFrom(r10s2, r14s2);
        FloatVector r11s3 = TF_LO2.selectFrom(r11s2, r15s2);
        FloatVector r15s3 = TF_HI2.selectFrom(r11s2, r15s2);
        FloatVector r0s4 = TF_LO3.selectFrom(r0s3, r8s3);
        FloatVector r8s4 = TF_HI3.selectFrom(r0s3, r8s3);
        FloatVector r1s4 = TF_LO3.selectFrom(r1s3, r9s3);
        FloatVector r9s4 = TF_HI3.selectFrom(r1s3, r9s3);
        FloatVector r2s4 = TF_LO3.selectFrom(r2s3, r10s3);
        FloatVector r10s4 = TF_HI3.selectFrom(r2s3, r10s3);
        FloatVector r3s4 = TF_LO3.selectFrom(r3s3, r11s3);
        FloatVector r11s4 = TF_HI3.selectFrom(r3s3, r11s3);
        FloatVector r4s4 = TF_LO3.selectFrom(r4s3, r12s3);
        FloatVector r12s4 = TF_HI3.selectFrom(r4s3, r12s3);
        FloatVector r5s4 = TF_LO3.selectFrom(r5s3, r13s3);
        FloatVector r13s4 = TF_HI3.selectFrom(r5s3, r13s3);
        FloatVector r6s4 = TF_LO3.selectFrom(r6s3, r14s3);
        FloatVector r14s4 = TF_HI3.selectFrom(r6s3, r14s3);
        FloatVector r7s4 = TF_LO3.selectFrom(r7s3, r15s3);
        FloatVector r15s4 = TF_HI3.selectFrom(r7s3, r15s3);
        r0s4.intoArray(bp, dst);
        r1s4.intoArray(bp, dst + 1 * NR_F);
        r2s4.intoArray(bp, dst + 2 * NR_F);
        r3s4.intoArray(bp, dst + 3 * NR_F);
        r4s4.intoArray(bp, dst + 4 * NR_F);
        r5s4.intoArray(bp, dst + 5 * NR_F);
        r6s4.intoArray(bp, dst + 6 * NR_F);
        r7s4.intoArray(bp, dst + 7 * NR_F);
        r8s4.intoArray(bp, dst + 8 * NR_F);
        r9s4.intoArray(bp, dst + 9 * NR_F);
        r10s4.intoArray(bp, dst + 10 * NR_F);
        r11s4.intoArray(bp, dst + 11 * NR_F);
        r12s4.intoArray(bp, dst + 12 * NR_F);
        r13s4.intoArray(bp, dst + 13 * NR_F);
        r14s4.intoArray(bp, dst + 14 * NR_F);
        r15s4.intoArray(bp, dst + 15 * NR_F);
    }

    /** 4 row(s) x 4 vector(s) of a small product into {@code tile} (see {@link #smallF}). */
    private static void smallBlockF_4x4(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, float[] tile) {
        FloatVector s00 = FloatVector.zero(VectorConfig.F); FloatVector s01 = FloatVector.zero(VectorConfig.F); FloatVector s02 = FloatVector.zero(VectorConfig.F); FloatVector s03 = FloatVector.zero(VectorConfig.F);
        FloatVector s10 = FloatVector.zero(VectorConfig.F); FloatVector s11 = FloatVector.zero(VectorConfig.F); FloatVector s12 = FloatVector.zero(VectorConfig.F); FloatVector s13 = FloatVector.zero(VectorConfig.F);
        FloatVector s20 = FloatVector.zero(VectorConfig.F); FloatVector s21 = FloatVector.zero(VectorConfig.F); FloatVector s22 = FloatVector.zero(VectorConfig.F); FloatVector s23 = FloatVector.zero(VectorConfig.F);
        FloatVector s30 = FloatVector.zero(VectorConfig.F); FloatVector s31 = FloatVector.zero(VectorConfig.F); FloatVector s32 = FloatVector.zero(VectorConfig.F); FloatVector s33 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(VectorConfig.F, b, o, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + (long) VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 2L * VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b3 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 3L * VectorConfig.FL * Float.BYTES, NATIVE);
            long q = ai + p * aCol;
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q));
            s00 = a0.fma(b0, s00); s01 = a0.fma(b1, s01); s02 = a0.fma(b2, s02); s03 = a0.fma(b3, s03);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q + aRow));
            s10 = a1.fma(b0, s10); s11 = a1.fma(b1, s11); s12 = a1.fma(b2, s12); s13 = a1.fma(b3, s13);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q + 2 * aRow));
            s20 = a2.fma(b0, s20); s21 = a2.fma(b1, s21); s22 = a2.fma(b2, s22); s23 = a2.fma(b3, s23);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q + 3 * aRow));
            s30 = a3.fma(b0, s30); s31 = a3.fma(b1, s31); s32 = a3.fma(b2, s32); s33 = a3.fma(b3, s33);
        }
        s00.intoArray(tile, 0 * VectorConfig.FL); s01.intoArray(tile, 1 * VectorConfig.FL); s02.intoArray(tile, 2 * VectorConfig.FL); s03.intoArray(tile, 3 * VectorConfig.FL);
        s10.intoArray(tile, 4 * VectorConfig.FL); s11.intoArray(tile, 5 * VectorConfig.FL); s12.intoArray(tile, 6 * VectorConfig.FL); s13.intoArray(tile, 7 * VectorConfig.FL);
        s20.intoArray(tile, 8 * VectorConfig.FL); s21.intoArray(tile, 9 * VectorConfig.FL); s22.intoArray(tile, 10 * VectorConfig.FL); s23.intoArray(tile, 11 * VectorConfig.FL);
        s30.intoArray(tile, 12 * VectorConfig.FL); s31.intoArray(tile, 13 * VectorConfig.FL); s32.intoArray(tile, 14 * VectorConfig.FL); s33.intoArray(tile, 15 * VectorConfig.FL);
    }

    /** 4 row(s) x 1 vector(s) of a small product into {@code tile} (see {@link #smallF}). */
    private static void smallBlockF_4x1(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, float[] tile) {
        FloatVector s00 = FloatVector.zero(VectorConfig.F);
        FloatVector s10 = FloatVector.zero(VectorConfig.F);
        FloatVector s20 = FloatVector.zero(VectorConfig.F);
        FloatVector s30 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(VectorConfig.F, b, o, NATIVE);
            long q = ai + p * aCol;
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q));
            s00 = a0.fma(b0, s00);
            FloatVector a1 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q + aRow));
            s10 = a1.fma(b0, s10);
            FloatVector a2 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q + 2 * aRow));
            s20 = a2.fma(b0, s20);
            FloatVector a3 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q + 3 * aRow));
            s30 = a3.fma(b0, s30);
        }
        s00.intoArray(tile, 0 * VectorConfig.FL);
        s10.intoArray(tile, 1 * VectorConfig.FL);
        s20.intoArray(tile, 2 * VectorConfig.FL);
        s30.intoArray(tile, 3 * VectorConfig.FL);
    }

    /** 1 row(s) x 8 vector(s) of a small product into {@code tile} (see {@link #smallF}). */
    private static void smallBlockF_1x8(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, float[] tile) {
        FloatVector s00 = FloatVector.zero(VectorConfig.F); FloatVector s01 = FloatVector.zero(VectorConfig.F); FloatVector s02 = FloatVector.zero(VectorConfig.F); FloatVector s03 = FloatVector.zero(VectorConfig.F); FloatVector s04 = FloatVector.zero(VectorConfig.F); FloatVector s05 = FloatVector.zero(VectorConfig.F); FloatVector s06 = FloatVector.zero(VectorConfig.F); FloatVector s07 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(VectorConfig.F, b, o, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + (long) VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 2L * VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b3 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 3L * VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b4 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 4L * VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b5 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 5L * VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b6 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 6L * VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b7 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 7L * VectorConfig.FL * Float.BYTES, NATIVE);
            long q = ai + p * aCol;
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q));
            s00 = a0.fma(b0, s00); s01 = a0.fma(b1, s01); s02 = a0.fma(b2, s02); s03 = a0.fma(b3, s03); s04 = a0.fma(b4, s04); s05 = a0.fma(b5, s05); s06 = a0.fma(b6, s06); s07 = a0.fma(b7, s07);
        }
        s00.intoArray(tile, 0 * VectorConfig.FL); s01.intoArray(tile, 1 * VectorConfig.FL); s02.intoArray(tile, 2 * VectorConfig.FL); s03.intoArray(tile, 3 * VectorConfig.FL); s04.intoArray(tile, 4 * VectorConfig.FL); s05.intoArray(tile, 5 * VectorConfig.FL); s06.intoArray(tile, 6 * VectorConfig.FL); s07.intoArray(tile, 7 * VectorConfig.FL);
    }

    /** 1 row(s) x 4 vector(s) of a small product into {@code tile} (see {@link #smallF}). */
    private static void smallBlockF_1x4(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, float[] tile) {
        FloatVector s00 = FloatVector.zero(VectorConfig.F); FloatVector s01 = FloatVector.zero(VectorConfig.F); FloatVector s02 = FloatVector.zero(VectorConfig.F); FloatVector s03 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(VectorConfig.F, b, o, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + (long) VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 2L * VectorConfig.FL * Float.BYTES, NATIVE);
            FloatVector b3 = FloatVector.fromMemorySegment(VectorConfig.F, b, o + 3L * VectorConfig.FL * Float.BYTES, NATIVE);
            long q = ai + p * aCol;
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q));
            s00 = a0.fma(b0, s00); s01 = a0.fma(b1, s01); s02 = a0.fma(b2, s02); s03 = a0.fma(b3, s03);
        }
        s00.intoArray(tile, 0 * VectorConfig.FL); s01.intoArray(tile, 1 * VectorConfig.FL); s02.intoArray(tile, 2 * VectorConfig.FL); s03.intoArray(tile, 3 * VectorConfig.FL);
    }

    /** 1 row(s) x 1 vector(s) of a small product into {@code tile} (see {@link #smallF}). */
    private static void smallBlockF_1x1(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, float[] tile) {
        FloatVector s00 = FloatVector.zero(VectorConfig.F);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(VectorConfig.F, b, o, NATIVE);
            long q = ai + p * aCol;
            FloatVector a0 = FloatVector.broadcast(VectorConfig.F, a.getAtIndex(LF, q));
            s00 = a0.fma(b0, s00);
        }
        s00.intoArray(tile, 0 * VectorConfig.FL);
    }

    /** Merges a full spilled tile into C: {@code C = alpha * tile + beta * C}, by vector. */
    private static void mergeFullF(float[] tile, MemorySegment c, long cOff, long ldc, float alpha, float beta) {
        for (int r = 0; r < MR_F; r++) {
            long byteOff = (cOff + r * ldc) * Float.BYTES;
            for (int v = 0; v < NRV_F; v++) {
                storeVecF(FloatVector.fromArray(VectorConfig.F, tile, r * NR_F + v * VectorConfig.FL), c,
                        byteOff + (long) v * VectorConfig.FL * Float.BYTES, alpha, beta);
            }
        }
    }

    /**
     * Merges {@code rows} rows of {@code vecs} vectors each, spilled row-major to {@code tile}, into
     * C at element {@code cAt} (row stride {@code ldc}).
     */
    private static void mergeRowsF(float[] tile, int rows, int vecs, MemorySegment c, long cAt, long ldc,
                                   float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            long byteOff = (cAt + r * ldc) * Float.BYTES;
            for (int v = 0; v < vecs; v++) {
                storeVecF(FloatVector.fromArray(VectorConfig.F, tile, (r * vecs + v) * VectorConfig.FL), c, byteOff + (long) v * VectorConfig.FL * Float.BYTES,
                        alpha, beta);
            }
        }
    }

    /** {@code C = alpha * acc + beta * C} for one vector at a byte offset; beta == 0 never reads C. */
    private static void storeVecF(FloatVector acc, MemorySegment c, long byteOff, float alpha, float beta) {
        FloatVector out = acc.mul(alpha);
        if (beta != 0) {
            out = FloatVector.fromMemorySegment(VectorConfig.F, c, byteOff, NATIVE).fma(FloatVector.broadcast(VectorConfig.F, beta), out);
        }
        out.intoMemorySegment(c, byteOff, NATIVE);
    }

    /**
     * Merges the valid {@code mr x nr} corner of a spilled tile into C, by vector as
     * {@link #mergeFullF} (the same operations per element): whole vectors of each row, then
     * the row's last {@code nr % L} columns by a masked vector, or element by element where that
     * vector would reach past the end of C's segment (a masked access there leaves the
     * intrinsic).
     */
    private static void mergeTileF(float[] tile, int mr, int nr, MemorySegment c, long cOff, long ldc,
                                   float alpha, float beta) {
        int whole = nr / VectorConfig.FL;
        int rest = nr - whole * VectorConfig.FL;
        VectorMask<Float> tail = VectorConfig.F.indexInRange(0, rest);
        long limit = c.byteSize();
        for (int r = 0; r < mr; r++) {
            long row = cOff + r * ldc;
            long byteOff = row * Float.BYTES;
            for (int v = 0; v < whole; v++) {
                storeVecF(FloatVector.fromArray(VectorConfig.F, tile, r * NR_F + v * VectorConfig.FL), c, byteOff + (long) v * VectorConfig.FL * Float.BYTES,
                        alpha, beta);
            }
            if (rest == 0) {
                continue;
            }
            int j0 = whole * VectorConfig.FL;
            long tailOff = byteOff + (long) j0 * Float.BYTES;
            if (tailOff + (long) VectorConfig.FL * Float.BYTES <= limit) {
                FloatVector out = FloatVector.fromArray(VectorConfig.F, tile, r * NR_F + j0).mul(alpha);
                if (beta != 0) {
                    out = FloatVector.fromMemorySegment(VectorConfig.F, c, tailOff, NATIVE, tail).fma(FloatVector.broadcast(VectorConfig.F, beta), out);
                }
                out.intoMemorySegment(c, tailOff, NATIVE, tail);
            } else {
                for (int j = j0; j < nr; j++) {
                    float out = tile[r * NR_F + j] * alpha;
                    if (beta != 0) {
                        out = Math.fma(c.getAtIndex(LF, row + j), beta, out);
                    }
                    c.setAtIndex(LF, row + j, out);
                }
            }
        }
    }

    /** {@code C = beta * C} (k == 0: the product is empty); beta == 0 writes zeros without reading. */
    private static void scaleF(int m, int n, float beta, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            long row = cOff + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                c.setAtIndex(LF, row + j, beta == 0 ? 0 : beta * c.getAtIndex(LF, row + j));
            }
        }
    }

    /**
     * Matrix-vector shapes ({@code m == 1} or {@code n == 1}), where packing would cost as much as
     * the product: the vector operand is gathered into a contiguous buffer, then either each
     * contiguous row of the matrix is dotted with it, or contiguous rows are accumulated
     * (axpy) into a row buffer.
     */
    private static void gemvF(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              MemorySegment a, long aOff, long lda,
                              MemorySegment b, long bOff, long ldb,
                              float beta, MemorySegment c, long cOff, long ldc) {
        Workspace ws = WORKSPACE.get();
        float[] x = ws.xF(k);
        if (n == 1) {
            // C[:, 0] = op(A) * x with x = op(B)[:, 0].
            gatherF(b, bOff, transB ? 1 : ldb, k, x);
            if (!transA) {
                for (int i = 0; i < m; i++) {
                    float dot = dotF(a, aOff + (long) i * lda, x, k);
                    putF(c, cOff + (long) i * ldc, dot, alpha, beta);
                }
            } else {
                float[] y = ws.yF(m);
                axpyRowsF(a, aOff, lda, x, k, m, y);
                for (int i = 0; i < m; i++) {
                    putF(c, cOff + (long) i * ldc, y[i], alpha, beta);
                }
            }
        } else {
            // C[0, :] = x * op(B) with x = op(A)[0, :].
            gatherF(a, aOff, transA ? lda : 1, k, x);
            if (transB) {
                for (int j = 0; j < n; j++) {
                    float dot = dotF(b, bOff + (long) j * ldb, x, k);
                    putF(c, cOff + j, dot, alpha, beta);
                }
            } else {
                float[] y = ws.yF(n);
                axpyRowsF(b, bOff, ldb, x, k, n, y);
                for (int j = 0; j < n; j++) {
                    putF(c, cOff + j, y[j], alpha, beta);
                }
            }
        }
    }

    private static void putF(MemorySegment c, long idx, float acc, float alpha, float beta) {
        float out = beta == 0 ? alpha * acc : alpha * acc + beta * c.getAtIndex(LF, idx);
        c.setAtIndex(LF, idx, out);
    }

    private static void gatherF(MemorySegment s, long off, long inc, int k, float[] x) {
        for (int p = 0; p < k; p++) {
            x[p] = s.getAtIndex(LF, off + p * inc);
        }
    }

    /** Dot of {@code k} contiguous elements at {@code off} with {@code x}, four vector partial sums. */
    private static float dotF(MemorySegment s, long off, float[] x, int k) {
        FloatVector s0 = FloatVector.zero(VectorConfig.F);
        FloatVector s1 = FloatVector.zero(VectorConfig.F);
        FloatVector s2 = FloatVector.zero(VectorConfig.F);
        FloatVector s3 = FloatVector.zero(VectorConfig.F);
        long byteOff = off * Float.BYTES;
        int p = 0;
        for (; p <= k - 4 * VectorConfig.FL; p += 4 * VectorConfig.FL) {
            long o = byteOff + (long) p * Float.BYTES;
            s0 = FloatVector.fromMemorySegment(VectorConfig.F, s, o, NATIVE).fma(FloatVector.fromArray(VectorConfig.F, x, p), s0);
            s1 = FloatVector.fromMemorySegment(VectorConfig.F, s, o + (long) VectorConfig.FL * Float.BYTES, NATIVE)
                    .fma(FloatVector.fromArray(VectorConfig.F, x, p + VectorConfig.FL), s1);
            s2 = FloatVector.fromMemorySegment(VectorConfig.F, s, o + 2L * VectorConfig.FL * Float.BYTES, NATIVE)
                    .fma(FloatVector.fromArray(VectorConfig.F, x, p + 2 * VectorConfig.FL), s2);
            s3 = FloatVector.fromMemorySegment(VectorConfig.F, s, o + 3L * VectorConfig.FL * Float.BYTES, NATIVE)
                    .fma(FloatVector.fromArray(VectorConfig.F, x, p + 3 * VectorConfig.FL), s3);
        }
        for (; p <= k - VectorConfig.FL; p += VectorConfig.FL) {
            s0 = FloatVector.fromMemorySegment(VectorConfig.F, s, byteOff + (long) p * Float.BYTES, NATIVE)
                    .fma(FloatVector.fromArray(VectorConfig.F, x, p), s0);
        }
        FloatVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.FL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.F8));
        }
        if (VectorConfig.FL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.F4));
        }
        if (VectorConfig.FL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.F2));
        }
        float sum = lanes.lane(0) + lanes.lane(1);
        for (; p < k; p++) {
            sum += s.getAtIndex(LF, off + p) * x[p];
        }
        return sum;
    }

    /**
     * {@code y[0..len) = sum_p x[p] * row_p} where row {@code p} is {@code len} contiguous elements
     * at {@code off + p * ld}; four rows per pass so y is loaded and stored a quarter as often.
     */
    private static void axpyRowsF(MemorySegment s, long off, long ld, float[] x, int k, int len, float[] y) {
        java.util.Arrays.fill(y, 0, len, (float) 0);
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            FloatVector x0 = FloatVector.broadcast(VectorConfig.F, x[p]);
            FloatVector x1 = FloatVector.broadcast(VectorConfig.F, x[p + 1]);
            FloatVector x2 = FloatVector.broadcast(VectorConfig.F, x[p + 2]);
            FloatVector x3 = FloatVector.broadcast(VectorConfig.F, x[p + 3]);
            long r0 = (off + p * ld) * Float.BYTES;
            long r1 = r0 + ld * Float.BYTES;
            long r2 = r1 + ld * Float.BYTES;
            long r3 = r2 + ld * Float.BYTES;
            int j = 0;
            for (; j <= len - VectorConfig.FL; j += VectorConfig.FL) {
                long o = (long) j * Float.BYTES;
                FloatVector acc = FloatVector.fromArray(VectorConfig.F, y, j);
                acc = FloatVector.fromMemorySegment(VectorConfig.F, s, r0 + o, NATIVE).fma(x0, acc);
                acc = FloatVector.fromMemorySegment(VectorConfig.F, s, r1 + o, NATIVE).fma(x1, acc);
                acc = FloatVector.fromMemorySegment(VectorConfig.F, s, r2 + o, NATIVE).fma(x2, acc);
                acc = FloatVector.fromMemorySegment(VectorConfig.F, s, r3 + o, NATIVE).fma(x3, acc);
                acc.intoArray(y, j);
            }
            long e0 = off + p * ld;
            for (; j < len; j++) {
                y[j] += x[p] * s.getAtIndex(LF, e0 + j)
                        + x[p + 1] * s.getAtIndex(LF, e0 + ld + j)
                        + x[p + 2] * s.getAtIndex(LF, e0 + 2 * ld + j)
                        + x[p + 3] * s.getAtIndex(LF, e0 + 3 * ld + j);
            }
        }
        for (; p < k; p++) {
            FloatVector xv = FloatVector.broadcast(VectorConfig.F, x[p]);
            long e0 = off + p * ld;
            long r0 = e0 * Float.BYTES;
            int j = 0;
            for (; j <= len - VectorConfig.FL; j += VectorConfig.FL) {
                FloatVector.fromMemorySegment(VectorConfig.F, s, r0 + (long) j * Float.BYTES, NATIVE)
                        .fma(xv, FloatVector.fromArray(VectorConfig.F, y, j)).intoArray(y, j);
            }
            for (; j < len; j++) {
                y[j] += x[p] * s.getAtIndex(LF, e0 + j);
            }
        }
    }

    /**
     * Small products without packing ({@code op(B)} not transposed, so its rows are contiguous):
     * C is computed in blocks read straight from the segments, each block's accumulators spilled
     * to {@code tile} by a small method of its own ({@code smallBlock*}) and merged by
     * {@link #mergeRowsF}, so no vector crosses a call (C2 boxes a vector passed to a call it
     * does not inline, and one method holding every block shape outgrew its inlining budget:
     * 4-55 KB per call). With a k above SMALL_DIM, four rows at a time share each B vector (16
     * accumulators, so a B larger than L1 is read from L2 a quarter as often); with a short k (a
     * layer of 10 units) one row at a time runs eight FMA chains (94 vs 54 GFLOP/s at 64x256x10).
     * Scalar columns last (a masked tail would read past the end of a small B, which takes the
     * Vector API's slow, allocating path).
     */
    private static void smallF(boolean transA, int m, int n, int k, float alpha,
                               MemorySegment a, long aOff, long lda,
                               MemorySegment b, long bOff, long ldb,
                               float beta, MemorySegment c, long cOff, long ldc) {
        long aRow = transA ? 1 : lda;
        long aCol = transA ? lda : 1;
        float[] tile = WORKSPACE.get().tileF();
        int i = 0;
        for (; k > SMALL_DIM && i + 4 <= m; i += 4) {
            long ai = aOff + i * aRow;
            long ci = cOff + (long) i * ldc;
            int j = 0;
            for (; j <= n - 4 * VectorConfig.FL; j += 4 * VectorConfig.FL) {
                smallBlockF_4x4(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsF(tile, 4, 4, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - VectorConfig.FL; j += VectorConfig.FL) {
                smallBlockF_4x1(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsF(tile, 4, 1, c, ci + j, ldc, alpha, beta);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) {
                    putF(c, ci + (long) r * ldc + j, columnF(k, a, ai + r * aRow, aCol, b, bOff + j, ldb), alpha, beta);
                }
            }
        }
        for (; i < m; i++) {
            long ai = aOff + i * aRow;
            long ci = cOff + (long) i * ldc;
            int j = 0;
            for (; j <= n - 8 * VectorConfig.FL; j += 8 * VectorConfig.FL) {
                smallBlockF_1x8(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsF(tile, 1, 8, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - 4 * VectorConfig.FL; j += 4 * VectorConfig.FL) {
                smallBlockF_1x4(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsF(tile, 1, 4, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - VectorConfig.FL; j += VectorConfig.FL) {
                smallBlockF_1x1(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsF(tile, 1, 1, c, ci + j, ldc, alpha, beta);
            }
            for (; j < n; j++) {
                putF(c, ci + j, columnF(k, a, ai, aCol, b, bOff + j, ldb), alpha, beta);
            }
        }
    }

    /** One element of a small product: {@code sum_p A[ai + p aCol] * B[bAt + p ldb]}, in order. */
    private static float columnF(int k, MemorySegment a, long ai, long aCol, MemorySegment b, long bAt, long ldb) {
        float sum = 0;
        for (int p = 0; p < k; p++) {
            sum += a.getAtIndex(LF, ai + p * aCol) * b.getAtIndex(LF, bAt + p * ldb);
        }
        return sum;
    }

    // ============================== f64 ==============================

    /** Single-threaded blocked {@code double} GEMM on the calling thread's packing buffers. */
    private static void serialD(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                MemorySegment a, long aOff, long lda,
                                MemorySegment b, long bOff, long ldb,
                                double beta, MemorySegment c, long cOff, long ldc) {
        Workspace ws = WORKSPACE.get();
        double[] ap = ws.apD();
        double[] bp = ws.bpD();
        double[] tile = ws.tileD();
        double[] stage = transB ? ws.stageD() : null;
        for (int jc = 0; jc < n; jc += NC_D) {
            int nc = Math.min(NC_D, n - jc);
            for (int pc = 0; pc < k; pc += KC_D) {
                int kc = Math.min(KC_D, k - pc);
                // Only the first k block applies the caller's beta; later blocks add to it.
                double betaEff = pc == 0 ? beta : 1;
                packBD(transB, b, bOff, ldb, pc, kc, jc, nc, bp, stage);
                for (int ic = 0; ic < m; ic += MC_D) {
                    int mc = Math.min(MC_D, m - ic);
                    packAD(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    // B's micro-panel (kc x NR) is reused across the A panels of the block; the
                    // opposite order (A's panel reused across B's) measured the same (0.70-0.89 vs
                    // 0.73-0.84 of OpenBLAS in one run, 2026-12-02, load 27).
                    for (int jr = 0; jr < nc; jr += NR_D) {
                        int nr = Math.min(NR_D, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR_D) {
                            int mr = Math.min(MR_D, mc - ir);
                            tileD(transA, kc, ap, ir, bp, jr, tile, mr, nr, c,
                                    cOff + (long) (ic + ir) * ldc + jc + jr, ldc, alpha, betaEff);
                        }
                    }
                }
            }
        }
    }

    /**
     * One micro-tile: the kernel for A's packed layout, then the merge into C. A partial tile at
     * an edge of C takes the smallest edge kernel that covers it ({@link #edgeD}): with m = 64
     * the sixth 12-row panel holds 4 rows, and with n = 10 a 32-wide panel holds 10 columns, so
     * the full kernel would spend two thirds of that tile's work on the packing's zeros.
     */
    private static void tileD(boolean transA, int kc, double[] ap, int ir, double[] bp, int jr, double[] tile,
                              int mr, int nr, MemorySegment c, long cTile, long ldc, double alpha, double beta) {
        if (mr == MR_D && nr == NR_D) {
            if (transA) {
                kernelD(kc, ap, ir * kc, bp, jr * kc, tile);
            } else {
                kernelDR(kc, ap, ir * KC_D, bp, jr * kc, tile);
            }
            mergeFullD(tile, c, cTile, ldc, alpha, beta);
        } else {
            edgeD(transA, kc, ap, transA ? ir * kc : ir * KC_D, bp, jr * kc, tile, mr, nr);
            mergeTileD(tile, mr, nr, c, cTile, ldc, alpha, beta);
        }
    }

    /**
     * Packs {@code op(A)[ic..ic+mc, pc..pc+kc]} into MR-row panels of {@code MR * kc} elements;
     * rows past {@code mc} are zero so the kernel never needs a row tail. A transposed A is packed
     * k-step-major (for each {@code p}, the MR elements of column {@code p}, read contiguously;
     * {@link #kernelD}); a non-transposed A keeps its rows ({@link #kernelDR}), so both packs are
     * contiguous copies and neither transposes.
     */
    private static void packAD(boolean transA, MemorySegment a, long aOff, long lda,
                               int ic, int mc, int pc, int kc, double[] ap) {
        for (int ir = 0; ir < mc; ir += MR_D) {
            int mr = Math.min(MR_D, mc - ir);
            int base = ir * kc;
            if (!transA) {
                // op(A)[i, p] = A[i * lda + p]: the panel keeps A's rows (kernelDR's layout), so
                // packing is one bulk copy per row; rows past mc are zero. Row i of the block
                // starts at i * KC_D whatever kc is: a constant stride, so the kernel reads all
                // MR rows at constant displacements from one index (with kc, the MR row indices
                // did not fit the integer registers and C2 reloaded some from the stack every k step).
                for (int r = 0; r < mr; r++) {
                    long src = aOff + (long) (ic + ir + r) * lda + pc;
                    MemorySegment.copy(a, LD, src * Double.BYTES, ap, (ir + r) * KC_D, kc);
                }
                for (int r = mr; r < MR_D; r++) {
                    java.util.Arrays.fill(ap, (ir + r) * KC_D, (ir + r) * KC_D + kc, (double) 0);
                }
                continue;
            } else {
                // op(A)[i, p] = A[p * lda + i]: the MR elements of a k step are adjacent already.
                // Masked vector copies: a scalar loop of only MR elements per k step costs more in
                // loop overhead than in data movement (measured 50 vs 85 GFLOP/s at 784x64x256).
                for (int p = 0; p < kc; p++) {
                    long src = aOff + (long) (pc + p) * lda + ic + ir;
                    int dst = base + p * MR_D;
                    int r = 0;
                    for (; r <= mr - VectorConfig.DL; r += VectorConfig.DL) {
                        DoubleVector.fromMemorySegment(VectorConfig.D, a, (src + r) * Double.BYTES, NATIVE).intoArray(ap, dst + r);
                    }
                    if (mr - r == 1) {
                        // A one-lane remainder only occurs with 2-lane species, whose masked
                        // loads C2 does not intrinsify (f64 at 128 bits boxed 120 KB per call).
                        ap[dst + r] = a.getAtIndex(LD, src + r);
                    } else if (r < mr) {
                        VectorMask<Double> mask = VectorConfig.D.indexInRange(r, mr);
                        DoubleVector.fromMemorySegment(VectorConfig.D, a, (src + r) * Double.BYTES, NATIVE, mask)
                                .intoArray(ap, dst + r, mask);
                    }
                }
            }
            if (mr < MR_D) {
                for (int p = 0; p < kc; p++) {
                    for (int r = mr; r < MR_D; r++) {
                        ap[base + p * MR_D + r] = 0;
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc..pc+kc, jc..jc+nc]} into NR-column panels: panel {@code jr / NR}
     * holds, for each k step, NR contiguous elements of row {@code p}; columns past {@code nc}
     * are zero so the kernel never needs a column tail.
     */
    private static void packBD(boolean transB, MemorySegment b, long bOff, long ldb,
                               int pc, int kc, int jc, int nc, double[] bp, double[] stage) {
        for (int jr = 0; jr < nc; jr += NR_D) {
            int nr = Math.min(NR_D, nc - jr);
            int base = jr * kc;
            if (!transB) {
                // op(B)[p, j] = B[p * ldb + j]: rows are contiguous, so full panels copy by vector.
                long src = bOff + (long) pc * ldb + jc + jr;
                if (nr == NR_D) {
                    for (int p = 0; p < kc; p++) {
                        long byteOff = (src + p * ldb) * Double.BYTES;
                        int dst = base + p * NR_D;
                        for (int v = 0; v < NRV_D; v++) {
                            DoubleVector.fromMemorySegment(VectorConfig.D, b, byteOff + (long) v * VectorConfig.DL * Double.BYTES, NATIVE)
                                    .intoArray(bp, dst + v * VectorConfig.DL);
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        long row = src + p * ldb;
                        int dst = base + p * NR_D;
                        for (int j = 0; j < nr; j++) {
                            bp[dst + j] = b.getAtIndex(LD, row + j);
                        }
                        for (int j = nr; j < NR_D; j++) {
                            bp[dst + j] = 0;
                        }
                    }
                }
            } else if (TD_LO != null && nr == NR_D && kc >= VectorConfig.DL) {
                // op(B)[p, j] = B[j * ldb + p]: a transpose, done in registers L x L at a time
                // (two-source shuffles); the last kc % L steps element by element.
                int pFull = kc - kc % VectorConfig.DL;
                long ldBytes = ldb * Double.BYTES;
                for (int pb = 0; pb < pFull; pb += VectorConfig.DL) {
                    for (int jb = 0; jb < NR_D; jb += VectorConfig.DL) {
                        long off = (bOff + (long) (jc + jr + jb) * ldb + pc + pb) * Double.BYTES;
                        transposeD(b, off, ldBytes, bp, base + pb * NR_D + jb);
                    }
                }
                for (int j = 0; j < NR_D; j++) {
                    long src = bOff + (long) (jc + jr + j) * ldb + pc;
                    for (int p = pFull; p < kc; p++) {
                        bp[base + p * NR_D + j] = b.getAtIndex(LD, src + p);
                    }
                }
            } else {
                // op(B)[p, j] = B[j * ldb + p]: a transpose. The panel's stored rows are first
                // bulk-copied to a heap staging array (row stride KC), then transposed array to
                // array in TB x TB squares so the lines read and written stay in L1 (a whole
                // panel, KC * NR elements, does not fit). A vector scatter down the panel is
                // not intrinsified for every species (f64 at 256 bits boxed: 60 KB per call).
                for (int j = 0; j < nr; j++) {
                    long src = bOff + (long) (jc + jr + j) * ldb + pc;
                    MemorySegment.copy(b, LD, src * Double.BYTES, stage, j * KC_D, kc);
                }
                for (int jb = 0; jb < nr; jb += TRANSPOSE_BLOCK) {
                    int je = Math.min(nr, jb + TRANSPOSE_BLOCK);
                    for (int pb = 0; pb < kc; pb += TRANSPOSE_BLOCK) {
                        int pe = Math.min(kc, pb + TRANSPOSE_BLOCK);
                        for (int j = jb; j < je; j++) {
                            int row = j * KC_D;
                            for (int p = pb; p < pe; p++) {
                                bp[base + p * NR_D + j] = stage[row + p];
                            }
                        }
                    }
                }
                if (nr < NR_D) {
                    for (int p = 0; p < kc; p++) {
                        for (int j = nr; j < NR_D; j++) {
                            bp[base + p * NR_D + j] = 0;
                        }
                    }
                }
            }
        }
    }

    /**
     * The double micro-kernel: an 6 x 4-vector tile of C held in 24 accumulators,
     * updated by one broadcast of A and 4 vector loads of B per k step, then spilled to
     * {@code tile} (row-major, row stride NR_D). Written out for MR_D = 6, NRV_D = 4
     * because the JIT keeps locals in registers but not array elements.
     */
    private static void kernelD(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D); DoubleVector c02 = DoubleVector.zero(VectorConfig.D); DoubleVector c03 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D); DoubleVector c12 = DoubleVector.zero(VectorConfig.D); DoubleVector c13 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D); DoubleVector c22 = DoubleVector.zero(VectorConfig.D); DoubleVector c23 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D); DoubleVector c32 = DoubleVector.zero(VectorConfig.D); DoubleVector c33 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c40 = DoubleVector.zero(VectorConfig.D); DoubleVector c41 = DoubleVector.zero(VectorConfig.D); DoubleVector c42 = DoubleVector.zero(VectorConfig.D); DoubleVector c43 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c50 = DoubleVector.zero(VectorConfig.D); DoubleVector c51 = DoubleVector.zero(VectorConfig.D); DoubleVector c52 = DoubleVector.zero(VectorConfig.D); DoubleVector c53 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_D;
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector b2 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 2 * VectorConfig.DL);
            DoubleVector b3 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 3 * VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
            DoubleVector a4 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42); c43 = a4.fma(b3, c43);
            DoubleVector a5 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52); c53 = a5.fma(b3, c53);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL); c02.intoArray(tile, 0 * NR_D + 2 * VectorConfig.DL); c03.intoArray(tile, 0 * NR_D + 3 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL); c12.intoArray(tile, 1 * NR_D + 2 * VectorConfig.DL); c13.intoArray(tile, 1 * NR_D + 3 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL); c22.intoArray(tile, 2 * NR_D + 2 * VectorConfig.DL); c23.intoArray(tile, 2 * NR_D + 3 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL); c32.intoArray(tile, 3 * NR_D + 2 * VectorConfig.DL); c33.intoArray(tile, 3 * NR_D + 3 * VectorConfig.DL);
        c40.intoArray(tile, 4 * NR_D); c41.intoArray(tile, 4 * NR_D + 1 * VectorConfig.DL); c42.intoArray(tile, 4 * NR_D + 2 * VectorConfig.DL); c43.intoArray(tile, 4 * NR_D + 3 * VectorConfig.DL);
        c50.intoArray(tile, 5 * NR_D); c51.intoArray(tile, 5 * NR_D + 1 * VectorConfig.DL); c52.intoArray(tile, 5 * NR_D + 2 * VectorConfig.DL); c53.intoArray(tile, 5 * NR_D + 3 * VectorConfig.DL);
    }

    /**
     * The double micro-kernel for a row-panel A: like {@link #kernelD}, but the packed A panel holds
     * its 6 rows one after another ({@code kc} elements each, at a stride of KC_D), so packing a
     * non-transposed A is a plain copy; the broadcasts read 6 sequential streams.
     */
    private static void kernelDR(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D); DoubleVector c02 = DoubleVector.zero(VectorConfig.D); DoubleVector c03 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D); DoubleVector c12 = DoubleVector.zero(VectorConfig.D); DoubleVector c13 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D); DoubleVector c22 = DoubleVector.zero(VectorConfig.D); DoubleVector c23 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D); DoubleVector c32 = DoubleVector.zero(VectorConfig.D); DoubleVector c33 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c40 = DoubleVector.zero(VectorConfig.D); DoubleVector c41 = DoubleVector.zero(VectorConfig.D); DoubleVector c42 = DoubleVector.zero(VectorConfig.D); DoubleVector c43 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c50 = DoubleVector.zero(VectorConfig.D); DoubleVector c51 = DoubleVector.zero(VectorConfig.D); DoubleVector c52 = DoubleVector.zero(VectorConfig.D); DoubleVector c53 = DoubleVector.zero(VectorConfig.D);
        int a0i = ai;
        int a1i = ai + KC_D;
        int a2i = ai + 2 * KC_D;
        int a3i = ai + 3 * KC_D;
        int a4i = ai + 4 * KC_D;
        int a5i = ai + 5 * KC_D;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector b2 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 2 * VectorConfig.DL);
            DoubleVector b3 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 3 * VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[a2i + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[a3i + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
            DoubleVector a4 = DoubleVector.broadcast(VectorConfig.D, ap[a4i + p]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42); c43 = a4.fma(b3, c43);
            DoubleVector a5 = DoubleVector.broadcast(VectorConfig.D, ap[a5i + p]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52); c53 = a5.fma(b3, c53);
        }
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL); c02.intoArray(tile, 0 * NR_D + 2 * VectorConfig.DL); c03.intoArray(tile, 0 * NR_D + 3 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL); c12.intoArray(tile, 1 * NR_D + 2 * VectorConfig.DL); c13.intoArray(tile, 1 * NR_D + 3 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL); c22.intoArray(tile, 2 * NR_D + 2 * VectorConfig.DL); c23.intoArray(tile, 2 * NR_D + 3 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL); c32.intoArray(tile, 3 * NR_D + 2 * VectorConfig.DL); c33.intoArray(tile, 3 * NR_D + 3 * VectorConfig.DL);
        c40.intoArray(tile, 4 * NR_D); c41.intoArray(tile, 4 * NR_D + 1 * VectorConfig.DL); c42.intoArray(tile, 4 * NR_D + 2 * VectorConfig.DL); c43.intoArray(tile, 4 * NR_D + 3 * VectorConfig.DL);
        c50.intoArray(tile, 5 * NR_D); c51.intoArray(tile, 5 * NR_D + 1 * VectorConfig.DL); c52.intoArray(tile, 5 * NR_D + 2 * VectorConfig.DL); c53.intoArray(tile, 5 * NR_D + 3 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelD}: the first 2 rows and 2 vector(s) of columns of the panels. */
    private static void kernelD_2x2(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_D;
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelDR}: the first 2 rows and 2 vector(s) of columns of the panels. */
    private static void kernelDR_2x2(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D);
        int a0i = ai;
        int a1i = ai + KC_D;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
        }
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelD}: the first 2 rows and 4 vector(s) of columns of the panels. */
    private static void kernelD_2x4(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D); DoubleVector c02 = DoubleVector.zero(VectorConfig.D); DoubleVector c03 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D); DoubleVector c12 = DoubleVector.zero(VectorConfig.D); DoubleVector c13 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_D;
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector b2 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 2 * VectorConfig.DL);
            DoubleVector b3 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 3 * VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL); c02.intoArray(tile, 0 * NR_D + 2 * VectorConfig.DL); c03.intoArray(tile, 0 * NR_D + 3 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL); c12.intoArray(tile, 1 * NR_D + 2 * VectorConfig.DL); c13.intoArray(tile, 1 * NR_D + 3 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelDR}: the first 2 rows and 4 vector(s) of columns of the panels. */
    private static void kernelDR_2x4(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D); DoubleVector c02 = DoubleVector.zero(VectorConfig.D); DoubleVector c03 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D); DoubleVector c12 = DoubleVector.zero(VectorConfig.D); DoubleVector c13 = DoubleVector.zero(VectorConfig.D);
        int a0i = ai;
        int a1i = ai + KC_D;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector b2 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 2 * VectorConfig.DL);
            DoubleVector b3 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 3 * VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
        }
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL); c02.intoArray(tile, 0 * NR_D + 2 * VectorConfig.DL); c03.intoArray(tile, 0 * NR_D + 3 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL); c12.intoArray(tile, 1 * NR_D + 2 * VectorConfig.DL); c13.intoArray(tile, 1 * NR_D + 3 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelD}: the first 4 rows and 2 vector(s) of columns of the panels. */
    private static void kernelD_4x2(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_D;
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelDR}: the first 4 rows and 2 vector(s) of columns of the panels. */
    private static void kernelDR_4x2(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D);
        int a0i = ai;
        int a1i = ai + KC_D;
        int a2i = ai + 2 * KC_D;
        int a3i = ai + 3 * KC_D;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[a2i + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[a3i + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
        }
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelD}: the first 4 rows and 4 vector(s) of columns of the panels. */
    private static void kernelD_4x4(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D); DoubleVector c02 = DoubleVector.zero(VectorConfig.D); DoubleVector c03 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D); DoubleVector c12 = DoubleVector.zero(VectorConfig.D); DoubleVector c13 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D); DoubleVector c22 = DoubleVector.zero(VectorConfig.D); DoubleVector c23 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D); DoubleVector c32 = DoubleVector.zero(VectorConfig.D); DoubleVector c33 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_D;
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector b2 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 2 * VectorConfig.DL);
            DoubleVector b3 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 3 * VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL); c02.intoArray(tile, 0 * NR_D + 2 * VectorConfig.DL); c03.intoArray(tile, 0 * NR_D + 3 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL); c12.intoArray(tile, 1 * NR_D + 2 * VectorConfig.DL); c13.intoArray(tile, 1 * NR_D + 3 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL); c22.intoArray(tile, 2 * NR_D + 2 * VectorConfig.DL); c23.intoArray(tile, 2 * NR_D + 3 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL); c32.intoArray(tile, 3 * NR_D + 2 * VectorConfig.DL); c33.intoArray(tile, 3 * NR_D + 3 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelDR}: the first 4 rows and 4 vector(s) of columns of the panels. */
    private static void kernelDR_4x4(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D); DoubleVector c02 = DoubleVector.zero(VectorConfig.D); DoubleVector c03 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D); DoubleVector c12 = DoubleVector.zero(VectorConfig.D); DoubleVector c13 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D); DoubleVector c22 = DoubleVector.zero(VectorConfig.D); DoubleVector c23 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D); DoubleVector c32 = DoubleVector.zero(VectorConfig.D); DoubleVector c33 = DoubleVector.zero(VectorConfig.D);
        int a0i = ai;
        int a1i = ai + KC_D;
        int a2i = ai + 2 * KC_D;
        int a3i = ai + 3 * KC_D;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector b2 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 2 * VectorConfig.DL);
            DoubleVector b3 = DoubleVector.fromArray(VectorConfig.D, bp, ib + 3 * VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[a2i + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[a3i + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL); c02.intoArray(tile, 0 * NR_D + 2 * VectorConfig.DL); c03.intoArray(tile, 0 * NR_D + 3 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL); c12.intoArray(tile, 1 * NR_D + 2 * VectorConfig.DL); c13.intoArray(tile, 1 * NR_D + 3 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL); c22.intoArray(tile, 2 * NR_D + 2 * VectorConfig.DL); c23.intoArray(tile, 2 * NR_D + 3 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL); c32.intoArray(tile, 3 * NR_D + 2 * VectorConfig.DL); c33.intoArray(tile, 3 * NR_D + 3 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelD}: the first 6 rows and 2 vector(s) of columns of the panels. */
    private static void kernelD_6x2(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c40 = DoubleVector.zero(VectorConfig.D); DoubleVector c41 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c50 = DoubleVector.zero(VectorConfig.D); DoubleVector c51 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < kc; p++) {
            int ia = ai + p * MR_D;
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[ia]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(VectorConfig.D, ap[ia + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        // Spill the tile; merging into C happens in a separate method so this one stays small
        // enough for C2 to keep every vector in a register (a bigger method hits the inlining
        // node cutoff, and a vector passed to a call that is not inlined is boxed).
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL);
        c40.intoArray(tile, 4 * NR_D); c41.intoArray(tile, 4 * NR_D + 1 * VectorConfig.DL);
        c50.intoArray(tile, 5 * NR_D); c51.intoArray(tile, 5 * NR_D + 1 * VectorConfig.DL);
    }

    /** Edge tile of {@link #kernelDR}: the first 6 rows and 2 vector(s) of columns of the panels. */
    private static void kernelDR_6x2(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(VectorConfig.D); DoubleVector c01 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c10 = DoubleVector.zero(VectorConfig.D); DoubleVector c11 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c20 = DoubleVector.zero(VectorConfig.D); DoubleVector c21 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c30 = DoubleVector.zero(VectorConfig.D); DoubleVector c31 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c40 = DoubleVector.zero(VectorConfig.D); DoubleVector c41 = DoubleVector.zero(VectorConfig.D);
        DoubleVector c50 = DoubleVector.zero(VectorConfig.D); DoubleVector c51 = DoubleVector.zero(VectorConfig.D);
        int a0i = ai;
        int a1i = ai + KC_D;
        int a2i = ai + 2 * KC_D;
        int a3i = ai + 3 * KC_D;
        int a4i = ai + 4 * KC_D;
        int a5i = ai + 5 * KC_D;
        for (int p = 0; p < kc; p++) {
            int ib = bi + p * NR_D;
            DoubleVector b0 = DoubleVector.fromArray(VectorConfig.D, bp, ib);
            DoubleVector b1 = DoubleVector.fromArray(VectorConfig.D, bp, ib + VectorConfig.DL);
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, ap[a0i + p]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, ap[a1i + p]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, ap[a2i + p]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, ap[a3i + p]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(VectorConfig.D, ap[a4i + p]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(VectorConfig.D, ap[a5i + p]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        c00.intoArray(tile, 0 * NR_D); c01.intoArray(tile, 0 * NR_D + 1 * VectorConfig.DL);
        c10.intoArray(tile, 1 * NR_D); c11.intoArray(tile, 1 * NR_D + 1 * VectorConfig.DL);
        c20.intoArray(tile, 2 * NR_D); c21.intoArray(tile, 2 * NR_D + 1 * VectorConfig.DL);
        c30.intoArray(tile, 3 * NR_D); c31.intoArray(tile, 3 * NR_D + 1 * VectorConfig.DL);
        c40.intoArray(tile, 4 * NR_D); c41.intoArray(tile, 4 * NR_D + 1 * VectorConfig.DL);
        c50.intoArray(tile, 5 * NR_D); c51.intoArray(tile, 5 * NR_D + 1 * VectorConfig.DL);
    }

    /**
     * Runs the smallest kernel whose tile covers {@code mr x nr} (a partial tile at an edge of C)
     * into {@code tile}; rows and columns it skips are the packing's zeros, never merged.
     */
    private static void edgeD(boolean transA, int kc, double[] ap, int ai, double[] bp, int bi, double[] tile,
                              int mr, int nr) {
        if (mr <= 2 && nr <= 2 * VectorConfig.DL) {
            if (transA) {
                kernelD_2x2(kc, ap, ai, bp, bi, tile);
            } else {
                kernelDR_2x2(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 2 && nr <= 4 * VectorConfig.DL) {
            if (transA) {
                kernelD_2x4(kc, ap, ai, bp, bi, tile);
            } else {
                kernelDR_2x4(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 4 && nr <= 2 * VectorConfig.DL) {
            if (transA) {
                kernelD_4x2(kc, ap, ai, bp, bi, tile);
            } else {
                kernelDR_4x2(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 4 && nr <= 4 * VectorConfig.DL) {
            if (transA) {
                kernelD_4x4(kc, ap, ai, bp, bi, tile);
            } else {
                kernelDR_4x4(kc, ap, ai, bp, bi, tile);
            }
        } else if (mr <= 6 && nr <= 2 * VectorConfig.DL) {
            if (transA) {
                kernelD_6x2(kc, ap, ai, bp, bi, tile);
            } else {
                kernelDR_6x2(kc, ap, ai, bp, bi, tile);
            }
        } else {
            if (transA) {
                kernelD(kc, ap, ai, bp, bi, tile);
            } else {
                kernelDR(kc, ap, ai, bp, bi, tile);
            }
        }
    }

    /**
     * Shuffle indices of the 8 x 8 transpose ({@link #transposeD}): stage {@code b} swaps bit
     * {@code b} of the row index with bit {@code b} of the column index; for a row pair
     * {@code (r, r | 1 << b)}, {@code TD_LO[b]} builds the new row {@code r} and {@code TD_HI[b]}
     * the new row {@code r | 1 << b} (indices past 8 select from the second row). Null when
     * the species is not 8 lanes wide.
     */
    private static final DoubleVector[] TD_LO = transposeIndicesD(false);
    private static final DoubleVector[] TD_HI = transposeIndicesD(true);
    private static final DoubleVector TD_LO0 = TD_LO == null ? null : TD_LO[0];
    private static final DoubleVector TD_HI0 = TD_HI == null ? null : TD_HI[0];
    private static final DoubleVector TD_LO1 = TD_LO == null ? null : TD_LO[1];
    private static final DoubleVector TD_HI1 = TD_HI == null ? null : TD_HI[1];
    private static final DoubleVector TD_LO2 = TD_LO == null ? null : TD_LO[2];
    private static final DoubleVector TD_HI2 = TD_HI == null ? null : TD_HI[2];

    private static DoubleVector[] transposeIndicesD(boolean hi) {
        if (VectorConfig.D.length() != 8) {
            return null;
        }
        DoubleVector[] out = new DoubleVector[3];
        for (int b = 0; b < 3; b++) {
            double[] idx = new double[8];
            int d = 1 << b;
            for (int c = 0; c < 8; c++) {
                boolean bit = (c & d) != 0;
                idx[c] = hi ? (bit ? 8 + c : c + d) : (bit ? 8 + c - d : c);
            }
            out[b] = DoubleVector.fromArray(VectorConfig.D, idx, 0);
        }
        return out;
    }

    /**
     * Transposes the 8 x 8 block of B at byte offset {@code off} (row stride {@code ldBytes})
     * into {@code bp}: row {@code q} of the result (8 elements) goes to {@code dst + q * NR_D}.
     * Only for a 8-lane species ({@code TD_LO != null}).
     */
    private static void transposeD(MemorySegment b, long off, long ldBytes, double[] bp, int dst) {
        DoubleVector r0s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off, NATIVE);
        DoubleVector r1s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off + 1 * ldBytes, NATIVE);
        DoubleVector r2s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off + 2 * ldBytes, NATIVE);
        DoubleVector r3s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off + 3 * ldBytes, NATIVE);
        DoubleVector r4s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off + 4 * ldBytes, NATIVE);
        DoubleVector r5s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off + 5 * ldBytes, NATIVE);
        DoubleVector r6s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off + 6 * ldBytes, NATIVE);
        DoubleVector r7s0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, off + 7 * ldBytes, NATIVE);
        DoubleVector r0s1 = TD_LO0.selectFrom(r0s0, r1s0);
        DoubleVector r1s1 = TD_HI0.selectFrom(r0s0, r1s0);
        DoubleVector r2s1 = TD_LO0.selectFrom(r2s0, r3s0);
        DoubleVector r3s1 = TD_HI0.selectFrom(r2s0, r3s0);
        DoubleVector r4s1 = TD_LO0.selectFrom(r4s0, r5s0);
        DoubleVector r5s1 = TD_HI0.selectFrom(r4s0, r5s0);
        DoubleVector r6s1 = TD_LO0.selectFrom(r6s0, r7s0);
        DoubleVector r7s1 = TD_HI0.selectFrom(r6s0, r7s0);
        DoubleVector r0s2 = TD_LO1.selectFrom(r0s1, r2s1);
        DoubleVector r2s2 = TD_HI1.selectFrom(r0s1, r2s1);
        DoubleVector r1s2 = TD_LO1.selectFrom(r1s1, r3s1);
        DoubleVector r3s2 = TD_HI1.selectFrom(r1s1, r3s1);
        DoubleVector r4s2 = TD_LO1.selectFrom(r4s1, r6s1);
        DoubleVector r6s2 = TD_HI1.selectFrom(r4s1, r6s1);
        DoubleVector r5s2 = TD_LO1.selectFrom(r5s1, r7s1);
        DoubleVector r7s2 = TD_HI1.selectFrom(r5s1, r7s1);
        DoubleVector r0s3 = TD_LO2.selectFrom(r0s2, r4s2);
        DoubleVector r4s3 = TD_HI2.selectFrom(r0s2, r4s2);
        DoubleVector r1s3 = TD_LO2.selectFrom(r1s2, r5s2);
        DoubleVector r5s3 = TD_HI2.selectFrom(r1s2, r5s2);
        DoubleVector r2s3 = TD_LO2.selectFrom(r2s2, r6s2);
        DoubleVector r6s3 = TD_HI2.selectFrom(r2s2, r6s2);
        DoubleVector r3s3 = TD_LO2.selectFrom(r3s2, r7s2);
        DoubleVector r7s3 = TD_HI2.selectFrom(r3s2, r7s2);
        r0s3.intoArray(bp, dst);
        r1s3.intoArray(bp, dst + 1 * NR_D);
        r2s3.intoArray(bp, dst + 2 * NR_D);
        r3s3.intoArray(bp, dst + 3 * NR_D);
        r4s3.intoArray(bp, dst + 4 * NR_D);
        r5s3.intoArray(bp, dst + 5 * NR_D);
        r6s3.intoArray(bp, dst + 6 * NR_D);
        r7s3.intoArray(bp, dst + 7 * NR_D);
    }

    /** 4 row(s) x 4 vector(s) of a small product into {@code tile} (see {@link #smallD}). */
    private static void smallBlockD_4x4(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, double[] tile) {
        DoubleVector s00 = DoubleVector.zero(VectorConfig.D); DoubleVector s01 = DoubleVector.zero(VectorConfig.D); DoubleVector s02 = DoubleVector.zero(VectorConfig.D); DoubleVector s03 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s10 = DoubleVector.zero(VectorConfig.D); DoubleVector s11 = DoubleVector.zero(VectorConfig.D); DoubleVector s12 = DoubleVector.zero(VectorConfig.D); DoubleVector s13 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s20 = DoubleVector.zero(VectorConfig.D); DoubleVector s21 = DoubleVector.zero(VectorConfig.D); DoubleVector s22 = DoubleVector.zero(VectorConfig.D); DoubleVector s23 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s30 = DoubleVector.zero(VectorConfig.D); DoubleVector s31 = DoubleVector.zero(VectorConfig.D); DoubleVector s32 = DoubleVector.zero(VectorConfig.D); DoubleVector s33 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Double.BYTES;
            DoubleVector b0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o, NATIVE);
            DoubleVector b1 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + (long) VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b2 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 2L * VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b3 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 3L * VectorConfig.DL * Double.BYTES, NATIVE);
            long q = ai + p * aCol;
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q));
            s00 = a0.fma(b0, s00); s01 = a0.fma(b1, s01); s02 = a0.fma(b2, s02); s03 = a0.fma(b3, s03);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q + aRow));
            s10 = a1.fma(b0, s10); s11 = a1.fma(b1, s11); s12 = a1.fma(b2, s12); s13 = a1.fma(b3, s13);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q + 2 * aRow));
            s20 = a2.fma(b0, s20); s21 = a2.fma(b1, s21); s22 = a2.fma(b2, s22); s23 = a2.fma(b3, s23);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q + 3 * aRow));
            s30 = a3.fma(b0, s30); s31 = a3.fma(b1, s31); s32 = a3.fma(b2, s32); s33 = a3.fma(b3, s33);
        }
        s00.intoArray(tile, 0 * VectorConfig.DL); s01.intoArray(tile, 1 * VectorConfig.DL); s02.intoArray(tile, 2 * VectorConfig.DL); s03.intoArray(tile, 3 * VectorConfig.DL);
        s10.intoArray(tile, 4 * VectorConfig.DL); s11.intoArray(tile, 5 * VectorConfig.DL); s12.intoArray(tile, 6 * VectorConfig.DL); s13.intoArray(tile, 7 * VectorConfig.DL);
        s20.intoArray(tile, 8 * VectorConfig.DL); s21.intoArray(tile, 9 * VectorConfig.DL); s22.intoArray(tile, 10 * VectorConfig.DL); s23.intoArray(tile, 11 * VectorConfig.DL);
        s30.intoArray(tile, 12 * VectorConfig.DL); s31.intoArray(tile, 13 * VectorConfig.DL); s32.intoArray(tile, 14 * VectorConfig.DL); s33.intoArray(tile, 15 * VectorConfig.DL);
    }

    /** 4 row(s) x 1 vector(s) of a small product into {@code tile} (see {@link #smallD}). */
    private static void smallBlockD_4x1(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, double[] tile) {
        DoubleVector s00 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s10 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s20 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s30 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Double.BYTES;
            DoubleVector b0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o, NATIVE);
            long q = ai + p * aCol;
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q));
            s00 = a0.fma(b0, s00);
            DoubleVector a1 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q + aRow));
            s10 = a1.fma(b0, s10);
            DoubleVector a2 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q + 2 * aRow));
            s20 = a2.fma(b0, s20);
            DoubleVector a3 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q + 3 * aRow));
            s30 = a3.fma(b0, s30);
        }
        s00.intoArray(tile, 0 * VectorConfig.DL);
        s10.intoArray(tile, 1 * VectorConfig.DL);
        s20.intoArray(tile, 2 * VectorConfig.DL);
        s30.intoArray(tile, 3 * VectorConfig.DL);
    }

    /** 1 row(s) x 8 vector(s) of a small product into {@code tile} (see {@link #smallD}). */
    private static void smallBlockD_1x8(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, double[] tile) {
        DoubleVector s00 = DoubleVector.zero(VectorConfig.D); DoubleVector s01 = DoubleVector.zero(VectorConfig.D); DoubleVector s02 = DoubleVector.zero(VectorConfig.D); DoubleVector s03 = DoubleVector.zero(VectorConfig.D); DoubleVector s04 = DoubleVector.zero(VectorConfig.D); DoubleVector s05 = DoubleVector.zero(VectorConfig.D); DoubleVector s06 = DoubleVector.zero(VectorConfig.D); DoubleVector s07 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Double.BYTES;
            DoubleVector b0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o, NATIVE);
            DoubleVector b1 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + (long) VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b2 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 2L * VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b3 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 3L * VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b4 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 4L * VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b5 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 5L * VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b6 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 6L * VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b7 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 7L * VectorConfig.DL * Double.BYTES, NATIVE);
            long q = ai + p * aCol;
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q));
            s00 = a0.fma(b0, s00); s01 = a0.fma(b1, s01); s02 = a0.fma(b2, s02); s03 = a0.fma(b3, s03); s04 = a0.fma(b4, s04); s05 = a0.fma(b5, s05); s06 = a0.fma(b6, s06); s07 = a0.fma(b7, s07);
        }
        s00.intoArray(tile, 0 * VectorConfig.DL); s01.intoArray(tile, 1 * VectorConfig.DL); s02.intoArray(tile, 2 * VectorConfig.DL); s03.intoArray(tile, 3 * VectorConfig.DL); s04.intoArray(tile, 4 * VectorConfig.DL); s05.intoArray(tile, 5 * VectorConfig.DL); s06.intoArray(tile, 6 * VectorConfig.DL); s07.intoArray(tile, 7 * VectorConfig.DL);
    }

    /** 1 row(s) x 4 vector(s) of a small product into {@code tile} (see {@link #smallD}). */
    private static void smallBlockD_1x4(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, double[] tile) {
        DoubleVector s00 = DoubleVector.zero(VectorConfig.D); DoubleVector s01 = DoubleVector.zero(VectorConfig.D); DoubleVector s02 = DoubleVector.zero(VectorConfig.D); DoubleVector s03 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Double.BYTES;
            DoubleVector b0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o, NATIVE);
            DoubleVector b1 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + (long) VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b2 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 2L * VectorConfig.DL * Double.BYTES, NATIVE);
            DoubleVector b3 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o + 3L * VectorConfig.DL * Double.BYTES, NATIVE);
            long q = ai + p * aCol;
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q));
            s00 = a0.fma(b0, s00); s01 = a0.fma(b1, s01); s02 = a0.fma(b2, s02); s03 = a0.fma(b3, s03);
        }
        s00.intoArray(tile, 0 * VectorConfig.DL); s01.intoArray(tile, 1 * VectorConfig.DL); s02.intoArray(tile, 2 * VectorConfig.DL); s03.intoArray(tile, 3 * VectorConfig.DL);
    }

    /** 1 row(s) x 1 vector(s) of a small product into {@code tile} (see {@link #smallD}). */
    private static void smallBlockD_1x1(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, double[] tile) {
        DoubleVector s00 = DoubleVector.zero(VectorConfig.D);
        for (int p = 0; p < k; p++) {
            long o = (bAt + p * ldb) * Double.BYTES;
            DoubleVector b0 = DoubleVector.fromMemorySegment(VectorConfig.D, b, o, NATIVE);
            long q = ai + p * aCol;
            DoubleVector a0 = DoubleVector.broadcast(VectorConfig.D, a.getAtIndex(LD, q));
            s00 = a0.fma(b0, s00);
        }
        s00.intoArray(tile, 0 * VectorConfig.DL);
    }

    /** Merges a full spilled tile into C: {@code C = alpha * tile + beta * C}, by vector. */
    private static void mergeFullD(double[] tile, MemorySegment c, long cOff, long ldc, double alpha, double beta) {
        for (int r = 0; r < MR_D; r++) {
            long byteOff = (cOff + r * ldc) * Double.BYTES;
            for (int v = 0; v < NRV_D; v++) {
                storeVecD(DoubleVector.fromArray(VectorConfig.D, tile, r * NR_D + v * VectorConfig.DL), c,
                        byteOff + (long) v * VectorConfig.DL * Double.BYTES, alpha, beta);
            }
        }
    }

    /**
     * Merges {@code rows} rows of {@code vecs} vectors each, spilled row-major to {@code tile}, into
     * C at element {@code cAt} (row stride {@code ldc}).
     */
    private static void mergeRowsD(double[] tile, int rows, int vecs, MemorySegment c, long cAt, long ldc,
                                   double alpha, double beta) {
        for (int r = 0; r < rows; r++) {
            long byteOff = (cAt + r * ldc) * Double.BYTES;
            for (int v = 0; v < vecs; v++) {
                storeVecD(DoubleVector.fromArray(VectorConfig.D, tile, (r * vecs + v) * VectorConfig.DL), c, byteOff + (long) v * VectorConfig.DL * Double.BYTES,
                        alpha, beta);
            }
        }
    }

    /** {@code C = alpha * acc + beta * C} for one vector at a byte offset; beta == 0 never reads C. */
    private static void storeVecD(DoubleVector acc, MemorySegment c, long byteOff, double alpha, double beta) {
        DoubleVector out = acc.mul(alpha);
        if (beta != 0) {
            out = DoubleVector.fromMemorySegment(VectorConfig.D, c, byteOff, NATIVE).fma(DoubleVector.broadcast(VectorConfig.D, beta), out);
        }
        out.intoMemorySegment(c, byteOff, NATIVE);
    }

    /**
     * Merges the valid {@code mr x nr} corner of a spilled tile into C, by vector as
     * {@link #mergeFullD} (the same operations per element): whole vectors of each row, then
     * the row's last {@code nr % L} columns by a masked vector, or element by element where that
     * vector would reach past the end of C's segment (a masked access there leaves the
     * intrinsic).
     */
    private static void mergeTileD(double[] tile, int mr, int nr, MemorySegment c, long cOff, long ldc,
                                   double alpha, double beta) {
        int whole = nr / VectorConfig.DL;
        int rest = nr - whole * VectorConfig.DL;
        VectorMask<Double> tail = VectorConfig.D.indexInRange(0, rest);
        long limit = c.byteSize();
        for (int r = 0; r < mr; r++) {
            long row = cOff + r * ldc;
            long byteOff = row * Double.BYTES;
            for (int v = 0; v < whole; v++) {
                storeVecD(DoubleVector.fromArray(VectorConfig.D, tile, r * NR_D + v * VectorConfig.DL), c, byteOff + (long) v * VectorConfig.DL * Double.BYTES,
                        alpha, beta);
            }
            if (rest == 0) {
                continue;
            }
            int j0 = whole * VectorConfig.DL;
            long tailOff = byteOff + (long) j0 * Double.BYTES;
            if (tailOff + (long) VectorConfig.DL * Double.BYTES <= limit) {
                DoubleVector out = DoubleVector.fromArray(VectorConfig.D, tile, r * NR_D + j0).mul(alpha);
                if (beta != 0) {
                    out = DoubleVector.fromMemorySegment(VectorConfig.D, c, tailOff, NATIVE, tail).fma(DoubleVector.broadcast(VectorConfig.D, beta), out);
                }
                out.intoMemorySegment(c, tailOff, NATIVE, tail);
            } else {
                for (int j = j0; j < nr; j++) {
                    double out = tile[r * NR_D + j] * alpha;
                    if (beta != 0) {
                        out = Math.fma(c.getAtIndex(LD, row + j), beta, out);
                    }
                    c.setAtIndex(LD, row + j, out);
                }
            }
        }
    }

    /** {@code C = beta * C} (k == 0: the product is empty); beta == 0 writes zeros without reading. */
    private static void scaleD(int m, int n, double beta, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            long row = cOff + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                c.setAtIndex(LD, row + j, beta == 0 ? 0 : beta * c.getAtIndex(LD, row + j));
            }
        }
    }

    /**
     * Matrix-vector shapes ({@code m == 1} or {@code n == 1}), where packing would cost as much as
     * the product: the vector operand is gathered into a contiguous buffer, then either each
     * contiguous row of the matrix is dotted with it, or contiguous rows are accumulated
     * (axpy) into a row buffer.
     */
    private static void gemvD(boolean transA, boolean transB, int m, int n, int k, double alpha,
                              MemorySegment a, long aOff, long lda,
                              MemorySegment b, long bOff, long ldb,
                              double beta, MemorySegment c, long cOff, long ldc) {
        Workspace ws = WORKSPACE.get();
        double[] x = ws.xD(k);
        if (n == 1) {
            // C[:, 0] = op(A) * x with x = op(B)[:, 0].
            gatherD(b, bOff, transB ? 1 : ldb, k, x);
            if (!transA) {
                for (int i = 0; i < m; i++) {
                    double dot = dotD(a, aOff + (long) i * lda, x, k);
                    putD(c, cOff + (long) i * ldc, dot, alpha, beta);
                }
            } else {
                double[] y = ws.yD(m);
                axpyRowsD(a, aOff, lda, x, k, m, y);
                for (int i = 0; i < m; i++) {
                    putD(c, cOff + (long) i * ldc, y[i], alpha, beta);
                }
            }
        } else {
            // C[0, :] = x * op(B) with x = op(A)[0, :].
            gatherD(a, aOff, transA ? lda : 1, k, x);
            if (transB) {
                for (int j = 0; j < n; j++) {
                    double dot = dotD(b, bOff + (long) j * ldb, x, k);
                    putD(c, cOff + j, dot, alpha, beta);
                }
            } else {
                double[] y = ws.yD(n);
                axpyRowsD(b, bOff, ldb, x, k, n, y);
                for (int j = 0; j < n; j++) {
                    putD(c, cOff + j, y[j], alpha, beta);
                }
            }
        }
    }

    private static void putD(MemorySegment c, long idx, double acc, double alpha, double beta) {
        double out = beta == 0 ? alpha * acc : alpha * acc + beta * c.getAtIndex(LD, idx);
        c.setAtIndex(LD, idx, out);
    }

    private static void gatherD(MemorySegment s, long off, long inc, int k, double[] x) {
        for (int p = 0; p < k; p++) {
            x[p] = s.getAtIndex(LD, off + p * inc);
        }
    }

    /** Dot of {@code k} contiguous elements at {@code off} with {@code x}, four vector partial sums. */
    private static double dotD(MemorySegment s, long off, double[] x, int k) {
        DoubleVector s0 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s1 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s2 = DoubleVector.zero(VectorConfig.D);
        DoubleVector s3 = DoubleVector.zero(VectorConfig.D);
        long byteOff = off * Double.BYTES;
        int p = 0;
        for (; p <= k - 4 * VectorConfig.DL; p += 4 * VectorConfig.DL) {
            long o = byteOff + (long) p * Double.BYTES;
            s0 = DoubleVector.fromMemorySegment(VectorConfig.D, s, o, NATIVE).fma(DoubleVector.fromArray(VectorConfig.D, x, p), s0);
            s1 = DoubleVector.fromMemorySegment(VectorConfig.D, s, o + (long) VectorConfig.DL * Double.BYTES, NATIVE)
                    .fma(DoubleVector.fromArray(VectorConfig.D, x, p + VectorConfig.DL), s1);
            s2 = DoubleVector.fromMemorySegment(VectorConfig.D, s, o + 2L * VectorConfig.DL * Double.BYTES, NATIVE)
                    .fma(DoubleVector.fromArray(VectorConfig.D, x, p + 2 * VectorConfig.DL), s2);
            s3 = DoubleVector.fromMemorySegment(VectorConfig.D, s, o + 3L * VectorConfig.DL * Double.BYTES, NATIVE)
                    .fma(DoubleVector.fromArray(VectorConfig.D, x, p + 3 * VectorConfig.DL), s3);
        }
        for (; p <= k - VectorConfig.DL; p += VectorConfig.DL) {
            s0 = DoubleVector.fromMemorySegment(VectorConfig.D, s, byteOff + (long) p * Double.BYTES, NATIVE)
                    .fma(DoubleVector.fromArray(VectorConfig.D, x, p), s0);
        }
        DoubleVector lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if (VectorConfig.DL >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.D8));
        }
        if (VectorConfig.DL >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.D4));
        }
        if (VectorConfig.DL >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.D2));
        }
        double sum = lanes.lane(0) + lanes.lane(1);
        for (; p < k; p++) {
            sum += s.getAtIndex(LD, off + p) * x[p];
        }
        return sum;
    }

    /**
     * {@code y[0..len) = sum_p x[p] * row_p} where row {@code p} is {@code len} contiguous elements
     * at {@code off + p * ld}; four rows per pass so y is loaded and stored a quarter as often.
     */
    private static void axpyRowsD(MemorySegment s, long off, long ld, double[] x, int k, int len, double[] y) {
        java.util.Arrays.fill(y, 0, len, (double) 0);
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            DoubleVector x0 = DoubleVector.broadcast(VectorConfig.D, x[p]);
            DoubleVector x1 = DoubleVector.broadcast(VectorConfig.D, x[p + 1]);
            DoubleVector x2 = DoubleVector.broadcast(VectorConfig.D, x[p + 2]);
            DoubleVector x3 = DoubleVector.broadcast(VectorConfig.D, x[p + 3]);
            long r0 = (off + p * ld) * Double.BYTES;
            long r1 = r0 + ld * Double.BYTES;
            long r2 = r1 + ld * Double.BYTES;
            long r3 = r2 + ld * Double.BYTES;
            int j = 0;
            for (; j <= len - VectorConfig.DL; j += VectorConfig.DL) {
                long o = (long) j * Double.BYTES;
                DoubleVector acc = DoubleVector.fromArray(VectorConfig.D, y, j);
                acc = DoubleVector.fromMemorySegment(VectorConfig.D, s, r0 + o, NATIVE).fma(x0, acc);
                acc = DoubleVector.fromMemorySegment(VectorConfig.D, s, r1 + o, NATIVE).fma(x1, acc);
                acc = DoubleVector.fromMemorySegment(VectorConfig.D, s, r2 + o, NATIVE).fma(x2, acc);
                acc = DoubleVector.fromMemorySegment(VectorConfig.D, s, r3 + o, NATIVE).fma(x3, acc);
                acc.intoArray(y, j);
            }
            long e0 = off + p * ld;
            for (; j < len; j++) {
                y[j] += x[p] * s.getAtIndex(LD, e0 + j)
                        + x[p + 1] * s.getAtIndex(LD, e0 + ld + j)
                        + x[p + 2] * s.getAtIndex(LD, e0 + 2 * ld + j)
                        + x[p + 3] * s.getAtIndex(LD, e0 + 3 * ld + j);
            }
        }
        for (; p < k; p++) {
            DoubleVector xv = DoubleVector.broadcast(VectorConfig.D, x[p]);
            long e0 = off + p * ld;
            long r0 = e0 * Double.BYTES;
            int j = 0;
            for (; j <= len - VectorConfig.DL; j += VectorConfig.DL) {
                DoubleVector.fromMemorySegment(VectorConfig.D, s, r0 + (long) j * Double.BYTES, NATIVE)
                        .fma(xv, DoubleVector.fromArray(VectorConfig.D, y, j)).intoArray(y, j);
            }
            for (; j < len; j++) {
                y[j] += x[p] * s.getAtIndex(LD, e0 + j);
            }
        }
    }

    /**
     * Small products without packing ({@code op(B)} not transposed, so its rows are contiguous):
     * C is computed in blocks read straight from the segments, each block's accumulators spilled
     * to {@code tile} by a small method of its own ({@code smallBlock*}) and merged by
     * {@link #mergeRowsD}, so no vector crosses a call (C2 boxes a vector passed to a call it
     * does not inline, and one method holding every block shape outgrew its inlining budget:
     * 4-55 KB per call). With a k above SMALL_DIM, four rows at a time share each B vector (16
     * accumulators, so a B larger than L1 is read from L2 a quarter as often); with a short k (a
     * layer of 10 units) one row at a time runs eight FMA chains (94 vs 54 GFLOP/s at 64x256x10).
     * Scalar columns last (a masked tail would read past the end of a small B, which takes the
     * Vector API's slow, allocating path).
     */
    private static void smallD(boolean transA, int m, int n, int k, double alpha,
                               MemorySegment a, long aOff, long lda,
                               MemorySegment b, long bOff, long ldb,
                               double beta, MemorySegment c, long cOff, long ldc) {
        long aRow = transA ? 1 : lda;
        long aCol = transA ? lda : 1;
        double[] tile = WORKSPACE.get().tileD();
        int i = 0;
        for (; k > SMALL_DIM && i + 4 <= m; i += 4) {
            long ai = aOff + i * aRow;
            long ci = cOff + (long) i * ldc;
            int j = 0;
            for (; j <= n - 4 * VectorConfig.DL; j += 4 * VectorConfig.DL) {
                smallBlockD_4x4(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsD(tile, 4, 4, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - VectorConfig.DL; j += VectorConfig.DL) {
                smallBlockD_4x1(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsD(tile, 4, 1, c, ci + j, ldc, alpha, beta);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) {
                    putD(c, ci + (long) r * ldc + j, columnD(k, a, ai + r * aRow, aCol, b, bOff + j, ldb), alpha, beta);
                }
            }
        }
        for (; i < m; i++) {
            long ai = aOff + i * aRow;
            long ci = cOff + (long) i * ldc;
            int j = 0;
            for (; j <= n - 8 * VectorConfig.DL; j += 8 * VectorConfig.DL) {
                smallBlockD_1x8(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsD(tile, 1, 8, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - 4 * VectorConfig.DL; j += 4 * VectorConfig.DL) {
                smallBlockD_1x4(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsD(tile, 1, 4, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - VectorConfig.DL; j += VectorConfig.DL) {
                smallBlockD_1x1(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRowsD(tile, 1, 1, c, ci + j, ldc, alpha, beta);
            }
            for (; j < n; j++) {
                putD(c, ci + j, columnD(k, a, ai, aCol, b, bOff + j, ldb), alpha, beta);
            }
        }
    }

    /** One element of a small product: {@code sum_p A[ai + p aCol] * B[bAt + p ldb]}, in order. */
    private static double columnD(int k, MemorySegment a, long ai, long aCol, MemorySegment b, long bAt, long ldb) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += a.getAtIndex(LD, ai + p * aCol) * b.getAtIndex(LD, bAt + p * ldb);
        }
        return sum;
    }
}
