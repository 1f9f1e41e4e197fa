package io.vecgrad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The JMH JSON fixture and ways to doctor copies of it. */
final class Fixtures {
    private Fixtures() {}

    static final String GEMM = "io.vecgrad.bench.kernels.GemmBench.gemm";
    static final String SUM = "io.vecgrad.bench.kernels.ReduceBench.sum";
    static final String EXP = "io.vecgrad.bench.kernels.ElementwiseBench.exp";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String text() {
        try (InputStream in = Fixtures.class.getResourceAsStream("/jmh-fixture.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<BenchResult> results() {
        return JmhJson.parse(text());
    }

    /** A mutable tree of the fixture. */
    static ArrayNode tree() {
        try {
            return (ArrayNode) MAPPER.readTree(text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry of {@code benchmark} whose params equal {@code params}. */
    static ObjectNode entry(ArrayNode tree, String benchmark, Map<String, String> params) {
        for (JsonNode n : tree) {
            if (!n.get("benchmark").asText().equals(benchmark)) {
                continue;
            }
            JsonNode p = n.get("params");
            boolean all = params.entrySet().stream()
                    .allMatch(e -> p.has(e.getKey()) && p.get(e.getKey()).asText().equals(e.getValue()));
            if (all && p.size() == params.size()) {
                return (ObjectNode) n;
            }
        }
        throw new AssertionError("no fixture entry " + benchmark + " " + params);
    }

    /** Multiplies the primary score (and its percentiles) by {@code factor}, optionally setting the error. */
    static void scaleScore(ObjectNode entry, double factor, Double newError) {
        ObjectNode pm = (ObjectNode) entry.get("primaryMetric");
        pm.put("score", pm.get("score").asDouble() * factor);
        ObjectNode pct = (ObjectNode) pm.get("scorePercentiles");
        pct.properties().forEach(e -> pct.put(e.getKey(), e.getValue().asDouble() * factor));
        if (newError != null) {
            pm.put("scoreError", newError);
        }
    }

    static void setAlloc(ObjectNode entry, double bytesPerOp) {
        ((ObjectNode) entry.get("secondaryMetrics").get("gc.alloc.rate.norm")).put("score", bytesPerOp);
    }

    static List<BenchResult> parse(ArrayNode tree) {
        return JmhJson.parse(tree.toString());
    }
}
