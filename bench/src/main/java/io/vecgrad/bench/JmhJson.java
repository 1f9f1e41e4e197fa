package io.vecgrad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the JSON that JMH writes with {@code -rf json} into {@link BenchResult}s. */
public final class JmhJson {
    private JmhJson() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses a JMH JSON result file. */
    public static List<BenchResult> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JMH results " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses JMH JSON text (an array of benchmark objects). */
    public static List<BenchResult> parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JMH JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("not JMH JSON: expected a top-level array of benchmarks");
        }
        List<BenchResult> out = new ArrayList<>();
        for (JsonNode b : root) {
            out.add(parseOne(b));
        }
        return out;
    }

    private static BenchResult parseOne(JsonNode b) {
        String benchmark = text(b, "benchmark");
        String mode = text(b, "mode");
        Map<String, String> params = new TreeMap<>();
        JsonNode p = b.get("params");
        if (p != null && p.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = p.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode pm = b.get("primaryMetric");
        if (pm == null) {
            throw new IllegalArgumentException("benchmark " + benchmark + " has no primaryMetric");
        }
        double score = number(pm.get("score"));
        double error = number(pm.get("scoreError"));
        String unit = pm.path("scoreUnit").asText("");
        double median = score;
        double min = score;
        double max = score;
        JsonNode pct = pm.get("scorePercentiles");
        if (pct != null) {
            median = pct.has("50.0") ? number(pct.get("50.0")) : score;
            min = pct.has("0.0") ? number(pct.get("0.0")) : score;
            max = pct.has("100.0") ? number(pct.get("100.0")) : score;
        }
        double alloc = Double.NaN;
        JsonNode sec = b.get("secondaryMetrics");
        if (sec != null && sec.has("gc.alloc.rate.norm")) {
            alloc = number(sec.get("gc.alloc.rate.norm").get("score"));
        }
        return new BenchResult(benchmark, mode, new TreeMap<>(params), score, error, unit,
                median, min, max, alloc);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("JMH JSON entry lacks '" + field + "'");
        }
        return v.asText();
    }

    /** JMH writes "NaN" as a string when it has no error estimate. */
    private static double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
