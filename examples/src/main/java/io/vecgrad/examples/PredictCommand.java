package io.vecgrad.examples;

import io.vecgrad.train.CsvReader;
import io.vecgrad.train.DataSet;
import io.vecgrad.train.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vecgrad predict}: loads a model bundle (a run folder or its model.safetensors) and
 * writes one prediction per row of a CSV: the predicted value, or the class name and the class
 * probabilities. A file laid out like the training data (features and the target column) also
 * gets metrics against its labels; a file of features only (new data) gets predictions only,
 * its columns matched to the model's features by name when both have names. Needs nothing but
 * the bundle.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict with a saved model bundle; print metrics when the file has the target column.")
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR|FILE", required = true,
            description = "A train run folder (holding model.safetensors) or a model bundle file.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE.csv[.gz]", required = true,
            description = {"Rows of the model's features: with the target column (e.g. the run's test.csv) for metrics,",
                    "or without it (new data) for predictions only. Columns are matched by header name when both",
                    "the file and the training data had a header row."})
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write predictions (default: predictions.csv next to the model).")
    Path out;

    @Override
    public Integer call() {
        try {
            Model m = Model.load(model);
            int width = m.standardizerOrWidth();
            CsvReader.Builder b = CsvReader.builder().task(m.task())
                    .warnings(w -> System.err.println("vecgrad predict: warning: " + w));
            CsvReader.Columns cols = b.build().columns(data);
            // labels present? By name when both the file and the bundle have them, else by width
            boolean labeled = !cols.names().isEmpty() && m.target() != null ? cols.names().contains(m.target())
                    : cols.count() == width + 1;
            DataSet d = null;
            float[][] rows;
            if (labeled) {
                if (m.target() != null && !cols.names().isEmpty()) {
                    b.target(m.target());
                }
                d = b.build().read(data);
                if (d.features() != width) {
                    throw new io.vecgrad.train.cli.TrainOptions.UsageException("data: " + data + " has " + d.features()
                            + " feature columns, the model takes " + width);
                }
                if (!d.featureNames().isEmpty() && !m.featureNames().isEmpty()
                        && !d.featureNames().equals(m.featureNames())) {
                    throw new io.vecgrad.train.cli.TrainOptions.UsageException("data: " + data + ": the feature columns "
                            + d.featureNames() + " do not match the model's " + m.featureNames());
                }
                rows = Model.rows(d);
            } else {
                double[][] x = b.build().readFeatures(data, m.featureNames(), width);
                rows = new float[x.length][width];
                for (int i = 0; i < x.length; i++) {
                    for (int j = 0; j < width; j++) {
                        rows[i][j] = (float) x[i][j];
                    }
                }
            }
            StringBuilder sb = new StringBuilder("row,predicted");
            if (m.task() == DataSet.Task.CLASSIFICATION) {
                int k = m.labelNames().size();
                for (int c = 0; c < k; c++) {
                    sb.append(',').append(Reports.quote("p_" + m.labelName(c)));
                }
                sb.append('\n');
                float[][] p = m.probabilities(rows);
                int[] cls = m.classify(rows);
                for (int i = 0; i < rows.length; i++) {
                    sb.append(i + 1).append(',').append(Reports.quote(m.labelName(cls[i])));
                    for (float v : p[i]) {
                        sb.append(',').append(String.format(Locale.ROOT, "%.6g", v));
                    }
                    sb.append('\n');
                }
            } else {
                sb.append('\n');
                float[][] p = m.predict(rows);
                for (int i = 0; i < rows.length; i++) {
                    sb.append(i + 1).append(',').append(Reports.fmt(p[i][0])).append('\n');
                }
            }
            Path dest = out != null ? out
                    : (Files.isDirectory(model) ? model : model.toAbsolutePath().getParent()).resolve("predictions.csv");
            Files.writeString(dest, sb.toString());
            System.out.printf(Locale.ROOT, "vecgrad predict: %d rows of %s with %s (vecgrad %s)%n", rows.length, data,
                    model, m.writtenBy());
            if (d != null) {
                System.out.print(Reports.metrics(m, d));
            } else {
                System.out.println("no " + (m.target() != null ? "'" + m.target() + "' " : "target ")
                        + "column in " + data + ": predictions only, no metrics");
            }
            System.out.println("wrote: " + dest);
            return 0;
        } catch (io.vecgrad.train.cli.TrainOptions.UsageException | io.vecgrad.train.DataFormatException | java.io.FileNotFoundException e) {
            System.err.println("vecgrad predict: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("vecgrad predict: " + e.getMessage());
            return 1;
        }
    }
}
