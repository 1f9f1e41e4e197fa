package io.vecgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * The transports: allGather chunking over an in-process stand-in for Spark's barrier allGather,
 * the socket ring, and the shared-memory exchange of tasks in one JVM.
 */
class TransportTest {
    /** N threads meeting at a barrier: each gets every thread's message in rank order. */
    static final class FakeBarrier {
        final int n;
        final CyclicBarrier in;
        final CyclicBarrier out;
        final AtomicReferenceArray<String> slots;
        final List<Integer> sizes = new ArrayList<>();

        FakeBarrier(int n) {
            this.n = n;
            this.in = new CyclicBarrier(n, () -> sizes.add(0));
            this.out = new CyclicBarrier(n);
            this.slots = new AtomicReferenceArray<>(n);
        }

        String[] allGather(int rank, String message) {
            try {
                slots.set(rank, message);
                in.await();
                String[] all = new String[n];
                for (int r = 0; r < n; r++) {
                    all[r] = slots.get(r);
                }
                out.await();
                return all;
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Each task's view: its own payload filled in, the others' zero. */
    private static MemorySegment[][] views(byte[][] mine, Arena arena) {
        int n = mine.length;
        MemorySegment[][] v = new MemorySegment[n][n];
        for (int r = 0; r < n; r++) {
            for (int s = 0; s < n; s++) {
                v[r][s] = arena.allocate(mine[s].length);
            }
            MemorySegment.copy(MemorySegment.ofArray(mine[r]), 0, v[r][r], 0, mine[r].length);
        }
        return v;
    }

    private static byte[][] payloads(long seed, int n, int len) {
        System.out.println("TransportTest seed " + seed);
        byte[][] mine = new byte[n][len];
        SplittableRandom g = new SplittableRandom(seed);
        for (byte[] m : mine) {
            for (int i = 0; i < len; i++) {
                m[i] = (byte) g.nextInt();
            }
        }
        return mine;
    }

    /** Runs body(rank) on n threads and rethrows the first failure. */
    private static void onThreads(int n, IntConsumerIO body) throws Exception {
        Thread[] ts = new Thread[n];
        Throwable[] failed = new Throwable[n];
        for (int r = 0; r < n; r++) {
            int rank = r;
            ts[r] = new Thread(() -> {
                try {
                    body.accept(rank);
                } catch (Throwable e) {
                    failed[rank] = e;
                }
            });
            ts[r].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (Throwable f : failed) {
            if (f != null) {
                throw new AssertionError(f);
            }
        }
    }

    @FunctionalInterface
    interface IntConsumerIO {
        void accept(int rank) throws Exception;
    }

    @Test
    void chunkedAllGatherDeliversEveryPayloadInRankOrder() throws Exception {
        int n = 3;
        int len = 1000; // not a multiple of the chunk: the last chunk is short
        byte[][] mine = payloads(99, n, len);
        FakeBarrier fb = new FakeBarrier(n);
        long[] messages = new long[n];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment[][] got = views(mine, arena);
            onThreads(n, rank -> {
                AllGatherTransport t = new AllGatherTransport(m -> fb.allGather(rank, m), 96, rank);
                t.gather(got[rank], 0, len);
                messages[rank] = t.messages();
            });
            for (int r = 0; r < n; r++) {
                assertEquals(11, messages[r], "ceil(1000 / 96) messages");
                for (int s = 0; s < n; s++) {
                    assertArrayEquals(mine[s], got[r][s].toArray(ValueLayout.JAVA_BYTE), "task " + r + " holds task " + s + "'s payload");
                }
            }
        }
    }

    @Test
    void ringDeliversEveryRangeOfEveryPayloadInRankOrder() throws Exception {
        int n = 3;
        int len = 3 * 1024 * 1024 + 7; // larger than socket buffers: both directions must flow at once
        long[] cuts = {0, 24, 500_000, len}; // three ranges, sent in order, as the buckets are
        byte[][] mine = payloads(7, n, len);
        long token = 12345;
        ServerSocketChannel[] servers = new ServerSocketChannel[n];
        int[] ports = new int[n];
        String[] hosts = new String[n];
        for (int r = 0; r < n; r++) {
            servers[r] = RingTransport.listen();
            ports[r] = ((InetSocketAddress) servers[r].getLocalAddress()).getPort();
            hosts[r] = "127.0.0.1";
        }
        long[] messages = new long[n];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment[][] got = views(mine, arena);
            onThreads(n, rank -> {
                try (RingTransport t = RingTransport.connect(rank, n, hosts, ports, token, servers[rank], 30_000)) {
                    for (int c = 0; c + 1 < cuts.length; c++) {
                        t.gather(got[rank], cuts[c], cuts[c + 1] - cuts[c]);
                    }
                    messages[rank] = t.messages();
                }
            });
            for (int r = 0; r < n; r++) {
                assertEquals(3 * (n - 1), messages[r], "n - 1 messages per range");
                for (int s = 0; s < n; s++) {
                    assertArrayEquals(mine[s], got[r][s].toArray(ValueLayout.JAVA_BYTE), "task " + r + " holds task " + s + "'s payload");
                }
            }
        }
    }

    @Test
    void sharedMemoryGivesEveryTaskEveryPayloadOnAlternatingSets() throws Exception {
        int n = 3;
        int len = 100_003;
        long[] cuts = {0, 24, 40_000, len};
        int steps = 5;
        byte[][][] mine = new byte[steps][][];
        for (int k = 0; k < steps; k++) {
            mine[k] = payloads(31 + k, n, len);
        }
        String job = "test-" + System.nanoTime();
        long[] messages = new long[n];
        try (Arena arena = Arena.ofShared()) {
            // per task: two payload sets (even, odd steps), as GradientExchange holds them
            MemorySegment[][][] sets = new MemorySegment[n][2][n];
            for (int r = 0; r < n; r++) {
                for (int p = 0; p < 2; p++) {
                    for (int s = 0; s < n; s++) {
                        sets[r][p][s] = arena.allocate(len);
                    }
                }
            }
            AssertionError[] wrong = new AssertionError[1];
            onThreads(n, rank -> {
                try (LocalTransport t = LocalTransport.join(job, rank, n)) {
                    assertEquals(2, t.payloadSets());
                    for (int k = 0; k < steps; k++) {
                        MemorySegment[] all = sets[rank][k % 2];
                        MemorySegment.copy(MemorySegment.ofArray(mine[k][rank]), 0, all[rank], 0, len);
                        for (int c = 0; c + 1 < cuts.length; c++) {
                            t.gather(all, cuts[c], cuts[c + 1] - cuts[c]);
                        }
                        for (int s = 0; s < n; s++) { // read before the next step may overwrite
                            byte[] got = all[s].toArray(ValueLayout.JAVA_BYTE);
                            if (!java.util.Arrays.equals(mine[k][s], got)) {
                                wrong[0] = new AssertionError("step " + k + ": task " + rank + " holds a wrong payload of task " + s);
                            }
                        }
                    }
                    messages[rank] = t.messages();
                }
            });
            if (wrong[0] != null) {
                throw wrong[0];
            }
            for (int r = 0; r < n; r++) {
                assertEquals(3L * steps, messages[r], "one message per range");
            }
        }
    }

    @Test
    void sharedMemoryFailsAWaitingTaskWhenItsPeerStops() throws Exception {
        String job = "test-stop-" + System.nanoTime();
        try (Arena arena = Arena.ofShared();
             LocalTransport a = LocalTransport.join(job, 0, 2)) {
            LocalTransport b = LocalTransport.join(job, 1, 2);
            MemorySegment[] all = {arena.allocate(64), arena.allocate(64)};
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                b.close(); // task 1 fails before its gather
            });
            stopper.start();
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> a.gather(all, 0, 64));
            stopper.join();
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("task 1"), e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> LocalTransport.join(job, 0, 2),
                    "a rank joins a job once");
        }
    }
}
