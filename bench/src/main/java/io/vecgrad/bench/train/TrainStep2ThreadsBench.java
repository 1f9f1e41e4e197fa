package io.vecgrad.bench.train;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batch-256 MLP step of {@link TrainStepBench} with the engine on two threads, for the
 * two-threads-against-one ratio (target ≥ 1.6×).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dvecgrad.threads=2"})
public class TrainStep2ThreadsBench {
    @Param({"mlp784-b256-sgd", "mlp784-b256-adam"})
    public String model;

    private TrainStepBench.Step step;

    @Setup
    public void setup() {
        step = TrainStepBench.Step.of(model);
    }

    @Benchmark
    public double step() {
        return step.run();
    }
}
