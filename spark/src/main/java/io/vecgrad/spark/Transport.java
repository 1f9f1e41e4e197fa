package io.vecgrad.spark;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * How the tasks of a training job see each other's payloads: after {@link #gather}, every task
 * holds every task's bytes of a range, in rank order. Two kinds: {@link AllGatherTransport}
 * (through Spark's barrier coordinator) and {@link RingTransport} (task-to-task sockets);
 * {@link SparkTrainer} uses the ring (see {@link SparkTrainer.Exchange} for the measurement
 * behind the choice).
 */
interface Transport extends Closeable {
    /**
     * Sends bytes {@code [offset, offset + length)} of {@code all[rank]} and fills the same range
     * of every other {@code all[r]} with task r's bytes. Every task passes the same offsets and
     * lengths in the same order; the segments keep their identity from call to call (so a
     * transport may keep views of them). A transport with {@link #payloadSets} 2 may instead
     * replace {@code all[r]} (r other than the caller's rank) by task r's own segment.
     *
     * @throws IOException if a peer is gone or sent something else
     */
    void gather(MemorySegment[] all, long offset, long length) throws IOException;

    /**
     * Payload sets the caller must alternate between steps: 1 (the default) when {@link #gather}
     * copies the bytes, 2 when it may point {@code all[r]} at task r's own segment (shared
     * memory): a task then writes step k + 1's payload into the other set while a slower peer may
     * still read step k's, and cannot reach step k + 2 before every peer has finished step k.
     */
    default int payloadSets() {
        return 1;
    }

    /** Messages this task has sent. */
    long messages();

    @Override
    default void close() throws IOException {}
}
