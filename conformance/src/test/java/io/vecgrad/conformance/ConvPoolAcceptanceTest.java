package io.vecgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch layer cases of the convolution and pooling family (the cases of the bundled
 * {@code layers.json} whose op is one of {@link #OPS}), run in f32 and f64 through the program
 * runner; every one must pass outright.
 */
class ConvPoolAcceptanceTest {

    static final Set<String> OPS = Set.of("conv1d", "conv2d", "conv_transpose2d", "max_pool1d", "max_pool2d",
            "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d");

    /** Runs {@code layers} cases with the program runner (the standard registry may not list the group yet). */
    private static final class LayersRunner implements GroupRunner {
        private final ProgramGroupRunner programs = new ProgramGroupRunner();

        @Override
        public Set<String> groups() {
            return Set.of("layers");
        }

        @Override
        public CaseResult run(AcceptCase c, Precision p) {
            return programs.run(c, p);
        }
    }

    @Test
    void convolutionAndPoolingCasesPassInF32AndF64() throws Exception {
        List<AcceptCase> all;
        try (InputStream in = getClass().getResourceAsStream(CaseFiles.RESOURCE_DIR + "layers.json")) {
            all = CaseFiles.parse(CaseFiles.JSON.readTree(in), "bundled:layers.json");
        }
        List<AcceptCase> mine = all.stream().filter(c -> OPS.contains(c.json().path("op").asText())).toList();
        assertEquals(15, mine.size(), "conv/pool cases in layers.json");
        assertEquals(OPS, mine.stream().map(c -> c.json().path("op").asText()).collect(Collectors.toSet()),
                "every op of the family has a case");

        AcceptanceRunner.Summary s = new AcceptanceRunner(new GroupRunners().register(new LayersRunner()),
                List.of(Precision.F32, Precision.F64), false, null).run(mine);

        assertEquals(2L * mine.size(), s.results().size());
        String bad = s.results().stream().filter(r -> r.status() != CaseResult.Status.PASS)
                .map(CaseResult::line).collect(Collectors.joining("\n"));
        assertEquals(2L * mine.size(), s.count(CaseResult.Status.PASS), s.line() + "; not passing:\n" + bad);
    }
}
