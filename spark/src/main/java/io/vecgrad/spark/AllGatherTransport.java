package io.vecgrad.spark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Base64;

/**
 * Payloads through {@code BarrierTaskContext.allGather}: base64 strings via the driver's barrier
 * coordinator, in chunks small enough that the coordinator's reply (N chunks) stays under
 * {@code spark.rpc.message.maxSize}. Simple and failure-safe, but Spark 4.2's barrier client polls
 * for the reply once a second, so every exchange costs about a second: fine for setup, far too
 * slow per training step (measured; see {@link SparkTrainer.Exchange}).
 */
final class AllGatherTransport implements Transport {
    /** The collective: Spark's barrier allGather, or a stand-in in tests. */
    @FunctionalInterface
    interface Gatherer {
        /** Every task's message, indexed by rank; blocks until all tasks have sent theirs. */
        String[] allGather(String message);
    }

    private final Gatherer gatherer;
    private final int chunkBytes;
    private final int rank;
    private final Base64.Encoder enc = Base64.getEncoder();
    private final Base64.Decoder dec = Base64.getDecoder();
    private long messages;

    /**
     * @param chunkBytes the largest payload slice per message (at least 1)
     * @param rank       this task's index in the payload arrays
     */
    AllGatherTransport(Gatherer gatherer, int chunkBytes, int rank) {
        this.gatherer = gatherer;
        this.chunkBytes = Math.max(1, chunkBytes);
        this.rank = rank;
    }

    @Override
    public void gather(MemorySegment[] all, long offset, long length) throws IOException {
        MemorySegment mine = all[rank].asSlice(offset, length);
        for (long from = 0; from < length || from == 0; from += chunkBytes) {
            long to = Math.min(length, from + chunkBytes);
            byte[] part0 = mine.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE);
            String[] got = gatherer.allGather(enc.encodeToString(part0));
            messages++;
            if (got.length != all.length) {
                throw new IOException("allGather returned " + got.length + " messages, expected one per task (" + all.length + ")");
            }
            for (int r = 0; r < all.length; r++) {
                byte[] part = dec.decode(got[r]);
                if (part.length != to - from) {
                    throw new IOException("task " + r + " sent " + part.length + " bytes for payload range ["
                            + (offset + from) + ", " + (offset + to) + "): the replicas disagree on the model's size");
                }
                MemorySegment.copy(MemorySegment.ofArray(part), 0, all[r], offset + from, part.length);
            }
            if (length == 0) {
                break;
            }
        }
    }

    @Override
    public long messages() {
        return messages;
    }
}
