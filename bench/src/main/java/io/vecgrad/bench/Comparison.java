package io.vecgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two JMH result files benchmark by benchmark (same method, mode and params).
 *
 * <p>A row is a <b>regression</b> when NEW is slower than OLD by more than
 * {@code max(5%, 2 · sqrt(relErrOld² + relErrNew²))}: the noise allowance grows with JMH's own
 * error estimates, so a noisy benchmark must slow down more before it is flagged. An
 * <b>allocation regression</b> is a growth of {@code gc.alloc.rate.norm} by more than
 * {@code max(8 B, 1% of OLD)} per op (the GC profiler's normalised rate is exact to a few bytes for
 * allocation-free code).
 */
public final class Comparison {
    private Comparison() {}

    /** Smallest slowdown ever flagged. */
    public static final double MIN_SLOWDOWN = 0.05;
    /** How many combined relative errors a slowdown must exceed. */
    public static final double ERROR_FACTOR = 2.0;
    /** Allocation growth below this many bytes per op is noise. */
    public static final double ALLOC_SLACK_BYTES = 8.0;
    /** ... and below this fraction of the old allocation, too. */
    public static final double ALLOC_SLACK_FRACTION = 0.01;

    /** One benchmark present in both files. */
    public record Row(BenchResult oldResult, BenchResult newResult, double speedup, double slowdown,
                      double threshold, double allocDelta, boolean slower, boolean allocGrew) {
        public boolean flagged() {
            return slower || allocGrew;
        }
    }

    /** The outcome: matched rows and the benchmarks found in only one file. */
    public record Report(List<Row> rows, List<String> onlyOld, List<String> onlyNew) {
        public boolean anyFlagged() {
            return rows.stream().anyMatch(Row::flagged);
        }

        public List<Row> flagged() {
            return rows.stream().filter(Row::flagged).toList();
        }
    }

    /** Compares one OLD result with its NEW counterpart. */
    public static Row compare(BenchResult o, BenchResult n) {
        double speedup = n.speedupOver(o);          // > 1: NEW faster
        double slowdown = 1.0 / speedup - 1.0;      // > 0: NEW needs that much more time per op
        double combined = Math.sqrt(sq(o.relativeError()) + sq(n.relativeError()));
        double threshold = Math.max(MIN_SLOWDOWN, ERROR_FACTOR * combined);
        boolean slower = slowdown > threshold;
        double allocDelta = Double.NaN;
        boolean allocGrew = false;
        if (!Double.isNaN(o.allocNorm()) && !Double.isNaN(n.allocNorm())) {
            allocDelta = n.allocNorm() - o.allocNorm();
            double slack = Math.max(ALLOC_SLACK_BYTES, ALLOC_SLACK_FRACTION * Math.abs(o.allocNorm()));
            allocGrew = allocDelta > slack;
        }
        return new Row(o, n, speedup, slowdown, threshold, allocDelta, slower, allocGrew);
    }

    /** Compares every benchmark present in both lists. */
    public static Report compare(List<BenchResult> olds, List<BenchResult> news) {
        Map<String, BenchResult> oldByKey = new LinkedHashMap<>();
        olds.forEach(r -> oldByKey.put(r.key(), r));
        Map<String, BenchResult> newByKey = new LinkedHashMap<>();
        news.forEach(r -> newByKey.put(r.key(), r));
        List<Row> rows = new ArrayList<>();
        List<String> onlyNew = new ArrayList<>();
        for (BenchResult n : news) {
            BenchResult o = oldByKey.get(n.key());
            if (o == null) {
                onlyNew.add(n.key());
            } else {
                rows.add(compare(o, n));
            }
        }
        List<String> onlyOld = olds.stream().map(BenchResult::key).filter(k -> !newByKey.containsKey(k)).toList();
        return new Report(rows, onlyOld, List.copyOf(onlyNew));
    }

    /** Markdown table of a report. */
    public static String render(Report rep) {
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | params | old | new | unit | speedup (old/new) | allowed slowdown | Δ B/op | flag |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rep.rows()) {
            BenchResult o = r.oldResult();
            BenchResult n = r.newResult();
            String flag = r.slower() && r.allocGrew() ? "**SLOWER, ALLOC**"
                    : r.slower() ? "**SLOWER**" : r.allocGrew() ? "**ALLOC**" : "ok";
            sb.append("| ").append(o.shortName())
              .append(" | ").append(o.paramString().isEmpty() ? "–" : o.paramString())
              .append(" | ").append(MarkdownReport.num(o.score())).append(" ± ").append(MarkdownReport.num(o.error()))
              .append(" | ").append(MarkdownReport.num(n.score())).append(" ± ").append(MarkdownReport.num(n.error()))
              .append(" | ").append(n.unit())
              .append(" | ").append(MarkdownReport.ratio(r.speedup()))
              .append(" | ").append(String.format(Locale.ROOT, "%.1f%%", 100 * r.threshold()))
              .append(" | ").append(Double.isNaN(r.allocDelta()) ? "–" : String.format(Locale.ROOT, "%+.1f", r.allocDelta()))
              .append(" | ").append(flag).append(" |\n");
        }
        if (!rep.onlyOld().isEmpty()) {
            sb.append("\nOnly in OLD (not compared):\n");
            rep.onlyOld().forEach(k -> sb.append("- ").append(k).append('\n'));
        }
        if (!rep.onlyNew().isEmpty()) {
            sb.append("\nOnly in NEW (not compared):\n");
            rep.onlyNew().forEach(k -> sb.append("- ").append(k).append('\n'));
        }
        long flagged = rep.rows().stream().filter(Row::flagged).count();
        sb.append('\n').append(rep.rows().size()).append(" compared, ").append(flagged).append(" flagged\n");
        return sb.toString();
    }

    private static double sq(double x) {
        return x * x;
    }
}
