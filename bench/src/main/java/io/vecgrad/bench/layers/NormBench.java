package io.vecgrad.bench.layers;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Normalization;
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
 * Batch norm (training statistics, running stats updated) and layer norm, forward + backward,
 * f32, at the shapes: {@code 32x64x16x16} (a CNN feature map; layer norm over the last
 * two dims) and {@code 32x128x768} (a transformer activation; batch norm over C = 128, layer
 * norm over the last dim), plus an odd shape. {@code impl=vector}/{@code scalar} time the
 * fused kernels through the {@link Normalization} facade with preallocated buffers (the scalar
 * twin is the oracle); {@code impl=autograd} is {@code y = op(x); y.backward(g)} through
 * {@link Tensor}, which is what PyTorch's {@code y.backward(g)} is compared against.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE})
public class NormBench {

    @Param({"32x64x16x16", "32x128x768", "7x13x33"})
    public String shape;

    @Param({"batch_norm", "layer_norm"})
    public String op;

    @Param({"vector", "scalar", "autograd"})
    public String impl;

    private int[] dims;
    private int[] normShape;
    private Normalization f;
    private Buffer x;
    private Buffer g;
    private Buffer w;
    private Buffer b;
    private Buffer y;
    private Buffer mean;
    private Buffer rstd;
    private Buffer var;
    private Buffer rm;
    private Buffer rv;
    private Buffer dx;
    private Buffer dw;
    private Buffer db;
    private Tensor tx;
    private Tensor tw;
    private Tensor tb;
    private Tensor tg;
    private Tensor trm;
    private Tensor trv;

    private static Buffer rnd(SplittableRandom r, int... dims) {
        Buffer out = Buffer.zeros(DType.F32, dims);
        double[] v = new double[Math.toIntExact(out.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return out.copyFrom(v);
    }

    @Setup
    public void setup() {
        dims = java.util.Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray();
        int k = dims.length == 4 ? 2 : 1;
        normShape = java.util.Arrays.copyOfRange(dims, dims.length - k, dims.length);
        int[] pd = op.equals("batch_norm") ? new int[] {dims[1]} : normShape;
        int[] sd = op.equals("batch_norm") ? new int[] {dims[1]} : Normalization.layerNormStatDims(dims, normShape);
        SplittableRandom r = new SplittableRandom(5);
        x = rnd(r, dims);
        g = rnd(r, dims);
        w = rnd(r, pd);
        b = rnd(r, pd);
        y = Buffer.zeros(DType.F32, dims);
        dx = Buffer.zeros(DType.F32, dims);
        dw = Buffer.zeros(DType.F32, pd);
        db = Buffer.zeros(DType.F32, pd);
        mean = Buffer.zeros(DType.F32, sd);
        rstd = Buffer.zeros(DType.F32, sd);
        var = Buffer.zeros(DType.F32, sd);
        rm = Buffer.zeros(DType.F32, pd);
        rv = Buffer.zeros(DType.F32, pd);
        f = switch (impl) {
            case "scalar" -> Normalization.of(Normalization.scalarKernels());
            case "vector" -> Normalization.of(Normalization.vectorKernels());
            default -> Normalization.get();
        };
        tx = Tensor.fromBuffer(x).requiresGrad(true);
        tw = Tensor.fromBuffer(w).requiresGrad(true);
        tb = Tensor.fromBuffer(b).requiresGrad(true);
        tg = Tensor.fromBuffer(g);
        trm = Tensor.fromBuffer(rm);
        trv = Tensor.fromBuffer(rv);
    }

    @Benchmark
    public Object forwardBackward() {
        if (impl.equals("autograd")) {
            tx.zeroGrad();
            tw.zeroGrad();
            tb.zeroGrad();
            Tensor out = op.equals("batch_norm")
                    ? tx.batchNorm(trm, trv, tw, tb, true, 0.1, 1e-5)
                    : tx.layerNorm(normShape, tw, tb, 1e-5);
            // a scalar root, as in training: the root of backward keeps its buffer (it stays
            // readable), so y.backward(g) on a large y would allocate a fresh output every call
            out.mul(tg).sum().backward();
            return tx.grad();
        }
        if (op.equals("batch_norm")) {
            f.batchNormTrain(x, w, b, rm, rv, 0.1, 1e-5, y, mean, rstd, var);
            f.batchNormBackward(g, x, w, mean, rstd, true, dx, dw, db);
        } else {
            f.layerNorm(x, normShape, w, b, 1e-5, y, mean, rstd);
            f.layerNormBackward(g, x, normShape, w, mean, rstd, dx, dw, db);
        }
        return dx;
    }
}
