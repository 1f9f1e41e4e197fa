package io.vecgrad.engine.internal;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Vector/scalar speed ratios of the reductions (not a test, not JMH). Scalar and vector batches
 * alternate within one process (the machine is shared and noisy), each rep giving one ratio; the
 * median over reps is printed with the load average. Run: {@code java --add-modules
 * jdk.incubator.vector -cp target/classes:target/test-classes
 * io.vecgrad.engine.internal.ReductionSpeedMain [reps]}.
 */
public final class ReductionSpeedMain {
    private ReductionSpeedMain() {}

    static double sink;

    interface Body {
        double run(KernelProvider k);
    }

    static double batch(KernelProvider k, Body b, int calls) {
        long t0 = System.nanoTime();
        double s = 0;
        for (int c = 0; c < calls; c++) {
            s += b.run(k);
        }
        long t = System.nanoTime() - t0;
        sink += s;
        return t / (double) calls;
    }

    static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        KernelProvider s = new ScalarKernelProvider();
        KernelProvider v = new VectorKernelProvider();
        System.out.printf(Locale.ROOT, "%s, load average %.2f at start%n", v.name(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (DType dt : DType.values()) {
            for (long n : new long[] {4099, 65536, 1 << 20}) {
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
                String[] names = {"sum", "max", "dot", "argmax", "logsumexp", "softmax"};
                Body[] bodies = {
                    k -> k.reduce(dt, ReduceOp.SUM, n, x, 0, 1),
                    k -> k.reduce(dt, ReduceOp.MAX, n, x, 0, 1),
                    k -> k.dot(dt, n, x, 0, 1, b, 0, 1),
                    k -> k.argmax(dt, n, x, 0, 1),
                    k -> k.logsumexp(dt, n, x, 0, 1),
                    k -> {
                        k.softmax(dt, false, n, x, 0, 1, y, 0, 1);
                        return 0;
                    },
                };
                for (int i = 0; i < names.length; i++) {
                    // a batch of about 2M elements of work per side (at least 1 call)
                    int calls = (int) Math.max(1, 2_000_000 / n);
                    for (int w = 0; w < 12; w++) {
                        batch(s, bodies[i], calls);
                        batch(v, bodies[i], calls * 4);
                    }
                    double[] ratio = new double[reps];
                    double[] ts = new double[reps];
                    double[] tv = new double[reps];
                    for (int rep = 0; rep < reps; rep++) {
                        ts[rep] = batch(s, bodies[i], calls);
                        tv[rep] = batch(v, bodies[i], calls);
                        ratio[rep] = ts[rep] / tv[rep];
                    }
                    System.out.printf(Locale.ROOT, "%s n=%-8d %-10s scalar %8.3f ns/el  vector %8.3f ns/el  ratio %6.1fx (min %5.1f max %5.1f)%n",
                            dt, n, names[i], median(ts) / n, median(tv) / n, median(ratio),
                            Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0));
                }
            }
        }
        System.out.printf(Locale.ROOT, "load average %.2f at end%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
