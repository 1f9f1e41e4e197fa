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
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Quick vector-vs-scalar speed check (not a test, not JMH): ns per element, best of several
 * timed batches. Run: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * io.vecgrad.engine.internal.KernelSpeedMain [f32|f64]}.
 */
public final class KernelSpeedMain {
    private KernelSpeedMain() {}

    static double sink;

    interface Body {
        void run(KernelProvider k);
    }

    static double time(KernelProvider k, Body b, long n) {
        long reps = Math.max(1, 20_000_000 / n);
        double best = Double.MAX_VALUE;
        for (int batch = 0; batch < 7; batch++) {
            long t0 = System.nanoTime();
            for (long r = 0; r < reps; r++) {
                b.run(k);
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) (reps * n));
        }
        return best;
    }

    public static void main(String[] args) {
        DType dt = args.length > 0 ? DType.parse(args[0]) : DType.F32;
        KernelProvider s = new ScalarKernelProvider();
        KernelProvider v = new VectorKernelProvider();
        for (long n : new long[] {4096, 1 << 20}) {
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
            String[] names = {"add", "exp", "tanh", "gelu", "sum", "max", "dot", "softmax"};
            Body[] bodies = {
                k -> k.binary(dt, BinaryOp.ADD, 0, n, x, 0, 1, b, 0, 1, y, 0, 1),
                k -> k.unary(dt, UnaryOp.EXP, 0, 0, n, x, 0, 1, y, 0, 1),
                k -> k.unary(dt, UnaryOp.TANH, 0, 0, n, x, 0, 1, y, 0, 1),
                k -> k.unary(dt, UnaryOp.GELU, 0, 0, n, x, 0, 1, y, 0, 1),
                k -> sink += k.reduce(dt, ReduceOp.SUM, n, x, 0, 1),
                k -> sink += k.reduce(dt, ReduceOp.MAX, n, x, 0, 1),
                k -> sink += k.dot(dt, n, x, 0, 1, b, 0, 1),
                k -> k.softmax(dt, false, n, x, 0, 1, y, 0, 1),
            };
            for (int i = 0; i < names.length; i++) {
                time(s, bodies[i], n); // warm-up
                time(v, bodies[i], n);
                double ts = time(s, bodies[i], n);
                double tv = time(v, bodies[i], n);
                System.out.printf(Locale.ROOT, "%s n=%-8d %-8s scalar %8.3f ns/el  %s %8.3f ns/el  speedup %6.1fx%n",
                        dt, n, names[i], ts, v.name(), tv, ts / tv);
            }
        }
    }
}
