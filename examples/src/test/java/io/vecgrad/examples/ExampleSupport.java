package io.vecgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs an example into a temporary folder and compares its numbers. */
final class ExampleSupport {
    private ExampleSupport() {}

    /** What a run printed, and its result. */
    record Run(Result result, String printed) {
        double value(String key) {
            return result.value(key);
        }

        double[] values(String key) {
            return result.values(key);
        }
    }

    static Run run(Example e, Path dir) {
        System.setProperty("java.awt.headless", "true");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            Result r = e.run(dir, ps);
            for (Path f : r.files()) {
                assertTrue(Files.isRegularFile(f), "plot not written: " + f);
                assertTrue(f.toString().endsWith(".png"), f.toString());
                try {
                    assertTrue(Files.size(f) > 2000, "plot looks empty: " + f);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
            return new Run(r, buf.toString(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Exact comparison (dyadic and integer results). */
    static void exact(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0.0, "element " + i);
        }
    }

    /** Relative tolerance rtol (with a tiny absolute floor for zeros). */
    static void close(double[] expected, double[] actual, double rtol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            close(expected[i], actual[i], rtol, "element " + i);
        }
    }

    static void close(double expected, double actual, double rtol) {
        close(expected, actual, rtol, "");
    }

    static void close(double expected, double actual, double rtol, String what) {
        double tol = rtol * Math.abs(expected) + 1e-12;
        assertTrue(Math.abs(expected - actual) <= tol,
                what + " expected " + expected + " but was " + actual + " (rtol " + rtol + ")");
    }

    /** Absolute tolerance, for values the notes print rounded. */
    static void near(double[] expected, double[] actual, double atol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], atol, "element " + i);
        }
    }

    static void contains(Run run, String text) {
        assertTrue(run.printed().contains(text), "output should contain '" + text + "':\n" + run.printed());
    }
}
