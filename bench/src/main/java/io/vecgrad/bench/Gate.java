package io.vecgrad.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The no-baseline performance gate: in one result file, every vectorized kernel must beat its
 * scalar twin by the foundation's targets. The targets are the {@link #RULES} table; the first
 * rule whose benchmark pattern and size condition both match a twin pair decides its minimum
 * speedup. The speedup is the ratio of the median iteration scores (see {@link Check}).
 *
 * <p>"Size" is the {@code n} param (elements per call) or, for GEMM, {@code m·n} (elements of
 * the output), so "GEMM at n ≥ 4096" covers every GEMM shape from 64×64 up.
 */
public final class Gate {
    private Gate() {}

    /**
     * One target.
     *
     * @param name      shown in the report
     * @param benchmark matched against {@code Class.method} (simple class name, base method name)
     * @param minSize   the rule applies only when the size is at least this (0 = any size)
     * @param minRatio  smallest acceptable speedup of ours over the scalar twin
     */
    public record Rule(String name, Pattern benchmark, long minSize, double minRatio) {
        public Rule(String name, String regex, long minSize, double minRatio) {
            this(name, Pattern.compile(regex), minSize, minRatio);
        }

        boolean applies(String shortName, long size) {
            return benchmark.matcher(shortName).matches() && (minSize <= 0 || size >= minSize);
        }
    }

    /** The targets, first match wins. */
    public static final List<Rule> RULES = List.of(
            new Rule("GEMM n≥4096", "(?i).*gemm.*", 4096, 4.0),
            new Rule("reduction n≥4096", "(?i)(.*Reduc\\w*Bench\\..*|.*\\.(sum|max|min|sumSquares|dot|logsumexp|argmax|argmin)(F(32|64))?)",
                    4096, 4.0),
            new Rule("elementwise / other", ".*", 0, 1.0));

    /**
     * One checked twin pair. {@code ratio} (which decides) compares the medians of the iteration
     * scores, robust to the stray slow iterations of a shared machine; {@code meanRatio} compares
     * JMH's mean scores.
     */
    public record Check(String benchmark, String params, Rule rule, double ratio, double meanRatio,
                        boolean passed) {}

    /** All checks of a file, plus the twin groups the gate could not check. */
    public record Result(List<Check> checks, List<String> unchecked) {
        public boolean passed() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
        }
    }

    /** Size used by the rules: {@code n} param, else GEMM {@code m·n}, else -1 (unknown). */
    static long size(BenchResult r) {
        String n = r.params().get("n");
        if (n != null) {
            try {
                return Long.parseLong(n.trim());
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        long[] mnk = Flops.gemmShape(r.params());
        return mnk == null ? -1 : mnk[0] * mnk[1];
    }

    /** Applies {@code rules} to every twin pair in {@code results}. */
    public static Result check(List<BenchResult> results, List<Rule> rules) {
        List<Check> checks = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (Twins.Group g : Twins.group(results)) {
            BenchResult ours = g.ours();
            BenchResult scalar = g.scalar();
            if (ours == null || scalar == null) {
                if (ours != null || scalar != null) {
                    unchecked.add(g.key() + " (no " + (ours == null ? "vector" : "scalar") + " twin)");
                }
                continue;
            }
            String name = MarkdownReport.shortName(Twins.baseBenchmark(ours));
            long size = size(ours);
            Rule rule = rules.stream().filter(x -> x.applies(name, size)).findFirst().orElse(null);
            if (rule == null) {
                unchecked.add(g.key() + " (no rule)");
                continue;
            }
            double ratio = ours.higherIsBetter() ? ours.median() / scalar.median() : scalar.median() / ours.median();
            checks.add(new Check(name, BenchResult.paramString(Twins.sharedParams(ours)), rule, ratio,
                    ours.speedupOver(scalar), ratio >= rule.minRatio()));
        }
        return new Result(checks, unchecked);
    }

    /** {@link #check(List, List)} with the foundation {@link #RULES}. */
    public static Result check(List<BenchResult> results) {
        return check(results, RULES);
    }

    /** Markdown table of a gate result. */
    public static String render(Result res) {
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | params | rule | needs | speedup (medians) | speedup (means) | result |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Check c : res.checks()) {
            sb.append("| ").append(c.benchmark())
              .append(" | ").append(c.params().isEmpty() ? "–" : c.params())
              .append(" | ").append(c.rule().name())
              .append(" | ≥ ").append(String.format(Locale.ROOT, "%.1f×", c.rule().minRatio()))
              .append(" | ").append(MarkdownReport.ratio(c.ratio()))
              .append(" | ").append(MarkdownReport.ratio(c.meanRatio()))
              .append(" | ").append(c.passed() ? "pass" : "**FAIL**").append(" |\n");
        }
        if (!res.unchecked().isEmpty()) {
            sb.append("\nNot checked:\n");
            res.unchecked().forEach(u -> sb.append("- ").append(u).append('\n'));
        }
        long failed = res.checks().stream().filter(c -> !c.passed()).count();
        sb.append('\n');
        if (res.checks().isEmpty()) {
            sb.append("gate: FAIL, no vector/scalar twin pairs in the file\n");
        } else {
            sb.append("gate: ").append(failed == 0 ? "PASS" : "FAIL").append(", ")
              .append(res.checks().size() - failed).append(" passed, ").append(failed).append(" failed\n");
        }
        return sb.toString();
    }
}
