package io.vecgrad.engine.internal;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints heap bytes allocated per call of the vector reductions, as a function of how many
 * calls have been made (cold: OSR-compiled loops; warm: normal C2 code). Not a test. Run:
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * io.vecgrad.engine.internal.ReductionAllocMain [n...]}.
 */
public final class ReductionAllocMain {
    private ReductionAllocMain() {}

    static double sink;

    interface Body {
        void run();
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] sizes = args.length == 0 ? new long[] {1 << 20, 4099} : new long[] {Long.parseLong(args[0])};
        String onlyDt = args.length > 1 ? args[1] : null;
        String onlyOp = args.length > 2 ? args[2] : null;
        KernelProvider v = new VectorKernelProvider();
        for (long n : sizes) {
            for (DType dt : new DType[] {DType.F32, DType.F64}) {
                if (onlyDt != null && !DType.parse(onlyDt).equals(dt)) {
                    continue;
                }
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
                String[] names = {"sum", "sumsq", "max", "dot", "argmax", "logsumexp", "softmax", "logsoftmax"};
                Body[] bodies = {
                    () -> sink += v.reduce(dt, ReduceOp.SUM, n, x, 0, 1),
                    () -> sink += v.reduce(dt, ReduceOp.SUM_SQUARES, n, x, 0, 1),
                    () -> sink += v.reduce(dt, ReduceOp.MAX, n, x, 0, 1),
                    () -> sink += v.dot(dt, n, x, 0, 1, b, 0, 1),
                    () -> sink += v.argmax(dt, n, x, 0, 1),
                    () -> sink += v.logsumexp(dt, n, x, 0, 1),
                    () -> v.softmax(dt, false, n, x, 0, 1, y, 0, 1),
                    () -> v.softmax(dt, true, n, x, 0, 1, y, 0, 1),
                };
                int[] marks = {1, 10, 100, 1000, 3000, 10000, 20000};
                for (int k = 0; k < names.length; k++) {
                    if (onlyOp != null && !onlyOp.equals(names[k])) {
                        continue;
                    }
                    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s n=%-8d %-10s", dt, n, names[k]));
                    int done = 0;
                    for (int mark : marks) {
                        int calls = mark - done;
                        long a0 = mx.getCurrentThreadAllocatedBytes();
                        for (int c = 0; c < calls; c++) {
                            bodies[k].run();
                        }
                        long a1 = mx.getCurrentThreadAllocatedBytes();
                        done = mark;
                        sb.append(String.format(Locale.ROOT, "  @%d: %.0f B/call", mark, (a1 - a0) / (double) calls));
                    }
                    System.out.println(sb);
                }
            }
        }
    }
}
