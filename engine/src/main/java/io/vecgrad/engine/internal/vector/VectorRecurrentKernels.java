package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarRecurrentKernels;
import io.vecgrad.engine.spi.RecurrentKernels;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API twins of {@link ScalarRecurrentKernels}. Each step works row by row (one batch
 * element's {@code g·H} gate values stay in L1): an explicit vector pass adds the two
 * projections and the biases, the gate nonlinearities run in place through the vector
 * provider's sigmoid/tanh loops (the same tuned polynomials as {@code Tensor.sigmoid/tanh}, in
 * loops C2 compiles whole), and a last vector pass updates the state. Backward steps are one
 * vector pass per row (LSTM also one tanh of the cell state).
 *
 * <p>Every vector loop is its own small static method called once per row: measured with
 * {@code -XX:+PrintCompilation}, a whole step in one method (all passes and the row loop) was too
 * big for C1 ("out of virtual registers in LIR generator"), so it ran interpreted, entered only
 * through on-stack replacement, for the first ~60 s of a training run. The backward row bodies
 * are split into two or three loops for the same reason (their scratch lives in the outputs). Loops run to {@code hidden} with a
 * lane mask ({@code indexInRange}), so no size is assumed to be a multiple of the lane count.
 *
 * <p>Arithmetic stays in the operand type (f32 in float lanes), so results differ from the
 * scalar twin (which computes in double) by a few ulps; the tests compare with a tolerance.
 */
public final class VectorRecurrentKernels implements RecurrentKernels {

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final VectorKernelProvider P = new VectorKernelProvider();
    private static final ScalarRecurrentKernels SCALAR = ScalarRecurrentKernels.INSTANCE;

    /**
     * Below this many vectors per gate row the scalar twin runs instead. Measured (this
     * machine, JDK 25, LSTM 2 layers x 2 directions, B=4, H=16, T=7, first 12 steps of a fresh
     * JVM): forward 300-600 ms per step with the vector kernels against 50-120 ms with the scalar
     * ones, because Vector API code is very slow until C2 compiles it and rows this short give
     * the vector loops almost nothing to amortise once it has.
     */
    static final int MIN_VECTORS_PER_ROW = 2;

    private final int minHidden32;
    private final int minHidden64;

    /** Creates the vector gate kernels at {@link VectorConfig#BITS}, with the scalar twin for tiny rows. */
    public VectorRecurrentKernels() {
        this(true);
    }

    /**
     * Creates the vector gate kernels.
     *
     * @param scalarForTinyRows run the scalar twin when a gate row is shorter than
     *     {@link #MIN_VECTORS_PER_ROW} vectors (false: always vector code, for tests)
     */
    public VectorRecurrentKernels(boolean scalarForTinyRows) {
        this.minHidden32 = scalarForTinyRows ? MIN_VECTORS_PER_ROW * VectorConfig.FL : 0;
        this.minHidden64 = scalarForTinyRows ? MIN_VECTORS_PER_ROW * VectorConfig.DL : 0;
    }

    private boolean tiny(DType dt, int hidden) {
        return hidden < (dt == DType.F32 ? minHidden32 : minHidden64);
    }

    @Override
    public String name() {
        return "vector-" + VectorConfig.BITS;
    }

    @Override
    public void rnnForward(DType dt, boolean relu, int batch, int hidden,
                           MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                           MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                           MemorySegment h, long hOff) {
        if (tiny(dt, hidden)) {
            SCALAR.rnnForward(dt, relu, batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, h, hOff);
            return;
        }
        if (dt == DType.F32) {
            rnnFwdF(relu, batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, h, hOff);
        } else {
            rnnFwdD(relu, batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, h, hOff);
        }
    }

    @Override
    public void rnnBackward(DType dt, boolean relu, int batch, int hidden,
                            MemorySegment h, long hOff, MemorySegment gy, long gyOff,
                            MemorySegment dh, long dhOff, MemorySegment da, long daOff) {
        if (tiny(dt, hidden)) {
            SCALAR.rnnBackward(dt, relu, batch, hidden, h, hOff, gy, gyOff, dh, dhOff, da, daOff);
            return;
        }
        long n = (long) batch * hidden;
        if (dt == DType.F32) {
            rnnBwdF(relu, n, h, hOff, gy, gyOff, dh, dhOff, da, daOff);
        } else {
            rnnBwdD(relu, n, h, hOff, gy, gyOff, dh, dhOff, da, daOff);
        }
    }

    @Override
    public void lstmForward(DType dt, int batch, int hidden,
                            MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                            MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                            MemorySegment cPrev, long cPrevOff,
                            MemorySegment act, long actOff, MemorySegment c, long cOff, MemorySegment h, long hOff) {
        if (tiny(dt, hidden)) {
            SCALAR.lstmForward(dt, batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, cPrev, cPrevOff,
                    act, actOff, c, cOff, h, hOff);
            return;
        }
        if (dt == DType.F32) {
            lstmFwdF(batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, cPrev, cPrevOff,
                    act, actOff, c, cOff, h, hOff);
        } else {
            lstmFwdD(batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, cPrev, cPrevOff,
                    act, actOff, c, cOff, h, hOff);
        }
    }

