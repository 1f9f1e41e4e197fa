package io.vecgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch cases of {@code layers.json} for the normalization, embedding, activation and
 * shape ops (issue 11), run through the program runner in f32 and f64. Every other op of that
 * file (convolution, pooling, recurrent, attention) belongs to other families and is filtered
 * out here. batch_norm cases also compare the running statistics updated in place.
 */
class NormActivationAcceptanceTest {

    static final Set<String> OPS = Set.of("batch_norm", "layer_norm", "group_norm", "embedding", "elu", "selu",
            "softplus", "silu", "softsign", "mish", "hardtanh", "prelu", "flatten", "concat", "stack",
            "index_select", "gather");

    static List<AcceptCase> cases() throws URISyntaxException {
        Path file = Path.of(NormActivationAcceptanceTest.class.getResource("/acceptance/cases/layers.json").toURI());
        return CaseFiles.load(file).stream()
                .filter(c -> OPS.contains(c.json().path("op").asText()))
                .toList();
    }

    @Test
    void layerCasesOfThisFamilyPassInF32AndF64() throws Exception {
        List<AcceptCase> cases = cases();
        Set<String> ops = cases.stream().map(c -> c.json().path("op").asText()).collect(Collectors.toSet());
        assertEquals(OPS, ops, "every op of the family has at least one case");
        assertEquals(20, cases.size(), "the family's cases in layers.json");
        ProgramGroupRunner runner = new ProgramGroupRunner();
        List<CaseResult> results = new ArrayList<>();
        for (AcceptCase c : cases) {
            for (Precision p : List.of(Precision.F32, Precision.F64)) {
                results.add(runner.run(c, p));
            }
        }
        String bad = results.stream().filter(r -> r.status() != CaseResult.Status.PASS)
                .map(r -> r.line() + "\n    " + String.join("\n    ", r.notes()))
                .collect(Collectors.joining("\n"));
        assertTrue(bad.isEmpty(), bad);
        assertEquals(2 * cases.size(), results.size());
        long withRunning = cases.stream().filter(c -> c.json().path("expected").has("running_var")).count();
        assertEquals(3, withRunning, "the batch_norm cases check the running statistics");
    }
}
