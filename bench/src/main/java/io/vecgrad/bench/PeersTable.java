package io.vecgrad.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The peers table: every benchmark + params where we have both our time and a peer's, with
 * the ratio <b>peer time / our time</b> (&gt; 1: vecgrad faster), flagged against the project's
 * targets ({@link #TARGETS}). Peers are the other {@code impl}s of a JMH benchmark (OpenBLAS,
 * netlib Java, EJML), PyTorch from {@code bench/peers/torch_peers.py} (1 and 2 threads), and —
 * for the two-thread training step — our own one-thread step.
 *
 * <p>Times are medians: JMH's median iteration score for us and the JMH peers, the median call
 * for PyTorch. The spread shown is JMH's 99.9% half-interval (±) for JMH rows and the
 * 25th–75th percentile of the calls for PyTorch.
 */
public final class PeersTable {
    private PeersTable() {}

    /** Peer name of PyTorch on one thread; on {@code t > 1} threads it is {@code pytorch (t threads)}. */
    public static final String PYTORCH = "pytorch";
    /** Peer name of our one-thread step, paired with the two-thread step. */
    public static final String OURS_1T = "vecgrad (1 thread)";
    /** Heap budget per steady-state training step ({@code gc.alloc.rate.norm}). */
    public static final double MAX_STEP_HEAP_BYTES = 2048;

    /**
     * A target: applies to rows whose benchmark ({@code Class.method}) matches, whose params
     * satisfy {@code params} and whose peer is {@code peer}; met when peer/ours ≥ {@code minRatio}.
     */
    public record Target(String name, String goal, Pattern bench, Predicate<Map<String, String>> params,
                         String peer, double minRatio) {
        boolean applies(String shortBench, Map<String, String> p, String peerName) {
            return samePeer(peer, peerName) && bench.matcher(shortBench).matches() && params.test(p);
        }
    }

    /**
     * Whether a row's peer is the target's: PyTorch targets apply to every one-thread PyTorch
     * version in the run ({@code pytorch}, {@code pytorch 1.13}, {@code pytorch 2.13}), so a
     * target is met only against the best of them.
     */
    static boolean samePeer(String targetPeer, String peerName) {
        return targetPeer.equals(peerName)
                || targetPeer.equals(PYTORCH) && peerName.matches("pytorch [0-9][0-9A-Za-z.+-]*");
    }

    private static Predicate<Map<String, String>> param(String name, Set<String> values) {
        return p -> values.contains(p.get(name));
    }

    /** GEMM shapes of the target: square 256..2048 and the MLP shapes ({@code MxNxK}). */
    static boolean gemmTargetShape(Map<String, String> p) {
        String s = p.get("shape");
        if (s == null) {
            return false;
        }
        if (s.contains("x")) {
            return true;
        }
        try {
            int n = Integer.parseInt(s.trim());
            return n >= 256 && n <= 2048;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The targets, in the order of the summary; a row gets the first that applies. */
    public static final List<Target> TARGETS = List.of(
            new Target("f32 GEMM square 256–2048 and MLP shapes", "≥ 1.0× OpenBLAS (openblas/ours ≥ 1)",
                    Pattern.compile("GemmBench\\.gemm(TransA)?"), PeersTable::gemmTargetShape, "openblas", 1.0),
            new Target("MLP 784-256-256-10 step, batch 64 and 256, SGD and Adam", "ours ≤ 0.75× PyTorch (ratio ≥ 1.33)",
                    Pattern.compile("TrainStepBench\\.step"),
                    param("model", Set.of("mlp784-b64-sgd", "mlp784-b64-adam", "mlp784-b256-sgd", "mlp784-b256-adam")),
                    PYTORCH, 1 / 0.75),
            new Target("tiny MLP 2-16-16-1 step", "ours ≤ 0.1× PyTorch (ratio ≥ 10)",
                    Pattern.compile("TrainStepBench\\.step"), p -> p.getOrDefault("model", "").startsWith("tiny-"),
                    PYTORCH, 10),
            new Target("scalar autograd graph, per op", "ours ≤ 0.05× PyTorch (ratio ≥ 20)",
                    Pattern.compile("ScalarGraphBench\\.forwardBackward"), p -> true, PYTORCH, 20),
            new Target("Adam step, 1M params", "ours ≤ 0.5× PyTorch (ratio ≥ 2)",
                    Pattern.compile("OptimizerStepBench\\.step"),
                    p -> "adam".equals(p.get("optimizer")) && "1000000".equals(p.get("n")), PYTORCH, 2),
            new Target("elementwise and reductions, 64K and 1M", "ours ≤ 1.0× PyTorch (ratio ≥ 1)",
                    Pattern.compile("ElementwiseBench\\.\\w+|ReduceBench\\.(sum|max)"),
                    param("n", Set.of("65536", "1048576")), PYTORCH, 1),
            new Target("softmax / log_softmax rows (256, 1000)", "ours ≤ 1.0× PyTorch (ratio ≥ 1)",
                    Pattern.compile("SoftmaxBench\\.(softmax|logSoftmax)"),
                    p -> "256".equals(p.get("rows")) && "1000".equals(p.get("cols")), PYTORCH, 1),
            new Target("two threads vs one, MLP step batch 256", "1-thread time / 2-thread time ≥ 1.6",
                    Pattern.compile("TrainStep2ThreadsBench\\.step"),
                    p -> p.getOrDefault("model", "").startsWith("mlp784-b256-"), OURS_1T, 1.6));

    /** Name of the allocation target in the summary. */
    public static final String ALLOC_TARGET = "allocation per steady-state training step";

    public enum Verdict { MET, MISSED, NONE }

    /**
     * One pair.
     *
     * @param bench     {@code Class.method} of our benchmark
     * @param params    its params without {@code impl}
     * @param oursUs    our median, µs
     * @param oursErrUs JMH's 99.9% half-interval, µs
     * @param peer      peer name
     * @param peerUs    peer median, µs
     * @param peerLo    low end of the peer's spread, µs (p25, or median − error)
     * @param peerHi    high end of the peer's spread, µs (p75, or median + error)
     * @param peerIsJmh whether the spread is a JMH error (±) rather than quartiles
     * @param target    the target of this row, or null
     */
    public record Row(String bench, SortedMap<String, String> params, double oursUs, double oursErrUs,
                      String peer, double peerUs, double peerLo, double peerHi, boolean peerIsJmh,
                      Target target) {
        /** Peer time / our time (&gt; 1: we are faster). */
        public double ratio() {
            return peerUs / oursUs;
        }

        public Verdict verdict() {
            if (target == null) {
                return Verdict.NONE;
            }
            double r = ratio();
            return Double.isFinite(r) && r >= target.minRatio() ? Verdict.MET : Verdict.MISSED;
        }
    }

    /** Heap bytes per training step ({@code gc.alloc.rate.norm}). */
    public record AllocRow(String bench, SortedMap<String, String> params, double heapBytes) {
        public Verdict verdict() {
            return Double.isNaN(heapBytes) ? Verdict.NONE
                    : heapBytes <= MAX_STEP_HEAP_BYTES ? Verdict.MET : Verdict.MISSED;
        }
    }

    /** The summary line of one target. */
    public record Summary(String name, String goal, int rows, int met, double worstRatio, Verdict verdict) {}

    /** Everything the report shows. */
    public record Table(List<Row> rows, List<AllocRow> alloc, List<Summary> summary, List<String> unpaired) {
        /**
         * One line per benchmark + params: our time, each peer's, and the best (fastest) peer
         * that runs on as many threads as we do (one, or two for {@code TrainStep2ThreadsBench}).
         */
        public List<Best> best() {
            Map<String, List<Row>> by = new LinkedHashMap<>();
            for (Row r : rows) {
                by.computeIfAbsent(key(r.bench(), r.params()), k -> new ArrayList<>()).add(r);
            }
            List<Best> out = new ArrayList<>();
            for (List<Row> rs : by.values()) {
                Row first = rs.get(0);
                boolean twoThreads = first.bench().startsWith("TrainStep2Threads");
                Map<String, Double> peers = new LinkedHashMap<>();
                String bestName = null;
                double bestUs = Double.POSITIVE_INFINITY;
                for (Row r : rs) {
                    boolean multi = r.peer().endsWith("threads)");
                    if (r.peer().equals(OURS_1T) || multi != twoThreads || !Double.isFinite(r.peerUs())) {
                        continue;
                    }
                    String col = multi ? r.peer().substring(0, r.peer().indexOf(" (")) : r.peer();
                    peers.put(col, r.peerUs());
                    if (r.peerUs() < bestUs) {
                        bestUs = r.peerUs();
                        bestName = r.peer();
                    }
                }
                // The row's target holds when every pair that carries it holds: "faster than the
                // best PyTorch" is met only against both versions; a GEMM's target is OpenBLAS's pair.
                String goal = null;
                Verdict verdict = Verdict.NONE;
                for (Row r : rs) {
                    if (r.target() == null) {
                        continue;
                    }
                    if (goal == null) {
                        goal = r.target().goal();
                    }
                    verdict = verdict == Verdict.MISSED || r.verdict() == Verdict.MISSED ? Verdict.MISSED : Verdict.MET;
                }
                out.add(new Best(first.bench(), first.params(), first.oursUs(), first.oursErrUs(), peers, bestName,
                        bestName == null ? Double.NaN : bestUs / first.oursUs(), goal, verdict));
            }
            return out;
        }
    }

    /**
     * A row of the best-peer table.
     *
     * @param oursErrUs JMH's 99.9% half-interval of our time, µs
     * @param peers     peer (column) name to its median µs
     * @param bestPeer  the fastest peer, or null when none
     * @param ratio     best peer time / our time (&gt; 1: vecgrad faster)
     * @param goal      the row's target, or null when it has none
     * @param verdict   MET when every pair that carries the target meets it, NONE without a target
     */
    public record Best(String bench, SortedMap<String, String> params, double oursUs, double oursErrUs,
                       Map<String, Double> peers, String bestPeer, double ratio, String goal, Verdict verdict) {}

    /** Time per op in µs of a JMH score in {@code unit}. */
    static double micros(double score, String unit) {
        double opsPerSecond = Flops.opsPerSecond(score, unit);
        return 1e6 / opsPerSecond;
    }

    static String key(String shortBench, Map<String, String> params) {
        return shortBench + " " + BenchResult.paramString(new TreeMap<>(params));
    }

    private static final List<String> JMH_PEER_ORDER = List.of("openblas", "djl", "netlibJava", "ejml");

    /** Builds the table from one run's JMH results and peer results. */
    public static Table build(List<BenchResult> jmh, List<PeerResult> peers) {
        // Our rows by Class.method + params (without impl).
        Map<String, BenchResult> ours = new LinkedHashMap<>();
        for (Twins.Group g : Twins.group(jmh)) {
            BenchResult o = g.ours();
            if (o != null) {
                ours.putIfAbsent(key(o.shortName(), Twins.sharedParams(o)), o);
            }
        }
        Map<String, List<Row>> byOurs = new LinkedHashMap<>();
        ours.keySet().forEach(k -> byOurs.put(k, new ArrayList<>()));

        // JMH peers: the other impls of the same twin group (not the scalar twin).
        for (Twins.Group g : Twins.group(jmh)) {
            BenchResult o = g.ours();
            if (o == null) {
                continue;
            }
            for (BenchResult r : g.rows()) {
                String v = Twins.variant(r);
                if (r == o || Twins.isScalar(v) || Twins.isOurs(v)) {
                    continue;
                }
                double med = micros(r.median(), r.unit());
                double err = errMicros(r);
                byOurs.get(key(o.shortName(), Twins.sharedParams(o)))
                        .add(row(o, v, med, med - err, med + err, true));
            }
        }

        // PyTorch (or any script peer): matched by Class.method + params; a multi-thread training
        // step pairs with our two-thread step when we have one.
        List<String> unpaired = new ArrayList<>();
        for (PeerResult p : peers) {
            String name = p.threads() <= 1 ? p.peer() : p.peer() + " (" + p.threads() + " threads)";
            String k = key(p.bench(), p.params());
            if (p.threads() > 1 && p.bench().equals("TrainStepBench.step")) {
                String k2 = key("TrainStep2ThreadsBench.step", p.params());
                if (ours.containsKey(k2)) {
                    k = k2;
                }
            }
            BenchResult o = ours.get(k);
            if (o == null) {
                unpaired.add(name + " " + key(p.bench(), p.params()));
                continue;
            }
            byOurs.get(k).add(row(o, name, p.us(), p.p25(), p.p75(), false));
        }

        // Two threads against one: our one-thread step as the "peer" of the two-thread step.
        for (BenchResult o : ours.values()) {
            if (o.shortName().equals("TrainStep2ThreadsBench.step")) {
                BenchResult one = ours.get(key("TrainStepBench.step", Twins.sharedParams(o)));
                if (one != null) {
                    double med = micros(one.median(), one.unit());
                    double err = errMicros(one);
                    byOurs.get(key(o.shortName(), Twins.sharedParams(o)))
                            .add(row(o, OURS_1T, med, med - err, med + err, true));
                }
            }
        }

        List<Row> rows = new ArrayList<>();
        byOurs.values().forEach(list -> {
            list.sort(Comparator.comparingInt(PeersTable::peerRank));
            rows.addAll(list);
        });

        List<AllocRow> alloc = new ArrayList<>();
        for (BenchResult o : ours.values()) {
            if (o.shortName().matches("TrainStep(2Threads)?Bench\\.step")) {
                alloc.add(new AllocRow(o.shortName(), Twins.sharedParams(o), o.allocNorm()));
            }
        }

        List<Summary> summary = new ArrayList<>();
        for (Target t : TARGETS) {
            List<Row> mine = rows.stream().filter(r -> r.target() == t).toList();
            int met = (int) mine.stream().filter(r -> r.verdict() == Verdict.MET).count();
            double worst = mine.stream().mapToDouble(Row::ratio).min().orElse(Double.NaN);
            summary.add(new Summary(t.name(), t.goal(), mine.size(), met, worst,
                    mine.isEmpty() ? Verdict.NONE : met == mine.size() ? Verdict.MET : Verdict.MISSED));
        }
        List<AllocRow> measured = alloc.stream().filter(a -> a.verdict() != Verdict.NONE).toList();
        int allocMet = (int) measured.stream().filter(a -> a.verdict() == Verdict.MET).count();
        summary.add(new Summary(ALLOC_TARGET, "≤ 2 KB heap per step (gc.alloc.rate.norm); 0 new native bytes "
                + "(not measured here)", measured.size(), allocMet, Double.NaN,
                measured.isEmpty() ? Verdict.NONE : allocMet == measured.size() ? Verdict.MET : Verdict.MISSED));
        return new Table(rows, alloc, summary, unpaired);
    }

    private static double errMicros(BenchResult r) {
        if (r.higherIsBetter() || r.error() == 0) {
            return 0;
        }
        return micros(r.error(), r.unit());
    }

    private static int peerRank(Row r) {
        int i = JMH_PEER_ORDER.indexOf(r.peer());
        if (i >= 0) {
            return i;
        }
        if (r.peer().equals(PYTORCH) || samePeer(PYTORCH, r.peer())) {
            return 10;
        }
        if (r.peer().startsWith(PYTORCH)) {
            return 11;
        }
        return 20;
    }

    private static Row row(BenchResult o, String peer, double peerUs, double lo, double hi, boolean jmhPeer) {
        SortedMap<String, String> params = Twins.sharedParams(o);
        Target target = null;
        for (Target t : TARGETS) {
            if (t.applies(o.shortName(), params, peer)) {
                target = t;
                break;
            }
        }
        return new Row(o.shortName(), params, micros(o.median(), o.unit()), errMicros(o), peer, peerUs, lo, hi,
                jmhPeer, target);
    }

    /** The markdown report: metadata, the pairs table, the target summary, allocation. */
    public static String render(String title, Map<String, String> meta, List<String> peerVersions, Table t) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        if (meta != null && !meta.isEmpty()) {
            sb.append("| key | value |\n|---|---|\n");
            meta.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n"));
            sb.append('\n');
        }
        if (peerVersions != null && !peerVersions.isEmpty()) {
            sb.append("Script peers: ").append(String.join(", ", peerVersions)).append(".\n\n");
        }
        sb.append("Times are medians in µs per op (JMH: median iteration, ± its 99.9% half-interval; "
                + "PyTorch: median call, [p25–p75]). **ratio = peer time / our time** (> 1: vecgrad faster). "
                + "Our benchmarks run on one thread (TrainStep2ThreadsBench: two); PyTorch rows with "
                + "more threads are for information except against the two-thread step.\n\n");
        sb.append(bestTable(t)).append('\n');
        sb.append(pairsTable(t));
        sb.append('\n').append(summaryTable(t));
        sb.append('\n').append(allocTable(t));
        if (!t.unpaired().isEmpty()) {
            sb.append("\nPeer results with no matching JMH row in this run: ")
              .append(String.join("; ", t.unpaired())).append(".\n");
        }
        return sb.toString();
    }

    /** Columns of the best-peer table, in this order when present; other peers follow. */
    private static final List<String> BEST_COLUMNS = List.of("openblas", "djl");

    /**
     * The best-peer table: one row per benchmark + params with vecgrad, OpenBLAS (its core is in
     * the metadata), DJL, each PyTorch version, the fastest peer and the ratio to it.
     */
    public static String bestTable(Table t) {
        List<Best> best = t.best();
        List<String> cols = new ArrayList<>();
        for (String c : BEST_COLUMNS) {
            if (best.stream().anyMatch(b -> b.peers().containsKey(c))) {
                cols.add(c);
            }
        }
        best.stream().flatMap(b -> b.peers().keySet().stream()).filter(c -> c.startsWith(PYTORCH)).distinct().sorted()
            .forEach(cols::add);
        StringBuilder sb = new StringBuilder("## Against the best peer\n\n");
        sb.append("Same threads as ours (one; two for TrainStep2ThreadsBench); netlib Java and EJML are in the pairs "
                + "below and count for the best peer too. ratio = best peer time / our time. A row's verdict is MET "
                + "only when every pair that carries its target meets it (a kernel must beat both PyTorch versions; "
                + "a GEMM's target is OpenBLAS alone).\n\n");
        sb.append("| benchmark | params | vecgrad µs (± 99.9 %) |");
        cols.forEach(c -> sb.append(' ').append(c.equals("openblas") ? "OpenBLAS" : c).append(" µs |"));
        sb.append(" best peer | ratio | target | verdict |\n|---|---|---|");
        cols.forEach(c -> sb.append("---|"));
        sb.append("---|---|---|---|\n");
        for (Best b : best) {
            sb.append("| ").append(b.bench()).append(" | ").append(cell(BenchResult.paramString(b.params())))
              .append(" | ").append(MarkdownReport.num(b.oursUs())).append(" ± ").append(MarkdownReport.num(b.oursErrUs()))
              .append(" |");
            for (String c : cols) {
                Double v = b.peers().get(c);
                sb.append(' ').append(v == null ? "–" : MarkdownReport.num(v)).append(" |");
            }
            sb.append(' ').append(b.bestPeer() == null ? "–" : b.bestPeer()).append(" | ")
              .append(ratio(b.ratio())).append(" | ").append(b.goal() == null ? "–" : cell(b.goal()))
              .append(" | ").append(verdict(b.verdict())).append(" |\n");
        }
        return sb.toString();
    }

    /** Only the pairs table. */
    public static String pairsTable(Table t) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Pairs\n\n");
        sb.append("| benchmark | params | vecgrad µs | peer | peer µs | ratio | target | verdict |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : t.rows()) {
            sb.append("| ").append(r.bench())
              .append(" | ").append(cell(BenchResult.paramString(r.params())))
              .append(" | ").append(MarkdownReport.num(r.oursUs())).append(" ± ").append(MarkdownReport.num(r.oursErrUs()))
              .append(" | ").append(r.peer())
              .append(" | ").append(MarkdownReport.num(r.peerUs()))
              .append(r.peerIsJmh()
                      ? " ± " + MarkdownReport.num((r.peerHi() - r.peerLo()) / 2)
                      : " [" + MarkdownReport.num(r.peerLo()) + "–" + MarkdownReport.num(r.peerHi()) + "]")
              .append(" | ").append(ratio(r.ratio()))
              .append(" | ").append(r.target() == null ? "–" : cell(r.target().goal()))
              .append(" | ").append(verdict(r.verdict()))
              .append(" |\n");
        }
        return sb.toString();
    }

    static String summaryTable(Table t) {
        StringBuilder sb = new StringBuilder("## Targets\n\n| target | goal | rows met | worst ratio | verdict |\n"
                + "|---|---|---|---|---|\n");
        for (Summary s : t.summary()) {
            sb.append("| ").append(s.name()).append(" | ").append(cell(s.goal()))
              .append(" | ").append(s.met()).append('/').append(s.rows())
              .append(" | ").append(Double.isNaN(s.worstRatio()) ? "–" : ratio(s.worstRatio()))
              .append(" | ").append(s.verdict() == Verdict.NONE ? "no data" : s.verdict().name())
              .append(" |\n");
        }
        return sb.toString();
    }

    static String allocTable(Table t) {
        StringBuilder sb = new StringBuilder("## Allocation per training step\n\n"
                + "| benchmark | params | heap B/op | native bytes | verdict |\n|---|---|---|---|---|\n");
        for (AllocRow a : t.alloc()) {
            sb.append("| ").append(a.bench()).append(" | ").append(cell(BenchResult.paramString(a.params())))
              .append(" | ").append(Double.isNaN(a.heapBytes()) ? "–" : MarkdownReport.alloc(a.heapBytes()))
              .append(" | not measured | ").append(verdict(a.verdict())).append(" |\n");
        }
        return sb.toString();
    }

    static String ratio(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.2f×", x) : "–";
    }

    private static String verdict(Verdict v) {
        return v == Verdict.NONE ? "–" : v.name();
    }

    private static String cell(String s) {
        return s.isEmpty() ? "–" : s.replace("|", "\\|").replace("\n", " ");
    }
}