    @Override
    public void lstmBackward(DType dt, int batch, int hidden,
                             MemorySegment act, long actOff, MemorySegment cPrev, long cPrevOff,
                             MemorySegment c, long cOff, MemorySegment gy, long gyOff,
                             MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                             MemorySegment da, long daOff) {
        if (tiny(dt, hidden)) {
            SCALAR.lstmBackward(dt, batch, hidden, act, actOff, cPrev, cPrevOff, c, cOff, gy, gyOff, dh, dhOff, dc, dcOff,
                    da, daOff);
            return;
        }
        if (dt == DType.F32) {
            lstmBwdF(batch, hidden, act, actOff, cPrev, cPrevOff, c, cOff, gy, gyOff, dh, dhOff, dc, dcOff, da, daOff);
        } else {
            lstmBwdD(batch, hidden, act, actOff, cPrev, cPrevOff, c, cOff, gy, gyOff, dh, dhOff, dc, dcOff, da, daOff);
        }
    }

    @Override
    public void gruForward(DType dt, int batch, int hidden,
                           MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                           MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                           MemorySegment hPrev, long hPrevOff,
                           MemorySegment act, long actOff, MemorySegment h, long hOff) {
        if (tiny(dt, hidden)) {
            SCALAR.gruForward(dt, batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, hPrev, hPrevOff, act, actOff,
                    h, hOff);
            return;
        }
        if (dt == DType.F32) {
            gruFwdF(batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, hPrev, hPrevOff, act, actOff, h, hOff);
        } else {
            gruFwdD(batch, hidden, xp, xpOff, bih, bihOff, hp, hpOff, bhh, bhhOff, hPrev, hPrevOff, act, actOff, h, hOff);
        }
    }

    @Override
    public void gruBackward(DType dt, int batch, int hidden,
                            MemorySegment act, long actOff, MemorySegment hPrev, long hPrevOff,
                            MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                            MemorySegment dxp, long dxpOff, MemorySegment dhp, long dhpOff) {
        if (tiny(dt, hidden)) {
            SCALAR.gruBackward(dt, batch, hidden, act, actOff, hPrev, hPrevOff, gy, gyOff, dh, dhOff, dxp, dxpOff,
                    dhp, dhpOff);
            return;
        }
        if (dt == DType.F32) {
            gruBwdF(batch, hidden, act, actOff, hPrev, hPrevOff, gy, gyOff, dh, dhOff, dxp, dxpOff, dhp, dhpOff);
        } else {
            gruBwdD(batch, hidden, act, actOff, hPrev, hPrevOff, gy, gyOff, dh, dhOff, dxp, dxpOff, dhp, dhpOff);
        }
    }

    // ------------------------------------------------------------------ f32 passes (one loop each)

