package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.spi.UpdateKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The split elementwise passes and optimizer updates: bit-identical to one thread at 2 and 3
 * shares (odd sizes, offset views, in place), really run on other threads, fixed aligned
 * boundaries, failures reported, confined memory kept on its thread.
 */
class SplitterTest {
    static final long SEED = 20261202L;
    static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "splitter-test");
        t.setDaemon(true);
        return t;
    });

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    static float[] rand(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 3);
        }
        return v;
    }

    static void assertBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + ": element " + i + " differs: " + want[i] + " vs " + got[i]
                        + " (seed " + SEED + ")");
            }
        }
    }

    @Test
    void boundariesAreAlignedAndCoverTheRange() {
        for (long n : new long[] {0, 1, 255, 256, 1000, 140_001, 1L << 20, 16_777_217}) {
            for (int k = 1; k <= 5; k++) {
                assertEquals(0, Splitter.bound(n, 0, k));
                assertEquals(n, Splitter.bound(n, k, k));
                for (int s = 1; s < k; s++) {
                    long b = Splitter.bound(n, s, k);
                    assertEquals(0, b % Splitter.ALIGN, "n " + n + " k " + k + " s " + s);
                    assertTrue(b >= Splitter.bound(n, s - 1, k) && b <= n, "n " + n + " k " + k + " s " + s);
                }
            }
        }
    }

    @Test
    void elementwisePassesAreBitIdenticalAtAnyThreadCount() {
        System.out.println("SplitterTest seed " + SEED);
        SplittableRandom r = new SplittableRandom(SEED);
        Kernels one = Kernels.get().withParallel(Parallel.sequential());
        for (int n : new int[] {140_001, 300_007}) {
            // offset views: element 3 onwards of a longer buffer
            Buffer a = Buffer.of(rand(r, n + 3), n + 3).narrow(0, 3, n);
            Buffer b = Buffer.of(rand(r, n + 5), n + 5).narrow(0, 5, n);
            for (int threads : new int[] {2, 3}) {
                Kernels k = Kernels.get().withParallel(Parallel.of(POOL, threads));
                String w = "n " + n + ", " + threads + " threads, ";
                Buffer want = Buffer.zeros(DType.F32, n);
                Buffer got = Buffer.zeros(DType.F32, n);
                assertBits(one.exp(a, want).toFloatArray(), k.exp(a, got).toFloatArray(), w + "exp");
                assertBits(one.tanh(a, want).toFloatArray(), k.tanh(a, got).toFloatArray(), w + "tanh");
                assertBits(one.sigmoid(a, want).toFloatArray(), k.sigmoid(a, got).toFloatArray(), w + "sigmoid");
                assertBits(one.relu(a, want).toFloatArray(), k.relu(a, got).toFloatArray(), w + "relu");
                assertBits(one.add(a, b, want).toFloatArray(), k.add(a, b, got).toFloatArray(), w + "add");
                assertBits(one.mul(a, b, want).toFloatArray(), k.mul(a, b, got).toFloatArray(), w + "mul");
                assertBits(one.div(a, b, want).toFloatArray(), k.div(a, b, got).toFloatArray(), w + "div");
                // in place
                Buffer x1 = Buffer.of(a.toFloatArray(), n);
                Buffer x2 = Buffer.of(a.toFloatArray(), n);
                one.exp(x1, x1);
                k.exp(x2, x2);
                assertBits(x1.toFloatArray(), x2.toFloatArray(), w + "exp in place");
            }
        }
    }

    @Test
    void sharesRunOnOtherThreads() {
        Splitter sp = Parallel.of(POOL, 2).splitter();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        long[] covered = new long[1];
        sp.run((from, to) -> {
            seen.add(Thread.currentThread().getName());
            synchronized (covered) {
                covered[0] += to - from;
            }
        }, 1 << 20, 1 << 10);
        assertEquals(1 << 20, covered[0]);
        assertEquals(2, seen.size(), "expected the caller and a pool thread, got " + seen);
        // below the threshold: one share, on the caller
        seen.clear();
        sp.run((from, to) -> seen.add(Thread.currentThread().getName()), 1000, 1 << 10);
        assertEquals(Set.of(Thread.currentThread().getName()), seen);
    }

    @Test
    void aFailingShareIsReportedAndTheSplitterStaysUsable() {
        Splitter sp = Parallel.of(POOL, 2).splitter();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sp.run((from, to) -> {
            if (from > 0) {
                throw new IllegalStateException("share at " + from);
            }
        }, 1 << 20, 1 << 10));
        assertTrue(e.getMessage().startsWith("share at "), e.getMessage());
        long[] covered = new long[1];
        sp.run((from, to) -> {
            synchronized (covered) {
                covered[0] += to - from;
            }
        }, 1 << 20, 1 << 10);
        assertEquals(1 << 20, covered[0]);
    }

    @Test
    void confinedMemoryIsNotSplit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4L << 20, 64);
            assertTrue(!Splitter.shareable(s));
            assertTrue(Splitter.shareable(Arena.ofAuto().allocate(64)));
            assertTrue(Splitter.shareable(MemorySegment.ofArray(new float[4])));
            // an update on confined memory with two threads still works (on the caller)
            UpdateKernels split = Updates.split(Updates.scalar(), Parallel.of(POOL, 2));
            long n = 1 << 18;
            MemorySegment p = arena.allocate(n * 4, 64);
            MemorySegment g = arena.allocate(n * 4, 64);
            MemorySegment buf = arena.allocate(n * 4, 64);
            for (long i = 0; i < n; i++) {
                g.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
            }
            split.sgd(DType.F32, n, p, 0, g, 0, buf, 0, 0.5, 0.9, 0, 0, false, true);
            assertEquals(-0.5f, p.getAtIndex(ValueLayout.JAVA_FLOAT, n - 1));
        }
    }

    @Test
    void optimizerUpdatesAreBitIdenticalAtAnyThreadCount() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        UpdateKernels base = Kernels.get().provider().vectorBits() > 0 ? Updates.vector() : Updates.scalar();
        assertSame(base, Updates.split(base, Parallel.sequential()));
        int n = 200_711;
        float[] p0 = rand(r, n);
        float[] g0 = rand(r, n);
        for (int threads : new int[] {2, 3}) {
            UpdateKernels split = Updates.split(base, Parallel.of(POOL, threads));
            for (boolean ams : new boolean[] {false, true}) {
                float[][] want = adam(base, p0, g0, ams);
                float[][] got = adam(split, p0, g0, ams);
                for (int s = 0; s < want.length; s++) {
                    assertBits(want[s], got[s], threads + " threads, adam amsgrad=" + ams + ", slot " + s);
                }
            }
            for (boolean nesterov : new boolean[] {false, true}) {
                float[][] want = sgd(base, p0, g0, nesterov);
                float[][] got = sgd(split, p0, g0, nesterov);
                for (int s = 0; s < want.length; s++) {
                    assertBits(want[s], got[s], threads + " threads, sgd nesterov=" + nesterov + ", slot " + s);
                }
            }
        }
    }

    private static MemorySegment seg(float[] v) {
        MemorySegment s = Arena.ofAuto().allocate(v.length * 4L, 64);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
        return s;
    }

    private static float[] arr(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Three Adam steps from the same start; returns p, m, v (and vmax). */
    private static float[][] adam(UpdateKernels k, float[] p0, float[] g0, boolean ams) {
        int n = p0.length - 7;
        MemorySegment p = seg(p0);
        MemorySegment g = seg(g0);
        MemorySegment m = seg(new float[p0.length]);
        MemorySegment v = seg(new float[p0.length]);
        MemorySegment vmax = ams ? seg(new float[p0.length]) : null;
        for (long step = 1; step <= 3; step++) {
            // offset 7 (not a multiple of a vector) to check that shares keep the caller's offsets
            k.adam(DType.F32, n, p, 7, g, 7, m, 7, v, 7, vmax, 7, 1e-3, 0.9, 0.999, 1e-8, 0.01, step == 2, step);
        }
        return ams ? new float[][] {arr(p), arr(m), arr(v), arr(vmax)} : new float[][] {arr(p), arr(m), arr(v)};
    }

    private static float[][] sgd(UpdateKernels k, float[] p0, float[] g0, boolean nesterov) {
        MemorySegment p = seg(p0);
        MemorySegment g = seg(g0);
        MemorySegment buf = seg(new float[p0.length]);
        for (int step = 1; step <= 3; step++) {
            k.sgd(DType.F32, p0.length, p, 0, g, 0, buf, 0, 0.01, 0.9, 0, 1e-4, nesterov, step == 1);
        }
        return new float[][] {arr(p), arr(buf)};
    }

    @Test
    void defaultUpdatesFollowTheScopedThreadSetting() throws Exception {
        // Updates.get() looks the setting up at each call: a scope with two threads hands a
        // share to its executor, a sequential scope (a Spark task's) never does
        java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor counting = r -> {
            handed.incrementAndGet();
            POOL.execute(r);
        };
        long n = 1 << 17;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment p = arena.allocate(n * 4, 64);
            MemorySegment g = arena.allocate(n * 4, 64);
            MemorySegment buf = arena.allocate(n * 4, 64);
            UpdateKernels u = Updates.get();
            Parallel.callWith(Parallel.of(counting, 2), () -> {
                u.sgd(DType.F32, n, p, 0, g, 0, buf, 0, 0.1, 0.9, 0, 0, false, true);
                return null;
            });
            assertTrue(handed.get() > 0, "a two-thread scope splits the update");
            handed.set(0);
            Parallel.callWith(Parallel.sequential(), () -> {
                u.sgd(DType.F32, n, p, 0, g, 0, buf, 0, 0.1, 0.9, 0, 0, false, false);
                u.adam(DType.F32, n, p, 0, g, 0, buf, 0, g, 0, null, 0, 1e-3, 0.9, 0.999, 1e-8, 0, false, 1);
                return null;
            });
            assertEquals(0, handed.get(), "a sequential scope keeps the update on its thread");
        }
    }
}
