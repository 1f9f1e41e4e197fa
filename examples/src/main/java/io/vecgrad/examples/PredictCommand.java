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
 * writes one prediction per row of a CSV laid out like the training data (features and the
 * target column); prints metrics against the file's labels. Needs nothing but the bundle.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predict with a saved model bundle; print metrics against the file's labels.")
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR|FILE", required = true,
            description = "A train run folder (holding model.safetensors) or a model bundle file.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE.csv[.gz]", required = true,
            description = "Rows laid out like the training data, with the target column (e.g. the run's test.csv).")
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write predictions (default: predictions.csv next to the model).")
    Path out;

    @Override
    public Integer call() {
        try {
            Model m = Model.load(model);
            CsvReader.Builder b = CsvReader.builder().task(m.task())
                    .warnings(w -> System.err.println("vecgrad predict: warning: " + w));
            if (m.target() != null) {
                b.target(m.target());
            }
            DataSet d = b.build().read(data);
            if (d.features() != m.standardizerOrWidth()) {
                throw new io.vecgrad.train.cli.TrainOptions.UsageException("data: " + data + " has " + d.features()
                        + " feature columns, the model takes " + m.standardizerOrWidth());
            }
            float[][] rows = Model.rows(d);
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
            System.out.print(Reports.metrics(m, d));
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
