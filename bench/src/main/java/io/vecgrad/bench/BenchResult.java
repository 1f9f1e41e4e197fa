package io.vecgrad.bench;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One row of a JMH result file: a benchmark method with one combination of {@code @Param} values.
 *
 * @param benchmark fully qualified {@code package.Class.method}
 * @param mode      JMH mode ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss})
 * @param params    {@code @Param} values, sorted by name
 * @param score     primary score (mean over all iterations of all forks)
 * @param error     half-width of JMH's 99.9% confidence interval; 0 when JMH gave NaN
 * @param unit      e.g. {@code us/op} or {@code ops/s}
 * @param median    50th percentile of the iteration scores
 * @param min       smallest iteration score
 * @param max       largest iteration score
 * @param allocNorm {@code gc.alloc.rate.norm} in B/op, NaN when the GC profiler did not run
 */
public record BenchResult(String benchmark, String mode, SortedMap<String, String> params,
                          double score, double error, String unit,
                          double median, double min, double max, double allocNorm) {

    public BenchResult {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(mode, "mode");
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
        Objects.requireNonNull(unit, "unit");
        if (Double.isNaN(error)) {
            error = 0;
        }
    }

    /** {@code Class.method} without the package. */
    public String shortName() {
        int m = benchmark.lastIndexOf('.');
        int c = m <= 0 ? -1 : benchmark.lastIndexOf('.', m - 1);
        return benchmark.substring(c + 1);
    }

    /** The method name alone. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** {@code true} for throughput-like scores (more is better), {@code false} for times. */
    public boolean higherIsBetter() {
        return mode.equals("thrpt") || unit.startsWith("ops/");
    }

    /**
     * How many times faster this result is than {@code other} (&gt; 1 means this one is faster),
     * independent of whether the mode measures time or throughput.
     */
    public double speedupOver(BenchResult other) {
        return higherIsBetter() ? score / other.score : other.score / score;
    }

    /** {@code error / score}, the relative half-width of the confidence interval. */
    public double relativeError() {
        return score == 0 ? 0 : Math.abs(error / score);
    }

    /** Params rendered {@code a=1 b=x}, in name order; empty string for none. */
    public String paramString() {
        return paramString(params);
    }

    static String paramString(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }

    /** Identity of this result across runs: benchmark, mode and all params. */
    public String key() {
        return benchmark + " [" + mode + "] " + paramString();
    }
}
