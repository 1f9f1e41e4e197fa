package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void callWithSetsTheDefaultFacadesThreadsForOneCallOnly() throws InterruptedException {
        Parallel outside = Kernels.get().parallel();
        Parallel mine = Parallel.of(Runnable::run, 3);
        Parallel seen = Parallel.callWith(mine, () -> Kernels.get().parallel());
        assertSame(mine, seen);
        assertSame(outside, Kernels.get().parallel(), "the setting must end with the call");
        // nested: the innermost wins, the outer comes back
        Parallel inner = Parallel.sequential();
        Parallel[] got = new Parallel[2];
        Parallel.callWith(mine, () -> {
            got[0] = Parallel.callWith(inner, () -> Kernels.get().parallel());
            got[1] = Kernels.get().parallel();
            return null;
        });
        assertSame(inner, got[0]);
        assertSame(mine, got[1]);
        // another thread does not see it
        Parallel[] other = new Parallel[1];
        Parallel.<Object, InterruptedException>callWith(mine, () -> {
            Thread t = Thread.ofPlatform().start(() -> other[0] = Kernels.get().parallel());
            t.join();
            return null;
        });
        assertSame(outside, other[0]);
    }

    @Test
    void explicitFacadesKeepTheirOwnSetting() {
        Kernels fixed = Kernels.get().withParallel(Parallel.sequential());
        Parallel seen = Parallel.callWith(Parallel.of(Runnable::run, 4), fixed::parallel);
        assertSame(Parallel.sequential(), seen);
    }

    @Test
    void gemmRunsOnTheScopedExecutorAndGivesTheSameResult() {
        long seed = new SplittableRandom().nextLong();
        System.out.println("ParallelTest seed " + seed);
        SplittableRandom g = new SplittableRandom(seed);
        int m = 96, k = 200, n = 160;
        float[] av = new float[m * k];
        float[] bv = new float[k * n];
        for (int i = 0; i < av.length; i++) {
            av[i] = (float) g.nextDouble(-1, 1);
        }
        for (int i = 0; i < bv.length; i++) {
            bv[i] = (float) g.nextDouble(-1, 1);
        }
        Buffer a = Buffer.of(av, m, k);
        Buffer b = Buffer.of(bv, k, n);
        Buffer c1 = Buffer.zeros(DType.F32, m, n);
        Kernels.get().withParallel(Parallel.sequential()).matmul(a, b, c1);
        AtomicInteger ran = new AtomicInteger();
        Executor counting = r -> {
            ran.incrementAndGet();
            Thread.ofPlatform().start(r);
        };
        Buffer c2 = Buffer.zeros(DType.F32, m, n);
        Parallel.callWith(Parallel.of(counting, 2), () -> Kernels.get().matmul(a, b, c2));
        assertTrue(ran.get() > 0, "the GEMM did not use the scoped executor (seed " + seed + ")");
        assertArrayEquals(c1.toFloatArray(), c2.toFloatArray(), "seed " + seed);
    }

    @Test
    void callWithRejectsNull() {
        var e = assertThrows(NullPointerException.class, () -> Parallel.callWith(null, () -> 1));
        assertEquals("parallel", e.getMessage());
    }
}
