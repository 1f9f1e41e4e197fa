package io.vecgrad.bench.kernels;

import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.internal.vector.VectorKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Shared helpers of the kernel benchmarks: choosing a provider, allocating and filling operands. */
final class Providers {
    private Providers() {}

    /** Alignment of every benchmark operand: one cache line, one 512-bit vector. */
    static final long ALIGN = 64;

    /** {@code vector}/{@code vecgrad} → the Vector API provider, {@code scalar} → its scalar twin. */
    static KernelProvider provider(String impl) {
        return switch (impl) {
            case "vector", "vecgrad" -> new VectorKernelProvider();
            case "scalar" -> new ScalarKernelProvider();
            default -> throw new IllegalArgumentException("not a vecgrad provider: " + impl);
        };
    }

    /** A 64-byte aligned segment of {@code n} floats, uniform in {@code [lo, hi)}. */
    static MemorySegment floats(Arena arena, long n, long seed, double lo, double hi) {
        MemorySegment s = arena.allocate(n * Float.BYTES, ALIGN);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (lo + (hi - lo) * r.nextDouble()));
        }
        return s;
    }

    /** A 64-byte aligned segment of {@code n} doubles, uniform in {@code [lo, hi)}. */
    static MemorySegment doubles(Arena arena, long n, long seed, double lo, double hi) {
        MemorySegment s = arena.allocate(n * Double.BYTES, ALIGN);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, lo + (hi - lo) * r.nextDouble());
        }
        return s;
    }
}
