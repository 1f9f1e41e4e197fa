package io.vecgrad.bench.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.optim.Adagrad;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.AdamW;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.RMSprop;
import io.vecgrad.optim.SGD;
import java.util.List;
import java.util.SplittableRandom;
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
 * One {@code step()} of each optimizer on {@code n} f32 parameters (one fused pass reading p, g
 * and the state once). Its allocation per step ({@code gc.alloc.rate.norm}) should be 0.
 * {@link FusedVsPlainBench} compares the fused step with separate elementwise passes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class OptimizerStepBench {
    @Param({"1000000"})
    public int n;

    @Param({"sgd_momentum", "adam", "adamw", "rmsprop", "adagrad"})
    public String optimizer;

    private Optimizer opt;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        Tensor p = Tensor.randn(r, DType.F32, n).requiresGrad(true);
        p.setGrad(Tensor.randn(r, DType.F32, n));
        List<Tensor> ps = List.of(p);
        opt = switch (optimizer) {
            case "sgd_momentum" -> SGD.builder(ps).lr(1e-3).momentum(0.9).build();
            case "adam" -> Adam.builder(ps).lr(1e-3).build();
            case "adamw" -> AdamW.builder(ps).lr(1e-3).build();
            case "rmsprop" -> RMSprop.builder(ps).lr(1e-3).build();
            default -> Adagrad.builder(ps).lr(1e-3).build();
        };
    }

    @Benchmark
    public void step() {
        opt.step();
    }
}
