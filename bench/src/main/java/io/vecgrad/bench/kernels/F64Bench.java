package io.vecgrad.bench.kernels;

import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.engine.spi.ReduceOp;
import io.vecgrad.engine.spi.UnaryOp;
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
 * A few f64 kernels (gradient checks and references run in f64): add, exp, sum and dot, vector
 * provider against its scalar twin. Half the lanes of f32, so lower vector speedups.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE})
public class F64Bench {

    @Param({"1000", "4099", "65536", "1048576", "16777216"})
    public int n;

    @Param({"vector", "scalar"})
    public String impl;

    private Arena arena;
    private KernelProvider p;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment y;

    @Setup(Level.Trial)
    public void setup() {
        p = Providers.provider(impl);
        arena = Arena.ofShared();
        a = Providers.doubles(arena, n, 31, -4, 4);
        b = Providers.doubles(arena, n, 32, -1, 1);
        y = Providers.doubles(arena, n, 33, 0, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void add() {
        p.binary(DType.F64, BinaryOp.ADD, 0, n, a, 0, 1, b, 0, 1, y, 0, 1);
    }

    @Benchmark
    public void exp() {
        p.unary(DType.F64, UnaryOp.EXP, 0, 0, n, a, 0, 1, y, 0, 1);
    }

    @Benchmark
    public double sum() {
        return p.reduce(DType.F64, ReduceOp.SUM, n, b, 0, 1);
    }

    @Benchmark
    public double dot() {
        return p.dot(DType.F64, n, a, 0, 1, b, 0, 1);
    }
}
