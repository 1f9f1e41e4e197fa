package io.vecgrad.train;

import java.util.List;
import java.util.Locale;

/** Evaluation metrics of predictions against known targets. */
public final class Metrics {
    private Metrics() {}

    /**
     * Classification metrics.
     *
     * @param accuracy  fraction of rows predicted right
     * @param precision per class: right predictions of c / predictions of c (NaN if none)
     * @param recall    per class: right predictions of c / rows of class c (NaN if none)
     * @param f1        per class: harmonic mean of precision and recall (NaN if undefined)
     * @param confusion {@code confusion[actual][predicted]} row counts
     */
    public record Classification(double accuracy, double[] precision, double[] recall, double[] f1,
                                 long[][] confusion) {
        /** A printable report: accuracy, per-class precision/recall/F1/support, confusion matrix. */
        public String format(List<String> names) {
            int c = confusion.length;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "accuracy %.4f%n", accuracy));
            int w = 8;
            for (int i = 0; i < c; i++) {
                w = Math.max(w, name(names, i).length() + 1);
            }
            sb.append(String.format(Locale.ROOT, "%-" + w + "s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1",
                    "support"));
            for (int i = 0; i < c; i++) {
                long support = 0;
                for (long v : confusion[i]) {
                    support += v;
                }
                sb.append(String.format(Locale.ROOT, "%-" + w + "s %9.4f %9.4f %9.4f %8d%n", name(names, i),
                        precision[i], recall[i], f1[i], support));
            }
            sb.append("confusion matrix (rows: actual, columns: predicted)\n");
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", ""));
            for (int j = 0; j < c; j++) {
                sb.append(String.format(Locale.ROOT, " %" + w + "s", name(names, j)));
            }
            sb.append('\n');
            for (int i = 0; i < c; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + w + "s", name(names, i)));
                for (int j = 0; j < c; j++) {
                    sb.append(String.format(Locale.ROOT, " %" + w + "d", confusion[i][j]));
                }
                sb.append('\n');
            }
            return sb.toString();
        }

        private static String name(List<String> names, int i) {
            return i < names.size() ? names.get(i) : Integer.toString(i);
        }
    }

    /** Regression metrics: mean squared error, its root, mean absolute error, R². */
    public record Regression(double mse, double rmse, double mae, double r2) {
        /** One line, e.g. {@code mse 0.12 rmse 0.35 mae 0.28 r2 0.91}. */
        public String format() {
            return String.format(Locale.ROOT, "mse %.6g  rmse %.6g  mae %.6g  r2 %.4f%n", mse, rmse, mae, r2);
        }
    }

    /**
     * Classification metrics of predicted against actual class indices in {@code [0, classes)}.
     *
     * @throws IllegalArgumentException if lengths differ, are 0, or an index is out of range
     */
    public static Classification classification(int[] actual, int[] predicted, int classes) {
        if (actual.length != predicted.length || actual.length == 0) {
            throw new IllegalArgumentException("metrics: " + actual.length + " actual and " + predicted.length
                    + " predicted labels");
        }
        long[][] cm = new long[classes][classes];
        long right = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("metrics: row " + i + " has labels " + actual[i] + "/" + predicted[i]
                        + " outside [0, " + classes + ")");
            }
            cm[actual[i]][predicted[i]]++;
            right += actual[i] == predicted[i] ? 1 : 0;
        }
        double[] p = new double[classes];
        double[] r = new double[classes];
        double[] f = new double[classes];
        for (int c = 0; c < classes; c++) {
            long tp = cm[c][c];
            long predictedC = 0;
            long actualC = 0;
            for (int k = 0; k < classes; k++) {
                predictedC += cm[k][c];
                actualC += cm[c][k];
            }
            p[c] = predictedC == 0 ? Double.NaN : (double) tp / predictedC;
            r[c] = actualC == 0 ? Double.NaN : (double) tp / actualC;
            f[c] = p[c] + r[c] > 0 ? 2 * p[c] * r[c] / (p[c] + r[c]) : Double.NaN;
        }
        return new Classification((double) right / actual.length, p, r, f, cm);
    }

    /**
     * Regression metrics of predicted against actual values; R² is {@code 1 - SSE / SST} (NaN
     * when the actual values are constant).
     */
    public static Regression regression(double[] actual, double[] predicted) {
        if (actual.length != predicted.length || actual.length == 0) {
            throw new IllegalArgumentException("metrics: " + actual.length + " actual and " + predicted.length
                    + " predicted values");
        }
        int n = actual.length;
        double mean = 0;
        for (double a : actual) {
            mean += a;
        }
        mean /= n;
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < n; i++) {
            double e = predicted[i] - actual[i];
            sse += e * e;
            sae += Math.abs(e);
            sst += (actual[i] - mean) * (actual[i] - mean);
        }
        double mse = sse / n;
        return new Regression(mse, Math.sqrt(mse), sae / n, sst == 0 ? Double.NaN : 1 - sse / sst);
    }
}
