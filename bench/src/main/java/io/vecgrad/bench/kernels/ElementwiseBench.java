package io.vecgrad.bench.kernels;

import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.BinaryOp;
import io.vecgrad.engine.spi.KernelProvider;
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
 * f32 elementwise kernels, contiguous, out-of-place ({@code y = f(x)} / {@code y = a ∘ b}), the
 * Vector API provider against its scalar twin ({@code impl}). Sizes include odd ones (tails)
 * and sizes beyond the caches (16M floats = 64 MiB per operand), where the kernel is
 * memory-bound and the vector speedup shrinks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE})
public class ElementwiseBench {

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
        a = Providers.floats(arena, n, 1, -4, 4);
        b = Providers.floats(arena, n, 2, -4, 4);
        y = Providers.floats(arena, n, 3, 0, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private void unary(UnaryOp op) {
        p.unary(DType.F32, op, 0, 0, n, a, 0, 1, y, 0, 1);
    }

    private void binary(BinaryOp op) {
        p.binary(DType.F32, op, 0, n, a, 0, 1, b, 0, 1, y, 0, 1);
    }

    @Benchmark
    public void add() {
        binary(BinaryOp.ADD);
    }

    @Benchmark
    public void mul() {
        binary(BinaryOp.MUL);
    }

    @Benchmark
    public void exp() {
        unary(UnaryOp.EXP);
    }

    @Benchmark
    public void tanh() {
        unary(UnaryOp.TANH);
    }

    @Benchmark
    public void relu() {
        unary(UnaryOp.RELU);
    }

    @Benchmark
    public void sigmoid() {
        unary(UnaryOp.SIGMOID);
    }
}
