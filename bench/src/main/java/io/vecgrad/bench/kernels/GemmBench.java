package io.vecgrad.bench.kernels;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import io.vecgrad.bench.Flops;
import io.vecgrad.bench.ForkArgs;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * Single-threaded f32 GEMM {@code C = A·B} ({@link #gemm}) and {@code C = Aᵀ·B} with A stored
 * {@code [k, m]} ({@link #gemmTransA}), row-major, {@code alpha = 1, beta = 0}, against peers:
 * <ul>
 *   <li>{@code vecgrad}: {@code VectorKernelProvider.gemm}, operands in 64-byte aligned
 *       {@code Arena.ofShared()} segments, {@code executor = null, parallelism = 1};</li>
 *   <li>{@code scalar}: {@code ScalarKernelProvider.gemm}, same operands;</li>
 *   <li>{@code ejml}: EJML {@code CommonOps_FDRM.mult/multTransA} on {@code FMatrixRMaj}
 *       (single-threaded);</li>
 *   <li>{@code netlibJava}: dev.ludovic.netlib {@code JavaBLAS.getInstance()} — VectorBLAS when
 *       the Vector API module is present (it is in our forks), else the plain Java BLAS;</li>
 *   <li>{@code openblas}: dev.ludovic.netlib JNIBLAS on {@code libopenblas.so.0}, one thread
 *       (see {@link OpenBlas}); skipped with a message when the library is missing.</li>
 * </ul>
 * The BLAS peers are column-major, so row-major {@code C = op(A)·B} is computed as
 * {@code Cᵀ = Bᵀ·op(A)ᵀ}: {@code sgemm("N", transA ? "T" : "N", n, m, k, 1, B, n, A, lda, 0, C, n)}.
 *
 * <p>{@code shape} is {@code "N"} (square) or {@code "MxNxK"}; the report derives GFLOP/s from it
 * ({@link Flops}). Setup checks a sample of C against a double-precision reference once, so a
 * wrongly wired peer fails loudly instead of producing a fast wrong number. The scalar twin is
 * skipped at 2048³ (about 10 s per call); its ratio is measured at the smaller sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE, ForkArgs.OPENBLAS})
public class GemmBench {

    @Param({"256", "512", "1024", "2048", "64x256x784", "256x256x784", "784x256x64"})
    public String shape;

    @Param({"vecgrad", "scalar", "ejml", "netlibJava", "openblas"})
    public String impl;

    /** The multiplication under test, bound in setup. */
    private interface Kernel {
        void run(boolean transA);
    }

    private int m;
    private int n;
    private int k;
    private Arena arena;
    private Kernel kernel;
    /** Row-major copies of the operands for the reference check (A as [m,k] and as [k,m]). */
    private float[] aRef;
    private float[] aTRef;
    private float[] bRef;
    private CReader cReader;

    private interface CReader {
        float get(int i, int j);
    }

    @Setup(Level.Trial)
    public void setup() {
        long[] mnk = Flops.gemmShape(java.util.Map.of("shape", shape));
        if (mnk == null) {
            throw new IllegalArgumentException("bad shape " + shape);
        }
        m = Math.toIntExact(mnk[0]);
        n = Math.toIntExact(mnk[1]);
        k = Math.toIntExact(mnk[2]);
        if (impl.equals("scalar") && (long) m * n * k >= 2048L * 2048 * 2048) {
            throw new IllegalStateException("SKIPPED: scalar GEMM at " + shape
                    + " takes seconds per call; the scalar ratio is measured at the smaller shapes");
        }
        SplittableRandom r = new SplittableRandom(42);
        aRef = new float[m * k];
        bRef = new float[k * n];
        for (int i = 0; i < aRef.length; i++) {
            aRef[i] = (float) (2 * r.nextDouble() - 1);
        }
        for (int i = 0; i < bRef.length; i++) {
            bRef[i] = (float) (2 * r.nextDouble() - 1);
        }
        aTRef = new float[k * m];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                aTRef[p * m + i] = aRef[i * k + p];
            }
        }
        kernel = switch (impl) {
            case "vecgrad", "scalar" -> ours(Providers.provider(impl));
            case "ejml" -> ejml();
            case "netlibJava" -> blas(JavaBLAS.getInstance());
            case "openblas" -> blas(OpenBlas.load());
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
        verify(false);
        verify(true);
    }

    private Kernel ours(KernelProvider p) {
        System.out.println("# provider " + p.name() + ", " + p.vectorBits() + "-bit");
        arena = Arena.ofShared();
        MemorySegment a = arena.allocate((long) m * k * Float.BYTES, Providers.ALIGN);
        MemorySegment aT = arena.allocate((long) m * k * Float.BYTES, Providers.ALIGN);
        MemorySegment b = arena.allocate((long) k * n * Float.BYTES, Providers.ALIGN);
        MemorySegment c = arena.allocate((long) m * n * Float.BYTES, Providers.ALIGN);
        MemorySegment.copy(aRef, 0, a, ValueLayout.JAVA_FLOAT, 0, aRef.length);
        MemorySegment.copy(aTRef, 0, aT, ValueLayout.JAVA_FLOAT, 0, aTRef.length);
        MemorySegment.copy(bRef, 0, b, ValueLayout.JAVA_FLOAT, 0, bRef.length);
        int mm = m;
        int nn = n;
        int kk = k;
        cReader = (i, j) -> c.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * nn + j);
        return transA -> {
            if (transA) {
                p.gemm(DType.F32, true, false, mm, nn, kk, 1, aT, 0, mm, b, 0, nn, 0, c, 0, nn, null, 1);
            } else {
                p.gemm(DType.F32, false, false, mm, nn, kk, 1, a, 0, kk, b, 0, nn, 0, c, 0, nn, null, 1);
            }
        };
    }

    private Kernel ejml() {
        FMatrixRMaj a = FMatrixRMaj.wrap(m, k, aRef.clone());
        FMatrixRMaj aT = FMatrixRMaj.wrap(k, m, aTRef.clone());
        FMatrixRMaj b = FMatrixRMaj.wrap(k, n, bRef.clone());
        FMatrixRMaj c = new FMatrixRMaj(m, n);
        cReader = c::get;
        return transA -> {
            if (transA) {
                CommonOps_FDRM.multTransA(aT, b, c);
            } else {
                CommonOps_FDRM.mult(a, b, c);
            }
        };
    }

    private Kernel blas(BLAS blas) {
        float[] a = aRef.clone();
        float[] aT = aTRef.clone();
        float[] b = bRef.clone();
        float[] c = new float[m * n];
        int mm = m;
        int nn = n;
        int kk = k;
        cReader = (i, j) -> c[i * nn + j];
        System.out.println("# BLAS " + blas.getClass().getName());
        return transA -> {
            if (transA) {
                blas.sgemm("N", "T", nn, mm, kk, 1f, b, nn, aT, mm, 0f, c, nn);
            } else {
                blas.sgemm("N", "N", nn, mm, kk, 1f, b, nn, a, kk, 0f, c, nn);
            }
        };
    }

    /** Runs the kernel once and compares a sample of C with a double-precision reference. */
    private void verify(boolean transA) {
        kernel.run(transA);
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
            float got = cReader.get(i, j);
            if (!(Math.abs(got - ref) <= 1e-4 * abs + 1e-6)) {
                throw new IllegalStateException(impl + (transA ? " gemmTransA" : " gemm") + " " + shape
                        + ": C[" + i + "][" + j + "] = " + got + ", expected " + ref);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }

    /** {@code C = A·B}. */
    @Benchmark
    public void gemm() {
        kernel.run(false);
    }

    /** {@code C = Aᵀ·B}, A stored {@code [k, m]}. */
    @Benchmark
    public void gemmTransA() {
        kernel.run(true);
    }
}
