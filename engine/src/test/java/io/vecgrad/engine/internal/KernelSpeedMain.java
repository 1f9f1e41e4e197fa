package io.vecgrad.engine.internal;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Quick vector-vs-scalar speed check (not a test, not JMH). The machine is shared, so absolute
 * times are noisy: each rep times the scalar and the vector kernel <em>back to back</em> (each for
 * a fixed time budget, so slow kernels such as scalar GELU at 1M cost no more than fast ones) and
 * the reported speedup is the <b>median of the per-rep ratios</b>; ns/element are medians too.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * io.vecgrad.engine.internal.KernelSpeedMain [f32|f64|both] [reps] [op,op,...]}.
 */
public final class KernelSpeedMain {
    private KernelSpeedMain() {}

    static double sink;

    /** Time budget of one timed batch (one provider, one rep), ns. */
    static final long BATCH_NS = 15_000_000L;
    /** Warm-up budget per provider and op, ns. */
    static final long WARM_NS = 400_000_000L;
    /**
     * Minimum warm-up calls per provider and op. A time budget alone is not enough: interpreted or
     * C1-compiled Vector API code boxes every vector and runs 10^3-10^4x slower than C2's, so
     * 400 ms covered only ~4 calls of exp at n=4096 (93 ms each) and the "speedup" measured
     * was the interpreter's. C2 (tier 4) needs ~5000 invocations (Tier4InvocationThreshold).
     */
    static final long WARM_CALLS = 6000;

    interface Body {
        void run(KernelProvider k);
    }

    /** ns per element of {@code b} run for about {@code budget} ns (at least one call). */
    static double batch(KernelProvider k, Body b, long n, long budget) {
        long calls = 0;
        long t0 = System.nanoTime();
        long t;
        do {
            b.run(k);
            calls++;
            t = System.nanoTime();
        } while (t - t0 < budget);
        return (t - t0) / (double) (calls * n);
    }

    /** Runs b until both WARM_NS and WARM_CALLS are reached (the first sizes run are small). */
    static void warm(KernelProvider k, Body b) {
        long calls = 0;
        long t0 = System.nanoTime();
        do {
            b.run(k);
            calls++;
        } while (calls < WARM_CALLS || System.nanoTime() - t0 < WARM_NS);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    public static void main(String[] args) {
        List<DType> dts = new ArrayList<>();
        String which = args.length > 0 ? args[0] : "both";
        if (which.equalsIgnoreCase("both")) {
            dts.add(DType.F32);
            dts.add(DType.F64);
        } else {
            dts.add(DType.parse(which));
        }
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<String> only = args.length > 2 ? Arrays.asList(args[2].split(",")) : null;
        KernelProvider s = new ScalarKernelProvider();
        KernelProvider v = new VectorKernelProvider();
        System.out.printf(Locale.ROOT, "load average %.2f, %d cpus, vector %s%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), v.name());
        for (DType dt : dts) {
            for (long n : new long[] {64, 4096, 1 << 20}) {
                MemorySegment x = Arena.global().allocate(n * dt.byteSize(), 64);
                MemorySegment b = Arena.global().allocate(n * dt.byteSize(), 64);
                MemorySegment y = Arena.global().allocate(n * dt.byteSize(), 64);
                SplittableRandom r = new SplittableRandom(1);
                for (long i = 0; i < n; i++) {
                    if (dt == DType.F32) {
                        x.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) r.nextDouble(-5, 5));
                        b.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) r.nextDouble(-5, 5));
                    } else {
                        x.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, r.nextDouble(-5, 5));
                        b.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, r.nextDouble(-5, 5));
                    }
                }
                // log of |x| would need positive inputs: use b's absolute values in a copy
                MemorySegment pos = Arena.global().allocate(n * dt.byteSize(), 64);
                for (long i = 0; i < n; i++) {
                    if (dt == DType.F32) {
                        pos.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i,
                                Math.abs(b.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i)) + 1e-3f);
                    } else {
                        pos.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i,
                                Math.abs(b.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i)) + 1e-3);
                    }
                }
                String[] names = {"add", "mul", "relu", "exp", "log", "tanh", "sigmoid", "gelu", "gelu_tanh",
                    "sum", "max", "softmax"};
                Body[] bodies = {
                    k -> k.binary(dt, BinaryOp.ADD, 0, n, x, 0, 1, b, 0, 1, y, 0, 1),
                    k -> k.binary(dt, BinaryOp.MUL, 0, n, x, 0, 1, b, 0, 1, y, 0, 1),
                    k -> k.unary(dt, UnaryOp.RELU, 0, 0, n, x, 0, 1, y, 0, 1),
                    k -> k.unary(dt, UnaryOp.EXP, 0, 0, n, x, 0, 1, y, 0, 1),
                    k -> k.unary(dt, UnaryOp.LOG, 0, 0, n, pos, 0, 1, y, 0, 1),
                    k -> k.unary(dt, UnaryOp.TANH, 0, 0, n, x, 0, 1, y, 0, 1),
                    k -> k.unary(dt, UnaryOp.SIGMOID, 0, 0, n, x, 0, 1, y, 0, 1),
                    k -> k.unary(dt, UnaryOp.GELU, 0, 0, n, x, 0, 1, y, 0, 1),
                    k -> k.unary(dt, UnaryOp.GELU_TANH, 0, 0, n, x, 0, 1, y, 0, 1),
                    k -> sink += k.reduce(dt, ReduceOp.SUM, n, x, 0, 1),
                    k -> sink += k.reduce(dt, ReduceOp.MAX, n, x, 0, 1),
                    k -> k.softmax(dt, false, n, x, 0, 1, y, 0, 1),
                };
                for (int i = 0; i < names.length; i++) {
                    if (only != null && !only.contains(names[i])) {
                        continue;
                    }
                    if (n <= 4096) {
                        warm(s, bodies[i]);
                        warm(v, bodies[i]);
                    } else { // already JIT-compiled at the smaller sizes: a time budget suffices
                        batch(s, bodies[i], n, WARM_NS);
                        batch(v, bodies[i], n, WARM_NS);
                    }
                    double[] ts = new double[reps];
                    double[] tv = new double[reps];
                    double[] ratio = new double[reps];
                    for (int rep = 0; rep < reps; rep++) {
                        // alternate which goes first so a load burst does not always hit one side
                        if ((rep & 1) == 0) {
                            ts[rep] = batch(s, bodies[i], n, BATCH_NS);
                            tv[rep] = batch(v, bodies[i], n, BATCH_NS);
                        } else {
                            tv[rep] = batch(v, bodies[i], n, BATCH_NS);
                            ts[rep] = batch(s, bodies[i], n, BATCH_NS);
                        }
                        ratio[rep] = ts[rep] / tv[rep];
                    }
                    System.out.printf(Locale.ROOT,
                            "%s n=%-8d %-10s scalar %8.3f ns/el  vector %8.3f ns/el  speedup %6.2fx  (min %.2f max %.2f)%n",
                            dt, n, names[i], median(ts), median(tv), median(ratio),
                            Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0));
                }
            }
        }
        System.out.printf(Locale.ROOT, "load average %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
