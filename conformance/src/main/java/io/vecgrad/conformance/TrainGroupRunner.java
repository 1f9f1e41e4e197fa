package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.train.DataLoader;
import io.vecgrad.train.DataSet;
import io.vecgrad.train.Trainer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Runs the {@code train} group: a whole training run on the digits data (the shared README's
 * {@code train.json} section).
 *
 * <p>Per case and precision it
 * <ol>
 *   <li>reads the digits CSV (the copy bundled with {@code io.vecgrad.train}, or a file given to
 *       the constructor) and verifies every {@code data.checks} item: row and column counts,
 *       pixel sums and label counts per split, the first row, sha256 of the {@code .gz} bytes and
 *       of the CSV text. A difference fails the case naming the check;</li>
 *   <li>builds {@code Linear(64,32) → ReLU → Linear(32,10)} with {@link Sequential} and loads the
 *       case's {@code inputs} W1, b1, W2, b2 through {@link Layer#loadStateDict} (the mapping to
 *       state-dict keys comes from {@code model.params});</li>
 *   <li>trains with the project's own loop, {@link Trainer}, over a non-shuffling
 *       {@link DataLoader} (batches {@code [64k, min(64k+64, n))}), mean {@link CrossEntropyLoss}
 *       and the optimizer {@link OptimGroupRunner#optimizer} builds from {@code optimizer};
 *       the batch loss of every step is recorded by a {@link Trainer.Callback};</li>
 *   <li>compares {@code step_loss}, {@code initial_test_loss}, {@code final_test_loss},
 *       {@code final_train_loss} (whole-split means) and {@code final_param_sums} with the
 *       tolerance rule, and {@code test_correct} with {@code expected_accuracy}: within
 *       {@code check.test_correct_within} (±2) of PyTorch's float64 count.</li>
 * </ol>
 * The digits are read once per runner and shared by its cases.
 */
public final class TrainGroupRunner implements GroupRunner {

    /** Classpath resource of the bundled digits copy (next to {@link DataSet}). */
    public static final String BUNDLED_DIGITS = "digits.csv.gz";

    private static final Map<String, String> DEFAULT_PARAMS = Map.of("W1", "0.weight", "b1", "0.bias",
            "W2", "2.weight", "b2", "2.bias");

    private final Path dataFile;
    private Digits digits;
    private RuntimeException loadFailure;

    /** A runner reading the digits bundled with {@code io.vecgrad.train}. */
    public TrainGroupRunner() {
        this.dataFile = null;
    }

    /** A runner reading the digits from this file (gzip CSV, as the bundled copy). */
    public TrainGroupRunner(Path dataFile) {
        this.dataFile = Objects.requireNonNull(dataFile, "dataFile");
    }

    @Override
    public Set<String> groups() {
        return Set.of("train");
    }

    @Override
    public CaseResult run(AcceptCase c, Precision p) {
        JsonNode json = c.json();
        try {
            Digits d = digits();
            List<String> bad = d.verify(json.path("data").path("checks"), trainRange(json), testRange(json));
            if (!bad.isEmpty()) {
                return CaseResult.fail(c.id(), p, "data check " + bad.getFirst() + " (data: " + d.source + ")"
                        + (bad.size() > 1 ? " (+" + (bad.size() - 1) + " more)" : ""), bad);
            }
            return train(c, d, p);
        } catch (RuntimeException e) {
            return CaseResult.fail(c.id(), p, "threw " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    List.of());
        }
    }

    private CaseResult train(AcceptCase c, Digits d, Precision p) {
        JsonNode json = c.json();
        DType dt = p.dtype();
        String unsupported = unsupported(json);
        if (unsupported != null) {
            return CaseResult.fail(c.id(), p, unsupported, List.of());
        }
        int[] trainRows = trainRange(json);
        int[] testRows = testRange(json);
        DataSet scaled = d.set.scaleFeatures(1.0 / 16);
        DataSet train = scaled.rows(trainRows[0], trainRows[1]);
        DataSet test = scaled.rows(testRows[0], testRows[1]);

        // The model through the public nn API; its random init is replaced by the case's weights.
        Sequential model = new Sequential(new Linear(64, 32, true, new SplittableRandom(0), dt), new ReLU(),
                new Linear(32, 10, true, new SplittableRandom(0), dt));
        JsonNode keys = json.path("model").path("params");
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        for (JsonNode in : json.path("inputs")) {
            String name = in.path("name").asText();
            String key = keys.path(name).asText(DEFAULT_PARAMS.getOrDefault(name, name));
            state.put(key, Tensor.fromArray(dt, Interpreter.numbers(in.get("data"), dt),
                    Interpreter.ints(in.get("shape"))));
        }
        model.loadStateDict(state);
        List<Tensor> params = new ArrayList<>(state.size());
        LinkedHashMap<String, Tensor> named = model.namedParameters();
        for (String key : state.keySet()) {
            params.add(named.get(key));
        }

        CrossEntropyLoss loss = new CrossEntropyLoss();
        Optimizer opt = OptimGroupRunner.optimizer(json.path("optimizer"), model.parameters());
        int batch = json.path("batch_size").asInt(64);
        int epochs = json.path("epochs").asInt(3);
        DataLoader loader = DataLoader.builder(train).batchSize(batch).noShuffle().dtype(dt).build();
        List<Double> stepLoss = new ArrayList<>();

        Map<String, Value> got = new LinkedHashMap<>();
        got.put("initial_test_loss", scalar(evaluate(model, loss, test, dt).loss));
        Trainer<Indices> trainer = Trainer.builder(model, loss, opt, loader, DataLoader.Batch::labels)
                .epochs(epochs)
                .callback(new Trainer.Callback() {
                    @Override
                    public void onStep(long step, int epoch, int b, double l) {
                        stepLoss.add(l);
                    }
                })
                .build();
        try {
            trainer.fit();
        } catch (IOException e) { // only checkpointing does I/O, and none is configured
            throw new UncheckedIOException(e);
        }
        int steps = json.path("steps").asInt(epochs * loader.batchesPerEpoch());
        if (stepLoss.size() != steps) {
            return CaseResult.fail(c.id(), p, "the training loop took " + stepLoss.size() + " steps, the case "
                    + "specifies " + steps + " (" + epochs + " epochs of " + loader.batchesPerEpoch() + " batches)",
                    List.of());
        }
        got.put("step_loss", new Value(new int[] {steps}, stepLoss.stream().mapToDouble(Double::doubleValue)
                .toArray(), null));
        Eval finalTest = evaluate(model, loss, test, dt);
        Eval finalTrain = evaluate(model, loss, train, dt);
        got.put("final_test_loss", scalar(finalTest.loss));
        got.put("final_train_loss", scalar(finalTrain.loss));
        double[] sums = new double[params.size()];
        for (int i = 0; i < sums.length; i++) {
            sums[i] = params.get(i).sum().item();
        }
        got.put("final_param_sums", new Value(new int[] {sums.length}, sums, null));

        List<String> notes = new ArrayList<>();
        Tolerance tol = c.tolerance(p);
        for (Map.Entry<String, JsonNode> e : json.path("expected").properties()) {
            Value v = got.get(e.getKey());
            String m = v == null ? e.getKey() + ": not produced by a train run"
                    : Expectations.compare(e.getKey(), v, e.getValue(), tol, p);
            if (m != null) {
                notes.add(m);
            }
        }
        JsonNode acc = json.path("expected_accuracy");
        String accuracy = "test_correct " + finalTest.correct + "/" + test.size();
        if (acc.has("test_correct")) {
            int want = acc.path("test_correct").path("f64").asInt();
            int within = acc.path("check").path("test_correct_within").asInt(2);
            accuracy += " (PyTorch " + want + ")";
            if (Math.abs(finalTest.correct - want) > within) {
                notes.add("test_correct: expected " + want + " ± " + within + " of " + test.size()
                        + " (PyTorch f64), got " + finalTest.correct);
            }
        }
        String info = accuracy + ", train_correct " + finalTrain.correct + "/" + train.size()
                + (acc.path("train_correct").has("f64") ? " (PyTorch " + acc.path("train_correct").path("f64").asInt()
                        + ")" : "")
                + ", min test margin " + Expectations.sci(finalTest.minMargin);
        if (notes.isEmpty()) {
            return new CaseResult(c.id(), p, CaseResult.Status.PASS, accuracy, List.of(info));
        }
        notes.add(info);
        return CaseResult.fail(c.id(), p, notes.getFirst()
                + (notes.size() > 2 ? " (+" + (notes.size() - 2) + " more)" : ""), notes);
    }

    /** Why this runner cannot run a case as specified, or null. */
    private static String unsupported(JsonNode json) {
        if (json.path("shuffle").asBoolean(false)) {
            return "train: shuffle=true is not part of the train group (batches are in file order)";
        }
        JsonNode l = json.path("loss");
        if (!l.isMissingNode() && (!l.path("type").asText("cross_entropy").equals("cross_entropy")
                || !l.path("reduction").asText("mean").equals("mean"))) {
            return "train: only the mean cross-entropy loss is supported, the case asks for " + l;
        }
        JsonNode layers = json.path("model").path("layers");
        if (!layers.isMissingNode() && !layers.toString().equals("[\"Linear(64, 32)\",\"ReLU\",\"Linear(32, 10)\"]")) {
            return "train: only the model Linear(64, 32) -> ReLU -> Linear(32, 10) is supported, the case asks for "
                    + layers;
        }
        return null;
    }

    /** {@code data.train}: the train lines {@code [from, to)}, by default the README's [0, 1437). */
    private static int[] trainRange(JsonNode json) {
        return range(json.path("data").path("train"), 0, 1437);
    }

    /** {@code data.test}: the test lines {@code [from, to)}, by default the README's [1437, 1797). */
    private static int[] testRange(JsonNode json) {
        return range(json.path("data").path("test"), 1437, 1797);
    }

    private static int[] range(JsonNode r, int from, int to) {
        return r.isArray() && r.size() == 2 ? new int[] {r.get(0).asInt(), r.get(1).asInt()} : new int[] {from, to};
    }

    private static Value scalar(double v) {
        return new Value(new int[0], new double[] {v}, null);
    }

    /** Loss (mean over the set), correct count and smallest top-1/top-2 logit margin. */
    private record Eval(double loss, int correct, double minMargin) {}

    private static Eval evaluate(Layer model, CrossEntropyLoss loss, DataSet set, DType dt) {
        try (var _ = Tensor.noGrad()) {
            Tensor logits = model.forward(set.featureTensor(dt));
            Indices labels = set.labelIndices();
            double l = loss.apply(logits, labels).item();
            Indices pred = logits.argmax(1);
            double[] z = logits.toDoubleArray();
            int classes = logits.dim(1);
            int correct = 0;
            double margin = Double.POSITIVE_INFINITY;
            for (int i = 0; i < set.size(); i++) {
                correct += pred.get(i) == labels.get(i) ? 1 : 0;
                double top = Double.NEGATIVE_INFINITY;
                double second = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    double v = z[i * classes + k];
                    if (v > top) {
                        second = top;
                        top = v;
                    } else if (v > second) {
                        second = v;
                    }
                }
                margin = Math.min(margin, top - second);
            }
            return new Eval(l, correct, margin);
        }
    }

    // ================================================================================= data

    private Digits digits() {
        if (digits == null && loadFailure == null) {
            try {
                digits = dataFile == null ? Digits.read(io.vecgrad.train.Datasets.open(BUNDLED_DIGITS),
                        "bundled:io/vecgrad/train/" + BUNDLED_DIGITS) : Digits.read(Files.newInputStream(dataFile),
                        dataFile.toString());
            } catch (IOException e) {
                loadFailure = new UncheckedIOException("train: cannot read the digits data "
                        + (dataFile == null ? "bundled with io.vecgrad.train" : dataFile) + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                loadFailure = e;
            }
        }
        if (loadFailure != null) {
            throw loadFailure;
        }
        return digits;
    }

    /** The digits as read: the parsed rows (raw pixel values) and the digests of what was read. */
    private record Digits(DataSet set, String sha256Gz, String sha256Csv, String source) {

        static Digits read(InputStream in, String source) throws IOException {
            if (in == null) {
                throw new IOException(source + " is missing from the classpath");
            }
            byte[] raw;
            try (in) {
                raw = in.readAllBytes();
            }
            boolean gz = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
            byte[] csv;
            if (gz) {
                try (InputStream g = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    csv = g.readAllBytes();
                }
            } else {
                csv = raw;
            }
            DataSet set = DataSet.readCsv(new ByteArrayInputStream(raw), source, DataSet.Task.CLASSIFICATION, 10);
            return new Digits(set, gz ? sha256(raw) : null, sha256(csv), source);
        }

        /** Every {@code data.checks} item that differs from what was read, as {@code name: expected ..., got ...}. */
        List<String> verify(JsonNode checks, int[] train, int[] test) {
            List<String> bad = new ArrayList<>();
            int n = set.size();
            // a split as read: the part of [from, to) that the file holds
            int trA = Math.min(train[0], n);
            int trB = Math.min(train[1], n);
            int teA = Math.min(test[0], n);
            int teB = Math.min(test[1], n);
            for (Map.Entry<String, JsonNode> e : checks.properties()) {
                String k = e.getKey();
                JsonNode want = e.getValue();
                Object got;
                switch (k) {
                    case "rows" -> got = (long) n;
                    case "columns" -> got = (long) set.features() + 1;
                    case "train_rows" -> got = (long) (trB - trA);
                    case "test_rows" -> got = (long) (teB - teA);
                    case "pixel_sum" -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("all", pixelSum(0, n));
                        m.put("train", pixelSum(trA, trB));
                        m.put("test", pixelSum(teA, teB));
                        got = m;
                    }
                    case "label_counts" -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("train", labelCounts(trA, trB));
                        m.put("test", labelCounts(teA, teB));
                        got = m;
                    }
                    case "first_row" -> {
                        List<Long> r = new ArrayList<>();
                        for (int j = 0; j < set.features(); j++) {
                            r.add((long) set.feature(0, j));
                        }
                        r.add((long) set.target(0));
                        got = r;
                    }
                    case "sha256_gz" -> got = sha256Gz == null ? "(not gzip-compressed)" : sha256Gz;
                    case "sha256_csv" -> got = sha256Csv;
                    default -> {
                        bad.add(k + ": unknown check, cannot verify it");
                        continue;
                    }
                }
                Object w = CaseFiles.JSON.convertValue(want, Object.class);
                if (!same(w, got)) {
                    bad.add(k + ": expected " + want + ", got " + CaseFiles.JSON.valueToTree(got));
                }
            }
            return bad;
        }

        private long pixelSum(int from, int to) {
            long s = 0;
            for (int i = from; i < to; i++) {
                for (int j = 0; j < set.features(); j++) {
                    s += (long) set.feature(i, j);
                }
            }
            return s;
        }

        private List<Long> labelCounts(int from, int to) {
            long[] c = new long[set.classes()];
            for (int i = from; i < to; i++) {
                c[(int) set.target(i)]++;
            }
            return java.util.Arrays.stream(c).boxed().toList();
        }

        /** Structural equality of a parsed JSON value and a computed one (numbers by value). */
        private static boolean same(Object want, Object got) {
            if (want instanceof Number a && got instanceof Number b) {
                return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString())) == 0;
            }
            if (want instanceof List<?> a && got instanceof List<?> b) {
                if (a.size() != b.size()) {
                    return false;
                }
                for (int i = 0; i < a.size(); i++) {
                    if (!same(a.get(i), b.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            if (want instanceof Map<?, ?> a && got instanceof Map<?, ?> b) { // each expected key must match
                for (Object key : a.keySet()) {
                    if (!b.containsKey(key) || !same(a.get(key), b.get(key))) {
                        return false;
                    }
                }
                return true;
            }
            return Objects.equals(want, got);
        }

        private static String sha256(byte[] b) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }
    }
}
