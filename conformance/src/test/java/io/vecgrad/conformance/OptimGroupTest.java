package io.vecgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgrad.autograd.Tensor;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The bundled {@code optim} cases through {@link OptimGroupRunner}: all 16 must pass in f32 and f64. */
class OptimGroupTest {

    @Test
    void allOptimTrajectoriesPass() {
        List<AcceptCase> cases = CaseFiles.bundled().stream().filter(c -> c.group().equals("optim")).toList();
        assertEquals(16, cases.size());
        AcceptanceRunner.Summary s = new AcceptanceRunner(GroupRunners.standard(),
                List.of(Precision.F32, Precision.F64), false, null).run(cases);
        String bad = s.results().stream().filter(r -> r.status() != CaseResult.Status.PASS)
                .map(CaseResult::line).collect(Collectors.joining("\n"));
        assertEquals(32, s.count(CaseResult.Status.PASS), bad);
    }

    @Test
    void aWrongReferenceFails() throws Exception {
        AcceptCase real = CaseFiles.bundled().stream().filter(c -> c.id().equals("optim/adam_lr0.1")).findFirst()
                .orElseThrow();
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) real.json().deepCopy();
        var p1 = (com.fasterxml.jackson.databind.node.ArrayNode) json.get("expected").get("p1").get("f64");
        p1.set(7, p1.get(7).asDouble() + 1e-3);
        CaseResult r = new OptimGroupRunner().run(new AcceptCase(real.id(), "optim", json, "test"), Precision.F64);
        assertEquals(CaseResult.Status.FAIL, r.status(), r.line());
        assertTrue(r.detail().startsWith("p1[1,2]"), r.line());
    }

    @Test
    void unsupportedOptionsAreRejectedClearly() throws Exception {
        var o = new ObjectMapper().readTree("{\"type\": \"Adam\", \"maximize\": true}");
        var e = assertThrows(IllegalArgumentException.class,
                () -> OptimGroupRunner.optimizer(o, List.of(Tensor.zeros(2).requiresGrad(true))));
        assertTrue(e.getMessage().contains("maximize"), e.getMessage());
        var t = new ObjectMapper().readTree("{\"type\": \"LBFGS\"}");
        e = assertThrows(IllegalArgumentException.class,
                () -> OptimGroupRunner.optimizer(t, List.of(Tensor.zeros(2).requiresGrad(true))));
        assertTrue(e.getMessage().contains("LBFGS"), e.getMessage());
    }
}
