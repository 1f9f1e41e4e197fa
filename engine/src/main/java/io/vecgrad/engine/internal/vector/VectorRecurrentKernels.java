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
 * vector pass per row (LSTM also one tanh of the cell state). Loops run to {@code hidden} with a
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

    // ------------------------------------------------------------------ f32

    private void rnnFwdF(boolean relu, int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment h, long hOff) {
        for (int b = 0; b < batch; b++) {
            long row = (long) b * hidden;
            for (int q = 0; q < hidden; q += VectorConfig.FL) {
                VectorMask<Float> m = VectorConfig.F.indexInRange(q, hidden);
                FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, xp, (xpOff + row + q) << 2, BO, m)
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bih, (bihOff + q) << 2, BO, m))
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, hp, (hpOff + row + q) << 2, BO, m))
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bhh, (bhhOff + q) << 2, BO, m));
                v.intoMemorySegment(h, (hOff + row + q) << 2, BO, m);
            }
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

    private void lstmFwdF(int batch, int hidden,
                          MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                          MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                          MemorySegment cPrev, long cPrevOff,
                          MemorySegment act, long actOff, MemorySegment c, long cOff, MemorySegment h, long hOff) {
        final int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long xr = xpOff + (long) b * g4;
            long hr = hpOff + (long) b * g4;
            long ar = actOff + (long) b * g4;
            for (int q = 0; q < g4; q += VectorConfig.FL) {
                VectorMask<Float> m = VectorConfig.F.indexInRange(q, g4);
                FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, xp, (xr + q) << 2, BO, m)
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bih, (bihOff + q) << 2, BO, m))
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, hp, (hr + q) << 2, BO, m))
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bhh, (bhhOff + q) << 2, BO, m));
                v.intoMemorySegment(act, (ar + q) << 2, BO, m);
            }
            P.unary(DType.F32, UnaryOp.SIGMOID, 0, 0, 2L * hidden, act, ar, 1, act, ar, 1);
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, act, ar + 2L * hidden, 1, act, ar + 2L * hidden, 1);
            P.unary(DType.F32, UnaryOp.SIGMOID, 0, 0, hidden, act, ar + 3L * hidden, 1, act, ar + 3L * hidden, 1);
            long sr = (long) b * hidden;
            for (int j = 0; j < hidden; j += VectorConfig.FL) {
                VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
                FloatVector ig = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + j) << 2, BO, m);
                FloatVector fg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
                FloatVector gg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 2L * hidden + j) << 2, BO, m);
                FloatVector cp = FloatVector.fromMemorySegment(VectorConfig.F, cPrev, (cPrevOff + sr + j) << 2, BO, m);
                fg.mul(cp).add(ig.mul(gg)).intoMemorySegment(c, (cOff + sr + j) << 2, BO, m);
            }
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, h, hOff + sr, 1);
            for (int j = 0; j < hidden; j += VectorConfig.FL) {
                VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
                FloatVector og = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 3L * hidden + j) << 2, BO, m);
                FloatVector tc = FloatVector.fromMemorySegment(VectorConfig.F, h, (hOff + sr + j) << 2, BO, m);
                og.mul(tc).intoMemorySegment(h, (hOff + sr + j) << 2, BO, m);
            }
        }
    }

    private void lstmBwdF(int batch, int hidden,
                          MemorySegment act, long actOff, MemorySegment cPrev, long cPrevOff,
                          MemorySegment c, long cOff, MemorySegment gy, long gyOff,
                          MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                          MemorySegment da, long daOff) {
        final int g4 = 4 * hidden;
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * g4;
            long dr = daOff + (long) b * g4;
            long sr = (long) b * hidden;
            // tanh(c) goes to the da_o slot first: each lane reads it before writing da_o there
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, da, dr + 3L * hidden, 1);
            for (int j = 0; j < hidden; j += VectorConfig.FL) {
                VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
                FloatVector ig = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + j) << 2, BO, m);
                FloatVector fg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
                FloatVector gg = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 2L * hidden + j) << 2, BO, m);
                FloatVector og = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + 3L * hidden + j) << 2, BO, m);
                FloatVector tc = FloatVector.fromMemorySegment(VectorConfig.F, da, (dr + 3L * hidden + j) << 2, BO, m);
                FloatVector dH = FloatVector.fromMemorySegment(VectorConfig.F, gy, (gyOff + sr + j) << 2, BO, m)
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, dh, (dhOff + sr + j) << 2, BO, m));
                FloatVector dC = FloatVector.fromMemorySegment(VectorConfig.F, dc, (dcOff + sr + j) << 2, BO, m)
                        .add(dH.mul(og).mul(one.sub(tc.mul(tc))));
                FloatVector cp = FloatVector.fromMemorySegment(VectorConfig.F, cPrev, (cPrevOff + sr + j) << 2, BO, m);
                dC.mul(gg).mul(ig.mul(one.sub(ig))).intoMemorySegment(da, (dr + j) << 2, BO, m);
                dC.mul(cp).mul(fg.mul(one.sub(fg))).intoMemorySegment(da, (dr + hidden + j) << 2, BO, m);
                dC.mul(ig).mul(one.sub(gg.mul(gg))).intoMemorySegment(da, (dr + 2L * hidden + j) << 2, BO, m);
                dH.mul(tc).mul(og.mul(one.sub(og))).intoMemorySegment(da, (dr + 3L * hidden + j) << 2, BO, m);
                dC.mul(fg).intoMemorySegment(dc, (dcOff + sr + j) << 2, BO, m);
            }
        }
    }

    private void gruFwdF(int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment hPrev, long hPrevOff,
                         MemorySegment act, long actOff, MemorySegment h, long hOff) {
        final int g2 = 2 * hidden;
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int b = 0; b < batch; b++) {
            long xr = xpOff + (long) b * 3 * hidden;
            long hr = hpOff + (long) b * 3 * hidden;
            long ar = actOff + (long) b * 4 * hidden;
            long sr = (long) b * hidden;
            for (int q = 0; q < g2; q += VectorConfig.FL) { // r and z pre-activations
                VectorMask<Float> m = VectorConfig.F.indexInRange(q, g2);
                FloatVector v = FloatVector.fromMemorySegment(VectorConfig.F, xp, (xr + q) << 2, BO, m)
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bih, (bihOff + q) << 2, BO, m))
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, hp, (hr + q) << 2, BO, m))
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bhh, (bhhOff + q) << 2, BO, m));
                v.intoMemorySegment(act, (ar + q) << 2, BO, m);
            }
            for (int j = 0; j < hidden; j += VectorConfig.FL) { // hn = W_hn h + b_hn
                VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
                FloatVector.fromMemorySegment(VectorConfig.F, hp, (hr + n2 + j) << 2, BO, m)
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bhh, (bhhOff + n2 + j) << 2, BO, m))
                        .intoMemorySegment(act, (ar + n3 + j) << 2, BO, m);
            }
            P.unary(DType.F32, UnaryOp.SIGMOID, 0, 0, n2, act, ar, 1, act, ar, 1);
            for (int j = 0; j < hidden; j += VectorConfig.FL) { // n pre-activation
                VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
                FloatVector r = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + j) << 2, BO, m);
                FloatVector hn = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + n3 + j) << 2, BO, m);
                FloatVector.fromMemorySegment(VectorConfig.F, xp, (xr + n2 + j) << 2, BO, m)
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, bih, (bihOff + n2 + j) << 2, BO, m))
                        .add(r.mul(hn))
                        .intoMemorySegment(act, (ar + n2 + j) << 2, BO, m);
            }
            P.unary(DType.F32, UnaryOp.TANH, 0, 0, hidden, act, ar + n2, 1, act, ar + n2, 1);
            for (int j = 0; j < hidden; j += VectorConfig.FL) { // h = n + z (hPrev - n)
                VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
                FloatVector z = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
                FloatVector nn = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + n2 + j) << 2, BO, m);
                FloatVector hpv = FloatVector.fromMemorySegment(VectorConfig.F, hPrev, (hPrevOff + sr + j) << 2, BO, m);
                nn.add(z.mul(hpv.sub(nn))).intoMemorySegment(h, (hOff + sr + j) << 2, BO, m);
            }
        }
    }

    private static void gruBwdF(int batch, int hidden,
                                MemorySegment act, long actOff, MemorySegment hPrev, long hPrevOff,
                                MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                MemorySegment dxp, long dxpOff, MemorySegment dhp, long dhpOff) {
        final FloatVector one = FloatVector.broadcast(VectorConfig.F, 1f);
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * 4 * hidden;
            long xr = dxpOff + (long) b * 3 * hidden;
            long hr = dhpOff + (long) b * 3 * hidden;
            long sr = (long) b * hidden;
            for (int j = 0; j < hidden; j += VectorConfig.FL) {
                VectorMask<Float> m = VectorConfig.F.indexInRange(j, hidden);
                FloatVector r = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + j) << 2, BO, m);
                FloatVector z = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + hidden + j) << 2, BO, m);
                FloatVector nn = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + n2 + j) << 2, BO, m);
                FloatVector hn = FloatVector.fromMemorySegment(VectorConfig.F, act, (ar + n3 + j) << 2, BO, m);
                FloatVector dH = FloatVector.fromMemorySegment(VectorConfig.F, gy, (gyOff + sr + j) << 2, BO, m)
                        .add(FloatVector.fromMemorySegment(VectorConfig.F, dh, (dhOff + sr + j) << 2, BO, m));
                FloatVector hpv = FloatVector.fromMemorySegment(VectorConfig.F, hPrev, (hPrevOff + sr + j) << 2, BO, m);
                FloatVector dan = dH.mul(one.sub(z)).mul(one.sub(nn.mul(nn)));
                FloatVector daz = dH.mul(hpv.sub(nn)).mul(z.mul(one.sub(z)));
                FloatVector dar = dan.mul(hn).mul(r.mul(one.sub(r)));
                dar.intoMemorySegment(dxp, (xr + j) << 2, BO, m);
                daz.intoMemorySegment(dxp, (xr + hidden + j) << 2, BO, m);
                dan.intoMemorySegment(dxp, (xr + n2 + j) << 2, BO, m);
                dar.intoMemorySegment(dhp, (hr + j) << 2, BO, m);
                daz.intoMemorySegment(dhp, (hr + hidden + j) << 2, BO, m);
                dan.mul(r).intoMemorySegment(dhp, (hr + n2 + j) << 2, BO, m);
                dH.mul(z).intoMemorySegment(dh, (dhOff + sr + j) << 2, BO, m);
            }
        }
    }

    // ------------------------------------------------------------------ f64

    private void rnnFwdD(boolean relu, int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment h, long hOff) {
        for (int b = 0; b < batch; b++) {
            long row = (long) b * hidden;
            for (int q = 0; q < hidden; q += VectorConfig.DL) {
                VectorMask<Double> m = VectorConfig.D.indexInRange(q, hidden);
                DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, xp, (xpOff + row + q) << 3, BO, m)
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bih, (bihOff + q) << 3, BO, m))
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, hp, (hpOff + row + q) << 3, BO, m))
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bhh, (bhhOff + q) << 3, BO, m));
                v.intoMemorySegment(h, (hOff + row + q) << 3, BO, m);
            }
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

    private void lstmFwdD(int batch, int hidden,
                          MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                          MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                          MemorySegment cPrev, long cPrevOff,
                          MemorySegment act, long actOff, MemorySegment c, long cOff, MemorySegment h, long hOff) {
        final int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long xr = xpOff + (long) b * g4;
            long hr = hpOff + (long) b * g4;
            long ar = actOff + (long) b * g4;
            for (int q = 0; q < g4; q += VectorConfig.DL) {
                VectorMask<Double> m = VectorConfig.D.indexInRange(q, g4);
                DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, xp, (xr + q) << 3, BO, m)
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bih, (bihOff + q) << 3, BO, m))
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, hp, (hr + q) << 3, BO, m))
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bhh, (bhhOff + q) << 3, BO, m));
                v.intoMemorySegment(act, (ar + q) << 3, BO, m);
            }
            P.unary(DType.F64, UnaryOp.SIGMOID, 0, 0, 2L * hidden, act, ar, 1, act, ar, 1);
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, act, ar + 2L * hidden, 1, act, ar + 2L * hidden, 1);
            P.unary(DType.F64, UnaryOp.SIGMOID, 0, 0, hidden, act, ar + 3L * hidden, 1, act, ar + 3L * hidden, 1);
            long sr = (long) b * hidden;
            for (int j = 0; j < hidden; j += VectorConfig.DL) {
                VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
                DoubleVector ig = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + j) << 3, BO, m);
                DoubleVector fg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
                DoubleVector gg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 2L * hidden + j) << 3, BO, m);
                DoubleVector cp = DoubleVector.fromMemorySegment(VectorConfig.D, cPrev, (cPrevOff + sr + j) << 3, BO, m);
                fg.mul(cp).add(ig.mul(gg)).intoMemorySegment(c, (cOff + sr + j) << 3, BO, m);
            }
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, h, hOff + sr, 1);
            for (int j = 0; j < hidden; j += VectorConfig.DL) {
                VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
                DoubleVector og = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 3L * hidden + j) << 3, BO, m);
                DoubleVector tc = DoubleVector.fromMemorySegment(VectorConfig.D, h, (hOff + sr + j) << 3, BO, m);
                og.mul(tc).intoMemorySegment(h, (hOff + sr + j) << 3, BO, m);
            }
        }
    }

    private void lstmBwdD(int batch, int hidden,
                          MemorySegment act, long actOff, MemorySegment cPrev, long cPrevOff,
                          MemorySegment c, long cOff, MemorySegment gy, long gyOff,
                          MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                          MemorySegment da, long daOff) {
        final int g4 = 4 * hidden;
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * g4;
            long dr = daOff + (long) b * g4;
            long sr = (long) b * hidden;
            // tanh(c) goes to the da_o slot first: each lane reads it before writing da_o there
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, c, cOff + sr, 1, da, dr + 3L * hidden, 1);
            for (int j = 0; j < hidden; j += VectorConfig.DL) {
                VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
                DoubleVector ig = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + j) << 3, BO, m);
                DoubleVector fg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
                DoubleVector gg = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 2L * hidden + j) << 3, BO, m);
                DoubleVector og = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + 3L * hidden + j) << 3, BO, m);
                DoubleVector tc = DoubleVector.fromMemorySegment(VectorConfig.D, da, (dr + 3L * hidden + j) << 3, BO, m);
                DoubleVector dH = DoubleVector.fromMemorySegment(VectorConfig.D, gy, (gyOff + sr + j) << 3, BO, m)
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, dh, (dhOff + sr + j) << 3, BO, m));
                DoubleVector dC = DoubleVector.fromMemorySegment(VectorConfig.D, dc, (dcOff + sr + j) << 3, BO, m)
                        .add(dH.mul(og).mul(one.sub(tc.mul(tc))));
                DoubleVector cp = DoubleVector.fromMemorySegment(VectorConfig.D, cPrev, (cPrevOff + sr + j) << 3, BO, m);
                dC.mul(gg).mul(ig.mul(one.sub(ig))).intoMemorySegment(da, (dr + j) << 3, BO, m);
                dC.mul(cp).mul(fg.mul(one.sub(fg))).intoMemorySegment(da, (dr + hidden + j) << 3, BO, m);
                dC.mul(ig).mul(one.sub(gg.mul(gg))).intoMemorySegment(da, (dr + 2L * hidden + j) << 3, BO, m);
                dH.mul(tc).mul(og.mul(one.sub(og))).intoMemorySegment(da, (dr + 3L * hidden + j) << 3, BO, m);
                dC.mul(fg).intoMemorySegment(dc, (dcOff + sr + j) << 3, BO, m);
            }
        }
    }

    private void gruFwdD(int batch, int hidden,
                         MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                         MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                         MemorySegment hPrev, long hPrevOff,
                         MemorySegment act, long actOff, MemorySegment h, long hOff) {
        final int g2 = 2 * hidden;
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int b = 0; b < batch; b++) {
            long xr = xpOff + (long) b * 3 * hidden;
            long hr = hpOff + (long) b * 3 * hidden;
            long ar = actOff + (long) b * 4 * hidden;
            long sr = (long) b * hidden;
            for (int q = 0; q < g2; q += VectorConfig.DL) { // r and z pre-activations
                VectorMask<Double> m = VectorConfig.D.indexInRange(q, g2);
                DoubleVector v = DoubleVector.fromMemorySegment(VectorConfig.D, xp, (xr + q) << 3, BO, m)
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bih, (bihOff + q) << 3, BO, m))
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, hp, (hr + q) << 3, BO, m))
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bhh, (bhhOff + q) << 3, BO, m));
                v.intoMemorySegment(act, (ar + q) << 3, BO, m);
            }
            for (int j = 0; j < hidden; j += VectorConfig.DL) { // hn = W_hn h + b_hn
                VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
                DoubleVector.fromMemorySegment(VectorConfig.D, hp, (hr + n2 + j) << 3, BO, m)
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bhh, (bhhOff + n2 + j) << 3, BO, m))
                        .intoMemorySegment(act, (ar + n3 + j) << 3, BO, m);
            }
            P.unary(DType.F64, UnaryOp.SIGMOID, 0, 0, n2, act, ar, 1, act, ar, 1);
            for (int j = 0; j < hidden; j += VectorConfig.DL) { // n pre-activation
                VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
                DoubleVector r = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + j) << 3, BO, m);
                DoubleVector hn = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + n3 + j) << 3, BO, m);
                DoubleVector.fromMemorySegment(VectorConfig.D, xp, (xr + n2 + j) << 3, BO, m)
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, bih, (bihOff + n2 + j) << 3, BO, m))
                        .add(r.mul(hn))
                        .intoMemorySegment(act, (ar + n2 + j) << 3, BO, m);
            }
            P.unary(DType.F64, UnaryOp.TANH, 0, 0, hidden, act, ar + n2, 1, act, ar + n2, 1);
            for (int j = 0; j < hidden; j += VectorConfig.DL) { // h = n + z (hPrev - n)
                VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
                DoubleVector z = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
                DoubleVector nn = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + n2 + j) << 3, BO, m);
                DoubleVector hpv = DoubleVector.fromMemorySegment(VectorConfig.D, hPrev, (hPrevOff + sr + j) << 3, BO, m);
                nn.add(z.mul(hpv.sub(nn))).intoMemorySegment(h, (hOff + sr + j) << 3, BO, m);
            }
        }
    }

    private static void gruBwdD(int batch, int hidden,
                                MemorySegment act, long actOff, MemorySegment hPrev, long hPrevOff,
                                MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                                MemorySegment dxp, long dxpOff, MemorySegment dhp, long dhpOff) {
        final DoubleVector one = DoubleVector.broadcast(VectorConfig.D, 1.0);
        final long n2 = 2L * hidden;
        final long n3 = 3L * hidden;
        for (int b = 0; b < batch; b++) {
            long ar = actOff + (long) b * 4 * hidden;
            long xr = dxpOff + (long) b * 3 * hidden;
            long hr = dhpOff + (long) b * 3 * hidden;
            long sr = (long) b * hidden;
            for (int j = 0; j < hidden; j += VectorConfig.DL) {
                VectorMask<Double> m = VectorConfig.D.indexInRange(j, hidden);
                DoubleVector r = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + j) << 3, BO, m);
                DoubleVector z = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + hidden + j) << 3, BO, m);
                DoubleVector nn = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + n2 + j) << 3, BO, m);
                DoubleVector hn = DoubleVector.fromMemorySegment(VectorConfig.D, act, (ar + n3 + j) << 3, BO, m);
                DoubleVector dH = DoubleVector.fromMemorySegment(VectorConfig.D, gy, (gyOff + sr + j) << 3, BO, m)
                        .add(DoubleVector.fromMemorySegment(VectorConfig.D, dh, (dhOff + sr + j) << 3, BO, m));
                DoubleVector hpv = DoubleVector.fromMemorySegment(VectorConfig.D, hPrev, (hPrevOff + sr + j) << 3, BO, m);
                DoubleVector dan = dH.mul(one.sub(z)).mul(one.sub(nn.mul(nn)));
                DoubleVector daz = dH.mul(hpv.sub(nn)).mul(z.mul(one.sub(z)));
                DoubleVector dar = dan.mul(hn).mul(r.mul(one.sub(r)));
                dar.intoMemorySegment(dxp, (xr + j) << 3, BO, m);
                daz.intoMemorySegment(dxp, (xr + hidden + j) << 3, BO, m);
                dan.intoMemorySegment(dxp, (xr + n2 + j) << 3, BO, m);
                dar.intoMemorySegment(dhp, (hr + j) << 3, BO, m);
                daz.intoMemorySegment(dhp, (hr + hidden + j) << 3, BO, m);
                dan.mul(r).intoMemorySegment(dhp, (hr + n2 + j) << 3, BO, m);
                dH.mul(z).intoMemorySegment(dh, (dhOff + sr + j) << 3, BO, m);
            }
        }
    }
}
