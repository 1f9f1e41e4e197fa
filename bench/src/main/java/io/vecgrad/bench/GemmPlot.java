package io.vecgrad.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * GFLOP/s of single-threaded f32 {@code C = A·B} ({@code GemmBench.gemm}) against the GEMM
 * shape, one line per implementation (vecgrad, OpenBLAS, netlib Java, EJML, the scalar twin
 * when present, PyTorch on one thread when the run has it). Shapes are ordered by flop count.
 * Written with XChart; callers must run headless ({@code java.awt.headless=true}).
 */
public final class GemmPlot {
    private GemmPlot() {}

    static final String BENCH = "GemmBench.gemm";

    /** Series name → (shape → GFLOP/s), shapes in flop order. */
    public static Map<String, Map<String, Double>> series(List<BenchResult> jmh, List<PeerResult> peers) {
        Map<String, Map<String, Double>> s = new TreeMap<>(Twins.variantOrder());
        for (BenchResult r : jmh) {
            if (!Twins.baseShortName(r).equals(BENCH)) { // DjlGemmBench.gemm included
                continue;
            }
            String shape = r.params().get("shape");
            double f = Flops.perOp(r).orElse(Double.NaN);
            if (shape == null || Double.isNaN(f)) {
                continue;
            }
            double us = PeersTable.micros(r.median(), r.unit());
            s.computeIfAbsent(Twins.variant(r), k -> new LinkedHashMap<>()).put(shape, f / us / 1e3);
        }
        for (PeerResult p : peers) {
            if (!p.bench().equals(BENCH) || p.threads() != 1 || !p.params().containsKey("shape")) {
                continue;
            }
            long[] mnk = Flops.gemmShape(p.params());
            if (mnk == null) {
                continue;
            }
            double f = 2.0 * mnk[0] * mnk[1] * mnk[2];
            s.computeIfAbsent(p.peer(), k -> new LinkedHashMap<>()).put(p.params().get("shape"), f / p.us() / 1e3);
        }
        return s;
    }

    /** Every shape of the series, by flop count (then name). */
    static List<String> shapes(Map<String, Map<String, Double>> series) {
        List<String> all = new ArrayList<>();
        series.values().forEach(m -> m.keySet().forEach(k -> {
            if (!all.contains(k)) {
                all.add(k);
            }
        }));
        all.sort(Comparator.<String>comparingDouble(sh -> {
            long[] mnk = Flops.gemmShape(Map.of("shape", sh));
            return mnk == null ? Double.MAX_VALUE : (double) mnk[0] * mnk[1] * mnk[2];
        }).thenComparing(Comparator.naturalOrder()));
        return all;
    }

    /** The chart, or null when the results hold no GEMM rows. */
    public static CategoryChart chart(String title, List<BenchResult> jmh, List<PeerResult> peers) {
        Map<String, Map<String, Double>> series = series(jmh, peers);
        if (series.isEmpty()) {
            return null;
        }
        List<String> shapes = shapes(series);
        CategoryChart chart = new CategoryChartBuilder().width(960).height(600).title(title)
                .xAxisTitle("GEMM shape (N = N×N×N, else M×N×K), by flop count")
                .yAxisTitle("GFLOP/s (single thread, f32)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setOverlapped(true); // every series at the category centre, not side by side
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Map.Entry<String, Map<String, Double>> e : series.entrySet()) {
            List<Double> y = new ArrayList<>();
            for (String sh : shapes) {
                y.add(e.getValue().get(sh)); // null where this impl has no result: a gap
            }
            chart.addSeries(e.getKey(), shapes, y);
        }
        return chart;
    }

    /** Writes the PNG; returns false (and writes nothing) when there are no GEMM rows. */
    public static boolean write(Path png, String title, List<BenchResult> jmh, List<PeerResult> peers)
            throws IOException {
        CategoryChart chart = chart(title, jmh, peers);
        if (chart == null) {
            return false;
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return true;
    }

    /** {@code X-peers.json} or {@code X.json} → {@code X-gemm.png} next to it. */
    public static Path pngFor(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        if (stem.endsWith("-peers")) {
            stem = stem.substring(0, stem.length() - 6);
        }
        return json.resolveSibling(stem + "-gemm.png");
    }
}
