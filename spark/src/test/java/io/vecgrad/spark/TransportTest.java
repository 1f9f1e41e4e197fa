package io.vecgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/** The allGather transport's chunking, over an in-process stand-in for Spark's barrier allGather. */
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

    @Test
    void chunkedAllGatherDeliversEveryPayloadInRankOrder() throws Exception {
        long seed = 99;
        System.out.println("seed " + seed);
        int n = 3;
        int len = 1000; // not a multiple of the chunk: the last chunk is short
        byte[][] mine = new byte[n][len];
        SplittableRandom g = new SplittableRandom(seed);
        for (byte[] m : mine) {
            for (int i = 0; i < len; i++) {
                m[i] = (byte) g.nextInt();
            }
        }
        FakeBarrier fb = new FakeBarrier(n);
        byte[][][] got = new byte[n][n][len];
        long[] messages = new long[n];
        Thread[] ts = new Thread[n];
        for (int r = 0; r < n; r++) {
            int rank = r;
            ts[r] = new Thread(() -> {
                AllGatherTransport t = new AllGatherTransport(m -> fb.allGather(rank, m), 96);
                try {
                    t.gather(mine[rank], got[rank]);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                messages[rank] = t.messages();
            });
            ts[r].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (int r = 0; r < n; r++) {
            assertEquals(11, messages[r], "ceil(1000 / 96) messages");
            for (int s = 0; s < n; s++) {
                assertArrayEquals(mine[s], got[r][s], "task " + r + " holds task " + s + "'s payload");
            }
        }
    }
}
