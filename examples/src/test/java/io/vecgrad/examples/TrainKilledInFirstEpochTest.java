package io.vecgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening issue, "checkpoints": a run killed in its first epoch leaves the metrics header and
 * perhaps a half-written checkpoint temporary. {@code --out} starts over in that folder;
 * {@code --resume} says why it cannot and what to do.
 */
class TrainKilledInFirstEpochTest {
    @TempDir
    Path dir;

    private static int run(StringBuilder err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 1];
            full[0] = "train";
            System.arraycopy(args, 0, full, 1, args.length);
            return Main.commandLine().execute(full);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            err.append(e.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void folderOfARunKilledInEpochOneIsAcceptedByOutAndExplainedByResume() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.csv"), RunLog.HEADER + "\n");
        Path stale = run.resolve("checkpoint.safetensors.tmp5f3a9c");
        Files.write(stale, new byte[1 << 16]);
        assertTrue(TrainCommand.isAbandoned(run));

        StringBuilder err = new StringBuilder();
        assertEquals(2, run(err, "--epochs", "1", "--hidden", "8", "--quiet", "--resume", run.toString()));
        assertTrue(err.toString().contains("start it again with --out"), err.toString());

        err.setLength(0);
        assertEquals(0, run(err, "--epochs", "1", "--hidden", "8", "--quiet", "--out", run.toString()), err.toString());
        assertTrue(Files.exists(run.resolve("checkpoint.safetensors")));
        assertFalse(Files.exists(stale), "the stale temporary is cleaned by the next save");
        assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size());
        assertFalse(TrainCommand.isAbandoned(run));
    }
}
