package io.vecgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The few chart shapes the notes draw, on XChart: curves, iterate paths, and level curves of a
 * 2-D function (XChart has no contour type, so contours are marching-squares segments drawn as
 * line series broken by NaN). Rendering needs {@code java.awt.headless=true} on a machine with
 * no display; the example command sets it.
 */
final class Charts {
    private Charts() {}

    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127)};

    /** An empty 720×480 line chart with the legend inside, top right. */
    static XYChart chart(String title, String xLabel, String yLabel) {
        XYChart c = new XYChartBuilder().width(720).height(480).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        c.getStyler().setLegendPosition(LegendPosition.InsideNE);
        c.getStyler().setMarkerSize(6);
        c.getStyler().setPlotGridLinesVisible(true);
        return c;
    }

    /** A smooth curve (no markers). */
    static XYSeries curve(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** A path of iterates: points joined by lines. */
    static XYSeries path(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        return s;
    }

    /** x-values {@code lo, lo+step, ...} below {@code hi} (like {@code arange}). */
    static double[] arange(double lo, double hi, double step) {
        int n = (int) Math.ceil((hi - lo) / step - 1e-12);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + i * step;
        }
        return v;
    }

    /** {@code n} evenly spaced values from lo to hi inclusive. */
    static double[] linspace(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    /**
     * Draws level curves {@code f(x, y) = level} of f on the rectangle, by marching squares on
     * an {@code n × n} grid, in light grey; sets the axis ranges to the rectangle.
     */
    static void contours(XYChart c, DoubleBinaryOperator f, double x0, double x1, double y0, double y1, int n,
            double[] levels) {
        double[][] v = new double[n + 1][n + 1];
        double dx = (x1 - x0) / n;
        double dy = (y1 - y0) / n;
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
                v[i][j] = f.applyAsDouble(x0 + i * dx, y0 + j * dy);
            }
        }
        int k = 0;
        for (double level : levels) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double[] cx = {x0 + i * dx, x0 + (i + 1) * dx, x0 + (i + 1) * dx, x0 + i * dx};
                    double[] cy = {y0 + j * dy, y0 + j * dy, y0 + (j + 1) * dy, y0 + (j + 1) * dy};
                    double[] cv = {v[i][j], v[i + 1][j], v[i + 1][j + 1], v[i][j + 1]};
                    List<double[]> pts = new ArrayList<>(4);
                    for (int e = 0; e < 4; e++) {
                        int e2 = (e + 1) % 4;
                        double a = cv[e] - level;
                        double b = cv[e2] - level;
                        if ((a < 0) != (b < 0)) {
                            double t = a / (a - b);
                            pts.add(new double[] {cx[e] + t * (cx[e2] - cx[e]), cy[e] + t * (cy[e2] - cy[e])});
                        }
                    }
                    for (int p = 0; p + 1 < pts.size(); p += 2) {
                        xs.add(pts.get(p)[0]);
                        ys.add(pts.get(p)[1]);
                        xs.add(pts.get(p + 1)[0]);
                        ys.add(pts.get(p + 1)[1]);
                        xs.add(pts.get(p + 1)[0]);
                        ys.add(Double.NaN); // breaks the line between segments
                    }
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries("level " + (k++) + " (" + Fmt.num(level) + ")", xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(170, 170, 170));
            s.setLineStyle(new BasicStroke(1f));
            s.setShowInLegend(false);
        }
        c.getStyler().setXAxisMin(x0);
        c.getStyler().setXAxisMax(x1);
        c.getStyler().setYAxisMin(y0);
        c.getStyler().setYAxisMax(y1);
    }

    /** {@code n} levels spaced geometrically from lo to hi (for functions with a large range). */
    static double[] geomLevels(double lo, double hi, int n) {
        double[] l = new double[n];
        for (int i = 0; i < n; i++) {
            l[i] = lo * Math.pow(hi / lo, n == 1 ? 0 : (double) i / (n - 1));
        }
        return l;
    }

    /** Writes the chart as {@code outDir/fileName} (PNG) and returns the path. */
    static Path save(XYChart c, Path outDir, String fileName) throws IOException {
        Files.createDirectories(outDir);
        Path p = outDir.resolve(fileName);
        BitmapEncoder.saveBitmap(c, p.toString(), BitmapFormat.PNG);
        return p;
    }

    /** Writes several charts as one PNG grid of {@code rows × cols} panels. */
    static Path saveGrid(List<XYChart> charts, int rows, int cols, Path outDir, String fileName) throws IOException {
        Files.createDirectories(outDir);
        Path p = outDir.resolve(fileName);
        BitmapEncoder.saveBitmap(charts, rows, cols, p.toString(), BitmapFormat.PNG);
        return p;
    }
}
