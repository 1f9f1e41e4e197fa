package io.vecgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vecgrad accept} exit codes and output. */
class AcceptCommandTest {

    private static final String CASE = """
            {"group": "ops", "cases": [
            {"id": "ops/cli/1", "inputs": [{"name": "x", "shape": [2], "data": [1.5, -2.0], "requires_grad": true}],
             "program": [{"out": "y", "op": "abs", "in": ["x"]}, {"out": "s", "op": "sum", "in": ["y"]},
                         {"stmt": "backward", "of": "s"}],
             "expected": {"s": {"shape": [], "f64": [%s]}, "x.grad": {"shape": [2], "f64": [1.0, -1.0]}}}]}
            """;

    private static int run(StringBuilder captured, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            return Main.commandLine().execute(args);
        } finally {
            System.setOut(old);
            captured.append(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void exitCodeFollowsTheVerdict(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.json"), CASE.formatted("3.5"));
        Path bad = Files.writeString(dir.resolve("bad.json"), CASE.formatted("3.6"));
        StringBuilder out = new StringBuilder();
        assertEquals(0, run(out, "accept", good.toString()), out.toString());
        assertTrue(out.toString().contains("PASS ops/cli/1 [f32]"), out.toString());
        assertTrue(out.toString().strip().endsWith("2 passed, 0 failed"), out.toString());

        out.setLength(0);
        assertEquals(1, run(out, "accept", "--dtype", "f64", bad.toString()), out.toString());
        assertTrue(out.toString().contains("FAIL ops/cli/1 [f64] s: expected 3.6, got 3.5"), out.toString());
        assertTrue(out.toString().strip().endsWith("0 passed, 1 failed"), out.toString());

        out.setLength(0);
        assertEquals(2, run(out, "accept", "--dtype", "f16", good.toString()));
        assertEquals(2, run(out, "accept", dir.resolve("missing.json").toString()));
    }
}
