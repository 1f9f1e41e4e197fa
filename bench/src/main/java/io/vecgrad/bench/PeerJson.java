package io.vecgrad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of a peers run: {@code {"format": "vecgrad-peers/1", "meta": {...}, "jmh": [raw JMH
 * results], "peers": [peer documents]}}, where a peer document is what
 * {@code bench/peers/torch_peers.py} prints: {@code {"peer": "pytorch", "version": ..,
 * "results": [{"bench", "params", "threads", "us", "p25", "p75", "reps"}, ...]}}.
 * Keeping the raw JMH array and the raw peer documents means a saved run can be re-rendered
 * (and re-analysed) without re-running anything.
 */
public final class PeerJson {
    private PeerJson() {}

    /** Value of the {@code format} field. */
    public static final String FORMAT = "vecgrad-peers/1";

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A parsed peers run. */
    public record Run(Map<String, String> meta, List<BenchResult> jmh, List<PeerResult> peers,
                      List<String> peerVersions) {}

    /** Parses one peer document (the torch script's output). */
    public static List<PeerResult> parsePeerDoc(JsonNode doc) {
        String peer = doc.path("peer").asText("");
        if (peer.isEmpty() || !doc.path("results").isArray()) {
            throw new IllegalArgumentException("not a peer document: expected {\"peer\": .., \"results\": [..]}");
        }
        // Several versions of one peer (PyTorch 1.13 and 2.13) are told apart by their label.
        peer = doc.path("label").asText(peer);
        List<PeerResult> out = new ArrayList<>();
        for (JsonNode r : doc.get("results")) {
            Map<String, String> params = new TreeMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            out.add(new PeerResult(peer, r.path("bench").asText(), params, r.path("threads").asInt(1),
                    r.path("us").asDouble(Double.NaN), r.path("p25").asDouble(Double.NaN),
                    r.path("p75").asDouble(Double.NaN), r.path("reps").asLong(0)));
        }
        return out;
    }

    /** Parses a peer document from text. */
    public static List<PeerResult> parsePeerDoc(String json) {
        return parsePeerDoc(tree(json));
    }

    /** Builds the run document from the raw JMH array text and the raw peer documents. */
    public static ObjectNode runDocument(Map<String, String> meta, String jmhJson, List<String> peerDocs) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode m = root.putObject("meta");
        meta.forEach(m::put);
        JsonNode jmh = tree(jmhJson);
        if (!jmh.isArray()) {
            throw new IllegalArgumentException("JMH results must be an array");
        }
        root.set("jmh", jmh);
        ArrayNode peers = root.putArray("peers");
        for (String d : peerDocs) {
            peers.add(tree(d));
        }
        return root;
    }

    /** Parses a run document. */
    public static Run parseRun(String json) {
        JsonNode root = tree(json);
        if (!root.isObject() || !root.has("jmh")) {
            throw new IllegalArgumentException("not a peers run file: expected {\"format\": \"" + FORMAT
                    + "\", \"jmh\": [..], \"peers\": [..]}");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        root.path("meta").properties().forEach(e -> meta.put(e.getKey(), e.getValue().asText()));
        List<BenchResult> jmh = JmhJson.parse(root.get("jmh").toString());
        List<PeerResult> peers = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (JsonNode d : root.path("peers")) {
            peers.addAll(parsePeerDoc(d));
            JsonNode backend = d.path("backend");
            String blas = backend.isObject()
                    ? " (" + (backend.has("openblas_core") ? "OpenBLAS core " + backend.path("openblas_core").asText()
                            : "no OpenBLAS") + (backend.has("cpu_capability")
                            ? ", CPU capability " + backend.path("cpu_capability").asText() : "")
                            + (backend.path("mkl").asBoolean(false) ? ", MKL" : "") + ")"
                    : "";
            versions.add(d.path("peer").asText() + " " + d.path("version").asText("?") + blas);
        }
        return new Run(meta, jmh, peers, versions);
    }

    /**
     * Reads either a peers run file or a plain JMH result file (then without peers), so that
     * {@code plot} works on both.
     */
    public static Run read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode root = tree(text);
        if (root.isArray()) {
            return new Run(Map.of(), JmhJson.parse(text), List.of(), List.of());
        }
        return parseRun(text);
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }
}
