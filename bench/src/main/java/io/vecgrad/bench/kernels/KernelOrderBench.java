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
 * A memory-bound kernel's speed must not depend on what ran before it in the JVM. Each fork
 * either starts measuring at once ({@code before = none}) or first runs the exp kernel through its
 * warm-up ({@code before = exp}): while exp is interpreted or in C1, the Vector API's fallback for
 * {@code reinterpretAsInts()} stores into a heap segment, which pollutes the JDK's shared
 * segment-access type profiles. Before the fix ({@code Mem.st}), add and relu at 64 K ran 3-4x
 * slower in the {@code exp} forks; the two rows of each benchmark should now agree.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE})
public class KernelOrderBench {

    @Param({"none", "exp"})
    public String before;

    @Param({"65536"})
    public int n;

    private Arena arena;
    private KernelProvider p;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment y;

    @Setup(Level.Trial)
    public void setup() {
        p = Providers.provider("vector");
        arena = Arena.ofShared();
        a = Providers.floats(arena, n, 1, -4, 4);
        b = Providers.floats(arena, n, 2, -4, 4);
        y = Providers.floats(arena, n, 3, 0, 1);
        if (before.equals("exp")) {
            long end = System.nanoTime() + 3_000_000_000L; // through the interpreter, C1 and C2
            while (System.nanoTime() < end) {
                p.unary(DType.F32, UnaryOp.EXP, 0, 0, n, a, 0, 1, y, 0, 1);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void add() {
        p.binary(DType.F32, BinaryOp.ADD, 0, n, a, 0, 1, b, 0, 1, y, 0, 1);
    }

    @Benchmark
    public void relu() {
        p.unary(DType.F32, UnaryOp.RELU, 0, 0, n, a, 0, 1, y, 0, 1);
    }
}
