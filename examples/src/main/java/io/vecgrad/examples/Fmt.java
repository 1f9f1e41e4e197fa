package io.vecgrad.examples;

import java.io.PrintStream;
import java.util.Locale;

/** Number formatting for the examples' printouts: short, locale-independent, PyTorch-like. */
final class Fmt {
    private Fmt() {}

    /** A number with up to 10 significant digits, trailing zeros dropped; integers without ".0". */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return v == 0 && 1 / v < 0 ? "-0" : Long.toString((long) v);
        }
        double a = Math.abs(v);
        String s = (a >= 1e-4 && a < 1e10) ? String.format(Locale.ROOT, "%.10g", v)
                : String.format(Locale.ROOT, "%.6e", v);
        if (s.contains("e")) {
            String[] p = s.split("e");
            return trim(p[0]) + "e" + p[1];
        }
        return trim(s);
    }

    private static String trim(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code [a, b, c]}. */
    static String arr(double... v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return b.append(']').toString();
    }

    /** A row-major matrix as {@code [[a, b], [c, d]]}. */
    static String mat(double[] v, int rows, int cols) {
        StringBuilder b = new StringBuilder("[");
        for (int r = 0; r < rows; r++) {
            double[] row = new double[cols];
            System.arraycopy(v, r * cols, row, 0, cols);
            b.append(r == 0 ? "" : ", ").append(arr(row));
        }
        return b.append(']').toString();
    }

    /** {@code String.format} with the root locale. */
    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Prints {@code label = value} with the label padded, for aligned tables of results. */
    static void kv(PrintStream out, String label, String value) {
        out.println(f("  %-28s %s", label, value));
    }

    /** Prints a one-line correction of the notes. */
    static void notesClaim(PrintStream out, String text) {
        out.println("  notes claim: " + text);
    }
}
