package io.vecgrad.bench.kernels;

import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our f32 GEMM on one thread against two (the engine splits C across an executor; the calling
 * thread takes one share): the 2-thread / 1-thread ratio at 1024 and 2048 square (target
 * ≥ 1.7×) and at the MLP batch-256 shape.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE})
public class GemmThreadsBench {
    @Param({"1024", "2048", "256x256x784"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private ExecutorService pool;
    private final KernelProvider p = Providers.provider("vecgrad");

    @Setup(Level.Trial)
    public void setup() {
        long[] mnk = io.vecgrad.bench.Flops.gemmShape(java.util.Map.of("shape", shape));
        m = Math.toIntExact(mnk[0]);
        n = Math.toIntExact(mnk[1]);
        k = Math.toIntExact(mnk[2]);
        arena = Arena.ofShared();
        a = Providers.floats(arena, (long) m * k, 1, -1, 1);
        b = Providers.floats(arena, (long) k * n, 2, -1, 1);
        c = arena.allocate((long) m * n * Float.BYTES, Providers.ALIGN);
        pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "gemm-bench-worker");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
        arena.close();
    }

    @Benchmark
    public void gemm() {
        p.gemm(DType.F32, false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n, pool, threads);
    }
}
