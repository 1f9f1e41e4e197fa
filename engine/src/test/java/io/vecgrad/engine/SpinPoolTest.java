package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SpinPoolTest {
    @Test
    void aTaskRunsOnAWorkerWhenOneIsIdle() throws Exception {
        for (long spin : new long[] {0, 1_000_000}) { // parks at once / spins first
            SpinPool pool = new SpinPool(1, "spin-test-a-" + spin + "-", spin);
            for (int round = 0; round < 50; round++) {
                AtomicReference<Thread> ran = new AtomicReference<>();
                CountDownLatch done = new CountDownLatch(1);
                waitIdle(pool);
                pool.execute(() -> {
                    ran.set(Thread.currentThread());
                    done.countDown();
                });
                assertTrue(done.await(10, TimeUnit.SECONDS), "spin " + spin + " round " + round);
                assertNotEquals(Thread.currentThread(), ran.get());
                assertTrue(ran.get().getName().startsWith("spin-test-a-"), ran.get().getName());
            }
        }
    }

    @Test
    void aBusyPoolRunsTheTaskOnTheCaller() throws Exception {
        SpinPool pool = new SpinPool(1, "spin-test-b-", 1_000_000);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            await(release);
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        AtomicReference<Thread> ran = new AtomicReference<>();
        pool.execute(() -> ran.set(Thread.currentThread()));
        assertSame(Thread.currentThread(), ran.get(), "the only worker is busy: the caller runs it");
        release.countDown();
    }

    @Test
    void nestedUseFromAWorkerRunsInlineAndNeverDeadlocks() throws Exception {
        SpinPool pool = new SpinPool(1, "spin-test-c-", 1_000_000);
        AtomicReference<Thread> outer = new AtomicReference<>();
        AtomicReference<Thread> inner = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        waitIdle(pool);
        pool.execute(() -> {
            outer.set(Thread.currentThread());
            pool.execute(() -> inner.set(Thread.currentThread()));
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertSame(outer.get(), inner.get());
    }

    @Test
    void aThrowingTaskGoesToTheHandlerAndTheWorkerGoesOn() throws Exception {
        SpinPool pool = new SpinPool(1, "spin-test-d-", 0);
        AtomicReference<Throwable> reported = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (t.getName().startsWith("spin-test-d-")) {
                reported.set(e);
                handled.countDown();
            } else if (previous != null) {
                previous.uncaughtException(t, e);
            }
        });
        try {
            waitIdle(pool);
            pool.execute(() -> {
                throw new IllegalStateException("boom");
            });
            assertTrue(handled.await(10, TimeUnit.SECONDS));
            assertEquals("boom", reported.get().getMessage());
            CountDownLatch next = new CountDownLatch(1);
            AtomicReference<Thread> ran = new AtomicReference<>();
            waitIdle(pool);
            pool.execute(() -> {
                ran.set(Thread.currentThread());
                next.countDown();
            });
            assertTrue(next.await(10, TimeUnit.SECONDS));
            assertNotEquals(Thread.currentThread(), ran.get());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void everyTaskFromConcurrentCallersRunsExactlyOnce() throws Exception {
        SpinPool pool = new SpinPool(2, "spin-test-e-", 200_000);
        int callers = 4;
        int perCaller = 20_000;
        AtomicInteger runs = new AtomicInteger();
        Thread[] ts = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            ts[c] = new Thread(() -> {
                for (int i = 0; i < perCaller; i++) {
                    pool.execute(runs::incrementAndGet);
                }
            });
            ts[c].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runs.get() < callers * perCaller && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(callers * perCaller, runs.get());
    }

    @Test
    void closeStopsTheWorkersAndRejectsLaterTasks() throws Exception {
        SpinPool pool = new SpinPool(2, "spin-test-f-", 1_000_000);
        CountDownLatch ran = new CountDownLatch(1);
        waitIdle(pool);
        pool.execute(ran::countDown);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        pool.close();
        pool.close(); // idempotent
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> pool.execute(() -> { }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workersAlive("spin-test-f-") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(!workersAlive("spin-test-f-"), "workers still alive after close");
    }

    private static boolean workersAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThrows(IllegalArgumentException.class, () -> new SpinPool(0, "x-", 0));
        String old = System.getProperty("vecgrad.spin.micros");
        try {
            System.setProperty("vecgrad.spin.micros", "-3");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SpinPool::configuredSpinNanos);
            assertTrue(e.getMessage().contains("vecgrad.spin.micros") && e.getMessage().contains("-3"), e.getMessage());
            System.setProperty("vecgrad.spin.micros", "250");
            assertEquals(250_000, SpinPool.configuredSpinNanos());
        } finally {
            if (old == null) {
                System.clearProperty("vecgrad.spin.micros");
            } else {
                System.setProperty("vecgrad.spin.micros", old);
            }
        }
    }

    /** Waits until the pool's workers have finished their last task (so the next one is handed over). */
    private static void waitIdle(SpinPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pool.idle() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(pool.idle(), "pool did not become idle");
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
