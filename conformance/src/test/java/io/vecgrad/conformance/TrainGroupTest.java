package io.vecgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgrad.autograd.GradMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code train} group: our generated {@code train.json} (gen_train_cases.py, PyTorch 1.13)
 * run by path through {@link TrainGroupRunner} on the bundled digits, in f32 and f64.
 */
class TrainGroupTest {

    private static Path trainJson() throws Exception {
        return Path.of(TrainGroupTest.class.getResource("/acceptance/train.json").toURI());
    }

    @Test
    void generatedTrainCasesPassInF32AndF64() throws Exception {
        List<AcceptCase> cases = CaseFiles.load(List.of(trainJson()));
        assertEquals(List.of("train/digits_sgd_momentum", "train/digits_adam"),
                cases.stream().map(AcceptCase::id).toList());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AcceptanceRunner.Summary s;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            s = new AcceptanceRunner(GroupRunners.standard(), List.of(Precision.F32, Precision.F64), true, out)
                    .run(cases);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        String bad = s.results().stream().filter(r -> r.status() != CaseResult.Status.PASS)
                .map(CaseResult::line).collect(Collectors.joining("\n"));
        assertEquals(4, s.count(CaseResult.Status.PASS), bad + "\n" + report);
        assertTrue(report.contains("PASS train/digits_sgd_momentum [f32] test_correct "), report);
        assertTrue(report.endsWith("4 passed, 0 failed" + System.lineSeparator()), report);
        assertTrue(GradMode.isEnabled(), "no no_grad scope leaks out of the runner");
    }

    @Test
    void aDoctoredStepLossFails(@TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) CaseFiles.JSON.readTree(trainJson().toFile());
        ObjectNode sgd = (ObjectNode) root.get("cases").get(0);
        ArrayNode loss = (ArrayNode) sgd.get("expected").get("step_loss").get("f64");
        loss.set(40, loss.get(40).asDouble() * 1.01);
        Path file = dir.resolve("train_doctored.json");
        CaseFiles.JSON.writeValue(file.toFile(), root);

        AcceptCase c = CaseFiles.load(file).getFirst();
        assertEquals("train/digits_sgd_momentum", c.id());
        for (Precision p : List.of(Precision.F32, Precision.F64)) {
            CaseResult r = GroupRunners.standard().forGroup("train").run(c, p);
            assertEquals(CaseResult.Status.FAIL, r.status(), r.line());
            assertTrue(r.detail().startsWith("step_loss[40]: expected "), r.line());
        }
    }

    @Test
    void aDataCheckThatDiffersFailsBeforeTraining() throws Exception {
        ObjectNode root = (ObjectNode) CaseFiles.JSON.readTree(trainJson().toFile());
        ObjectNode adam = (ObjectNode) root.get("cases").get(1);
        ObjectNode checks = (ObjectNode) adam.get("data").get("checks");
        ArrayNode test = (ArrayNode) checks.get("label_counts").get("test");
        test.set(3, test.get(3).asInt() + 1);
        checks.put("sha256_csv", "0".repeat(64));
        checks.put("colour", "blue");
        CaseResult r = new TrainGroupRunner().run(new AcceptCase("train/digits_adam", "train", adam, "test"),
                Precision.F32);
        assertEquals(CaseResult.Status.FAIL, r.status(), r.line());
        assertTrue(r.detail().startsWith("data check label_counts: expected {"), r.line());
        assertTrue(r.detail().contains("(+2 more)"), r.line());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("sha256_csv: expected \"000")), r.notes().toString());
        assertTrue(r.notes().contains("colour: unknown check, cannot verify it"), r.notes().toString());
    }

    @Test
    void aMissingDataFileIsAClearFailure(@TempDir Path dir) throws Exception {
        AcceptCase c = CaseFiles.load(trainJson()).getFirst();
        Path missing = dir.resolve("nope.csv.gz");
        CaseResult r = new TrainGroupRunner(missing).run(c, Precision.F64);
        assertEquals(CaseResult.Status.FAIL, r.status(), r.line());
        assertTrue(r.detail().contains("cannot read the digits data " + missing), r.line());

        // the same bytes as the bundled copy, from a file, pass the checks
        Path copy = dir.resolve("digits.csv.gz");
        try (var in = io.vecgrad.train.DataSet.class.getResourceAsStream(TrainGroupRunner.BUNDLED_DIGITS)) {
            Files.copy(in, copy);
        }
        ObjectNode json = (ObjectNode) c.json().deepCopy();
        ((ObjectNode) json.get("expected")).retain("initial_test_loss"); // the checks are what matter here
        json.remove("expected_accuracy");
        json.put("epochs", 1);
        json.put("steps", 23);
        CaseResult ok = new TrainGroupRunner(copy).run(new AcceptCase(c.id(), "train", json, "test"), Precision.F64);
        assertEquals(CaseResult.Status.PASS, ok.status(), ok.line());
    }
}
