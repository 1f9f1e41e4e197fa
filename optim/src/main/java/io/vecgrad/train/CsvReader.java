package io.vecgrad.train;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.LoggerFactory;

/**
 * Reads a CSV table into a {@link DataSet}, parsed by Apache Commons CSV (RFC 4180 quoting, so
 * {@code "1,5"}-style quoted cells and quoted numbers work), plain or gzip-compressed, with or
 * without a UTF-8 byte-order mark.
 *
 * <pre>{@code
 * DataSet wine = CsvReader.builder().target("class").build().read(Path.of("wine.csv"));
 * }</pre>
 *
 * <ul>
 *   <li><b>Header</b>: detected (a first row with a non-numeric cell above a numeric one, or with
 *       no numeric cell at all) unless {@link Builder#header(boolean)} says.</li>
 *   <li><b>Target</b>: the last column unless {@link Builder#target(String)} names a header
 *       column or {@link Builder#targetIndex(int)} gives its 0-based index (negative: from the
 *       end). Every other column is a numeric feature.</li>
 *   <li><b>Task</b>: inferred unless {@link Builder#task} is set, and then checked: string
 *       labels, or integer labels with few distinct values (at most {@code max(10, rows/20)}),
 *       mean classification; non-integer or many-valued numbers mean regression. A task that
 *       contradicts the data is an error, not a silent run.</li>
 *   <li><b>Labels</b>: the distinct labels, sorted (numerically when they are numbers), become
 *       classes {@code 0..C-1}, and the original labels are kept as
 *       {@link DataSet#labelNames()}. Integer labels that are not exactly {@code 0..C-1} (say
 *       1..3, or 0, 1, 3) are mapped the same way and a warning says so. With
 *       {@link Builder#classes(int)} labels must already be class indices in {@code [0, C)}.</li>
 *   <li><b>Missing values</b> (an empty cell, {@code NA}, {@code NaN}, {@code ?}, ...) and
 *       non-numeric features are refused as {@link DataFormatException} naming
 *       {@code FILE:LINE:COLUMN}; nothing is returned.</li>
 * </ul>
 *
 * Warnings go to the consumer given to {@link Builder#warnings}, by default to the SLF4J logger
 * {@code io.vecgrad.train.CsvReader}.
 */
