package io.vecgrad.bench.probe;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A STREAM-style bandwidth probe in Java over 64-byte-aligned off-heap {@link MemorySegment}s of
 * f32 (the element type of the kernels it is compared with): copy {@code c = a}, scale
 * {@code b = s c}, add {@code c = a + b}, triad {@code a = b + s c}, plus read {@code sum(a)} (the
 * traffic of a reduction), each a plain Vector API loop at the preferred width. Bytes counted as
 * STREAM counts them (reads + writes, no write-allocate traffic): 8 B per element for copy/scale,
 * 12 for add/triad, 4 for read. Prints, per array size, the best and median GB/s (decimal) over
 * {@code reps} timed passes after a warm-up, by wall time and by thread-CPU time, and the spread
 * ((max - min) / median of the time).
 *
 * <p>The reference in C is {@code bench/peers/stream.c} (compiled with gcc by
 * {@code bench/peers/stream.sh} when run; no binary is committed).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp ... io.vecgrad.bench.probe.StreamProbe
 * [reps] [n...]} (default 30 passes at n = 1M and 16M elements).
 */
public final class StreamProbe {
    private StreamProbe() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder BO = ByteOrder.nativeOrder();
    static double sink;

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray()
                : new long[] {1L << 20, 1L << 24};
        System.out.println("# StreamProbe (Java, Vector API " + F.vectorBitSize() + "-bit, f32 MemorySegments), load "
                + KernelProbe.load());
        for (long n : sizes) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment a = arena.allocate(n * 4, 64);
                MemorySegment b = arena.allocate(n * 4, 64);
                MemorySegment c = arena.allocate(n * 4, 64);
                for (long i = 0; i < n; i++) {
                    a.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, 1f);
                    b.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, 2f);
                    c.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, 0f);
                }
                report("copy", n, 8, reps, () -> copy(n, a, c));
                report("scale", n, 8, reps, () -> scale(n, 3f, c, b));
                report("add", n, 12, reps, () -> add(n, a, b, c));
                report("triad", n, 12, reps, () -> triad(n, 3f, b, c, a));
                report("read", n, 4, reps, () -> sink += read(n, a));
            }
        }
    }

    private static void report(String name, long n, int bytesPerElem, int reps, Runnable r) {
        // warm-up: until C2 has the loop (several hundred ms of passes)
        long end = System.nanoTime() + 1_500_000_000L;
        int w = 0;
        while (System.nanoTime() < end || w < 20) {
            r.run();
            w++;
        }
        double[] t = new double[reps];
        double[] c = new double[reps];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < reps; i++) {
            // a pass of the small size is short: time several together so the clock is not the limit
            int inner = (int) Math.max(1, (1L << 24) / n);
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int k = 0; k < inner; k++) {
                r.run();
            }
            t[i] = (System.nanoTime() - t0) / 1e9 / inner;
            c[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e9 / inner;
        }
        Arrays.sort(t);
        Arrays.sort(c);
        double bytes = (double) n * bytesPerElem;
        // wall: best and median; thread-CPU time (leaves out waits for a core on a shared machine)
        System.out.println(String.format(Locale.ROOT,
                "java   %-6s n=%-9d wall best %6.1f median %6.1f GB/s (spread %4.0f%%)  cpu best %6.1f median %6.1f GB/s"
                        + " (spread %4.0f%%)  load %s",
                name, n, bytes / t[0] / 1e9, bytes / t[reps / 2] / 1e9, 100 * (t[reps - 1] - t[0]) / t[reps / 2],
                bytes / c[0] / 1e9, bytes / c[reps / 2] / 1e9, 100 * (c[reps - 1] - c[0]) / c[reps / 2],
                KernelProbe.load()));
    }

    static void copy(long n, MemorySegment a, MemorySegment c) {
        long ub = F.loopBound(n);
        for (long i = 0; i < ub; i += F.length()) {
            FloatVector.fromMemorySegment(F, a, i << 2, BO).intoMemorySegment(c, i << 2, BO);
        }
    }

    static void scale(long n, float s, MemorySegment c, MemorySegment b) {
        long ub = F.loopBound(n);
        for (long i = 0; i < ub; i += F.length()) {
            FloatVector.fromMemorySegment(F, c, i << 2, BO).mul(s).intoMemorySegment(b, i << 2, BO);
        }
    }

    static void add(long n, MemorySegment a, MemorySegment b, MemorySegment c) {
        long ub = F.loopBound(n);
        for (long i = 0; i < ub; i += F.length()) {
            FloatVector.fromMemorySegment(F, a, i << 2, BO).add(FloatVector.fromMemorySegment(F, b, i << 2, BO))
                    .intoMemorySegment(c, i << 2, BO);
        }
    }

    static void triad(long n, float s, MemorySegment b, MemorySegment c, MemorySegment a) {
        long ub = F.loopBound(n);
        FloatVector sv = FloatVector.broadcast(F, s);
        for (long i = 0; i < ub; i += F.length()) {
            FloatVector.fromMemorySegment(F, c, i << 2, BO).fma(sv, FloatVector.fromMemorySegment(F, b, i << 2, BO))
                    .intoMemorySegment(a, i << 2, BO);
        }
    }

    /** Sum with four accumulators (a read-only stream, as a reduction); lanes added at the end. */
    static float read(long n, MemorySegment a) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        long step = 4L * F.length();
        long ub = n - n % step;
        for (long i = 0; i < ub; i += step) {
            long o = i << 2;
            s0 = s0.add(FloatVector.fromMemorySegment(F, a, o, BO));
            s1 = s1.add(FloatVector.fromMemorySegment(F, a, o + F.vectorByteSize(), BO));
            s2 = s2.add(FloatVector.fromMemorySegment(F, a, o + 2L * F.vectorByteSize(), BO));
            s3 = s3.add(FloatVector.fromMemorySegment(F, a, o + 3L * F.vectorByteSize(), BO));
        }
        return s0.add(s1).add(s2.add(s3)).lane(0);
    }
}
