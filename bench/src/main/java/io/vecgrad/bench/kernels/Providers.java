package io.vecgrad.bench.kernels;

import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Shared helpers of the kernel benchmarks: choosing a provider, allocating and filling operands. */
final class Providers {
    private Providers() {}

    static final String VECTOR = "io.vecgrad.engine.internal.vector.VectorKernelProvider";

    /** Alignment of every benchmark operand: one cache line, one 512-bit vector. */
    static final long ALIGN = 64;

    /**
     * {@code vector}/{@code vecgrad} → the Vector API provider, {@code scalar} → its scalar twin.
     * Looked up by name so the benchmark module does not break when a provider is renamed; the
     * lookup happens in {@code @Setup}, never in the measured code.
     */
    static KernelProvider provider(String impl) {
        return switch (impl) {
            case "vector", "vecgrad" -> vector();
            case "scalar" -> new ScalarKernelProvider();
            default -> throw new IllegalArgumentException("not a vecgrad provider: " + impl);
        };
    }

    /** The Vector API provider, or null when this build does not have it yet. */
    static KernelProvider vectorOrNull() {
        try {
            return (KernelProvider) Class.forName(VECTOR).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static KernelProvider vector() {
        KernelProvider p = vectorOrNull();
        if (p == null) {
            throw new IllegalStateException("SKIPPED: kernel provider " + VECTOR
                    + " is not in this build yet; merge the engine providers first");
        }
        return p;
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
