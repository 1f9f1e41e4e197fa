package io.vecgrad.engine.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarUpdateKernels;
import io.vecgrad.engine.internal.vector.VectorConfig;
import io.vecgrad.engine.internal.vector.VectorUpdateKernels;
import io.vecgrad.engine.spi.UpdateKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Differential properties of the fused optimizer updates: {@link VectorUpdateKernels} against
 * {@link ScalarUpdateKernels} for SGD, Adagrad, RMSprop and Adam/AdamW/AMSGrad, f32 and f64,
 * at the awkward sizes {0, 1, lanes-1, lanes+1, 3*lanes+odd, 4098, random}, every option
 * combination, several consecutive steps on the same state, at non-zero element offsets with
 * guard elements around every operand. Re-run by surefire at forced widths 256 and 128.
 *
 * <p>The two perform the same sequence of roundings, so they are expected to agree bit for
 * bit; the check allows 1 ulp so that a future reassociation in one twin is reported by a
 * dedicated test rather than here. The gradient and the guards must be untouched.
 */
class UpdateKernelProperties {

    private static final UpdateKernels SCALAR = ScalarUpdateKernels.INSTANCE;
    private static final UpdateKernels VECTOR = new VectorUpdateKernels();
    private static final int GUARD = 3;
    private static final int STEPS = 3;

    enum Rule { SGD, ADAGRAD, RMSPROP, ADAM }

    /** Operand count per rule: p, g, then state buffers. */
    private static int operands(Rule r) {
        return switch (r) {
            case SGD -> 3;       // p g buf
            case ADAGRAD -> 3;   // p g sum
            case RMSPROP -> 5;   // p g sq ga buf
            case ADAM -> 5;      // p g m v vmax
        };
    }

    private static int lanes(DType dt) {
        return dt == DType.F32 ? VectorConfig.FL : VectorConfig.DL;
    }

