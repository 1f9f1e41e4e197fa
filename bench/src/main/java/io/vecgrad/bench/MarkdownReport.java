package io.vecgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Renders JMH results as markdown: one table per benchmark (twins merged under the base name),
 * with score, error, unit, median and spread, {@code gc.alloc.rate.norm}, GFLOP/s where the
 * flop count is known, and the speedups within the same run:
 * <ul>
 *   <li><b>vs scalar</b>: how many times faster the row is than its scalar twin;</li>
 *   <li><b>vecgrad ×</b>: how many times faster our vectorized implementation is than the row
 *       (for peers: &gt; 1 means vecgrad wins).</li>
 * </ul>
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /** The full report: an optional metadata block, then the tables. */
    public static String render(String title, Map<String, String> metadata, List<BenchResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        if (metadata != null && !metadata.isEmpty()) {
            sb.append("| key | value |\n|---|---|\n");
            metadata.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
            sb.append('\n');
        }
        sb.append("Scores are JMH means over all measurement iterations of all forks; ± is JMH's 99.9% "
                + "half-interval; spread is (max − min) / median of the iteration scores. "
                + "*vs scalar*: speedup over the scalar twin in this run; *vecgrad ×*: speedup of our "
                + "vectorized implementation over the row (> 1 = vecgrad faster).\n\n");
        sb.append(tables(results));
        return sb.toString();
    }

    /** Only the tables. */
    public static String tables(List<BenchResult> results) {
        Map<String, List<Twins.Group>> sections = new LinkedHashMap<>();
        for (Twins.Group g : Twins.group(results)) {
            BenchResult first = g.rows().getFirst();
            String section = shortName(Twins.baseBenchmark(first)) + " (" + first.mode() + ")";
            sections.computeIfAbsent(section, k -> new ArrayList<>()).add(g);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Twins.Group>> e : sections.entrySet()) {
            boolean anyFlops = e.getValue().stream().flatMap(g -> g.rows().stream())
                    .anyMatch(r -> Flops.gflops(r).isPresent());
            boolean anyAlloc = e.getValue().stream().flatMap(g -> g.rows().stream())
                    .anyMatch(r -> !Double.isNaN(r.allocNorm()));
            sb.append("## ").append(e.getKey()).append("\n\n");
            sb.append("| params | impl | score | ± error | unit | median | spread |");
            if (anyAlloc) {
                sb.append(" B/op |");
            }
            if (anyFlops) {
                sb.append(" GFLOP/s |");
            }
            sb.append(" vs scalar | vecgrad × |\n");
            int cols = 9 + (anyAlloc ? 1 : 0) + (anyFlops ? 1 : 0);
            sb.append("|").append("---|".repeat(cols)).append('\n');
            for (Twins.Group g : e.getValue()) {
                BenchResult scalar = g.scalar();
                BenchResult ours = g.ours();
                for (BenchResult r : g.rows()) {
                    String variant = Twins.variant(r);
                    sb.append("| ").append(cell(BenchResult.paramString(Twins.sharedParams(r))))
                      .append(" | ").append(variant)
                      .append(" | ").append(num(r.score()))
                      .append(" | ").append(num(r.error()))
                      .append(" | ").append(r.unit())
                      .append(" | ").append(num(r.median()))
                      .append(" | ").append(spread(r))
                      .append(" |");
                    if (anyAlloc) {
                        sb.append(' ').append(Double.isNaN(r.allocNorm()) ? "–" : alloc(r.allocNorm())).append(" |");
                    }
                    if (anyFlops) {
                        OptionalDouble gf = Flops.gflops(r);
                        sb.append(' ').append(gf.isPresent() ? String.format(Locale.ROOT, "%.2f", gf.getAsDouble()) : "–")
                          .append(" |");
                    }
                    sb.append(' ').append(scalar != null && scalar != r ? ratio(r.speedupOver(scalar)) : "–")
                      .append(" | ").append(ours != null && ours != r ? ratio(ours.speedupOver(r)) : "–")
                      .append(" |\n");
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String shortName(String benchmark) {
        int m = benchmark.lastIndexOf('.');
        int c = m <= 0 ? -1 : benchmark.lastIndexOf('.', m - 1);
        return benchmark.substring(c + 1);
    }

    static String ratio(double x) {
        return String.format(Locale.ROOT, "%.2f×", x);
    }

    static String spread(BenchResult r) {
        if (r.median() == 0 || Double.isNaN(r.median())) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f%%", 100 * (r.max() - r.min()) / Math.abs(r.median()));
    }

    static String alloc(double bytes) {
        if (Math.abs(bytes) < 0.01) {
            return "≈0";
        }
        return bytes < 100 ? String.format(Locale.ROOT, "%.2f", bytes) : String.format(Locale.ROOT, "%.0f", bytes);
    }

    /** Four significant digits, plain notation for typical magnitudes. */
    static String num(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        double a = Math.abs(x);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e7 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", x);
        }
        int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + digits + "f", x);
    }

    private static String cell(String s) {
        return s.isEmpty() ? "–" : s.replace("|", "\\|").replace("\n", " ");
    }
}
