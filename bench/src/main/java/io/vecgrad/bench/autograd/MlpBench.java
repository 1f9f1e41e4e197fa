package io.vecgrad.bench.autograd;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.spi.BinaryOp;
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
 * Autograd overhead on a small MLP: {@code relu(x·W1ᵀ + b1)·W2ᵀ + b2}, cross-entropy, forward
 * and backward, sizes 64→32→10 at batch 64. {@code impl=autograd} writes it with tensors;
 * {@code impl=direct} is the same computation written by hand on engine kernels with
 * preallocated buffers (the floor autograd is measured against: target ≤ 1.15×).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class MlpBench {
    @Param({"autograd", "direct"})
    public String impl;

    static final int BATCH = 64;
    static final int IN = 64;
    static final int HID = 32;
    static final int OUT = 10;

    private final Kernels k = Kernels.get();
    private Tensor x;
    private Indices labels;
    private Tensor w1;
    private Tensor b1;
    private Tensor w2;
    private Tensor b2;
    // direct-path buffers
    private Buffer h;
    private Buffer out;
    private Buffer p;
    private Buffer dOut;
    private Buffer dH;
    private Buffer dW1;
    private Buffer db1;
    private Buffer dW2;
    private Buffer db2;
    private Buffer rowScale;
    private long[] lab;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(42);
        x = Tensor.randn(r, DType.F32, BATCH, IN);
        lab = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            lab[i] = r.nextInt(OUT);
        }
        labels = Indices.of(lab, BATCH);
        w1 = Tensor.randn(r, DType.F32, HID, IN).mul(0.1).detach().requiresGrad(true);
        b1 = Tensor.zeros(DType.F32, HID).requiresGrad(true);
        w2 = Tensor.randn(r, DType.F32, OUT, HID).mul(0.1).detach().requiresGrad(true);
        b2 = Tensor.zeros(DType.F32, OUT).requiresGrad(true);
        h = Buffer.zeros(DType.F32, BATCH, HID);
        out = Buffer.zeros(DType.F32, BATCH, OUT);
        p = Buffer.zeros(DType.F32, BATCH, OUT);
        dOut = Buffer.zeros(DType.F32, BATCH, OUT);
        dH = Buffer.zeros(DType.F32, BATCH, HID);
        dW1 = Buffer.zeros(DType.F32, HID, IN);
        db1 = Buffer.zeros(DType.F32, 1, HID);
        dW2 = Buffer.zeros(DType.F32, OUT, HID);
        db2 = Buffer.zeros(DType.F32, 1, OUT);
        rowScale = Buffer.zeros(DType.F32, BATCH, 1);
    }

    @Benchmark
    public double step() {
        return impl.equals("autograd") ? autograd() : direct();
    }

    private double autograd() {
        Tensor hid = x.matmul(w1.t()).add(b1).relu();
        Tensor logits = hid.matmul(w2.t()).add(b2);
        Tensor loss = Losses.crossEntropy(logits, labels, Reduction.MEAN);
        loss.backward();
        double v = loss.item();
        w1.zeroGrad();
        b1.zeroGrad();
        w2.zeroGrad();
        b2.zeroGrad();
        return v;
    }

    private double direct() {
        Buffer xb = x.buffer();
        Buffer w1b = w1.buffer();
        Buffer w2b = w2.buffer();
        // forward
        k.gemm(false, true, 1, xb, w1b, 0, h);
        k.add(h, b1.buffer(), h);
        k.relu(h, h);
        k.gemm(false, true, 1, h, w2b, 0, out);
        k.add(out, b2.buffer(), out);
        // loss: mean of -log softmax at the labels; gradient (softmax - onehot) / N
        k.logSoftmax(out, 1, p);
        double loss = 0;
        for (int i = 0; i < BATCH; i++) {
            loss -= p.get(i, (int) lab[i]);
        }
        k.exp(p, dOut);
        for (int i = 0; i < BATCH; i++) {
            dOut.set(dOut.get(i, (int) lab[i]) - 1, i, (int) lab[i]);
        }
        k.affine(dOut, 1.0 / BATCH, 0, dOut);
        // backward: dW2 = dOutᵀ·h, db2 = Σ dOut, dH = dOut·W2 ⊙ (h > 0), dW1 = dHᵀ·x, db1 = Σ dH
        k.gemm(true, false, 1, dOut, h, 0, dW2);
        k.sum(dOut, new int[] {0}, true, db2);
        k.gemm(false, false, 1, dOut, w2b, 0, dH);
        k.binary(BinaryOp.RELU_BACKWARD, 0, dH, h, dH);
        k.gemm(true, false, 1, dH, xb, 0, dW1);
        k.sum(dH, new int[] {0}, true, db1);
        return loss / BATCH + rowScale.getFlat(0);
    }
}
