package io.vecgrad.bench.kernels;

import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.Convolutions;
import io.vecgrad.engine.Convolutions.ConvArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Parallel;
import io.vecgrad.engine.Workspace;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
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
 * Single-threaded f32 conv2d training pass (forward with bias, input gradient, weight gradient)
 * through {@link Convolutions} at the ResNet-like shapes of issue 11, against the three GEMMs of
 * the same flop count without im2col/col2im ({@link #gemmSameFlops}: {@code [O, CKK]·[CKK, NL]},
 * {@code [CKK, O]ᵀ·[O, NL]}, {@code [O, NL]·[NL, CKK]ᵀ} over the whole batch). The ratio of the
 * two is the cost of the convolution structure (im2col, col2im, per-image GEMM calls) on top of
 * GEMM speed. Both count {@code 3 · 2 · O · (C·kH·kW) · (N·OH·OW)} flops per op, so
 * {@code GFLOP/s = flops / time}.
 *
 * <p>{@code layer} is {@code NxCxHxW-OkK} (stride 1, padding {@code K/2}); {@code impl} selects the
 * Vector API kernels or their scalar twins (GEMM and convolution kernels alike). Setup runs one
 * pass and checks that the workspace got every buffer back.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE})
public class ConvBench {

    @Param({"32x3x32x32-32k3", "32x64x16x16-64k3", "32x256x8x8-64k1"})
    public String layer;

    @Param({"vecgrad", "scalar"})
    public String impl;

    private Convolutions conv;
    private KernelProvider provider;
    private Workspace ws;
    private ConvArgs args;
    private Buffer x;
    private Buffer w;
    private Buffer b;
    private Buffer y;
    private Buffer gy;
    private Buffer gx;
    private Buffer gw;
    private Arena arena;
    private MemorySegment ga;
    private MemorySegment gb;
    private MemorySegment gc;
    private MemorySegment gd;
    private MemorySegment ge;
    private int o;
    private int ckk;
    private int nl;

    /** Flops of one training pass of the layer: three GEMMs of {@code 2 · O · CKK · NL}. */
    public static double flops(String layer) {
        int[] p = parse(layer);
        int k = p[5];
        int l = p[2] * p[3]; // stride 1, padding k/2, odd k: output = input size
        return 3.0 * 2.0 * p[4] * ((double) p[1] * k * k) * ((double) p[0] * l);
    }

    /** {@code {N, C, H, W, O, K}} of a layer name. */
    static int[] parse(String layer) {
        String[] io = layer.split("-");
        String[] in = io[0].split("x");
        String[] out = io[1].split("k");
        return new int[] {Integer.parseInt(in[0]), Integer.parseInt(in[1]), Integer.parseInt(in[2]),
                Integer.parseInt(in[3]), Integer.parseInt(out[0]), Integer.parseInt(out[1])};
    }

    private static Buffer random(SplittableRandom r, int... dims) {
        Buffer t = Buffer.zeros(DType.F32, dims);
        double[] v = new double[Math.toIntExact(t.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return t.copyFrom(v);
    }

    @Setup(Level.Trial)
    public void setup() {
        int[] p = parse(layer);
        provider = Providers.provider(impl);
        Kernels k = Kernels.of(provider, Parallel.sequential());
        conv = Convolutions.of(k, impl.equals("scalar") ? Convolutions.scalarKernels() : Convolutions.vectorKernels());
        ws = new Workspace();
        int kk = p[5];
        args = new ConvArgs("conv2d", 1, 1, kk / 2, kk / 2, 1, 1, 1, 0, 0);
        SplittableRandom r = new SplittableRandom(42);
        x = random(r, p[0], p[1], p[2], p[3]);
        w = random(r, p[4], p[1], kk, kk);
        b = random(r, p[4]);
        int[] od = Convolutions.conv2dDims(x.shape(), w.shape(), args);
        y = Buffer.zeros(DType.F32, od);
        gy = random(r, od);
        gx = Buffer.zeros(DType.F32, x.dims());
        gw = Buffer.zeros(DType.F32, w.dims());
        o = p[4];
        ckk = p[1] * kk * kk;
        nl = p[0] * od[2] * od[3];
        arena = Arena.ofShared();
        ga = Providers.floats(arena, (long) o * ckk, 1, -1, 1);
        gb = Providers.floats(arena, (long) ckk * nl, 2, -1, 1);
        gc = Providers.floats(arena, (long) o * nl, 3, -1, 1);
        gd = Providers.floats(arena, (long) ckk * nl, 4, -1, 1);
        ge = Providers.floats(arena, (long) o * ckk, 5, -1, 1);
        conv();
        if (ws.outstanding() != 0) {
            throw new IllegalStateException("workspace buffers not returned: " + ws.outstanding());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Forward with bias, input gradient and weight gradient of one conv2d layer. */
    @Benchmark
    public Buffer conv() {
        conv.conv2d(x, w, b, args, y, ws);
        conv.conv2dBackwardInput(gy, w, args, gx, ws);
        return conv.conv2dBackwardWeight(gy, x, args, gw, ws);
    }

    /** The three batched GEMMs of the same shapes and flops, with no im2col or col2im. */
    @Benchmark
    public MemorySegment gemmSameFlops() {
        provider.gemm(DType.F32, false, false, o, nl, ckk, 1, ga, 0, ckk, gb, 0, nl, 0, gc, 0, nl, null, 1);
        provider.gemm(DType.F32, true, false, ckk, nl, o, 1, ga, 0, ckk, gc, 0, nl, 0, gd, 0, nl, null, 1);
        provider.gemm(DType.F32, false, true, o, ckk, nl, 1, gc, 0, nl, gb, 0, nl, 0, ge, 0, ckk, null, 1);
        return ge;
    }
}