    /** {@code o = a + b + c + d} over n elements. */
    private static void add4F(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                              MemorySegment c, long cOff, MemorySegment d, long dOff, MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector.fromMemorySegment(VectorConfig.F, a, (aOff + i) << 2, BO, m)
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, b, (bOff + i) << 2, BO, m))
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, c, (cOff + i) << 2, BO, m))
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, d, (dOff + i) << 2, BO, m))
                    .intoMemorySegment(o, (oOff + i) << 2, BO, m);
        }
    }

    /** {@code o = a + b + r * q} over n elements (GRU's n pre-activation). */
    private static void addMulF(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                                MemorySegment r, long rOff, MemorySegment q, long qOff, MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector rv = FloatVector.fromMemorySegment(VectorConfig.F, r, (rOff + i) << 2, BO, m);
            FloatVector.fromMemorySegment(VectorConfig.F, a, (aOff + i) << 2, BO, m)
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, b, (bOff + i) << 2, BO, m))
                    .add(rv.mul(FloatVector.fromMemorySegment(VectorConfig.F, q, (qOff + i) << 2, BO, m)))
                    .intoMemorySegment(o, (oOff + i) << 2, BO, m);
        }
    }

    /** {@code o = a + b} over n elements. */
    private static void add2F(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                              MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector.fromMemorySegment(VectorConfig.F, a, (aOff + i) << 2, BO, m)
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, b, (bOff + i) << 2, BO, m))
                    .intoMemorySegment(o, (oOff + i) << 2, BO, m);
        }
    }

    /** {@code o = a * b} over n elements. */
    private static void mulF(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                             MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(i, n);
            FloatVector.fromMemorySegment(VectorConfig.F, a, (aOff + i) << 2, BO, m)
                    .mul(FloatVector.fromMemorySegment(VectorConfig.F, b, (bOff + i) << 2, BO, m))
                    .intoMemorySegment(o, (oOff + i) << 2, BO, m);
        }
    }

    /** LSTM cell update of one row: {@code c = f * cPrev + i * g} (gates at {@code act + k·H}). */
    private static void lstmCellF(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                  MemorySegment c, long cOff) {
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector ig = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + j) << 2, BO, m);
            FloatVector fg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
            FloatVector gg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 2L * hidden + j) << 2, BO, m);
            FloatVector cp = FloatVector.fromMemorySegment(VectorConfig.F, cPrev, (cpOff + j) << 2, BO, m);
            fg.mul(cp).add(ig.mul(gg)).intoMemorySegment(c, (cOff + j) << 2, BO, m);
        }
    }

    /** GRU state update of one row: {@code h = n + z (hPrev - n)}. */
    private static void gruStateF(int hidden, MemorySegment act, long ar, MemorySegment hPrev, long hpOff,
                                  MemorySegment h, long hOff) {
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector z = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
            FloatVector nn = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 2L * hidden + j) << 2, BO, m);
            FloatVector hpv = FloatVector.fromMemorySegment(VectorConfig.F, hPrev, (hpOff + j) << 2, BO, m);
            nn.add(z.mul(hpv.sub(nn))).intoMemorySegment(h, (hOff + j) << 2, BO, m);
        }
    }

    // ------------------------------------------------------------------ f32 steps

    private static void rnnFwdF(boolean relu, int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment h, long hOff) {
        for (int b = 0; b < batch; b++) {
            long row = (long) b * hidden;
            add4F(hidden, xp, xpOff + row, bih, bihOff, hp, hpOff + row, bhh, bhhOff, h, hOff + row);
        }
        long n = (long) batch * hidden;
        P.unary(DType.F32, relu ? UnaryOp.RELU : UnaryOp.TANH, 0, 0, n, h, hOff, 1, h, hOff, 1);
    }

    private static void rnnBwdF(boolean relu, long n, MemorySegment h, long hOff, MemorySegment gy, long gyOff,
                                MemorySegment dh, long dhOff, MemorySegment da, long daOff) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final FloatVector zero = FloatVector.zero(VectorConfig.F);
        for (long e = 0; e < n; e += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(e, n);
            FloatVector y = FloatVector.fromMemorySegment(VectorConfig.F, h, (hOff + e) << 2, BO, m);
            FloatVector d = FloatVector.fromMemorySegment(VectorConfig.F, gy, (gyOff + e) << 2, BO, m)
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, dh, (dhOff + e) << 2, BO, m));
            FloatVector r = relu ? zero.blend(d, y.compare(VectorOperators.GT, zero)) : d.mul(one.sub(y.mul(y)));
            r.intoMemorySegment(da, (daOff + e) << 2, BO, m);
        }
    }

    private static void lstmFwdF(int batch, int hidden,
                          MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                          MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                          MemorySegment cPrev, long cPrevOff,
                          MemorySegment act, long actOff, MemorySegment c, long cOff, MemorySegment h, long hOff) {
        final int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * g4;
            long sr = (long) b * hidden;
            add4F(g4, xp, xpOff + (long) b * g4, bih, bihOff, hp, hpOff + (long) b * g4, bhh, bhhOff, act, ar);
            P.unary(DType.F32, UnaryOp.SIGMOID, 0, 0, 2L * hidden, act, ar, 1, act, ar, 1);
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, act, ar + 2L * hidden, 1, act, ar + 2L * hidden, 1);
            P.unary(DType.F32, UnaryOp.SIGMOID, 0, 0, hidden, act, ar + 3L * hidden, 1, act, ar + 3L * hidden, 1);
            lstmCellF(hidden, act, ar, cPrev, cPrevOff + sr, c, cOff + sr);
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, h, hOff + sr, 1);
            mulF(hidden, act, ar + 3L * hidden, h, hOff + sr, h, hOff + sr);
        }
    }

    private static void lstmBwdF(int batch, int hidden,
                          MemorySegment act, long actOff, MemorySegment cPrev, long cPrevOff,
                          MemorySegment c, long cOff, MemorySegment gy, long gyOff,
                          MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                          MemorySegment da, long daOff) {
        final int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * g4;
            long dr = daOff + (long) b * g4;
            long sr = (long) b * hidden;
            // tanh(c) goes to the da_o slot first: each lane reads it before writing da_o there
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, da, dr + 3L * hidden, 1);
            lstmBwdRowF(hidden, act, ar, cPrev, cPrevOff + sr, gy, gyOff + sr, dh, dhOff + sr, dc, dcOff + sr, da, dr);
        }
    }

    /*
     * The LSTM step backward of one row in three loops (each small enough for C1): the gradient
     * of c first, then da_o, then da_i, da_f, da_g and the gradient of cPrev. Scratch lives in
     * the outputs: tanh(c) in the da_o slot, dH = gy + dh in the da_i slot.
     */
    private static void lstmBwdRowF(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                    MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                    MemorySegment dc, long dcOff, MemorySegment da, long dr) {
        lstmBwdCF(hidden, act, ar, gy, gyOff, dh, dhOff, dc, dcOff, da, dr);
        lstmBwdOF(hidden, act, ar, da, dr);
        lstmBwdIfgF(hidden, act, ar, cPrev, cpOff, dc, dcOff, da, dr);
    }

    /** {@code dH = gy + dh} (to the da_i slot); {@code dc += dH·o·(1 - tanh²c)}. */
    private static void lstmBwdCF(int hidden, MemorySegment act, long ar, MemorySegment gy, long gyOff,
                                   MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                                   MemorySegment da, long dr) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector og = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 3L * hidden + j) << 2, BO, m);
            FloatVector tc = FloatVector.fromMemorySegment(VectorConfig.F, da, (dr + 3L * hidden + j) << 2, BO, m);
            FloatVector dH = FloatVector.fromMemorySegment(VectorConfig.F, gy, (gyOff + j) << 2, BO, m)
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, dh, (dhOff + j) << 2, BO, m));
            dH.intoMemorySegment(da, (dr + j) << 2, BO, m);
            FloatVector.fromMemorySegment(VectorConfig.F, dc, (dcOff + j) << 2, BO, m)
                    .add(dH.mul(og).mul(one.sub(tc.mul(tc))))
                    .intoMemorySegment(dc, (dcOff + j) << 2, BO, m);
        }
    }

    /** {@code da_o = dH·tanh(c)·o(1-o)}, reading dH from the da_i slot and tanh(c) from the da_o slot. */
    private static void lstmBwdOF(int hidden, MemorySegment act, long ar, MemorySegment da, long dr) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector og = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 3L * hidden + j) << 2, BO, m);
            FloatVector tc = FloatVector.fromMemorySegment(VectorConfig.F, da, (dr + 3L * hidden + j) << 2, BO, m);
            FloatVector dH = FloatVector.fromMemorySegment(VectorConfig.F, da, (dr + j) << 2, BO, m);
            dH.mul(tc).mul(og.mul(one.sub(og))).intoMemorySegment(da, (dr + 3L * hidden + j) << 2, BO, m);
        }
    }

    /** {@code da_i, da_f, da_g} from dC (in dc), then {@code dc = dC·f}: two loops (one did not fit C1). */
    private static void lstmBwdIfgF(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                    MemorySegment dc, long dcOff, MemorySegment da, long dr) {
        lstmBwdIgF(hidden, act, ar, dc, dcOff, da, dr);
        lstmBwdFF(hidden, act, ar, cPrev, cpOff, dc, dcOff, da, dr);
    }

    /** {@code da_i = dC·g·i(1-i)}, {@code da_g = dC·i·(1-g²)}. */
    private static void lstmBwdIgF(int hidden, MemorySegment act, long ar, MemorySegment dc, long dcOff,
                                   MemorySegment da, long dr) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector ig = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + j) << 2, BO, m);
            FloatVector gg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 2L * hidden + j) << 2, BO, m);
            FloatVector dC = FloatVector.fromMemorySegment(VectorConfig.F, dc, (dcOff + j) << 2, BO, m);
            dC.mul(gg).mul(ig.mul(one.sub(ig))).intoMemorySegment(da, (dr + j) << 2, BO, m);
            dC.mul(ig).mul(one.sub(gg.mul(gg))).intoMemorySegment(da, (dr + 2L * hidden + j) << 2, BO, m);
        }
    }

    /** {@code da_f = dC·cPrev·f(1-f)}, then {@code dc = dC·f}. */
    private static void lstmBwdFF(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                  MemorySegment dc, long dcOff, MemorySegment da, long dr) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector fg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
            FloatVector dC = FloatVector.fromMemorySegment(VectorConfig.F, dc, (dcOff + j) << 2, BO, m);
            FloatVector cp = FloatVector.fromMemorySegment(VectorConfig.F, cPrev, (cpOff + j) << 2, BO, m);
            dC.mul(cp).mul(fg.mul(one.sub(fg))).intoMemorySegment(da, (dr + hidden + j) << 2, BO, m);
            dC.mul(fg).intoMemorySegment(dc, (dcOff + j) << 2, BO, m);
        }
    }

    private static void gruFwdF(int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment hPrev, long hPrevOff,
                         MemorySegment act, long actOff, MemorySegment h, long hOff) {
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int b = 0; b < batch; b++) {
            long xr = xpOff + (long) b * 3 * hidden;
            long hr = hpOff + (long) b * 3 * hidden;
            long ar = actOff + (long) b * 4 * hidden;
            long sr = (long) b * hidden;
            add4F(n2, xp, xr, bih, bihOff, hp, hr, bhh, bhhOff, act, ar); // r and z pre-activations
            add2F(hidden, hp, hr + n2, bhh, bhhOff + n2, act, ar + n3); // hn = W_hn h + b_hn
            P.unary(DType.F32, UnaryOp.SIGMOID, 0, 0, n2, act, ar, 1, act, ar, 1);
            addMulF(hidden, xp, xr + n2, bih, bihOff + n2, act, ar, act, ar + n3, act, ar + n2); // n pre-activation
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, act, ar + n2, 1, act, ar + n2, 1);
            gruStateF(hidden, act, ar, hPrev, hPrevOff + sr, h, hOff + sr);
        }
    }

    private static void gruBwdF(int batch, int hidden,
                                MemorySegment act, long actOff, MemorySegment hPrev, long hPrevOff,
                                MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                MemorySegment dxp, long dxpOff, MemorySegment dhp, long dhpOff) {
        for (int b = 0; b < batch; b++) {
            long sr = (long) b * hidden;
            gruBwdRowF(hidden, act, actOff + (long) b * 4 * hidden, hPrev, hPrevOff + sr, gy, gyOff + sr,
                    dh, dhOff + sr, dxp, dxpOff + (long) b * 3 * hidden, dhp, dhpOff + (long) b * 3 * hidden);
        }
    }

    /*
     * The GRU step backward of one row in two loops (each small enough for C1): the z and n
     * gradients and dh first, then the r gradients (reading da_n back from dxp).
     */
    private static void gruBwdRowF(int hidden, MemorySegment act, long ar, MemorySegment hPrev, long hpOff,
                                   MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                   MemorySegment dxp, long xr, MemorySegment dhp, long hr) {
        gruBwdZnF(hidden, act, ar, hPrev, hpOff, gy, gyOff, dh, dhOff, dxp, xr, dhp, hr);
        gruBwdRF(hidden, act, ar, dxp, xr, dhp, hr);
    }

    private static void gruBwdZnF(int hidden, MemorySegment act, long ar, MemorySegment hPrev, long hpOff,
                                  MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                  MemorySegment dxp, long xr, MemorySegment dhp, long hr) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final long n2 = 2L * hidden;
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector z = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
            FloatVector nn = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + n2 + j) << 2, BO, m);
            FloatVector dH = FloatVector.fromMemorySegment(VectorConfig.F, gy, (gyOff + j) << 2, BO, m)
                    .add(FloatVector.fromMemorySegment(VectorConfig.F, dh, (dhOff + j) << 2, BO, m));
            FloatVector hpv = FloatVector.fromMemorySegment(VectorConfig.F, hPrev, (hpOff + j) << 2, BO, m);
            FloatVector daz = dH.mul(hpv.sub(nn)).mul(z.mul(one.sub(z)));
            dH.mul(one.sub(z)).mul(one.sub(nn.mul(nn))).intoMemorySegment(dxp, (xr + n2 + j) << 2, BO, m);
            daz.intoMemorySegment(dxp, (xr + hidden + j) << 2, BO, m);
            daz.intoMemorySegment(dhp, (hr + hidden + j) << 2, BO, m);
            dH.mul(z).intoMemorySegment(dh, (dhOff + j) << 2, BO, m);
        }
    }

    private static void gruBwdRF(int hidden, MemorySegment act, long ar, MemorySegment dxp, long xr,
                                 MemorySegment dhp, long hr) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int j = 0; j < hidden; j += VectorConfig.FL) {
            VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
            FloatVector r = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + j) << 2, BO, m);
            FloatVector hn = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + n3 + j) << 2, BO, m);
            FloatVector dan = FloatVector.fromMemorySegment(VectorConfig.F, dxp, (xr + n2 + j) << 2, BO, m);
            FloatVector dar = dan.mul(hn).mul(r.mul(one.sub(r)));
            dar.intoMemorySegment(dxp, (xr + j) << 2, BO, m);
            dar.intoMemorySegment(dhp, (hr + j) << 2, BO, m);
            dan.mul(r).intoMemorySegment(dhp, (hr + n2 + j) << 2, BO, m);
        }
    }

    // ------------------------------------------------------------------ f64 passes (one loop each)

    /** {@code o = a + b + c + d} over n elements. */
    private static void add4D(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                              MemorySegment c, long cOff, MemorySegment d, long dOff, MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector.fromMemorySegment(VectorConfig.D, a, (aOff + i) << 3, BO, m)
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, b, (bOff + i) << 3, BO, m))
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, c, (cOff + i) << 3, BO, m))
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, d, (dOff + i) << 3, BO, m))
                    .intoMemorySegment(o, (oOff + i) << 3, BO, m);
        }
    }

    /** {@code o = a + b + r * q} over n elements (GRU's n pre-activation). */
    private static void addMulD(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                                MemorySegment r, long rOff, MemorySegment q, long qOff, MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector rv = DoubleVector.fromMemorySegment(VectorConfig.D, r, (rOff + i) << 3, BO, m);
            DoubleVector.fromMemorySegment(VectorConfig.D, a, (aOff + i) << 3, BO, m)
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, b, (bOff + i) << 3, BO, m))
                    .add(rv.mul(DoubleVector.fromMemorySegment(VectorConfig.D, q, (qOff + i) << 3, BO, m)))
                    .intoMemorySegment(o, (oOff + i) << 3, BO, m);
        }
    }

    /** {@code o = a + b} over n elements. */
    private static void add2D(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                              MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector.fromMemorySegment(VectorConfig.D, a, (aOff + i) << 3, BO, m)
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, b, (bOff + i) << 3, BO, m))
                    .intoMemorySegment(o, (oOff + i) << 3, BO, m);
        }
    }

    /** {@code o = a * b} over n elements. */
    private static void mulD(long n, MemorySegment a, long aOff, MemorySegment b, long bOff,
                             MemorySegment o, long oOff) {
        for (long i = 0; i < n; i += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(i, n);
            DoubleVector.fromMemorySegment(VectorConfig.D, a, (aOff + i) << 3, BO, m)
                    .mul(DoubleVector.fromMemorySegment(VectorConfig.D, b, (bOff + i) << 3, BO, m))
                    .intoMemorySegment(o, (oOff + i) << 3, BO, m);
        }
    }

    /** LSTM cell update of one row: {@code c = f * cPrev + i * g} (gates at {@code act + k·H}). */
    private static void lstmCellD(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                  MemorySegment c, long cOff) {
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector ig = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + j) << 3, BO, m);
            DoubleVector fg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
            DoubleVector gg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 2L * hidden + j) << 3, BO, m);
            DoubleVector cp = DoubleVector.fromMemorySegment(VectorConfig.D, cPrev, (cpOff + j) << 3, BO, m);
            fg.mul(cp).add(ig.mul(gg)).intoMemorySegment(c, (cOff + j) << 3, BO, m);
        }
    }

    /** GRU state update of one row: {@code h = n + z (hPrev - n)}. */
    private static void gruStateD(int hidden, MemorySegment act, long ar, MemorySegment hPrev, long hpOff,
                                  MemorySegment h, long hOff) {
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector z = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
            DoubleVector nn = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 2L * hidden + j) << 3, BO, m);
            DoubleVector hpv = DoubleVector.fromMemorySegment(VectorConfig.D, hPrev, (hpOff + j) << 3, BO, m);
            nn.add(z.mul(hpv.sub(nn))).intoMemorySegment(h, (hOff + j) << 3, BO, m);
        }
    }

    // ------------------------------------------------------------------ f64 steps

    private static void rnnFwdD(boolean relu, int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment h, long hOff) {
        for (int b = 0; b < batch; b++) {
            long row = (long) b * hidden;
            add4D(hidden, xp, xpOff + row, bih, bihOff, hp, hpOff + row, bhh, bhhOff, h, hOff + row);
        }
        long n = (long) batch * hidden;
        P.unary(DType.F64, relu ? UnaryOp.RELU : UnaryOp.TANH, 0, 0, n, h, hOff, 1, h, hOff, 1);
    }

    private static void rnnBwdD(boolean relu, long n, MemorySegment h, long hOff, MemorySegment gy, long gyOff,
                                MemorySegment dh, long dhOff, MemorySegment da, long daOff) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final DoubleVector zero = DoubleVector.zero(VectorConfig.D);
        for (long e = 0; e < n; e += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(e, n);
            DoubleVector y = DoubleVector.fromMemorySegment(VectorConfig.D, h, (hOff + e) << 3, BO, m);
            DoubleVector d = DoubleVector.fromMemorySegment(VectorConfig.D, gy, (gyOff + e) << 3, BO, m)
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, dh, (dhOff + e) << 3, BO, m));
            DoubleVector r = relu ? zero.blend(d, y.compare(VectorOperators.GT, zero)) : d.mul(one.sub(y.mul(y)));
            r.intoMemorySegment(da, (daOff + e) << 3, BO, m);
        }
    }

    private static void lstmFwdD(int batch, int hidden,
                          MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                          MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                          MemorySegment cPrev, long cPrevOff,
                          MemorySegment act, long actOff, MemorySegment c, long cOff, MemorySegment h, long hOff) {
        final int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * g4;
            long sr = (long) b * hidden;
            add4D(g4, xp, xpOff + (long) b * g4, bih, bihOff, hp, hpOff + (long) b * g4, bhh, bhhOff, act, ar);
            P.unary(DType.F64, UnaryOp.SIGMOID, 0, 0, 2L * hidden, act, ar, 1, act, ar, 1);
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, act, ar + 2L * hidden, 1, act, ar + 2L * hidden, 1);
            P.unary(DType.F64, UnaryOp.SIGMOID, 0, 0, hidden, act, ar + 3L * hidden, 1, act, ar + 3L * hidden, 1);
            lstmCellD(hidden, act, ar, cPrev, cPrevOff + sr, c, cOff + sr);
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, h, hOff + sr, 1);
            mulD(hidden, act, ar + 3L * hidden, h, hOff + sr, h, hOff + sr);
        }
    }

    private static void lstmBwdD(int batch, int hidden,
                          MemorySegment act, long actOff, MemorySegment cPrev, long cPrevOff,
                          MemorySegment c, long cOff, MemorySegment gy, long gyOff,
                          MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                          MemorySegment da, long daOff) {
        final int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * g4;
            long dr = daOff + (long) b * g4;
            long sr = (long) b * hidden;
            // tanh(c) goes to the da_o slot first: each lane reads it before writing da_o there
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, da, dr + 3L * hidden, 1);
            lstmBwdRowD(hidden, act, ar, cPrev, cPrevOff + sr, gy, gyOff + sr, dh, dhOff + sr, dc, dcOff + sr, da, dr);
        }
    }

    /*
     * The LSTM step backward of one row in three loops (each small enough for C1): the gradient
     * of c first, then da_o, then da_i, da_f, da_g and the gradient of cPrev. Scratch lives in
     * the outputs: tanh(c) in the da_o slot, dH = gy + dh in the da_i slot.
     */
    private static void lstmBwdRowD(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                    MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                    MemorySegment dc, long dcOff, MemorySegment da, long dr) {
        lstmBwdCD(hidden, act, ar, gy, gyOff, dh, dhOff, dc, dcOff, da, dr);
        lstmBwdOD(hidden, act, ar, da, dr);
        lstmBwdIfgD(hidden, act, ar, cPrev, cpOff, dc, dcOff, da, dr);
    }

    /** {@code dH = gy + dh} (to the da_i slot); {@code dc += dH·o·(1 - tanh²c)}. */
    private static void lstmBwdCD(int hidden, MemorySegment act, long ar, MemorySegment gy, long gyOff,
                                   MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                                   MemorySegment da, long dr) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector og = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 3L * hidden + j) << 3, BO, m);
            DoubleVector tc = DoubleVector.fromMemorySegment(VectorConfig.D, da, (dr + 3L * hidden + j) << 3, BO, m);
            DoubleVector dH = DoubleVector.fromMemorySegment(VectorConfig.D, gy, (gyOff + j) << 3, BO, m)
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, dh, (dhOff + j) << 3, BO, m));
            dH.intoMemorySegment(da, (dr + j) << 3, BO, m);
            DoubleVector.fromMemorySegment(VectorConfig.D, dc, (dcOff + j) << 3, BO, m)
                    .add(dH.mul(og).mul(one.sub(tc.mul(tc))))
                    .intoMemorySegment(dc, (dcOff + j) << 3, BO, m);
        }
    }

    /** {@code da_o = dH·tanh(c)·o(1-o)}, reading dH from the da_i slot and tanh(c) from the da_o slot. */
    private static void lstmBwdOD(int hidden, MemorySegment act, long ar, MemorySegment da, long dr) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector og = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 3L * hidden + j) << 3, BO, m);
            DoubleVector tc = DoubleVector.fromMemorySegment(VectorConfig.D, da, (dr + 3L * hidden + j) << 3, BO, m);
            DoubleVector dH = DoubleVector.fromMemorySegment(VectorConfig.D, da, (dr + j) << 3, BO, m);
            dH.mul(tc).mul(og.mul(one.sub(og))).intoMemorySegment(da, (dr + 3L * hidden + j) << 3, BO, m);
        }
    }

    /** {@code da_i, da_f, da_g} from dC (in dc), then {@code dc = dC·f}: two loops (one did not fit C1). */
    private static void lstmBwdIfgD(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                    MemorySegment dc, long dcOff, MemorySegment da, long dr) {
        lstmBwdIgD(hidden, act, ar, dc, dcOff, da, dr);
        lstmBwdFD(hidden, act, ar, cPrev, cpOff, dc, dcOff, da, dr);
    }

    /** {@code da_i = dC·g·i(1-i)}, {@code da_g = dC·i·(1-g²)}. */
    private static void lstmBwdIgD(int hidden, MemorySegment act, long ar, MemorySegment dc, long dcOff,
                                   MemorySegment da, long dr) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector ig = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + j) << 3, BO, m);
            DoubleVector gg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 2L * hidden + j) << 3, BO, m);
            DoubleVector dC = DoubleVector.fromMemorySegment(VectorConfig.D, dc, (dcOff + j) << 3, BO, m);
            dC.mul(gg).mul(ig.mul(one.sub(ig))).intoMemorySegment(da, (dr + j) << 3, BO, m);
            dC.mul(ig).mul(one.sub(gg.mul(gg))).intoMemorySegment(da, (dr + 2L * hidden + j) << 3, BO, m);
        }
    }

    /** {@code da_f = dC·cPrev·f(1-f)}, then {@code dc = dC·f}. */
    private static void lstmBwdFD(int hidden, MemorySegment act, long ar, MemorySegment cPrev, long cpOff,
                                  MemorySegment dc, long dcOff, MemorySegment da, long dr) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector fg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
            DoubleVector dC = DoubleVector.fromMemorySegment(VectorConfig.D, dc, (dcOff + j) << 3, BO, m);
            DoubleVector cp = DoubleVector.fromMemorySegment(VectorConfig.D, cPrev, (cpOff + j) << 3, BO, m);
            dC.mul(cp).mul(fg.mul(one.sub(fg))).intoMemorySegment(da, (dr + hidden + j) << 3, BO, m);
            dC.mul(fg).intoMemorySegment(dc, (dcOff + j) << 3, BO, m);
        }
    }

    private static void gruFwdD(int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment hPrev, long hPrevOff,
                         MemorySegment act, long actOff, MemorySegment h, long hOff) {
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int b = 0; b < batch; b++) {
            long xr = xpOff + (long) b * 3 * hidden;
            long hr = hpOff + (long) b * 3 * hidden;
            long ar = actOff + (long) b * 4 * hidden;
            long sr = (long) b * hidden;
            add4D(n2, xp, xr, bih, bihOff, hp, hr, bhh, bhhOff, act, ar); // r and z pre-activations
            add2D(hidden, hp, hr + n2, bhh, bhhOff + n2, act, ar + n3); // hn = W_hn h + b_hn
            P.unary(DType.F64, UnaryOp.SIGMOID, 0, 0, n2, act, ar, 1, act, ar, 1);
            addMulD(hidden, xp, xr + n2, bih, bihOff + n2, act, ar, act, ar + n3, act, ar + n2); // n pre-activation
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, act, ar + n2, 1, act, ar + n2, 1);
            gruStateD(hidden, act, ar, hPrev, hPrevOff + sr, h, hOff + sr);
        }
    }

    private static void gruBwdD(int batch, int hidden,
                                MemorySegment act, long actOff, MemorySegment hPrev, long hPrevOff,
                                MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                MemorySegment dxp, long dxpOff, MemorySegment dhp, long dhpOff) {
        for (int b = 0; b < batch; b++) {
            long sr = (long) b * hidden;
            gruBwdRowD(hidden, act, actOff + (long) b * 4 * hidden, hPrev, hPrevOff + sr, gy, gyOff + sr,
                    dh, dhOff + sr, dxp, dxpOff + (long) b * 3 * hidden, dhp, dhpOff + (long) b * 3 * hidden);
        }
    }

    /*
     * The GRU step backward of one row in two loops (each small enough for C1): the z and n
     * gradients and dh first, then the r gradients (reading da_n back from dxp).
     */
    private static void gruBwdRowD(int hidden, MemorySegment act, long ar, MemorySegment hPrev, long hpOff,
                                   MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                   MemorySegment dxp, long xr, MemorySegment dhp, long hr) {
        gruBwdZnD(hidden, act, ar, hPrev, hpOff, gy, gyOff, dh, dhOff, dxp, xr, dhp, hr);
        gruBwdRD(hidden, act, ar, dxp, xr, dhp, hr);
    }

    private static void gruBwdZnD(int hidden, MemorySegment act, long ar, MemorySegment hPrev, long hpOff,
                                  MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                  MemorySegment dxp, long xr, MemorySegment dhp, long hr) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final long n2 = 2L * hidden;
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector z = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
            DoubleVector nn = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + n2 + j) << 3, BO, m);
            DoubleVector dH = DoubleVector.fromMemorySegment(VectorConfig.D, gy, (gyOff + j) << 3, BO, m)
                    .add(DoubleVector.fromMemorySegment(VectorConfig.D, dh, (dhOff + j) << 3, BO, m));
            DoubleVector hpv = DoubleVector.fromMemorySegment(VectorConfig.D, hPrev, (hpOff + j) << 3, BO, m);
            DoubleVector daz = dH.mul(hpv.sub(nn)).mul(z.mul(one.sub(z)));
            dH.mul(one.sub(z)).mul(one.sub(nn.mul(nn))).intoMemorySegment(dxp, (xr + n2 + j) << 3, BO, m);
            daz.intoMemorySegment(dxp, (xr + hidden + j) << 3, BO, m);
            daz.intoMemorySegment(dhp, (hr + hidden + j) << 3, BO, m);
            dH.mul(z).intoMemorySegment(dh, (dhOff + j) << 3, BO, m);
        }
    }

    private static void gruBwdRD(int hidden, MemorySegment act, long ar, MemorySegment dxp, long xr,
                                 MemorySegment dhp, long hr) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int j = 0; j < hidden; j += VectorConfig.DL) {
            VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
            DoubleVector r = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + j) << 3, BO, m);
            DoubleVector hn = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + n3 + j) << 3, BO, m);
            DoubleVector dan = DoubleVector.fromMemorySegment(VectorConfig.D, dxp, (xr + n2 + j) << 3, BO, m);
            DoubleVector dar = dan.mul(hn).mul(r.mul(one.sub(r)));
            dar.intoMemorySegment(dxp, (xr + j) << 3, BO, m);
            dar.intoMemorySegment(dhp, (hr + j) << 3, BO, m);
            dan.mul(r).intoMemorySegment(dhp, (hr + n2 + j) << 3, BO, m);
        }
    }
}
