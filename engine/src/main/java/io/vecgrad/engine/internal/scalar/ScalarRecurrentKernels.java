package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.RecurrentKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar twin of the fused recurrent gate kernels: one plain loop per step over
 * {@code batch × hidden} elements, each element's formula written out as in the
 * {@link RecurrentKernels} Javadoc. Arithmetic is done in {@code double} (f32 operands are
 * widened on load and rounded once on store), transcendental functions are {@link Math#tanh}
 * and {@link ScalarKernelProvider#sigmoid}; this is the oracle the vector kernels are tested
 * against.
 */
public final class ScalarRecurrentKernels implements RecurrentKernels {

    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** The shared stateless instance. */
    public static final ScalarRecurrentKernels INSTANCE = new ScalarRecurrentKernels();

    /** Creates the (stateless) scalar kernels; prefer {@link #INSTANCE}. */
    public ScalarRecurrentKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    private static double ld(boolean f, MemorySegment s, long i) {
        return f ? s.get(LF, i << 2) : s.get(LD, i << 3);
    }

    private static void st(boolean f, MemorySegment s, long i, double v) {
        if (f) {
            s.set(LF, i << 2, (float) v);
        } else {
            s.set(LD, i << 3, v);
        }
    }

    private static double sig(double x) {
        return ScalarKernelProvider.sigmoid(x);
    }

    /** {@code xp[q] + bih[q] + hp[q] + bhh[q]} (row offsets already applied to xp and hp). */
    private static double pre(boolean f, MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                              MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff, int q) {
        return ld(f, xp, xpOff + q) + ld(f, bih, bihOff + q) + ld(f, hp, hpOff + q) + ld(f, bhh, bhhOff + q);
    }

    @Override
    public void rnnForward(DType dt, boolean relu, int batch, int hidden,
                           MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                           MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                           MemorySegment h, long hOff) {
        boolean f = dt == DType.F32;
        for (int b = 0; b < batch; b++) {
            long row = (long) b * hidden;
            for (int j = 0; j < hidden; j++) {
                double a = ld(f, xp, xpOff + row + j) + ld(f, bih, bihOff + j)
                        + ld(f, hp, hpOff + row + j) + ld(f, bhh, bhhOff + j);
                st(f, h, hOff + row + j, relu ? Math.max(a, 0) : Math.tanh(a));
            }
        }
    }

    @Override
    public void rnnBackward(DType dt, boolean relu, int batch, int hidden,
                            MemorySegment h, long hOff, MemorySegment gy, long gyOff,
                            MemorySegment dh, long dhOff, MemorySegment da, long daOff) {
        boolean f = dt == DType.F32;
        long n = (long) batch * hidden;
        for (long e = 0; e < n; e++) {
            double y = ld(f, h, hOff + e);
            double d = ld(f, gy, gyOff + e) + ld(f, dh, dhOff + e);
            st(f, da, daOff + e, relu ? (y > 0 ? d : 0) : d * (1 - y * y));
        }
    }

    @Override
    public void lstmForward(DType dt, int batch, int hidden,
                            MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                            MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                            MemorySegment cPrev, long cPrevOff,
                            MemorySegment act, long actOff, MemorySegment c, long cOff, MemorySegment h, long hOff) {
        boolean f = dt == DType.F32;
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long row = (long) b * g4;
            long srow = (long) b * hidden;
            for (int j = 0; j < hidden; j++) {
                double ig = sig(pre(f, xp, xpOff + row, bih, bihOff, hp, hpOff + row, bhh, bhhOff, j));
                double fg = sig(pre(f, xp, xpOff + row, bih, bihOff, hp, hpOff + row, bhh, bhhOff, hidden + j));
                double gg = Math.tanh(pre(f, xp, xpOff + row, bih, bihOff, hp, hpOff + row, bhh, bhhOff, 2 * hidden + j));
                double og = sig(pre(f, xp, xpOff + row, bih, bihOff, hp, hpOff + row, bhh, bhhOff, 3 * hidden + j));
                // round the gates to dt first so backward (which reads them back) sees what forward used
                if (f) {
                    ig = (float) ig;
                    fg = (float) fg;
                    gg = (float) gg;
                    og = (float) og;
                }
                double cn = fg * ld(f, cPrev, cPrevOff + srow + j) + ig * gg;
                if (f) {
                    cn = (float) cn;
                }
                st(f, act, actOff + row + j, ig);
                st(f, act, actOff + row + hidden + j, fg);
                st(f, act, actOff + row + 2L * hidden + j, gg);
                st(f, act, actOff + row + 3L * hidden + j, og);
                st(f, c, cOff + srow + j, cn);
                st(f, h, hOff + srow + j, og * Math.tanh(cn));
            }
        }
    }

    @Override
    public void lstmBackward(DType dt, int batch, int hidden,
                             MemorySegment act, long actOff, MemorySegment cPrev, long cPrevOff,
                             MemorySegment c, long cOff, MemorySegment gy, long gyOff,
                             MemorySegment dh, long dhOff, MemorySegment dc, long dcOff,
                             MemorySegment da, long daOff) {
        boolean f = dt == DType.F32;
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long row = (long) b * g4;
            long srow = (long) b * hidden;
            for (int j = 0; j < hidden; j++) {
                long s = srow + j;
                double ig = ld(f, act, actOff + row + j);
                double fg = ld(f, act, actOff + row + hidden + j);
                double gg = ld(f, act, actOff + row + 2L * hidden + j);
                double og = ld(f, act, actOff + row + 3L * hidden + j);
                double tc = Math.tanh(ld(f, c, cOff + s));
                double dH = ld(f, gy, gyOff + s) + ld(f, dh, dhOff + s);
                double dC = ld(f, dc, dcOff + s) + dH * og * (1 - tc * tc);
                st(f, da, daOff + row + j, dC * gg * ig * (1 - ig));
                st(f, da, daOff + row + hidden + j, dC * ld(f, cPrev, cPrevOff + s) * fg * (1 - fg));
                st(f, da, daOff + row + 2L * hidden + j, dC * ig * (1 - gg * gg));
                st(f, da, daOff + row + 3L * hidden + j, dH * tc * og * (1 - og));
                st(f, dc, dcOff + s, dC * fg);
            }
        }
    }

    @Override
    public void gruForward(DType dt, int batch, int hidden,
                           MemorySegment xp, long xpOff, MemorySegment bih, long bihOff,
                           MemorySegment hp, long hpOff, MemorySegment bhh, long bhhOff,
                           MemorySegment hPrev, long hPrevOff,
                           MemorySegment act, long actOff, MemorySegment h, long hOff) {
        boolean f = dt == DType.F32;
        int g3 = 3 * hidden;
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long row3 = (long) b * g3;
            long row4 = (long) b * g4;
            long srow = (long) b * hidden;
            for (int j = 0; j < hidden; j++) {
                int jz = hidden + j;
                int jn = 2 * hidden + j;
                double r = sig(ld(f, xp, xpOff + row3 + j) + ld(f, bih, bihOff + j)
                        + ld(f, hp, hpOff + row3 + j) + ld(f, bhh, bhhOff + j));
                double z = sig(ld(f, xp, xpOff + row3 + jz) + ld(f, bih, bihOff + jz)
                        + ld(f, hp, hpOff + row3 + jz) + ld(f, bhh, bhhOff + jz));
                double hn = ld(f, hp, hpOff + row3 + jn) + ld(f, bhh, bhhOff + jn);
                if (f) {
                    r = (float) r;
                    z = (float) z;
                    hn = (float) hn;
                }
                double n = Math.tanh(ld(f, xp, xpOff + row3 + jn) + ld(f, bih, bihOff + jn) + r * hn);
                if (f) {
                    n = (float) n;
                }
                double hprev = ld(f, hPrev, hPrevOff + srow + j);
                st(f, act, actOff + row4 + j, r);
                st(f, act, actOff + row4 + jz, z);
                st(f, act, actOff + row4 + jn, n);
                st(f, act, actOff + row4 + 3L * hidden + j, hn);
                st(f, h, hOff + srow + j, n + z * (hprev - n));
            }
        }
    }

    @Override
    public void gruBackward(DType dt, int batch, int hidden,
                            MemorySegment act, long actOff, MemorySegment hPrev, long hPrevOff,
                            MemorySegment gy, long gyOff, MemorySegment dh, long dhOff,
                            MemorySegment dxp, long dxpOff, MemorySegment dhp, long dhpOff) {
        boolean f = dt == DType.F32;
        int g3 = 3 * hidden;
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            long row3 = (long) b * g3;
            long row4 = (long) b * g4;
            long srow = (long) b * hidden;
            for (int j = 0; j < hidden; j++) {
                long s = srow + j;
                double r = ld(f, act, actOff + row4 + j);
                double z = ld(f, act, actOff + row4 + hidden + j);
                double n = ld(f, act, actOff + row4 + 2L * hidden + j);
                double hn = ld(f, act, actOff + row4 + 3L * hidden + j);
                double dH = ld(f, gy, gyOff + s) + ld(f, dh, dhOff + s);
                double dan = dH * (1 - z) * (1 - n * n);
                double daz = dH * (ld(f, hPrev, hPrevOff + s) - n) * z * (1 - z);
                double dar = dan * hn * r * (1 - r);
                st(f, dxp, dxpOff + row3 + j, dar);
                st(f, dxp, dxpOff + row3 + hidden + j, daz);
                st(f, dxp, dxpOff + row3 + 2L * hidden + j, dan);
                st(f, dhp, dhpOff + row3 + j, dar);
                st(f, dhp, dhpOff + row3 + hidden + j, daz);
                st(f, dhp, dhpOff + row3 + 2L * hidden + j, dan * r);
                st(f, dh, dhOff + s, dH * z);
            }
        }
    }
}
