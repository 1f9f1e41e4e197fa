package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads acceptance case files: the ones bundled in this jar under
 * {@code /acceptance/cases/}, or files and folders on disk.
 *
 * <p>Floats are parsed as exact decimals ({@code BigDecimal}), so that an input written as the
 * decimal of a float32 value becomes exactly that float in f32, and a decimal like {@code 0.1}
 * in the course-notes seeds becomes the float nearest it (not the float nearest the double
 * nearest it), as the README specifies.
 */
public final class CaseFiles {
    private CaseFiles() {}

    /** Resource folder of the bundled cases. */
    public static final String RESOURCE_DIR = "/acceptance/cases/";

    /** The bundled case files, in the order they are run. Keep in sync with the resource folder. */
    public static final List<String> BUNDLED = List.of("seeds.json", "ops.json", "losses.json", "errors.json",
            "optim.json", "layers.json");

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Every case of every bundled file. */
    public static List<AcceptCase> bundled() {
        List<AcceptCase> all = new ArrayList<>();
        for (String name : BUNDLED) {
            try (InputStream in = CaseFiles.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("accept: bundled case file " + RESOURCE_DIR + name
                            + " is missing from the classpath");
                }
                all.addAll(parse(JSON.readTree(in), "bundled:" + name));
            } catch (IOException e) {
                throw new UncheckedIOException("accept: cannot read bundled case file " + name, e);
            }
        }
        return all;
    }

    /**
     * Every case of these files; a folder contributes its {@code *.json} files (sorted by name,
     * not recursive).
     *
     * @throws UncheckedIOException if a path cannot be read
     * @throws IllegalArgumentException if a file is not a case file
     */
    public static List<AcceptCase> load(List<Path> paths) {
        List<AcceptCase> all = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(p)) {
                    files = s.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                            .sorted().toList();
                } catch (IOException e) {
                    throw new UncheckedIOException("accept: cannot list folder " + p, e);
                }
                if (files.isEmpty()) {
                    throw new IllegalArgumentException("accept: no *.json case files in folder " + p);
                }
                for (Path f : files) {
                    all.addAll(load(f));
                }
            } else {
                all.addAll(load(p));
            }
        }
        return all;
    }

    /** Every case of one file. */
    public static List<AcceptCase> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("accept: no such case file: " + file);
        }
        try {
            return parse(JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("accept: cannot read case file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The cases of a parsed case file object. */
    static List<AcceptCase> parse(JsonNode root, String source) {
        if (root == null || !root.isObject() || !root.path("cases").isArray()) {
            throw new IllegalArgumentException("accept: " + source + " is not a case file (expected a JSON object "
                    + "with a 'cases' array)");
        }
        String fileGroup = root.path("group").asText("");
        List<AcceptCase> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String id = c.path("id").asText("");
            if (id.isEmpty()) {
                throw new IllegalArgumentException("accept: a case in " + source + " has no id");
            }
            String group = !fileGroup.isEmpty() ? fileGroup
                    : id.contains("/") ? id.substring(0, id.indexOf('/')) : "";
            out.add(new AcceptCase(id, group, c, source));
        }
        if (root.has("count") && root.get("count").asInt() != out.size()) {
            throw new IllegalArgumentException("accept: " + source + " declares " + root.get("count").asInt()
                    + " cases but holds " + out.size() + " (truncated or edited file?)");
        }
        return out;
    }
}
