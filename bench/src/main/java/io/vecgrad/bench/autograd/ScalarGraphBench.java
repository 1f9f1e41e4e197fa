package io.vecgrad.bench.autograd;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Graph overhead: a chain of 100 scalar ops (mul, add, tanh, repeated) built and
 * differentiated, reported per op ({@code @OperationsPerInvocation(100)}). The arithmetic is
 * trivial, so the time is autograd's own cost: node records, result tensors, the backward walk
 * and the buffer pool. The same graph in PyTorch is in {@code bench/peers/torch_peers.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ScalarGraphBench {
    /** Ops per graph. */
    public static final int OPS = 100;

    private Tensor x;
    private Tensor w;

    @Setup
    public void setup() {
        x = Tensor.scalar(DType.F32, 0.5).requiresGrad(true);
        w = Tensor.scalar(DType.F32, 0.9).requiresGrad(true);
    }

    /** 100 ops forward (33 × mul, add, tanh + 1 mul) and the backward through them. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public double forwardBackward() {
        Tensor h = x;
        for (int i = 0; i < OPS / 3; i++) {
            h = h.mul(w).add(0.1).tanh();
        }
        Tensor loss = h.mul(w);
        loss.backward();
        double g = w.grad().item();
        w.zeroGrad();
        x.zeroGrad();
        return g;
    }
}
