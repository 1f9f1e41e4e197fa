package io.vecgrad.bench.kernels;

import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.KernelProvider;
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
 * Row-wise softmax and log-softmax of a {@code rows × cols} f32 matrix (a classifier's logits:
 * 256 × 1000), one kernel call per row, vector provider against its scalar twin. Inputs span
 * ±20 so the max shift matters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE})
public class SoftmaxBench {

    @Param({"256"})
    public int rows;

    @Param({"1000"})
    public int cols;

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
        x = Providers.floats(arena, (long) rows * cols, 21, -20, 20);
        y = Providers.floats(arena, (long) rows * cols, 22, 0, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private void rowsOf(boolean log) {
        for (int r = 0; r < rows; r++) {
            long off = (long) r * cols;
            p.softmax(DType.F32, log, cols, x, off, 1, y, off, 1);
        }
    }

    @Benchmark
    public void softmax() {
        rowsOf(false);
    }

    @Benchmark
    public void logSoftmax() {
        rowsOf(true);
    }
}
