package io.vecgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.GradMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PyTorch acceptance cases, run through the public API, plus unit tests of the runner. */
class AcceptanceTest {

    private static final Set<String> MUST_RUN = Set.of("seeds", "ops", "losses", "errors", "layers");
    private static final Set<String> MAY_SKIP = Set.of("optim", "train");

    @Test
    void bundledCasesPassInF32AndF64() {
        List<AcceptCase> cases = CaseFiles.bundled();
        Map<String, String> groupOf = cases.stream()
                .collect(Collectors.toMap(AcceptCase::id, AcceptCase::group, (a, b) -> a));
        assertEquals(cases.size(), groupOf.size(), "case ids are unique");
        assertTrue(groupOf.values().containsAll(MUST_RUN), "bundled groups: " + Set.copyOf(groupOf.values()));
        assertEquals(226, cases.size(), "the bundled case count (the README table)");

        AcceptanceRunner.Summary s = new AcceptanceRunner(GroupRunners.standard(),
                List.of(Precision.F32, Precision.F64), false, null).run(cases);

        assertEquals(2L * cases.size(), s.results().size());
        String failures = s.failures().stream().map(CaseResult::line).collect(Collectors.joining("\n"));
        assertEquals(0, s.failed(), s.line() + "; failing:\n" + failures);
        for (CaseResult r : s.results()) {
            String g = groupOf.get(r.id());
            if (MUST_RUN.contains(g)) {
                assertNotEquals(CaseResult.Status.SKIP, r.status(), "must run: " + r.line());
            } else {
                assertTrue(MAY_SKIP.contains(g), "unexpected group: " + r.line());
                assertTrue(r.status() == CaseResult.Status.SKIP || r.status() == CaseResult.Status.PASS, r.line());
            }
        }
        assertTrue(GradMode.isEnabled(), "no no_grad scope leaks out of the runner");
    }

    /**
     * Conventions the shared cases do not pin (maximum/minimum/max(dim) ties, abs'(0), NaN and
     * infinities through ops): hand-derived cases in test resources. They must pass outright,
     * not as deviations: vecgrad matches PyTorch by default.
     */
    @Test
    void conventionCasesPassWithoutDeviation() throws Exception {
        Path file = Path.of(AcceptanceTest.class.getResource("/acceptance/conventions.json").toURI());
        AcceptanceRunner.Summary s = new AcceptanceRunner(GroupRunners.standard(),
                List.of(Precision.F32, Precision.F64), false, null).run(CaseFiles.load(file));
        String bad = s.results().stream().filter(r -> r.status() != CaseResult.Status.PASS)
                .map(CaseResult::line).collect(Collectors.joining("\n"));
        assertEquals(14, s.results().size());
        assertEquals(14, s.count(CaseResult.Status.PASS), bad);
    }

    @Test
    void toleranceRule() {
        Tolerance t = new Tolerance(1e-4, 1e-5);
        // atol is scaled by max(1, max|want|): with max|want| = 100, atol contributes 1e-3
        double[] want = {100, 0, -2};
        assertTrue(t.compare(new double[] {100.01, 0.001, -2}, want).ok());
        Tolerance.Outcome o = t.compare(new double[] {100, 0.0011, -2}, want);
        assertFalse(o.ok());
        assertEquals(1, o.index());
        assertEquals(1e-3, o.bound(), 1e-15);
        // the floor: max|want| < 1 still allows atol
        assertTrue(t.compare(new double[] {1e-5}, new double[] {0}).ok());
        assertFalse(t.compare(new double[] {1.1e-5}, new double[] {0}).ok());
        // rtol part: |want| = 2 allows 2e-4 + 1e-5
        assertTrue(t.compare(new double[] {2.0002}, new double[] {2}).ok());
        assertFalse(t.compare(new double[] {2.00022}, new double[] {2}).ok());
        // non-finite values must match exactly; they do not widen the scale
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        assertTrue(t.compare(new double[] {nan, inf, -inf, 1}, new double[] {nan, inf, -inf, 1}).ok());
        assertFalse(t.compare(new double[] {0, inf, -inf, 1}, new double[] {nan, inf, -inf, 1}).ok());
        assertFalse(t.compare(new double[] {nan, -inf, -inf, 1}, new double[] {nan, inf, -inf, 1}).ok());
        assertFalse(t.compare(new double[] {nan}, new double[] {1}).ok());
        assertFalse(t.compare(new double[] {1e300 * 10}, new double[] {1e300}).ok());
        // the worst element is reported, failing ones first
        Tolerance.Outcome w = t.compare(new double[] {1.01, 0.5, 1.02}, new double[] {1, 0.5, 1});
        assertEquals(2, w.index());
        assertThrows(IllegalArgumentException.class, () -> t.compare(new double[1], new double[2]));
        assertEquals("1.3e-4", Expectations.sci(1.3e-4));
        assertEquals("7.4e-9", Expectations.sci(7.373e-9));
        assertEquals("2.0e12", Expectations.sci(2e12));
    }

