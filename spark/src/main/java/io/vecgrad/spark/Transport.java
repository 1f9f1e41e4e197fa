package io.vecgrad.spark;

import java.io.Closeable;
import java.io.IOException;

/**
 * How the tasks of a training job see each other's payloads: after {@link #gather}, every task
 * holds every task's bytes, in rank order. Two kinds: {@link AllGatherTransport} (through Spark's
 * barrier coordinator) and {@link RingTransport} (task-to-task sockets); {@link SparkTrainer}
 * uses the ring (see {@link SparkTrainer.Exchange} for the measurement behind the choice).
 */
interface Transport extends Closeable {
    /**
     * Sends {@code mine} and fills {@code all[r]} with task r's payload ({@code all[rank]} is
     * {@code mine}). Every task's payload has the same length.
     *
     * @throws IOException if a peer is gone or sent something else
     */
    void gather(byte[] mine, byte[][] all) throws IOException;

    /** Messages this task has sent. */
    long messages();

    @Override
    default void close() throws IOException {}
}
