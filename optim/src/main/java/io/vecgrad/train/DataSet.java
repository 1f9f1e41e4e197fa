package io.vecgrad.train;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * An in-memory table of numeric features with one target per row: class indices
 * (classification) or real values (regression). Rows are kept as a dense row-major
 * {@code double[]}; {@link DataLoader} copies batches out of it into tensors.
 *
 * <p>CSV input: one row per line, numeric feature columns, the target in the last column, no
 * header (a first line that is not numeric is an error naming it, unless {@code header} is
 * set), optionally gzip-compressed ({@code .gz}). Every problem is reported as
 * {@code FILE:LINE:COLUMN: what} and nothing is returned.
 */
public final class DataSet {
    /** What the last column holds. */
    public enum Task {
        /** Integer class labels 0..C-1. */
        CLASSIFICATION,
        /** Real-valued targets. */
        REGRESSION
    }

    private final double[] x;
    private final double[] y;
    private final int rows;
    private final int features;
    private final Task task;
    private final int classes;

    private final List<String> featureNames;
    private final List<String> labelNames;

    private DataSet(double[] x, double[] y, int rows, int features, Task task, int classes) {
        this(x, y, rows, features, task, classes, List.of(), List.of());
    }

    DataSet(double[] x, double[] y, int rows, int features, Task task, int classes, List<String> featureNames,
            List<String> labelNames) {
        this.x = x;
        this.y = y;
        this.rows = rows;
        this.features = features;
        this.task = task;
        this.classes = classes;
        this.featureNames = List.copyOf(featureNames);
        this.labelNames = List.copyOf(labelNames);
    }

    /** The same rows with new feature values {@code [size * features]} (names, targets kept). */
    DataSet withFeatures(double[] nx) {
        return new DataSet(nx, y, rows, features, task, classes, featureNames, labelNames);
    }

    /** Column names of the features (from the CSV header), or an empty list. */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The original label of each class index (e.g. {@code "class_0"}, or {@code "1"} for numeric
     * labels 1..3 mapped to classes 0..2), or an empty list when labels are the class indices.
     */
    public List<String> labelNames() {
        return labelNames;
    }

    /** The name of class {@code c}: its original label, or the index itself. */
    public String labelName(int c) {
        return c < labelNames.size() ? labelNames.get(c) : Integer.toString(c);
    }

