package io.vecgrad.spark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The all-reduce of one training step: every task's payload (a small header, then its gradient
 * elements, little-endian) reaches every task through a {@link Transport}, and each task forms the
 * weighted sum {@code sum_r w_r * g_r} in float64, adding the ranks in the fixed order
 * 0, 1, ..., N-1. Every task holds the same bytes and runs the same arithmetic, so every replica
 * gets a bit-identical result.
 */
final class GradientExchange {
    /** Header slots before the gradient: local mean loss (f64), local correct count (f64), parameter hash (i64). */
    static final int HEADER = 3;
    static final int HEADER_BYTES = HEADER * 8;
    /** Wire layouts: little-endian whatever the host, so mixed clusters agree. */
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Transport transport;
    private byte[][] all;
    private long bytesSent;

    GradientExchange(Transport transport) {
        this.transport = transport;
    }

    /** Messages sent so far. */
    long messages() {
        return transport.messages();
    }

    /** Payload bytes this task has contributed so far. */
    long bytesSent() {
        return bytesSent;
    }

    /**
     * Exchanges {@code payload} (the header, then gradient values of {@code elementBytes} each)
     * and writes into {@code sum} the weighted sum of every rank's gradient, into
     * {@code headers[r]} rank r's loss and correct count and into {@code hashes[r]} its hash.
     *
     * @param weights one weight per rank (the same array on every task)
     */
    void allReduce(byte[] payload, int elementBytes, double[] weights, double[] sum, double[][] headers,
                   long[] hashes) throws IOException {
        int n = weights.length;
        if (all == null) {
            all = new byte[n][payload.length];
        }
        transport.gather(payload, all);
        bytesSent += payload.length;
        java.util.Arrays.fill(sum, 0.0);
        for (int r = 0; r < n; r++) { // fixed rank order: the same sums on every replica
            MemorySegment seg = MemorySegment.ofArray(all[r]);
            headers[r][0] = seg.get(F64, 0);
            headers[r][1] = seg.get(F64, 8);
            hashes[r] = seg.get(I64, 16);
            double w = weights[r];
            int len = all[r].length;
            int i = 0;
            if (elementBytes == Double.BYTES) {
                for (int pos = HEADER_BYTES; pos < len; pos += 8, i++) {
                    sum[i] += w * seg.get(F64, pos);
                }
            } else {
                for (int pos = HEADER_BYTES; pos < len; pos += 4, i++) {
                    sum[i] += w * seg.get(F32, pos);
                }
            }
        }
    }
}
