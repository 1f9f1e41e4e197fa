package io.vecgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch cases of {@code layers.json} for the recurrent and attention ops
 * ({@code rnn_tanh, gru, lstm, scaled_dot_product_attention}), run through the program
 * interpreter in f32 and f64; every one must pass outright.
 */
class RecurrentAttentionAcceptanceTest {

    private static final Set<String> OPS = Set.of("rnn_tanh", "gru", "lstm", "scaled_dot_product_attention");

    /** Runs the {@code layers} group with the program runner (it is not a standard group yet). */
    private static final class LayersRunner implements GroupRunner {
        private final ProgramGroupRunner inner = new ProgramGroupRunner();

        @Override
        public Set<String> groups() {
            return Set.of("layers");
        }

        @Override
        public CaseResult run(AcceptCase c, Precision p) {
            return inner.run(c, p);
        }
    }

    @Test
    void recurrentAndAttentionCasesPassInF32AndF64() throws Exception {
        List<AcceptCase> all;
        try (InputStream in = getClass().getResourceAsStream(CaseFiles.RESOURCE_DIR + "layers.json")) {
            all = CaseFiles.parse(CaseFiles.JSON.readTree(in), "bundled:layers.json");
        }
        List<AcceptCase> mine = all.stream().filter(c -> OPS.contains(c.json().path("op").asText())).toList();
        assertEquals(5, mine.size(), "rnn_tanh, gru, lstm and two attention cases");
        AcceptanceRunner.Summary s = new AcceptanceRunner(new GroupRunners().register(new LayersRunner()),
                List.of(Precision.F32, Precision.F64), true, System.out).run(mine);
        String bad = s.results().stream().filter(r -> r.status() != CaseResult.Status.PASS)
                .map(r -> r.line() + " " + r.notes()).collect(Collectors.joining("\n"));
        assertEquals(10, s.count(CaseResult.Status.PASS), bad);
    }
}
