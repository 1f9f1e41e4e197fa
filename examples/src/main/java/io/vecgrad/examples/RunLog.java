package io.vecgrad.examples;

import io.vecgrad.train.Trainer;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The files of one training run: {@code metrics.csv} (one row per epoch, appended, so a
 * resumed run continues it) and {@code curves.png} (loss and accuracy per epoch, train and
 * test, side by side).
 */
final class RunLog {
    static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,lr,steps,seconds";

    private final Path csv;
    private final Path png;

    RunLog(Path dir, boolean resume) throws IOException {
        this.csv = dir.resolve("metrics.csv");
        this.png = dir.resolve("curves.png");
        if (!resume || !Files.exists(csv)) {
            Files.writeString(csv, HEADER + "\n");
        }
    }

    void append(Trainer.EpochMetrics m) throws IOException {
        String row = String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%.3f%n", m.epoch(), m.trainLoss(),
                m.trainAccuracy(), m.testLoss(), m.testAccuracy(), m.lr(), m.steps(), m.seconds());
        Files.writeString(csv, row, StandardOpenOption.APPEND);
    }

    /** Draws curves.png; {@code lossName} labels the loss axis (e.g. "MSE" for regression). */
    void writeChart(boolean accuracy, String lossName) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.startsWith("epoch")) {
                continue;
            }
            String[] c = line.split(",");
            double[] v = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                v[i] = Double.parseDouble(c[i]);
            }
            rows.add(v);
        }
        if (rows.isEmpty()) {
            return;
        }
        XYChart loss = chart("Loss", lossName, rows, 1, 3);
        BufferedImage left = BitmapEncoder.getBufferedImage(loss);
        BufferedImage img;
        if (accuracy) {
            XYChart acc = chart("Accuracy", "accuracy", rows, 2, 4);
            BufferedImage right = BitmapEncoder.getBufferedImage(acc);
            img = new BufferedImage(left.getWidth() + right.getWidth(), left.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.drawImage(left, 0, 0, null);
            g.drawImage(right, left.getWidth(), 0, null);
            g.dispose();
        } else {
            img = left;
        }
        javax.imageio.ImageIO.write(img, "png", png.toFile());
    }

    private static XYChart chart(String title, String yLabel, List<double[]> rows, int train, int test) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yLabel).build();
        // whole epochs, spaced so labels never overlap (500 epochs used to print a solid band)
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        double[] x = new double[rows.size()];
        double[] tr = new double[rows.size()];
        double[] te = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(i)[0];
            tr[i] = rows.get(i)[train];
            te[i] = rows.get(i)[test];
        }
        c.addSeries("train", x, tr).setMarker(SeriesMarkers.NONE);
        if (!Double.isNaN(te[0])) {
            c.addSeries("test", x, te).setMarker(SeriesMarkers.NONE);
        }
        return c;
    }
}
