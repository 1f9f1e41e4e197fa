package io.vecgrad.bench.layers;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Recurrent;
import io.vecgrad.engine.spi.RecurrentKernels;
import java.lang.foreign.MemorySegment;
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
 * The fused LSTM gate kernels of one time step (forward, then backward), vector against the
 * scalar twin, batch 32, f32, at hidden 256 (the LSTM benchmark's shape) and an odd 100.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class LstmGateBench {
    @Param({"vector", "scalar"})
    public String impl;

    @Param({"256", "100"})
    public int hidden;

    static final int B = 32;

    private RecurrentKernels k;
    private MemorySegment xp;
    private MemorySegment hp;
    private MemorySegment bih;
    private MemorySegment bhh;
    private MemorySegment cPrev;
    private MemorySegment act;
    private MemorySegment c;
    private MemorySegment h;
    private MemorySegment gy;
    private MemorySegment dh;
    private MemorySegment dc;
    private MemorySegment da;

    private static MemorySegment seg(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        Buffer b = Buffer.zeros(DType.F32, n);
        b.copyFrom(v);
        return b.segment("bench");
    }

    @Setup
    public void setup() {
        k = impl.equals("vector") ? Recurrent.vector() : Recurrent.scalar();
        SplittableRandom r = new SplittableRandom(3);
        int g = 4 * hidden;
        xp = seg(r, B * g);
        hp = seg(r, B * g);
        bih = seg(r, g);
        bhh = seg(r, g);
        cPrev = seg(r, B * hidden);
        act = seg(r, B * g);
        c = seg(r, B * hidden);
        h = seg(r, B * hidden);
        gy = seg(r, B * hidden);
        dh = seg(r, B * hidden);
        dc = seg(r, B * hidden);
        da = seg(r, B * g);
    }

    @Benchmark
    public MemorySegment step() {
        k.lstmForward(DType.F32, B, hidden, xp, 0, bih, 0, hp, 0, bhh, 0, cPrev, 0, act, 0, c, 0, h, 0);
        k.lstmBackward(DType.F32, B, hidden, act, 0, cPrev, 0, c, 0, gy, 0, dh, 0, dc, 0, da, 0);
        return da;
    }
}