    /** A classification set from feature rows and labels in {@code [0, classes)}. */
    public static DataSet classification(double[][] features, int[] labels, int classes) {
        if (features.length != labels.length) {
            throw new IllegalArgumentException("dataset: " + features.length + " feature rows but "
                    + labels.length + " labels");
        }
        double[] y = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("dataset: label " + labels[i] + " of row " + i
                        + " is outside [0, " + classes + ")");
            }
            y[i] = labels[i];
        }
        return new DataSet(flatten(features), y, features.length, width(features), Task.CLASSIFICATION, classes);
    }

    /** A regression set from feature rows and targets. */
    public static DataSet regression(double[][] features, double[] targets) {
        if (features.length != targets.length) {
            throw new IllegalArgumentException("dataset: " + features.length + " feature rows but "
                    + targets.length + " targets");
        }
        return new DataSet(flatten(features), targets.clone(), features.length, width(features), Task.REGRESSION, 0);
    }

    private static int width(double[][] rows) {
        return rows.length == 0 ? 0 : rows[0].length;
    }

    private static double[] flatten(double[][] rows) {
        int w = width(rows);
        double[] out = new double[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != w) {
                throw new IllegalArgumentException("dataset: row " + i + " has " + rows[i].length
                        + " features, row 0 has " + w);
            }
            System.arraycopy(rows[i], 0, out, i * w, w);
        }
        return out;
    }

    /**
     * Reads a headerless CSV file (plain or {@code .gz}) with the target in the last column:
     * {@link CsvReader} with {@code header(false)}, this task and these classes. Use
     * {@link CsvReader#builder()} for headers, named targets, string labels and task inference.
     *
     * @param classes for classification, the number of classes (labels must be in
     *                {@code [0, classes)}), or 0 to map the distinct labels to classes
     * @throws DataFormatException naming file, line and column on any malformed input
     */
    public static DataSet readCsv(Path file, Task task, int classes) throws IOException {
        return CsvReader.builder().header(false).task(task).classes(classes).build().read(file);
    }

    /** {@link #readCsv(Path, Task, int)} from a stream (gzip detected); {@code name} is used in errors. */
    public static DataSet readCsv(InputStream raw, String name, Task task, int classes) throws IOException {
        return CsvReader.builder().header(false).task(task).classes(classes).build().read(raw, name);
    }

    /** Number of rows. */
    public int size() {
        return rows;
    }

    /** Number of feature columns. */
    public int features() {
        return features;
    }

    /** Classification or regression. */
    public Task task() {
        return task;
    }

    /** Number of classes (0 for regression). */
    public int classes() {
        return classes;
    }

    /** Feature {@code j} of row {@code i}. */
    public double feature(int i, int j) {
        return x[i * features + j];
    }

    /** Target of row {@code i} (the class index as a double for classification). */
    public double target(int i) {
        return y[i];
    }

    /** The rows at these indices, in this order. */
    public DataSet subset(int[] idx) {
        double[] nx = new double[idx.length * features];
        double[] ny = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(x, idx[i] * features, nx, i * features, features);
            ny[i] = y[idx[i]];
        }
        return new DataSet(nx, ny, idx.length, features, task, classes, featureNames, labelNames);
    }

    /** Rows {@code [from, to)}. */
    public DataSet rows(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IndexOutOfBoundsException("dataset: rows [" + from + ", " + to + ") of " + rows);
        }
        int[] idx = new int[to - from];
        Arrays.setAll(idx, i -> from + i);
        return subset(idx);
    }

    /** A train/test pair. */
    public record Split(DataSet train, DataSet test) {}

    /**
     * A seeded random split: {@code testFraction} of the rows (rounded) go to the test set.
     * The same seed always gives the same split.
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("split: test fraction must be in (0, 1), got " + testFraction);
        }
        int[] perm = permutation(rows, new SplittableRandom(seed));
        int nTest = (int) Math.round(rows * testFraction);
        return new Split(subset(Arrays.copyOfRange(perm, nTest, rows)), subset(Arrays.copyOf(perm, nTest)));
    }

    /** Features multiplied by {@code s} (e.g. 1/16 for 4-bit pixels). */
    public DataSet scaleFeatures(double s) {
        double[] nx = x.clone();
        for (int i = 0; i < nx.length; i++) {
            nx[i] *= s;
        }
        return withFeatures(nx);
    }

    /** A Fisher-Yates permutation of {@code 0..n-1}. */
    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** All features as a tensor {@code [size, features]}. */
    public Tensor featureTensor(DType dtype) {
        return Tensor.fromArray(dtype, x, rows, features);
    }

    /** All class labels (classification only). */
    public Indices labelIndices() {
        requireTask(Task.CLASSIFICATION, "labelIndices");
        long[] l = new long[rows];
        for (int i = 0; i < rows; i++) {
            l[i] = (long) y[i];
        }
        return Indices.of(l, rows);
    }

    /** All regression targets as a tensor {@code [size, 1]}. */
    public Tensor targetTensor(DType dtype) {
        requireTask(Task.REGRESSION, "targetTensor");
        return Tensor.fromArray(dtype, y, rows, 1);
    }

    void requireTask(Task t, String op) {
        if (task != t) {
            throw new IllegalStateException(op + ": dataset is for " + task.name().toLowerCase() + ", not "
                    + t.name().toLowerCase());
        }
    }

    double[] rawFeatures() {
        return x;
    }

    private float[] xF32;

    /**
     * The features rounded to float once, for f32 loaders: a batch is then a gather of rows
     * ({@link io.vecgrad.engine.Buffer#copyRowsFrom}) instead of a gather into doubles and a
     * rounding pass (a tenth of a batch-256 step of the 784 MLP, JFR of SparkScaling local[1]).
     * The rounding is the one {@code copyFrom(double[])} does, so batches have the same bits.
     */
    synchronized float[] rawFeaturesF32() {
        if (xF32 == null) {
            float[] f = new float[x.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) x[i];
            }
            xF32 = f;
        }
        return xF32;
    }

    double[] rawTargets() {
        return y;
    }
}