    private static final String TINY = """
            {"schema_version": 1, "group": "ops", "count": 3, "cases": [
            {"id": "ops/tiny/1", "title": "y = 2*x + 0.1, grad",
             "inputs": [{"name": "x", "shape": [2, 2], "data": [0.5, -1.0, 2.0, 0.25], "requires_grad": true}],
             "program": [{"out": "t", "op": "mul", "in": [2, "x"]}, {"out": "u", "op": "add", "in": ["t", 0.1]},
                         {"out": "y", "op": "sum", "in": ["u"]}, {"out": "i", "op": "argmax", "in": ["x"], "args": {"dim": 1}},
                         {"stmt": "backward", "of": "y"}],
             "expected": {"u": {"shape": [2, 2], "f64": [1.1, -1.9, 4.1, 0.6]},
                          "i": {"shape": [2], "dtype": "int64", "data": [0, 0]},
                          "y": {"shape": [], "f64": [3.9]},
                          "x.grad": {"shape": [2, 2], "f64": [2.0, 2.0, 2.0, 2.0]}}},
            {"id": "ops/tiny/wrong", "title": "a wrong reference must fail",
             "inputs": [{"name": "x", "shape": [3], "data": [1.0, 2.0, "nan"], "requires_grad": true}],
             "program": [{"out": "y", "op": "exp", "in": ["x"]}],
             "expected": {"y": {"shape": [3], "f64": [2.718281828459045, 7.3, "nan"]}}},
            {"id": "errors/tiny_matmul", "expect": "error", "error_at": 1,
             "inputs": [{"name": "a", "shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}],
             "program": [{"stmt": "no_grad_enter"}, {"out": "y", "op": "matmul", "in": ["a", "a"]}, {"stmt": "no_grad_exit"}]}
            ]}
            """;

    @Test
    void loadsAndRunsACaseFileByPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny.json");
        Files.writeString(file, TINY);
        List<AcceptCase> cases = CaseFiles.load(List.of(dir)); // a folder of case files
        assertEquals(List.of("ops/tiny/1", "ops/tiny/wrong", "errors/tiny_matmul"),
                cases.stream().map(AcceptCase::id).toList());
        assertEquals(cases.stream().map(AcceptCase::id).toList(),
                CaseFiles.load(file).stream().map(AcceptCase::id).toList());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AcceptanceRunner.Summary s;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            s = new AcceptanceRunner(GroupRunners.standard(), List.of(Precision.F32, Precision.F64), true, out)
                    .run(cases);
        }
        String report = bytes.toString(StandardCharsets.UTF_8);
        Map<String, CaseResult.Status> f32 = s.results().stream().filter(r -> r.precision() == Precision.F32)
                .collect(Collectors.toMap(CaseResult::id, CaseResult::status));
        assertEquals(CaseResult.Status.PASS, f32.get("ops/tiny/1"), report);
        assertEquals(CaseResult.Status.FAIL, f32.get("ops/tiny/wrong"), report);
        // the group comes from the file, so the error case runs under "ops" semantics of expect
        assertEquals(CaseResult.Status.PASS, f32.get("errors/tiny_matmul"), report);
        assertTrue(report.contains("FAIL ops/tiny/wrong [f64] y[1]: expected 7.3, got 7.38905609893065"), report);
        assertTrue(report.contains("tolerance 7.4e-9"), report);
        assertTrue(report.contains("matmul"), "verbose mode prints the raised exception:\n" + report);
        assertTrue(report.endsWith("4 passed, 2 failed" + System.lineSeparator()), report);
        assertTrue(GradMode.isEnabled(), "the no_grad scope opened before the error is closed");
    }

    @Test
    void unreadableInputsAreReportedNotThrown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"cases\": 3}");
        assertThrows(IllegalArgumentException.class, () -> CaseFiles.load(file));
        Files.writeString(file, "{\"count\": 2, \"cases\": [{\"id\": \"ops/x\"}]}");
        assertThrows(IllegalArgumentException.class, () -> CaseFiles.load(file));
        assertThrows(IllegalArgumentException.class, () -> CaseFiles.load(dir.resolve("missing.json")));
        assertThrows(IllegalArgumentException.class, () -> Precision.parseList("f16"));
        Function<String, List<Precision>> p = Precision::parseList;
        assertEquals(List.of(Precision.F32, Precision.F64), p.apply("both"));
    }
}
