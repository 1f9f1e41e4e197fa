package io.vecgrad.bench;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One measurement of a non-JMH peer (the PyTorch script): the JMH benchmark it pairs with
 * ({@code Class.method}, {@code @Param} values without {@code impl}), the number of threads it
 * ran on, and the median and quartiles of its per-call times in microseconds.
 *
 * @param peer    peer name, e.g. {@code pytorch}
 * @param bench   {@code Class.method} of the JMH benchmark this pairs with
 * @param params  the JMH params it pairs with (no {@code impl})
 * @param threads intra-op threads the peer used
 * @param us      median time per operation, µs
 * @param p25     25th percentile, µs
 * @param p75     75th percentile, µs
 * @param reps    number of timed calls
 */
public record PeerResult(String peer, String bench, SortedMap<String, String> params, int threads,
                         double us, double p25, double p75, long reps) {
    public PeerResult {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(bench, "bench");
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    public PeerResult(String peer, String bench, Map<String, String> params, int threads, double us, double p25,
                      double p75, long reps) {
        this(peer, bench, new TreeMap<>(params), threads, us, p25, p75, reps);
    }
}
