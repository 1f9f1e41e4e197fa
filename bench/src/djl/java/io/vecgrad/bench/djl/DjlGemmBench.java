package io.vecgrad.bench.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.vecgrad.bench.Flops;
import io.vecgrad.bench.ForkArgs;
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
 * The DJL + PyTorch (libtorch CPU) peer of {@code GemmBench}: single-threaded f32
 * {@code C = A·B} ({@link #gemm}) and {@code C = Aᵀ·B} with A stored {@code [k, m]}
 * ({@link #gemmTransA}, a transposed view made in setup) through {@code NDArray.matMul}.
 *
 * <p>Only compiled with {@code -Pdjl} (source root {@code src/djl/java}): the default build has
 * no DJL on its classpath. Same shapes, operands (seed 42) and reference check as
 * {@code GemmBench}; {@code impl} is fixed to {@code djl} so that {@code Twins} pairs each row
 * with {@code GemmBench}'s {@code vecgrad} row of the same method and shape.
 *
 * <p>Each call returns a fresh native C, closed right away: DJL's matMul has no {@code out=}
 * form, so the time includes libtorch's allocation of C (as a plain {@code torch.matmul} would).
 * The forks run offline ({@code ai.djl.offline}) with one intra-op and one inter-op torch thread
 * ({@code ai.djl.pytorch.num_threads}, {@code ai.djl.pytorch.num_interop_threads}, read by
 * {@code PtEngine} at startup); setup checks the thread counts and fails otherwise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE,
        DjlGemmBench.OFFLINE, DjlGemmBench.THREADS, DjlGemmBench.INTEROP})
public class DjlGemmBench {

    /** Never touch the network (engine download, model zoo metadata). */
    static final String OFFLINE = "-Dai.djl.offline=true";
    /** One intra-op torch thread, like our single-threaded GEMM. */
    static final String THREADS = "-Dai.djl.pytorch.num_threads=1";
    /** One inter-op torch thread. */
    static final String INTEROP = "-Dai.djl.pytorch.num_interop_threads=1";

    @Param({"256", "512", "1024", "2048", "64x256x784", "256x256x784", "784x256x64"})
    public String shape;

    /** Fixed: the peers table pairs rows by {@code impl} (see {@code Twins}). */
    @Param({"djl"})
    public String impl;

    private int m;
    private int n;
    private int k;
    private float[] aRef;
    private float[] bRef;
    private NDManager manager;
    private NDArray a;
    private NDArray aTView;
    private NDArray b;

    @Setup(Level.Trial)
    public void setup() {
        if (!impl.equals("djl")) {
            // a -p impl=... override meant for GemmBench: do not report DJL's times under another name
            throw new IllegalStateException("SKIPPED: DjlGemmBench only measures impl=djl, not " + impl);
        }
        long[] mnk = Flops.gemmShape(java.util.Map.of("shape", shape));
        if (mnk == null) {
            throw new IllegalArgumentException("bad shape " + shape);
        }
        m = Math.toIntExact(mnk[0]);
        n = Math.toIntExact(mnk[1]);
        k = Math.toIntExact(mnk[2]);
        SplittableRandom r = new SplittableRandom(42);
        aRef = new float[m * k];
        bRef = new float[k * n];
        for (int i = 0; i < aRef.length; i++) {
            aRef[i] = (float) (2 * r.nextDouble() - 1);
        }
        for (int i = 0; i < bRef.length; i++) {
            bRef[i] = (float) (2 * r.nextDouble() - 1);
        }
        float[] aTRef = new float[k * m];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                aTRef[p * m + i] = aRef[i * k + p];
            }
        }
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        int intra = JniUtils.getNumThreads();
        int inter = JniUtils.getNumInteropThreads();
        System.out.println("# DJL " + manager.getEngine().getEngineName() + " " + manager.getEngine().getVersion()
                + ", torch threads intra-op " + intra + ", inter-op " + inter);
        if (intra != 1 || inter != 1) {
            throw new IllegalStateException("torch must run single-threaded (" + THREADS + " " + INTEROP
                    + "), got intra-op " + intra + ", inter-op " + inter);
        }
        a = manager.create(aRef, new Shape(m, k));
        b = manager.create(bRef, new Shape(k, n));
        aTView = manager.create(aTRef, new Shape(k, m)).transpose();
        verify(false);
        verify(true);
    }

    /** Runs the multiplication once and compares a sample of C with a double-precision reference. */
    private void verify(boolean transA) {
        float[] c;
        try (NDArray out = (transA ? aTView : a).matMul(b)) {
            c = out.toFloatArray();
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int s = 0; s < 16; s++) {
            int i = s == 0 ? 0 : s == 1 ? m - 1 : r.nextInt(m);
            int j = s == 0 ? 0 : s == 1 ? n - 1 : r.nextInt(n);
            double ref = 0;
            double abs = 0;
            for (int p = 0; p < k; p++) {
                double x = (double) aRef[i * k + p] * bRef[p * n + j];
                ref += x;
                abs += Math.abs(x);
            }
            float got = c[i * n + j];
            if (!(Math.abs(got - ref) <= 1e-4 * abs + 1e-6)) {
                throw new IllegalStateException("djl" + (transA ? " gemmTransA" : " gemm") + " " + shape
                        + ": C[" + i + "][" + j + "] = " + got + ", expected " + ref);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }

    /** {@code C = A·B}. */
    @Benchmark
    public void gemm() {
        a.matMul(b).close();
    }

    /** {@code C = Aᵀ·B}, A stored {@code [k, m]}. */
    @Benchmark
    public void gemmTransA() {
        aTView.matMul(b).close();
    }
}
