package io.vecgrad.bench.kernels;

import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * f32 reductions (sum, max) and dot product, vector provider against its scalar twin. The
 * scalar sum is a sequential dependency chain (one add latency per element), the vector one
 * keeps several independent accumulators: the gate expects ≥ 4× from n = 4096 on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE})
public class ReduceBench {

    @Param({"1000", "4099", "65536", "1048576", "16777216"})
    public int n;

    @Param({"vector", "scalar"})
    public String impl;

    private Arena arena;
    private KernelProvider p;
    private MemorySegment x;
    private MemorySegment y;

    @Setup(Level.Trial)
    public void setup() {
        p = Providers.provider(impl);
        arena = Arena.ofShared();
        x = Providers.floats(arena, n, 11, -1, 1);
        y = Providers.floats(arena, n, 12, -1, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public double sum() {
        return p.reduce(DType.F32, ReduceOp.SUM, n, x, 0, 1);
    }

    @Benchmark
    public double max() {
        return p.reduce(DType.F32, ReduceOp.MAX, n, x, 0, 1);
    }

    @Benchmark
    public double dot() {
        return p.dot(DType.F32, n, x, 0, 1, y, 0, 1);
    }
}
