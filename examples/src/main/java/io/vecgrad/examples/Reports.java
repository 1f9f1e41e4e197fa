package io.vecgrad.examples;

import io.vecgrad.train.DataSet;
import io.vecgrad.train.Metrics;
import io.vecgrad.train.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Shared output of train and predict: data as CSV, metrics of a model on labelled data. */
final class Reports {
    private Reports() {}

    /** Writes raw rows with a header (feature names, the target) and original labels. */
    static void writeCsv(DataSet d, String targetName, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<String> names = new ArrayList<>(d.featureNames());
        for (int j = names.size(); j < d.features(); j++) {
            names.add("x" + j);
        }
        names.add(targetName != null ? targetName : "target");
        sb.append(String.join(",", names.stream().map(Reports::quote).toList())).append('\n');
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < d.features(); j++) {
                sb.append(d.feature(i, j)).append(',');
            }
            sb.append(d.task() == DataSet.Task.CLASSIFICATION ? quote(d.labelName((int) d.target(i)))
                    : Double.toString(d.target(i))).append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The class index of each row of {@code d} in the model's label order. */
    static int[] modelLabels(Model m, DataSet d) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            String name = d.labelName((int) d.target(i));
            int c = m.labelNames().isEmpty() ? parseIndex(name) : m.labelNames().indexOf(name);
            if (c < 0) {
                throw new io.vecgrad.train.cli.TrainOptions.UsageException("data: row " + (i + 1) + " has label '" + name
                        + "', which the model does not know (its labels: " + m.labelNames() + ")");
            }
            y[i] = c;
        }
        return y;
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Classification metrics of the model on labelled raw data. */
    static Metrics.Classification classification(Model m, DataSet d) {
        float[][] rows = Model.rows(d);
        int classes = m.labelNames().isEmpty() ? m.predict(new float[][] {rows[0]})[0].length : m.labelNames().size();
        return Metrics.classification(modelLabels(m, d), m.classify(rows), classes);
    }

    /** Metrics of the model on labelled raw data, as printed text. */
    static String metrics(Model m, DataSet d) {
        float[][] rows = Model.rows(d);
        if (m.task() == DataSet.Task.CLASSIFICATION) {
            return classification(m, d).format(m.labelNames());
        }
        float[][] out = m.predict(rows);
        double[] pred = new double[out.length];
        double[] actual = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            pred[i] = out[i][0];
            actual[i] = d.target(i);
        }
        return Metrics.regression(actual, pred).format();
    }

    /** Draws the confusion matrix (rows: actual, columns: predicted) as a heat map PNG. */
    static void confusionPng(Metrics.Classification c, List<String> names, Path file) throws IOException {
        int k = c.confusion().length;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            labels.add(i < names.size() ? names.get(i) : Integer.toString(i));
        }
        List<Number[]> cells = new ArrayList<>();
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - a, c.confusion()[a][p]}); // actual class 0 on top
            }
        }
        org.knowm.xchart.HeatMapChart chart = new org.knowm.xchart.HeatMapChartBuilder().width(160 + 60 * k)
                .height(120 + 50 * k).title("Confusion matrix").xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        chart.getStyler().setMin(0);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("count", labels, labels.reversed(), cells);
        org.knowm.xchart.BitmapEncoder.saveBitmap(chart, file.toString(), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
