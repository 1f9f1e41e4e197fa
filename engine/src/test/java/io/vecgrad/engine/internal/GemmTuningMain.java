package io.vecgrad.engine.internal;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarGemm;
import io.vecgrad.engine.internal.vector.VectorConfig;
import io.vecgrad.engine.internal.vector.VectorGemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Throughput harness for tuning {@code GemmTuning} (not a test). Prints best-of-reps GFLOP/s
 * after warm-up. Run from the engine module after {@code mvn test-compile}:
 * <pre>java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     io.vecgrad.engine.internal.GemmTuningMain [all|quick|square|mlp|par|parth|small|scalar|f64]</pre>
 */
public final class GemmTuningMain {
    private GemmTuningMain() {}

    private static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "gemm-bench");
        t.setDaemon(true);
        return t;
    });

    /** Entry point; the argument selects a group of shapes. */
    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        System.out.println("vector bits " + VectorConfig.BITS);
        if (what.equals("all") || what.equals("square")) {
            for (int s : new int[] {256, 512, 1024, 2048}) {
                bench("vector", DType.F32, false, false, s, s, s, 1);
            }
        }
        if (what.equals("all") || what.equals("mlp")) {
            int[][] shapes = {{64, 256, 784}, {64, 784, 256}, {256, 784, 256}, {784, 64, 256},
                              {784, 256, 64}};
            for (int[] sh : shapes) {
                for (int t = 0; t < 4; t++) {
                    bench("vector", DType.F32, (t & 1) != 0, (t & 2) != 0, sh[0], sh[1], sh[2], 1);
                }
            }
        }
        if (what.equals("all") || what.equals("par")) {
            for (int s : new int[] {1024, 2048}) {
                bench("vector", DType.F32, false, false, s, s, s, 1);
                bench("vector", DType.F32, false, false, s, s, s, 2);
            }
            bench("vector", DType.F32, false, false, 64, 256, 784, 2);
            bench("vector", DType.F32, false, false, 256, 784, 256, 2);
            bench("vector", DType.F32, false, false, 128, 128, 128, 2);
        }
        if (what.equals("parth")) {
            // Where the parallel split starts paying: 1 vs 2 threads around GemmTuning.PAR_FLOPS.
            for (int s : new int[] {96, 128, 160, 200, 256}) {
                bench("vector", DType.F32, false, false, s, s, s, 1);
                bench("vector", DType.F32, false, false, s, s, s, 2);
            }
        }
        if (what.equals("all") || what.equals("f64")) {
            bench("vector", DType.F64, false, false, 512, 512, 512, 1);
            bench("vector", DType.F64, false, false, 1024, 1024, 1024, 1);
        }
        if (what.equals("all") || what.equals("small")) {
            for (int s : new int[] {8, 16, 32, 64, 128}) {
                bench("vector", DType.F32, false, false, s, s, s, 1);
            }
            bench("vector", DType.F32, false, false, 1, 1000, 1000, 1);
            bench("vector", DType.F32, false, false, 1000, 1, 1000, 1);
            bench("vector", DType.F32, true, false, 1000, 1, 1000, 1);
        }
        if (what.equals("quick")) {
            bench("vector", DType.F32, false, false, 512, 512, 512, 1);
            bench("vector", DType.F32, false, false, 1024, 1024, 1024, 1);
            bench("vector", DType.F32, false, false, 64, 256, 784, 1);
            bench("vector", DType.F32, true, false, 784, 256, 64, 1);
        }
        if (what.equals("all") || what.equals("scalar")) {
            bench("scalar", DType.F32, false, false, 512, 512, 512, 1);
            bench("vector", DType.F32, false, false, 512, 512, 512, 1);
        }
    }

    private static void bench(String impl, DType dt, boolean ta, boolean tb, int m, int n, int k, int threads) {
        try (Arena arena = Arena.ofShared()) {
            long lda = ta ? m : k;
            long ldb = tb ? k : n;
            MemorySegment a = fill(arena, dt, (long) m * k);
            MemorySegment b = fill(arena, dt, (long) k * n);
            MemorySegment c = fill(arena, dt, (long) m * n);
            Runnable call = impl.equals("scalar")
                    ? () -> ScalarGemm.gemm(dt, ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, n, null, 1)
                    : () -> VectorGemm.gemm(dt, ta, tb, m, n, k, 1.0, a, 0, lda, b, 0, ldb, 0.0, c, 0, n,
                            threads > 1 ? POOL : null, threads);
            double flops = 2.0 * m * n * k;
            // Warm up for ~1.5 s (at least a few calls), then time reps for ~2 s; keep the best.
            long warmEnd = System.nanoTime() + 1_500_000_000L;
            int calls = 0;
            while (System.nanoTime() < warmEnd || calls < 3) {
                call.run();
                calls++;
            }
            long best = Long.MAX_VALUE;
            long end = System.nanoTime() + 2_000_000_000L;
            int reps = 0;
            while (System.nanoTime() < end || reps < 3) {
                long t0 = System.nanoTime();
                call.run();
                best = Math.min(best, System.nanoTime() - t0);
                reps++;
            }
            long allocated = allocatedBytes(call);
            System.out.printf(Locale.ROOT, "%-6s %s %5d x %5d x %5d tA=%-5b tB=%-5b thr=%d  %8.1f GFLOP/s  (best %.3f ms, %d reps, alloc/call %d B)%n",
                    impl, dt, m, n, k, ta, tb, threads, flops / best, best / 1e6, reps, allocated);
        }
    }

    private static long allocatedBytes(Runnable call) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        call.run();
        return mx.getThreadAllocatedBytes(tid) - before;
    }

    private static MemorySegment fill(Arena arena, DType dt, long elems) {
        MemorySegment s = arena.allocate(elems * dt.byteSize(), 64);
        SplittableRandom rnd = new SplittableRandom(42);
        for (long i = 0; i < elems; i++) {
            if (dt == DType.F32) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextDouble(-1, 1));
            } else {
                s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, rnd.nextDouble(-1, 1));
            }
        }
        return s;
    }
}