public final class CsvReader {
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "none", "?", "-");

    private final Boolean header;
    private final String targetName;
    private final Integer targetIndex;
    private final DataSet.Task task;
    private final int classes;
    private final Consumer<String> warnings;

    private CsvReader(Builder b) {
        this.header = b.header;
        this.targetName = b.targetName;
        this.targetIndex = b.targetIndex;
        this.task = b.task;
        this.classes = b.classes;
        this.warnings = b.warnings;
    }

    /** A builder with the defaults: detect the header, target = last column, infer the task. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link CsvReader}. */
    public static final class Builder {
        private Boolean header;
        private String targetName;
        private Integer targetIndex;
        private DataSet.Task task;
        private int classes;
        // looked up on first warning only: SLF4J without a binding prints a notice when first used
        private Consumer<String> warnings = w -> LoggerFactory.getLogger(CsvReader.class).warn(w);

        private Builder() {}

        /** Whether the first row is a header (default: detected). */
        public Builder header(boolean present) {
            this.header = present;
            return this;
        }

        /** The target column by its header name. */
        public Builder target(String name) {
            this.targetName = Objects.requireNonNull(name, "name");
            this.targetIndex = null;
            return this;
        }

        /** The target column by 0-based index; negative counts from the end (-1 = last, the default). */
        public Builder targetIndex(int index) {
            this.targetIndex = index;
            this.targetName = null;
            return this;
        }

        /** The task the caller expects (default null: inferred); a mismatch with the data is an error. */
        public Builder task(DataSet.Task t) {
            this.task = t;
            return this;
        }

        /** Labels are class indices in {@code [0, n)} (n > 0), taken as they are; 0 = infer the classes. */
        public Builder classes(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("CsvReader: classes must be >= 0, got " + n);
            }
            this.classes = n;
            return this;
        }

        /** Where warnings (label gaps, remapped labels) go; default: the SLF4J logger. */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The reader. */
        public CsvReader build() {
            return new CsvReader(this);
        }
    }

    /**
     * Reads a file (gzip detected by its magic bytes).
     *
     * @throws FileNotFoundException if it does not exist
     * @throws DataFormatException naming file, line and column on any malformed input
     */
    public DataSet read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads from a stream (not closed); {@code name} is used in messages. */
    public DataSet read(InputStream raw, String name) throws IOException {
        Cells t = cells(raw, name);
        List<String[]> cells = t.rows;
        List<Integer> lines = t.lines;
        String[] names = t.names;
        int first = t.first;
        int width = t.width;
        if (width < 2) {
            throw new DataFormatException(name, lines.get(0), 1, "expected at least 2 columns (features, then the "
                    + "target), found " + width);
        }
        int target = targetColumn(name, names, width);
        int n = cells.size() - first;
        int f = width - 1;
        double[] x = new double[n * f];
        String[] rawTargets = new String[n];
        int[] targetLines = new int[n];
        for (int i = 0; i < n; i++) {
            String[] row = cells.get(first + i);
            int ln = lines.get(first + i);
            if (row.length != width) {
                throw new DataFormatException(name, ln, Math.min(row.length, width) + 1, "expected " + width
                        + " columns like line " + lines.get(0) + ", found " + row.length);
            }
            for (int c = 0, j = 0; c < width; c++) {
                String s = row[c];
                if (MISSING.contains(s.toLowerCase(Locale.ROOT))) {
                    throw new DataFormatException(name, ln, c + 1, "missing value" + (s.isEmpty() ? "" : " '" + s + "'")
                            + (names != null ? " in column '" + names[c] + "'" : "")
                            + "; vecgrad does not impute: fill or drop the row first");
                }
                if (c == target) {
                    rawTargets[i] = s;
                    targetLines[i] = ln;
                    continue;
                }
                x[i * f + j++] = feature(name, names, s, ln, c);
            }
        }
        List<String> featureNames = new ArrayList<>();
        if (names != null) {
            for (int c = 0; c < width; c++) {
                if (c != target) {
                    featureNames.add(names[c]);
                }
            }
        }
        String targetLabel = names != null ? "'" + names[target] + "'" : "column " + (target + 1);
        return targets(name, x, n, f, rawTargets, targetLines, target + 1, targetLabel, featureNames);
    }

    /** A finite number in feature cell (line {@code ln}, 0-based column {@code c}), or a DataFormatException. */
    private static double feature(String name, String[] names, String s, int ln, int c) throws DataFormatException {
        double d = parse(s);
        if (Double.isNaN(d)) {
            throw new DataFormatException(name, ln, c + 1, "'" + s + "' is not a number"
                    + (names != null ? " (feature column '" + names[c] + "')" : ""));
        }
        if (Double.isInfinite(d)) {
            throw new DataFormatException(name, ln, c + 1, "value " + s + " is not finite");
        }
        return d;
    }

    /**
     * A file's columns as {@link #read} sees them.
     *
     * @param names the header row's names, empty when the file has no header row
     * @param count the number of columns
     */
    public record Columns(List<String> names, int count) {
        /** Copies the names. */
        public Columns {
            names = List.copyOf(names);
        }
    }

    /** The header (detected or as {@link Builder#header} says) and width of a file. */
    public Columns columns(Path file) throws IOException {
        Cells t = cells(file);
        return new Columns(t.names == null ? List.of() : List.of(t.names), t.width);
    }

    /** The header and width of a stream (not closed); {@code name} is used in messages. */
    public Columns columns(InputStream raw, String name) throws IOException {
        Cells t = cells(raw, name);
        return new Columns(t.names == null ? List.of() : List.of(t.names), t.width);
    }

    /**
     * Reads rows of features only, with no target column: new data to predict on. Every cell
     * must be a number (missing values and text are refused naming FILE:LINE:COLUMN).
     *
     * <p>When {@code featureNames} is not empty (a model's, from training data with a header)
     * and the file has a header row, the columns are picked by name, in {@code featureNames}'
     * order; a missing or an unknown column is an error that lists them. Otherwise the file's
     * columns are the features in order and there must be {@code featureCount} of them.
     *
     * @return one row of {@code featureCount} values per data row of the file
     */
    public double[][] readFeatures(Path file, List<String> featureNames, int featureCount) throws IOException {
        String name = file.toString();
        Cells t = cells(file);
        int[] pick = new int[featureCount];
        if (!featureNames.isEmpty() && t.names != null) {
            if (featureNames.size() != featureCount) {
                throw new IllegalArgumentException("readFeatures: " + featureNames.size() + " feature names for "
                        + featureCount + " features");
            }
            List<String> have = List.of(t.names);
            List<String> missing = new ArrayList<>();
            for (int j = 0; j < featureCount; j++) {
                pick[j] = have.indexOf(featureNames.get(j));
                if (pick[j] < 0) {
                    missing.add(featureNames.get(j));
                }
            }
            List<String> unknown = new ArrayList<>(have);
            unknown.removeAll(featureNames);
            if (!missing.isEmpty() || !unknown.isEmpty()) {
                throw new DataFormatException(name, t.lines.get(0), 1, "the columns do not match the model's features"
                        + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
                        + (unknown.isEmpty() ? "" : "; not features of the model: " + String.join(", ", unknown))
                        + "; the model takes " + String.join(", ", featureNames));
            }
        } else {
            if (t.width != featureCount) {
                throw new DataFormatException(name, t.lines.get(0), 1, "expected " + featureCount
                        + " feature columns (the model's), found " + t.width);
            }
            for (int j = 0; j < featureCount; j++) {
                pick[j] = j;
            }
        }
        int n = t.rows.size() - t.first;
        double[][] x = new double[n][featureCount];
        for (int i = 0; i < n; i++) {
            String[] row = t.rows.get(t.first + i);
            int ln = t.lines.get(t.first + i);
            if (row.length != t.width) {
                throw new DataFormatException(name, ln, Math.min(row.length, t.width) + 1, "expected " + t.width
                        + " columns like line " + t.lines.get(0) + ", found " + row.length);
            }
            for (int j = 0; j < featureCount; j++) {
                String v = row[pick[j]];
                if (MISSING.contains(v.toLowerCase(Locale.ROOT))) {
                    throw new DataFormatException(name, ln, pick[j] + 1, "missing value"
                            + (v.isEmpty() ? "" : " '" + v + "'")
                            + (t.names != null ? " in column '" + t.names[pick[j]] + "'" : "")
                            + "; vecgrad does not impute: fill or drop the row first");
                }
                x[i][j] = feature(name, t.names, v, ln, pick[j]);
            }
        }
        return x;
    }

    private Cells cells(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return cells(in, file.toString());
        }
    }

    /** The parsed table: rows of cells (header row included), their first lines, the header. */
    private record Cells(List<String[]> rows, List<Integer> lines, String[] names, int first, int width) {}

    private Cells cells(InputStream raw, String name) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        in.mark(3);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in));
            in.mark(3);
            b0 = in.read();
            b1 = in.read();
            b2 = in.read();
            in.reset();
        }
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            in.skipNBytes(3); // UTF-8 byte-order mark (Excel writes one)
        }
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        // blank lines are kept as records so that line numbers can be counted: each record
        // starts one line after the previous one, plus the line breaks quoted inside it
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).setTrim(true).get();
        List<String[]> cells = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int line = 0;
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            for (CSVRecord r : parser) {
                String[] v = r.values();
                line++;
                if (!(v.length == 1 && v[0].isEmpty())) {
                    cells.add(v);
                    lines.add(line);
                }
                line += countNewlines(v);
            }
        } catch (java.io.UncheckedIOException e) {
            throw new DataFormatException(name, Math.max(1, line), 1, "not valid CSV: " + e.getCause().getMessage());
        }
        if (cells.isEmpty()) {
            throw new DataFormatException(name, Math.max(1, line), 1, "the file holds no data rows");
        }
        boolean hasHeader = header != null ? header : looksLikeHeader(cells);
        String[] names = hasHeader ? cells.get(0) : null;
        int first = hasHeader ? 1 : 0;
        int width = cells.get(0).length;
        if (cells.size() == first) {
            throw new DataFormatException(name, lines.get(0) + 1, 1, "the file holds no data rows");
        }
        return new Cells(cells, lines, names, first, width);
    }

    private static int countNewlines(String[] v) {
        int n = 0;
        for (String s : v) {
            for (int i = 0; i < s.length(); i++) {
                n += s.charAt(i) == '\n' ? 1 : 0;
            }
        }
        return n;
    }

    private DataSet targets(String name, double[] x, int n, int f, String[] raw, int[] lines, int col,
                            String targetLabel, List<String> featureNames) throws DataFormatException {
        double[] values = new double[n];
        int firstText = -1;
        int firstFraction = -1;
        for (int i = 0; i < n; i++) {
            double d = parse(raw[i]);
            values[i] = d;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                firstText = firstText < 0 ? i : firstText;
            } else if (d != Math.rint(d)) {
                firstFraction = firstFraction < 0 ? i : firstFraction;
            }
        }
        if (firstText < 0) {
            for (int i = 0; i < n; i++) {
                raw[i] = canonical(values[i]);
            }
        }
        Set<String> distinct = new TreeSet<>(List.of(raw));
        int manyValued = Math.max(10, n / 20);
        DataSet.Task inferred;
        String why;
        if (firstText >= 0) {
            inferred = DataSet.Task.CLASSIFICATION;
            why = "it holds text labels (e.g. '" + raw[firstText] + "' at line " + lines[firstText] + ")";
        } else if (firstFraction >= 0) {
            inferred = DataSet.Task.REGRESSION;
            why = "it holds non-integer values (e.g. " + raw[firstFraction] + " at line " + lines[firstFraction] + ")";
        } else if (distinct.size() > manyValued) {
            inferred = DataSet.Task.REGRESSION;
            why = "it holds " + distinct.size() + " distinct integers (more than " + manyValued
                    + " reads as a quantity, not classes)";
        } else {
            inferred = DataSet.Task.CLASSIFICATION;
            why = "it holds " + distinct.size() + " distinct integer labels";
        }
        if (classes > 0 && firstText < 0 && firstFraction < 0) {
            inferred = DataSet.Task.CLASSIFICATION; // the caller says these are class indices
        }
        DataSet.Task t = task != null ? task : inferred;
        if (t == DataSet.Task.REGRESSION && firstText >= 0) {
            throw new DataFormatException(name, lines[firstText], col, "regression needs numeric targets, but target "
                    + targetLabel + " holds '" + raw[firstText] + "'");
        }
        // asking for regression on integer targets is legitimate (ratings, counts); asking for
        // classes on fractional or many-valued targets is the silent 347-class run the CLI had
        if (task == DataSet.Task.CLASSIFICATION && inferred == DataSet.Task.REGRESSION) {
            int line = firstFraction >= 0 ? lines[firstFraction] : lines[0];
            throw new DataFormatException(name, line, col, "the task is " + lower(task) + " but target "
                    + targetLabel + " looks like " + lower(inferred) + ": " + why
                    + "; pass the other task, or pick another target column");
        }
        if (t == DataSet.Task.REGRESSION) {
            return new DataSet(x, values, n, f, t, 0, featureNames, List.of());
        }
        if (classes > 0) {
            for (int i = 0; i < n; i++) {
                double v = values[i];
                if (firstText >= 0 || v != Math.rint(v) || v < 0 || v >= classes) {
                    throw new DataFormatException(name, lines[i], col, "label " + raw[i]
                            + " is not a class index in [0, " + classes + ")");
                }
            }
            return new DataSet(x, values, n, f, t, classes, featureNames, List.of());
        }
        // distinct labels, sorted (numbers numerically), become classes 0..C-1
        Map<String, Integer> index = new TreeMap<>(firstText < 0
                ? (a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)) : String::compareTo);
        for (String r : raw) {
            index.putIfAbsent(r, 0);
        }
        List<String> labelNames = new ArrayList<>(index.keySet());
        for (int c = 0; c < labelNames.size(); c++) {
            index.put(labelNames.get(c), c);
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = index.get(raw[i]);
        }
        if (firstText < 0) {
            long lo = (long) Double.parseDouble(labelNames.get(0));
            long hi = (long) Double.parseDouble(labelNames.get(labelNames.size() - 1));
            if (lo != 0 || hi != labelNames.size() - 1) {
                List<Long> gaps = new ArrayList<>();
                for (long v = Math.max(lo, 0); v <= hi && gaps.size() < 10; v++) {
                    if (!index.containsKey(canonical(v))) {
                        gaps.add(v);
                    }
                }
                warnings.accept(name + ": target " + targetLabel + " has integer labels " + lo + ".." + hi
                        + (gaps.isEmpty() ? "" : " with no rows for " + gaps) + "; mapped the " + labelNames.size()
                        + " labels present to classes 0.." + (labelNames.size() - 1) + " in order (names kept)");
            }
        }
        if (labelNames.size() < 2) {
            warnings.accept(name + ": target " + targetLabel + " has a single class " + labelNames);
        }
        return new DataSet(x, y, n, f, t, labelNames.size(), featureNames, labelNames);
    }

    private static String lower(DataSet.Task t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private static String canonical(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The number in a cell, NaN when it is not one. */
    private static double parse(String s) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        char c = s.charAt(s.length() - 1);
        if (c == 'd' || c == 'D' || c == 'f' || c == 'F') {
            return Double.NaN; // Java's parser accepts "1d", a CSV does not mean it
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean looksLikeHeader(List<String[]> cells) {
        String[] first = cells.get(0);
        boolean anyNumber = false;
        for (String s : first) {
            anyNumber |= !Double.isNaN(parse(s));
        }
        if (!anyNumber) {
            return true;
        }
        if (cells.size() < 2) {
            return false;
        }
        String[] second = cells.get(1);
        for (int c = 0; c < Math.min(first.length, second.length); c++) {
            if (Double.isNaN(parse(first[c])) && !Double.isNaN(parse(second[c]))) {
                return true;
            }
        }
        return false;
    }

    private int targetColumn(String name, String[] names, int width) throws DataFormatException {
        if (targetName != null) {
            if (names == null) {
                throw new DataFormatException(name, 1, 1, "target '" + targetName
                        + "' names a column, but the file has no header row (use a column index)");
            }
            for (int c = 0; c < names.length; c++) {
                if (names[c].equals(targetName)) {
                    return c;
                }
            }
            throw new DataFormatException(name, 1, 1, "no column named '" + targetName + "'; the header has "
                    + String.join(", ", names));
        }
        int t = targetIndex == null ? -1 : targetIndex;
        int c = t < 0 ? width + t : t;
        if (c < 0 || c >= width) {
            throw new DataFormatException(name, 1, 1, "target index " + t + " is outside the " + width + " columns");
        }
        return c;
    }
}
