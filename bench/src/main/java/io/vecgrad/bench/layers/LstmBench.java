package io.vecgrad.bench.layers;

import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
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
 * One LSTM layer forward + backward, issue 11's speed shape: batch 32, sequence 35, input 128,
 * hidden 256, f32, gradients of every input and parameter, upstream gradient 1 on every output.
 * {@code impl=fused} is {@link RecurrentOps#lstm} (one autograd node: GEMM projections + fused
 * gate kernels); {@code impl=composed} is the same layer written step by step with primitive
 * tensor ops (matmul, add, narrow, sigmoid, tanh, mul, stack), the floor the fused op is
 * measured against. The peer is PyTorch's {@code torch.lstm} on the same shape
 * ({@code bench/peers/torch_lstm.py}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class LstmBench {
    @Param({"fused", "composed"})
    public String impl;

    static final int T = 35;
    static final int B = 32;
    static final int I = 128;
    static final int H = 256;

    private Tensor x;
    private Tensor h0;
    private Tensor c0;
    private Tensor wIh;
    private Tensor wHh;
    private Tensor bIh;
    private Tensor bHh;
    private Tensor ones;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(11);
        double s = 1 / Math.sqrt(H);
        x = Tensor.randn(r, DType.F32, T, B, I).requiresGrad(true);
        h0 = Tensor.randn(r, DType.F32, 1, B, H).mul(0.1).detach().requiresGrad(true);
        c0 = Tensor.randn(r, DType.F32, 1, B, H).mul(0.1).detach().requiresGrad(true);
        wIh = Tensor.randn(r, DType.F32, 4 * H, I).mul(s).detach().requiresGrad(true);
        wHh = Tensor.randn(r, DType.F32, 4 * H, H).mul(s).detach().requiresGrad(true);
        bIh = Tensor.randn(r, DType.F32, 4 * H).mul(s).detach().requiresGrad(true);
        bHh = Tensor.randn(r, DType.F32, 4 * H).mul(s).detach().requiresGrad(true);
        ones = Tensor.ones(DType.F32, T, B, H);
    }

    @Benchmark
    public double forwardBackward() {
        Tensor y = impl.equals("fused") ? RecurrentOps.lstm(x, h0, c0, wIh, wHh, bIh, bHh).output() : composed();
        y.backward(ones);
        double v = wHh.grad().buffer().getFlat(0);
        for (Tensor t : new Tensor[] {x, h0, c0, wIh, wHh, bIh, bHh}) {
            t.zeroGrad();
        }
        return v;
    }

    private Tensor composed() {
        Tensor h = h0.reshape(B, H);
        Tensor c = c0.reshape(B, H);
        Tensor xp = x.reshape(T * B, I).matmul(wIh.t()).add(bIh).reshape(T, B, 4 * H);
        Tensor[] out = new Tensor[T];
        for (int t = 0; t < T; t++) {
            Tensor p = xp.narrow(0, t, 1).reshape(B, 4 * H).add(h.matmul(wHh.t())).add(bHh);
            Tensor i = p.narrow(1, 0, H).sigmoid();
            Tensor f = p.narrow(1, H, H).sigmoid();
            Tensor g = p.narrow(1, 2 * H, H).tanh();
            Tensor o = p.narrow(1, 3 * H, H).sigmoid();
            c = f.mul(c).add(i.mul(g));
            h = o.mul(c.tanh());
            out[t] = h;
        }
        return Tensor.stack(0, out);
    }
}
