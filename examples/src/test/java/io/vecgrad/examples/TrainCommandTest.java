package io.vecgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        return runCommand("train", args);
    }

    private static Run runCommand(String command, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 1];
            full[0] = command;
            System.arraycopy(args, 0, full, 1, args.length);
            int code = Main.commandLine().execute(full);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void badOptionsAreOneLineErrorsAndWriteNothing() {
        Path out = dir.resolve("run");
        List<String[]> bad = List.of(
                new String[] {"--optimizer", "lion"},
                new String[] {"--activation", "swish"},
                new String[] {"--dtype", "f16"},
                new String[] {"--epochs", "0"},
                new String[] {"--lr", "-1"},
                new String[] {"--hidden", "32,0"},
                new String[] {"--model", "rnn"},
                new String[] {"--data", dir.resolve("missing.csv").toString()});
        for (String[] b : bad) {
            String[] args = new String[b.length + 2];
            System.arraycopy(b, 0, args, 0, b.length);
            args[b.length] = "--out";
            args[b.length + 1] = out.toString();
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", b) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("vecgrad train: "), r.err());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", b));
        }
        Run r = run("--optimizer", "lion", "--out", out.toString());
        assertEquals("vecgrad train: option --optimizer: 'lion' is not one of sgd, momentum, nesterov, adagrad, "
                + "rmsprop, adam, adamw", r.err().strip());
    }

    @Test
    void cnnTrainsOnTheDigitsAndNeedsSquareImages() throws Exception {
        Path out = dir.resolve("cnn");
        Run r = run("--model", "cnn", "--epochs", "1", "--quiet", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6090 parameters"), r.out());
        String test = r.out().lines().filter(l -> l.startsWith("test:")).findFirst().orElseThrow();
        double acc = Double.parseDouble(test.replaceAll(".*accuracy ([0-9.]+)%.*", "$1"));
        assertTrue(acc > 40, "one epoch of the CNN learns the digits (chance is 10%): " + test);

        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "1,2,3,0\n1,2,3,1\n3,4,5,1\n1,1,1,0\n2,2,2,1\n");
        Run bad = run("--model", "cnn", "--data", csv.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, bad.code());
        assertEquals("vecgrad train: option --model cnn: the rows must be square images of at least 4x4, got 3 features",
                bad.err().strip());
    }

    @Test
    void badCsvNamesFileLineAndColumn() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "1,2,0\n1,2,1\n3,oops,1\n");
        Path out = dir.resolve("run");
        Run r = run("--data", csv.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertEquals("vecgrad train: " + csv + ":3:2: 'oops' is not a number", r.err().strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void trainsWritesItsFilesAndResumes() throws Exception {
        Path out = dir.resolve("run");
        Run r = run("--epochs", "2", "--hidden", "16", "--quiet", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test:  loss"), r.out());
        for (String f : List.of("curves.png", "metrics.csv", "model.safetensors", "checkpoint.safetensors")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
        Run resumed = run("--epochs", "3", "--hidden", "16", "--quiet", "--resume", out.toString());
        assertEquals(0, resumed.code(), resumed.err());
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.get(3).startsWith("3,"), rows.toString());
        Run notEmpty = run("--epochs", "1", "--out", out.toString());
        assertEquals(2, notEmpty.code());
        assertTrue(notEmpty.err().contains("exists and is not empty"), notEmpty.err());
    }

    @Test
    void unparsableValueIsOneLine() {
        Run r = run("--epochs", "x");
        assertEquals(2, r.code());
        assertEquals("vecgrad train: Invalid value for option '--epochs': 'x' is not an int (see vecgrad train --help)",
                r.err().strip());
    }

    @Test
    void resumeReadsSavedOptionsAndPredictReproducesTestAccuracy() throws Exception {
        StringBuilder sb = new StringBuilder("a,b,kind\n");
        java.util.SplittableRandom g = new java.util.SplittableRandom(4);
        for (int i = 0; i < 60; i++) {
            double a = g.nextDouble() * 10;
            double b = g.nextDouble() * 100;
            sb.append(a).append(',').append(b).append(',').append(a * 10 > b ? "\"big, a\"" : "small").append('\n');
        }
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, sb.toString());
        Path out = dir.resolve("run");
        Run r = run("--data", csv.toString(), "--hidden", "8", "--epochs", "2", "--lr", "0.05", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch 2/2: loss"), "plain epoch lines when not a terminal: " + r.out());
        assertTrue(Files.size(out.resolve("confusion.png")) > 0);
        assertTrue(Files.readString(out.resolve("test-metrics.txt")).contains("confusion matrix"));
        Run again = run("--resume", out.toString(), "--epochs", "4");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("2-8-2 relu"), "hidden 8 and the data came from the saved options: " + again.out());
        Run done = run("--resume", out.toString());
        assertEquals(0, done.code(), done.err());
        assertTrue(done.err().contains("already completed 4 epochs and --epochs is 4"), done.err());
        String test = again.out().lines().filter(l -> l.startsWith("test:")).findFirst().orElseThrow();
        String acc = test.substring(test.indexOf("accuracy ") + 9, test.indexOf('%'));
        Run p = runCommand("predict", "--model", out.toString(), "--data", out.resolve("test.csv").toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", Double.parseDouble(acc) / 100)),
                acc + " vs " + p.out());
        String header = Files.readAllLines(out.resolve("predictions.csv")).get(0);
        assertEquals("row,predicted,\"p_big, a\",p_small", header);
    }

    @Test
    void predictOnUnlabeledFilesWritesPredictionsOnlyAndMatchesColumnsByName() throws Exception {
        StringBuilder sb = new StringBuilder("a,b,kind\n");
        java.util.SplittableRandom g = new java.util.SplittableRandom(5);
        for (int i = 0; i < 60; i++) {
            double a = g.nextDouble() * 10;
            double b = g.nextDouble() * 100;
            sb.append(a).append(',').append(b).append(',').append(a * 10 > b ? "big" : "small").append('\n');
        }
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, sb.toString());
        Path out = dir.resolve("run");
        Run r = run("--data", csv.toString(), "--hidden", "8", "--epochs", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Run labeled = runCommand("predict", "--model", out.toString(), "--data", out.resolve("test.csv").toString(),
                "--out", dir.resolve("labeled.csv").toString());
        assertEquals(0, labeled.code(), labeled.err());
        assertTrue(labeled.out().contains("accuracy"), labeled.out());

        // the same rows without the target, columns swapped: matched by name, same predictions
        List<String> lines = Files.readAllLines(out.resolve("test.csv"));
        assertEquals("a,b,kind", lines.get(0));
        StringBuilder swapped = new StringBuilder("b,a\n");
        StringBuilder bare = new StringBuilder();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",", 3);
            swapped.append(c[1]).append(',').append(c[0]).append('\n');
            bare.append(c[0]).append(',').append(c[1]).append('\n');
        }
        Path unlabeled = dir.resolve("new.csv");
        Files.writeString(unlabeled, swapped.toString());
        Run p = runCommand("predict", "--model", out.toString(), "--data", unlabeled.toString(),
                "--out", dir.resolve("unlabeled.csv").toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("no 'kind' column") && p.out().contains("no metrics"), p.out());
        assertTrue(!p.out().contains("accuracy"), p.out());
        assertEquals(Files.readAllLines(dir.resolve("labeled.csv")), Files.readAllLines(dir.resolve("unlabeled.csv")));

        // no header at all: the columns are the features in order
        Path headerless = dir.resolve("bare.csv");
        Files.writeString(headerless, bare.toString());
        Run h = runCommand("predict", "--model", out.toString(), "--data", headerless.toString(),
                "--out", dir.resolve("bare-out.csv").toString());
        assertEquals(0, h.code(), h.err());
        assertEquals(Files.readAllLines(dir.resolve("labeled.csv")), Files.readAllLines(dir.resolve("bare-out.csv")));

        // columns that are not the model's: one line naming them, exit 2, nothing written
        Path wrong = dir.resolve("wrong.csv");
        Files.writeString(wrong, "a,c\n1,2\n");
        Run w = runCommand("predict", "--model", out.toString(), "--data", wrong.toString(),
                "--out", dir.resolve("wrong-out.csv").toString());
        assertEquals(2, w.code(), w.out());
        assertTrue(w.err().contains("do not match the model's features") && w.err().contains("missing: b")
                && w.err().contains("not features of the model: c"), w.err());
        assertEquals(1, w.err().strip().lines().count(), w.err());
        assertTrue(!Files.exists(dir.resolve("wrong-out.csv")));
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "1\n2\n");
        Run n = runCommand("predict", "--model", out.toString(), "--data", narrow.toString());
        assertEquals(2, n.code(), n.out());
        assertTrue(n.err().contains("expected 2 feature columns (the model's), found 1"), n.err());
    }
}