    private static int size(DType dt, int kind, SplittableRandom rnd) {
        int l = lanes(dt);
        return switch (kind) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> l - 1;
            case 3 -> l + 1;
            case 4 -> 3 * l + 2 * rnd.nextInt(l / 2 + 1) + 1;   // 3 lanes + an odd tail
            case 5 -> 4098;
            default -> rnd.nextInt(1, 700);
        };
    }

    /** One complete problem: operands laid out with offsets and guards in separate segments. */
    private static final class Problem {
        final DType dt;
        final int n;
        final MemorySegment[] seg;
        final long[] off;

        Problem(Arena arena, DType dt, int n, int count, SplittableRandom rnd) {
            this.dt = dt;
            this.n = n;
            seg = new MemorySegment[count];
            off = new long[count];
            for (int k = 0; k < count; k++) {
                off[k] = GUARD + rnd.nextInt(3);
                long elems = off[k] + n + GUARD;
                seg[k] = arena.allocate(elems * dt.byteSize(), 64);
            }
        }

        Problem copy(Arena arena) {
            Problem c = new Problem(arena, dt, n, seg.length, new SplittableRandom(0));
            for (int k = 0; k < seg.length; k++) {
                c.off[k] = off[k];
                c.seg[k] = arena.allocate(seg[k].byteSize(), 64);
                c.seg[k].copyFrom(seg[k]);
            }
            return c;
        }

        long elements(int k) {
            return seg[k].byteSize() / dt.byteSize();
        }

        double raw(int k, long e) {
            return dt == DType.F32 ? seg[k].getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, e)
                    : seg[k].getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, e);
        }

        void setRaw(int k, long e, double v) {
            if (dt == DType.F32) {
                seg[k].setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, e, (float) v);
            } else {
                seg[k].setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, e, v);
            }
        }

        /** Fills the whole segment (guards too) with values in [lo, hi). */
        void fill(int k, SplittableRandom rnd, double lo, double hi) {
            for (long e = 0; e < elements(k); e++) {
                setRaw(k, e, rnd.nextDouble(lo, hi));
            }
        }
    }

    private record Hyper(double lr, double a, double b, double eps, double wd) {}

    private static Hyper hyper(SplittableRandom rnd, boolean wdOn) {
        return new Hyper(rnd.nextDouble(1e-4, 0.5), rnd.nextDouble(0.5, 0.99), rnd.nextDouble(0.8, 0.9999),
                rnd.nextBoolean() ? 1e-8 : rnd.nextDouble(1e-6, 1e-2), wdOn ? rnd.nextDouble(1e-3, 0.2) : 0);
    }

    private static void fillProblem(Problem pr, Rule rule, SplittableRandom rnd) {
        pr.fill(0, rnd, -2, 2);     // p
        pr.fill(1, rnd, -1, 1);     // g
        switch (rule) {
            case SGD -> pr.fill(2, rnd, -1, 1);
            case ADAGRAD -> pr.fill(2, rnd, 0, 1);
            case RMSPROP -> {
                pr.fill(2, rnd, 0.5, 1);      // sq large enough that sq - ga^2 > 0
                pr.fill(3, rnd, -0.5, 0.5);   // ga
                pr.fill(4, rnd, -1, 1);       // buf
            }
            case ADAM -> {
                pr.fill(2, rnd, -1, 1);
                pr.fill(3, rnd, 0, 1);
                pr.fill(4, rnd, 0, 1);
            }
        }
        // A few special gradient values: exact zeros and a large one.
        if (pr.n > 2) {
            pr.setRaw(1, pr.off[1], 0.0);
            pr.setRaw(1, pr.off[1] + pr.n - 1, rnd.nextBoolean() ? -0.0 : 1e4);
        }
    }

    /** Options packed as bits; each rule reads the ones it has. */
    private static void apply(UpdateKernels k, Rule rule, Problem pr, Hyper h, int opts, long step) {
        MemorySegment[] s = pr.seg;
        long[] o = pr.off;
        switch (rule) {
            case SGD -> {
                boolean mom = (opts & 1) != 0;
                boolean damp = (opts & 2) != 0;
                boolean nesterov = (opts & 4) != 0;
                k.sgd(pr.dt, pr.n, s[0], o[0], s[1], o[1], mom ? s[2] : null, o[2], h.lr, mom ? h.a : 0,
                        damp ? 0.1 : 0, h.wd, nesterov, step == 1);
            }
            case ADAGRAD -> k.adagrad(pr.dt, pr.n, s[0], o[0], s[1], o[1], s[2], o[2],
                    h.lr / (1 + (step - 1) * 0.05), h.wd, h.eps);
            case RMSPROP -> {
                boolean centered = (opts & 1) != 0;
                boolean mom = (opts & 2) != 0;
                k.rmsprop(pr.dt, pr.n, s[0], o[0], s[1], o[1], s[2], o[2], centered ? s[3] : null, o[3],
                        mom ? s[4] : null, o[4], h.lr * 0.1, h.a, h.eps, h.wd, mom ? 0.9 : 0);
            }
            case ADAM -> {
                boolean decoupled = (opts & 1) != 0;
                boolean ams = (opts & 2) != 0;
                k.adam(pr.dt, pr.n, s[0], o[0], s[1], o[1], s[2], o[2], s[3], o[3], ams ? s[4] : null, o[4],
                        h.lr * 0.1, h.a, h.b, h.eps, h.wd, decoupled, step);
            }
        }
    }

    private static int optionCount(Rule r) {
        return switch (r) {
            case SGD -> 8;
            case ADAGRAD -> 1;
            case RMSPROP -> 4;
            case ADAM -> 4;
        };
    }

    private static boolean close(DType dt, double a, double b) {
        if (Double.compare(a, b) == 0 || (Double.isNaN(a) && Double.isNaN(b))) {
            return true;
        }
        double ulp = dt == DType.F32 ? Math.ulp((float) Math.max(Math.abs(a), Math.abs(b)))
                : Math.ulp(Math.max(Math.abs(a), Math.abs(b)));
        return Math.abs(a - b) <= ulp;
    }

    /** Runs {@link #STEPS} steps with both twins and compares every operand element and guard. */
    static void check(Rule rule, DType dt, int sizeKind, boolean wdOn, int opts, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = size(dt, sizeKind, rnd);
        Hyper h = hyper(rnd, wdOn);
        String ctx = rule + " " + dt + " n=" + n + " wd=" + wdOn + " opts=" + Integer.toBinaryString(opts)
                + " " + h + " width=" + VectorConfig.BITS + " seed=" + seed;
        try (Arena arena = Arena.ofConfined()) {
            Problem ps = new Problem(arena, dt, n, operands(rule), rnd);
            fillProblem(ps, rule, rnd);
            Problem pv = ps.copy(arena);
            Problem before = ps.copy(arena);
            for (long step = 1; step <= STEPS; step++) {
                apply(SCALAR, rule, ps, h, opts, step);
                apply(VECTOR, rule, pv, h, opts, step);
                for (int k = 0; k < ps.seg.length; k++) {
                    for (long e = 0; e < ps.elements(k); e++) {
                        double want = ps.raw(k, e);
                        double got = pv.raw(k, e);
                        if (!close(dt, want, got)) {
                            fail(ctx + ": step " + step + " operand " + k + " element " + (e - ps.off[k])
                                    + ": vector " + got + " != scalar " + want);
                        }
                        boolean inside = e >= ps.off[k] && e < ps.off[k] + n;
                        if ((!inside || k == 1) && Double.compare(got, before.raw(k, e)) != 0) {
                            fail(ctx + ": step " + step + " operand " + k + " element " + (e - ps.off[k])
                                    + (k == 1 ? " (the gradient)" : " (a guard)") + " was modified");
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 300)
    void vectorEqualsScalar(@ForAll Rule rule, @ForAll boolean f64, @ForAll @IntRange(min = 0, max = 6) int sizeKind,
                            @ForAll boolean weightDecay, @ForAll @IntRange(min = 0, max = 7) int opts,
                            @ForAll long seed) {
        check(rule, f64 ? DType.F64 : DType.F32, sizeKind, weightDecay, opts % optionCount(rule), seed);
    }

    /** Every rule x dtype x size kind x option combination at least once, deterministically. */
    @Example
    void everyCombination() {
        long seed = 2024;
        for (Rule rule : Rule.values()) {
            for (DType dt : DType.values()) {
                for (int kind = 0; kind <= 6; kind++) {
                    for (int wd = 0; wd < 2; wd++) {
                        for (int opts = 0; opts < optionCount(rule); opts++) {
                            check(rule, dt, kind, wd == 1, opts, seed++);
                        }
                    }
                }
            }
        }
    }
}
