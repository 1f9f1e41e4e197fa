package io.vecgrad.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.Architecture;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.Predictor;
import io.vecgrad.nn.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model as one self-describing file: a safetensors file whose tensors are the
 * module's parameters (as {@link Layer#save} writes them, so PyTorch's {@code safetensors}
 * loads it too) and whose {@code __metadata__} holds the architecture ({@link Architecture}
 * JSON), the task, the label names, the feature names, the input standardization and the
 * vecgrad version. {@link #load} rebuilds everything with no other code:
 *
 * <pre>{@code
 * Model m = Model.load(Path.of("runs/wine/model.safetensors"));
 * String[] labels = m.predictLabels(rows);   // raw feature rows; scaling is applied inside
 * }</pre>
 *
 * Predictions are thread-safe and allocation-free once warm (see {@link Predictor}).
 */
public final class Model {
    /** Format tag in the metadata. */
    public static final String FORMAT = "vecgrad-model-1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Layer module;
    private final DataSet.Task task;
    private final List<String> labelNames;
    private final List<String> featureNames;
    private final Standardizer standardizer;
    private final String target;
    private final String version;
    private final Predictor predictor;

    /**
     * A model bundle.
     *
     * @param standardizer applied to raw inputs before the module, or null
     * @param target       the target column's name in the training data, or null
     */
    public Model(Layer module, DataSet.Task task, List<String> labelNames, List<String> featureNames,
                 Standardizer standardizer, String target) {
        this(module, task, labelNames, featureNames, standardizer, target, version());
    }

    private Model(Layer module, DataSet.Task task, List<String> labelNames, List<String> featureNames,
                  Standardizer standardizer, String target, String version) {
        this.module = Objects.requireNonNull(module, "module");
        this.task = Objects.requireNonNull(task, "task");
        this.labelNames = List.copyOf(labelNames);
        this.featureNames = List.copyOf(featureNames);
        this.standardizer = standardizer;
        this.target = target;
        this.version = version;
        this.predictor = new Predictor(module);
    }

    /** The vecgrad version of this code (the jar's Implementation-Version or the build's), or "dev". */
    public static String version() {
        String v = Model.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        // run from target/classes (a reactor build, an IDE): the build writes version.properties
        try (var in = Model.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }

    /** Writes the bundle atomically to {@code file}. */
    public void save(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("vecgrad_version", version);
        meta.put("architecture", Architecture.toJson(module));
        meta.put("task", task.name().toLowerCase(java.util.Locale.ROOT));
        meta.put("labels", JSON.valueToTree(labelNames).toString());
        meta.put("features", JSON.valueToTree(featureNames).toString());
        if (target != null) {
            meta.put("target", target);
        }
        if (standardizer != null) {
            ObjectNode s = JSON.createObjectNode();
            ArrayNode mean = s.putArray("mean");
            ArrayNode std = s.putArray("std");
            for (double v : standardizer.mean()) {
                mean.add(v);
            }
            for (double v : standardizer.std()) {
                std.add(v);
            }
            meta.put("standardize", s.toString());
        }
        SafeTensors.save(new LinkedHashMap<>(module.stateDict()), meta, file);
    }

    /**
     * Loads a bundle: {@code path} is the file, or a run folder holding {@code model.safetensors}.
     *
     * @throws IOException if it is missing, not a vecgrad model bundle, or inconsistent
     */
    public static Model load(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("model.safetensors") : path;
        Map<String, String> meta = SafeTensors.metadata(file);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException("model: " + file + " is not a vecgrad model bundle (format " + meta.get("format")
                    + "; weights-only files load with Layer.load into a module you build)");
        }
        try {
            Layer module = Architecture.fromJson(meta.get("architecture"));
            module.loadStateDict(SafeTensors.load(file));
            DataSet.Task task = DataSet.Task.valueOf(meta.get("task").toUpperCase(java.util.Locale.ROOT));
            Standardizer st = null;
            if (meta.containsKey("standardize")) {
                JsonNode s = JSON.readTree(meta.get("standardize"));
                st = new Standardizer(doubles(s.get("mean")), doubles(s.get("std")));
            }
            return new Model(module, task, strings(meta.get("labels")), strings(meta.get("features")), st,
                    meta.get("target"), meta.getOrDefault("vecgrad_version", "?"));
        } catch (JacksonException | RuntimeException e) {
            throw new IOException("model: " + file + ": inconsistent bundle: " + e.getMessage(), e);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static List<String> strings(String json) throws JacksonException {
        List<String> out = new ArrayList<>();
        if (json != null) {
            for (JsonNode n : JSON.readTree(json)) {
                out.add(n.asText());
            }
        }
        return out;
    }

    /** The rebuilt module (in evaluation mode). */
    public Layer module() {
        return module;
    }

    /** Classification or regression. */
    public DataSet.Task task() {
        return task;
    }

    /** Class names by class index (empty: the names are the indices). */
    public List<String> labelNames() {
        return labelNames;
    }

    /** The name of class {@code c}. */
    public String labelName(int c) {
        return c < labelNames.size() ? labelNames.get(c) : Integer.toString(c);
    }

    /** Feature column names of the training data (may be empty). */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The number of input features: the standardizer's, else the feature names', else what the
     * first layer takes (a Linear's in_features, the size an Unflatten of dim 1 reshapes, as a
     * CNN on pixel rows starts), else the last dim of the first parameter, else -1 when unknown.
     */
    public int standardizerOrWidth() {
        if (standardizer != null) {
            return standardizer.features();
        }
        if (!featureNames.isEmpty()) {
            return featureNames.size();
        }
        try {
            JsonNode a = JSON.readTree(Architecture.toJson(module));
            while ("Sequential".equals(a.path("type").asText()) && !a.path("layers").isEmpty()) {
                a = a.path("layers").get(0);
            }
            if ("Linear".equals(a.path("type").asText())) {
                return a.path("in_features").asInt();
            }
            if ("Unflatten".equals(a.path("type").asText()) && a.path("dim").asInt() == 1) {
                int n = 1;
                for (JsonNode d : a.path("unflattened_size")) {
                    n *= d.asInt();
                }
                return n;
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // an unregistered layer type: fall back to the parameters
        }
        return module.parameters().stream().findFirst().map(t -> t.dim(-1)).orElse(-1);
    }

    /** The input standardization, or null. */
    public Standardizer standardizer() {
        return standardizer;
    }

    /** The training data's target column name, or null. */
    public String target() {
        return target;
    }

    /** The vecgrad version that wrote the bundle. */
    public String writtenBy() {
        return version;
    }

    /**
     * The module's outputs for raw (unscaled) feature rows: logits for classification, values
     * for regression. Thread-safe.
     */
    public float[][] predict(float[][] rows) {
        return predictor.predict(scaled(rows));
    }

    /** Class probabilities for raw feature rows (classification). Thread-safe. */
    public float[][] probabilities(float[][] rows) {
        return predictor.probabilities(scaled(rows));
    }

    /** The most probable class index of each raw feature row. Thread-safe. */
    public int[] classify(float[][] rows) {
        return predictor.classify(scaled(rows));
    }

    /** The most probable class name of each raw feature row. Thread-safe. */
    public String[] predictLabels(float[][] rows) {
        int[] c = classify(rows);
        String[] out = new String[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = labelName(c[i]);
        }
        return out;
    }

    private float[][] scaled(float[][] rows) {
        if (standardizer == null) {
            return rows;
        }
        float[][] s = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            s[i] = standardizer.applyInPlace(rows[i].clone());
        }
        return s;
    }

    /** Features of every row of {@code data} as float rows (for {@link #predict}). */
    public static float[][] rows(DataSet data) {
        float[][] r = new float[data.size()][data.features()];
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < r[i].length; j++) {
                r[i][j] = (float) data.feature(i, j);
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return "Model[" + task + ", " + labelNames.size() + " labels, " + featureNames.size() + " features, vecgrad "
                + version + "]\n" + module;
    }
}
