package io.vecgrad.engine.internal;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorConfig;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Differential properties: the vector provider equals the scalar oracle — bit for bit for the
 * cheap ops, within stated tolerances for transcendental ops and reductions — for sizes around
 * the lane count (re-run by surefire at 512/256/128 bits), unit / broadcast / strided layouts
 * with offsets, in place, f32 and f64, with special values mixed in.
 */
class VectorKernelProperties {
    private static final KernelProvider S = new ScalarKernelProvider();
    private static final KernelProvider V = new VectorKernelProvider();
    private static final double[] SPECIALS = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1000, -1000,
        Float.MIN_VALUE, -Float.MIN_VALUE, Double.MIN_VALUE, 1e-40, 88.72, 88.73, -103.9, -87.3,
        709.7, 709.8, -745.1, -708.5, 1.0, -1.0, 0.5, 1e5, 3e5, -1e30, 1e38
    };

    @Provide
    Arbitrary<Integer> sizes() {
        int fl = VectorConfig.FL;
        int dl = VectorConfig.DL;
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, fl - 1, fl, fl + 1, 3 * fl + 3, 4 * fl + 1, dl - 1, dl + 1, 3 * dl + 1, 4098),
                Arbitraries.integers().between(0, 300));
    }

    /** 0 unit, 1 broadcast first input, 2 broadcast second input, 3 strided, 4 in place. */
    @Provide
    Arbitrary<Integer> layouts() {
        return Arbitraries.integers().between(0, 4);
    }

    static double value(SplittableRandom r, DType dt, boolean specials) {
        int k = r.nextInt(100);
        double v;
        if (specials && k < 8) {
            v = SPECIALS[r.nextInt(SPECIALS.length)];
        } else if (k < 16) {
            v = r.nextDouble(-1e4, 1e4);
        } else if (k < 22) {
            v = r.nextDouble(-120, 120);
        } else {
            v = r.nextDouble(-10, 10);
        }
        return dt.round(v);
    }

    /** A buffer holding n logical elements at element offset off, increment inc. */
    record Buf(MemorySegment seg, long off, long inc) {}

    static Buf buf(DType dt, double[] v, long off, long inc) {
        long len = off + (v.length == 0 ? 1 : (v.length - 1) * Math.abs(inc) + 1) + 2;
        MemorySegment s = Arena.ofAuto().allocate(len * dt.byteSize(), 64);
        for (long j = 0; j < len; j++) {
            put(dt, s, j, -7.25); // canary
        }
        for (int i = 0; i < v.length; i++) {
            put(dt, s, off + i * inc, v[i]);
        }
        return new Buf(s, off, inc);
    }

    static Buf copy(Buf b) {
        MemorySegment s = Arena.ofAuto().allocate(b.seg.byteSize(), 64);
        s.copyFrom(b.seg);
        return new Buf(s, b.off, b.inc);
    }

    static void put(DType dt, MemorySegment s, long i, double v) {
        if (dt == DType.F32) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) v);
        } else {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, v);
        }
    }

    static double get(DType dt, MemorySegment s, long i) {
        return dt == DType.F32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i)
                : s.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
    }

    static double[] values(SplittableRandom r, DType dt, int n, boolean specials) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = value(r, dt, specials);
        return v;
    }

    static double ulp(DType dt, double v) {
        return dt == DType.F32 ? Math.ulp((float) v) : Math.ulp(v);
    }

    /** Exact equality (all NaNs equal, signed zeros distinguished). */
    static boolean same(double a, double b) {
        return (Double.isNaN(a) && Double.isNaN(b)) || Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    /** Within tol of want (NaN/inf must match exactly). */
    static boolean close(double want, double got, double tol) {
        if (Double.isNaN(want) || Double.isInfinite(want) || Double.isNaN(got) || Double.isInfinite(got)) {
            return same(want, got) || (Double.isNaN(want) && Double.isNaN(got));
        }
        return Math.abs(want - got) <= tol;
    }

    static boolean exactUnary(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, SIN, COS, TANH, SIGMOID, GELU, GELU_TANH -> false;
            case ELU, SOFTPLUS, SILU, MISH -> false; // ---- norm/embedding/activations ----
            default -> true;
        };
    }

    static boolean exactBinary(BinaryOp op) {
        return switch (op) {
            case GELU_BACKWARD, GELU_TANH_BACKWARD -> false;
            case ELU_BACKWARD, SOFTPLUS_BACKWARD, SILU_BACKWARD, MISH_BACKWARD -> false; // ---- norm/embedding/activations ----
            default -> true;
        };
    }

    /** Element tolerance for transcendental ops: 2 ulp (f32) or 1e-12 relative (f64: the vector erfc is a Chebyshev fit, the scalar one a continued fraction), plus abs. */
    static double elemTol(DType dt, double want, double absScale) {
        return dt == DType.F32
                ? 2 * ulp(dt, want) + 1e-12 * absScale
                : 1e-12 * Math.abs(want) + 1e-14 * absScale + 1e-300;
    }

    /**
     * Extra f64 slack for the GELU backward ops: GELU'(b) = Phi(b) + b phi(b) cancels (it has a
     * zero near b = -0.75; at b = -0.726 terms of 0.23 leave 0.011), so both implementations'
     * ~1e-16 term errors become ~1e-13 of the result. Measured 1.05e-13 relative (seed -7).
     */
    static double backwardCancellationTol(DType dt, BinaryOp op, double want, double upstream) {
        // relative to the size of the cancelling terms (|a| * O(1)), not to the small result:
        // near the zero of GELU' a relative-to-result bound is unbounded (seed -431: 4e-12)
        return dt == DType.F64 && (op == BinaryOp.GELU_BACKWARD || op == BinaryOp.GELU_TANH_BACKWARD)
                ? 1e-12 * (Math.abs(want) + Math.abs(upstream))
                : 0;
    }

    static double param(SplittableRandom r, UnaryOp op, int which) {
        return switch (op) {
            case LEAKY_RELU -> 0.01 + r.nextDouble() * 0.3;
            case POW -> new double[] {2, 1, 0, 0.5, 3, -1, 2.5}[r.nextInt(7)];
            case CLAMP -> which == 0 ? -1 - r.nextDouble() : 1 + r.nextDouble();
            default -> r.nextDouble(-3, 3);
        };
    }

    @Property(tries = 60)
    void unaryMatchesScalar(@ForAll("sizes") int n, @ForAll long seed, @ForAll("layouts") int layout) {
        SplittableRandom r = new SplittableRandom(seed);
        for (DType dt : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) {
                double p0 = param(r, op, 0);
                double p1 = param(r, op, 1);
                long off = r.nextInt(4);
                long inc = layout == 3 ? 2 + r.nextInt(2) : layout == 1 ? 0 : 1;
                double[] xv = values(r, dt, n, true);
                Buf x = buf(dt, xv, off, inc);
                Buf xs = copy(x);
                Buf yv;
                Buf ys;
                if (layout == 4) {
                    yv = x;
                    ys = xs;
                } else {
                    long yinc = layout == 3 ? 2 : 1;
                    yv = buf(dt, new double[n], r.nextInt(3), yinc);
                    ys = copy(yv);
                }
                S.unary(dt, op, p0, p1, n, xs.seg, xs.off, xs.inc, ys.seg, ys.off, ys.inc);
                V.unary(dt, op, p0, p1, n, x.seg, x.off, x.inc, yv.seg, yv.off, yv.inc);
                String ctx = "seed=" + seed + " n=" + n + " layout=" + layout + " dt=" + dt + " op=" + op
                        + " p0=" + p0 + " p1=" + p1 + " lanes=" + VectorConfig.FL + "/" + VectorConfig.DL;
                for (long j = 0; j < yv.seg.byteSize() / dt.byteSize(); j++) {
                    double want = get(dt, ys.seg, j);
                    double got = get(dt, yv.seg, j);
                    long i = (j - yv.off) / Math.max(1, yv.inc);
                    double xi = inc == 0 ? xv.length > 0 ? xv[0] : 0 : (i >= 0 && i < n ? xv[(int) i] : 0);
                    boolean ok = exactUnary(op) ? same(want, got) : close(want, got, elemTol(dt, want, 0));
                    if (!ok) {
                        throw new AssertionError(ctx + " at element " + j + " (i=" + i + ", x=" + xi + "): want "
                                + want + " got " + got);
                    }
                }
            }
        }
    }

    @Property(tries = 60)
    void binaryAndWhereMatchScalar(@ForAll("sizes") int n, @ForAll long seed, @ForAll("layouts") int layout) {
        SplittableRandom r = new SplittableRandom(seed);
        for (DType dt : DType.values()) {
            for (int k = 0; k <= BinaryOp.values().length; k++) {
                BinaryOp op = k < BinaryOp.values().length ? BinaryOp.values()[k] : null; // null = where
                double p = op == BinaryOp.POW_BACKWARD ? new double[] {0, 1, 2, 3, 0.5}[r.nextInt(5)] : r.nextDouble(-2, 2);
                long aInc = layout == 1 ? 0 : layout == 3 ? 2 : 1;
                long bInc = layout == 2 ? 0 : layout == 3 ? 3 : 1;
                double[] av = values(r, dt, n, true);
                double[] bv = values(r, dt, n, true);
                double[] cv = new double[n];
                for (int i = 0; i < n; i++) cv[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(2) == 0 ? -0.0 : bv[i];
                Buf a = buf(dt, av, r.nextInt(4), aInc);
                Buf b = buf(dt, bv, r.nextInt(4), bInc);
                Buf c = buf(dt, cv, r.nextInt(4), layout == 3 ? 2 : 1);
                Buf as = copy(a);
                Buf bs = copy(b);
                Buf y;
                Buf ys;
                if (layout == 4) {
                    y = a;
                    ys = as;
                } else {
                    y = buf(dt, new double[n], r.nextInt(3), layout == 3 ? 3 : 1);
                    ys = copy(y);
                }
                if (op == null) {
                    S.where(dt, n, c.seg, c.off, c.inc, as.seg, as.off, as.inc, bs.seg, bs.off, bs.inc, ys.seg, ys.off, ys.inc);
                    V.where(dt, n, c.seg, c.off, c.inc, a.seg, a.off, a.inc, b.seg, b.off, b.inc, y.seg, y.off, y.inc);
                } else {
                    S.binary(dt, op, p, n, as.seg, as.off, as.inc, bs.seg, bs.off, bs.inc, ys.seg, ys.off, ys.inc);
                    V.binary(dt, op, p, n, a.seg, a.off, a.inc, b.seg, b.off, b.inc, y.seg, y.off, y.inc);
                }
                String ctx = "seed=" + seed + " n=" + n + " layout=" + layout + " dt=" + dt + " op="
                        + (op == null ? "WHERE" : op) + " p=" + p;
                for (long j = 0; j < y.seg.byteSize() / dt.byteSize(); j++) {
                    double want = get(dt, ys.seg, j);
                    double got = get(dt, y.seg, j);
                    long i = (j - y.off) / Math.max(1, y.inc);
                    int ii = (int) Math.max(0, Math.min(n - 1, i));
                    double ai = n == 0 ? 0 : av[aInc == 0 ? 0 : ii];
                    double bi = n == 0 ? 0 : bv[bInc == 0 ? 0 : ii];
                    boolean ok = op == null || exactBinary(op) ? same(want, got)
                            : close(want, got, elemTol(dt, want, Double.isFinite(ai) ? Math.abs(ai) : 0)
                                    + backwardCancellationTol(dt, op, want, Double.isFinite(ai) ? ai : 0));
                    if (!ok) {
                        throw new AssertionError(ctx + " at element " + j + " (a=" + ai + ", b=" + bi + "): want "
                                + want + " got " + got);
                    }
                }
            }
        }
    }

    @Property(tries = 80)
    void reductionsMatchScalar(@ForAll("sizes") int n, @ForAll long seed, @ForAll("layouts") int layout) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean specials = r.nextInt(4) == 0;
        for (DType dt : DType.values()) {
            double[] xv = values(r, dt, n, specials);
            double[] yv = values(r, dt, n, specials);
            if (r.nextInt(3) == 0 && n > 0) {
                for (int i = 0; i < n; i++) xv[i] = dt.round((r.nextBoolean() ? 1000 : -1000) + r.nextDouble(-5, 5));
            }
            if (r.nextInt(4) == 0 && n > 2) { // ties
                xv[n / 2] = xv[n - 1] = xv[0];
            }
            long inc = layout == 3 ? 2 : 1;
            Buf x = buf(dt, xv, r.nextInt(4), inc);
            Buf y = buf(dt, yv, r.nextInt(4), inc);
            String ctx = "seed=" + seed + " n=" + n + " layout=" + layout + " dt=" + dt + " specials=" + specials;
            double eps = dt == DType.F32 ? 0x1p-23 : 0x1p-52;
            double sumAbs = 0;
            double sumSq = 0;
            double sumAbsDot = 0;
            for (int i = 0; i < n; i++) {
                sumAbs += Math.abs(xv[i]);
                sumSq += xv[i] * xv[i];
                sumAbsDot += Math.abs(xv[i] * yv[i]);
            }
            // f32 kernels accumulate in float (SPI), the oracle in double: with intermediate
            // overflow they may legitimately differ between inf and NaN / finite
            boolean overflowRisk = dt == DType.F32 && (sumAbs > 1e37 || sumSq > 1e37 || sumAbsDot > 1e37);
            for (ReduceOp op : ReduceOp.values()) {
                double want = S.reduce(dt, op, n, x.seg, x.off, x.inc);
                double got = V.reduce(dt, op, n, x.seg, x.off, x.inc);
                double tol = switch (op) {
                    case SUM -> eps * (n + 1) * sumAbs + Double.MIN_VALUE;
                    case SUM_SQUARES -> eps * (n + 1) * sumSq + Double.MIN_VALUE;
                    default -> 0;
                };
                boolean ok = tol == 0 ? same(want, got) : close(want, got, tol)
                        || (overflowRisk && !(Double.isFinite(want) && Double.isFinite(got)));
                if (!ok) throw new AssertionError(ctx + " op=" + op + ": want " + want + " got " + got);
            }
            long wa = S.argmax(dt, n, x.seg, x.off, x.inc);
            long ga = V.argmax(dt, n, x.seg, x.off, x.inc);
            if (wa != ga) throw new AssertionError(ctx + " argmax: want " + wa + " got " + ga);
            wa = S.argmin(dt, n, x.seg, x.off, x.inc);
            ga = V.argmin(dt, n, x.seg, x.off, x.inc);
            if (wa != ga) throw new AssertionError(ctx + " argmin: want " + wa + " got " + ga);
            double wd = S.dot(dt, n, x.seg, x.off, x.inc, y.seg, y.off, y.inc);
            double gd = V.dot(dt, n, x.seg, x.off, x.inc, y.seg, y.off, y.inc);
            if (!close(wd, gd, eps * (n + 1) * sumAbsDot + Double.MIN_VALUE)
                    && !(overflowRisk && !(Double.isFinite(wd) && Double.isFinite(gd)))) {
                throw new AssertionError(ctx + " dot: want " + wd + " got " + gd);
            }
            double wl = S.logsumexp(dt, n, x.seg, x.off, x.inc);
            double gl = V.logsumexp(dt, n, x.seg, x.off, x.inc);
            if (!close(wl, gl, 2 * ulp(dt, wl) + 1e-14 * (n + 1) + 1e-13 * Math.abs(wl))) {
                throw new AssertionError(ctx + " logsumexp: want " + wl + " got " + gl);
            }
            for (boolean log : new boolean[] {false, true}) {
                boolean inPlace = layout == 4;
                Buf xs = copy(x);
                Buf out = inPlace ? x : buf(dt, new double[n], r.nextInt(3), inc);
                Buf outS = inPlace ? xs : copy(out);
                S.softmax(dt, log, n, xs.seg, xs.off, xs.inc, outS.seg, outS.off, outS.inc);
                V.softmax(dt, log, n, x.seg, x.off, x.inc, out.seg, out.off, out.inc);
                for (long j = 0; j < out.seg.byteSize() / dt.byteSize(); j++) {
                    double w = get(dt, outS.seg, j);
                    double g = get(dt, out.seg, j);
                    // log-softmax near 0 inherits the absolute error of log(sum) (~n eps)
                    double tol = (dt == DType.F32 ? 4 * ulp(dt, w) : 1e-14 * Math.abs(w) + 1e-300)
                            + (log ? 1e-15 * (n + 1) : 0);
                    if (!close(w, g, tol)) {
                        throw new AssertionError(ctx + (log ? " log_softmax" : " softmax") + " in place=" + inPlace
                                + " at element " + j + ": want " + w + " got " + g);
                    }
                }
                if (inPlace) {
                    x = buf(dt, xv, x.off, x.inc);
                }
            }
        }
    }
}
