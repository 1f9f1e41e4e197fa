package io.vecgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @Test
    void identicalRunsFlagNothing() {
        Comparison.Report rep = Comparison.compare(Fixtures.results(), Fixtures.results());
        assertEquals(14, rep.rows().size());
        assertFalse(rep.anyFlagged(), Comparison.render(rep));
        rep.rows().forEach(r -> assertEquals(1.0, r.speedup(), 1e-12));
    }

    @Test
    void flagsAnInjectedSlowdown() {
        ArrayNode news = Fixtures.tree();
        // GEMM vecgrad 256: 420 ± 12 us; 20% slower is far outside 2x the combined error (~4%).
        Fixtures.scaleScore(Fixtures.entry(news, Fixtures.GEMM, Map.of("impl", "vecgrad", "shape", "256")), 1.20, null);
        Comparison.Report rep = Comparison.compare(Fixtures.results(), Fixtures.parse(news));
        List<Comparison.Row> flagged = rep.flagged();
        assertEquals(1, flagged.size(), Comparison.render(rep));
        Comparison.Row row = flagged.getFirst();
        assertTrue(row.slower());
        assertFalse(row.allocGrew());
        assertEquals("vecgrad", row.newResult().params().get("impl"));
        assertEquals(1 / 1.2, row.speedup(), 1e-9);
        assertTrue(Comparison.render(rep).contains("**SLOWER**"));
    }

    @Test
    void slowdownWithinTheErrorIsNoise() {
        ArrayNode news = Fixtures.tree();
        // 4% slower: under the 5% floor.
        Fixtures.scaleScore(Fixtures.entry(news, Fixtures.GEMM, Map.of("impl", "scalar", "shape", "256")), 1.04, null);
        // 9% slower but the new run is noisy (±10%): threshold 2·sqrt(0.03² + 0.092²) ≈ 19%.
        Fixtures.scaleScore(Fixtures.entry(news, Fixtures.SUM, Map.of("impl", "vector", "n", "4099")), 1.09, 0.012);
        // Faster is never flagged.
        Fixtures.scaleScore(Fixtures.entry(news, Fixtures.EXP, Map.of("impl", "vector", "n", "4099")), 0.5, null);
        Comparison.Report rep = Comparison.compare(Fixtures.results(), Fixtures.parse(news));
        assertFalse(rep.anyFlagged(), Comparison.render(rep));
    }

    @Test
    void slowdownBeyondAWideErrorIsStillFlagged() {
        ArrayNode news = Fixtures.tree();
        Fixtures.scaleScore(Fixtures.entry(news, Fixtures.SUM, Map.of("impl", "vector", "n", "4099")), 1.40, 0.012);
        Comparison.Report rep = Comparison.compare(Fixtures.results(), Fixtures.parse(news));
        assertEquals(1, rep.flagged().size(), Comparison.render(rep));
    }

    @Test
    void flagsAllocationGrowthButNotByteNoise() {
        ArrayNode news = Fixtures.tree();
        Fixtures.setAlloc(Fixtures.entry(news, Fixtures.EXP, Map.of("impl", "vector", "n", "4099")), 48.0);
        Fixtures.setAlloc(Fixtures.entry(news, Fixtures.EXP, Map.of("impl", "scalar", "n", "4099")), 2.0);
        Comparison.Report rep = Comparison.compare(Fixtures.results(), Fixtures.parse(news));
        List<Comparison.Row> flagged = rep.flagged();
        assertEquals(1, flagged.size(), Comparison.render(rep));
        assertTrue(flagged.getFirst().allocGrew());
        assertFalse(flagged.getFirst().slower());
        assertEquals(48.0, flagged.getFirst().allocDelta(), 1e-9);
        assertTrue(Comparison.render(rep).contains("**ALLOC**"));
    }

    @Test
    void reportsBenchmarksMissingFromOneSide() {
        List<BenchResult> olds = Fixtures.results();
        List<BenchResult> news = olds.subList(1, olds.size());
        Comparison.Report rep = Comparison.compare(olds, news);
        assertEquals(1, rep.onlyOld().size());
        assertTrue(rep.onlyNew().isEmpty());
        assertFalse(rep.anyFlagged());
    }

    @Test
    void cliExitCodes(@TempDir Path dir) throws IOException {
        Path old = dir.resolve("old.json");
        Path same = dir.resolve("same.json");
        Path slow = dir.resolve("slow.json");
        Files.writeString(old, Fixtures.text());
        Files.writeString(same, Fixtures.text());
        ArrayNode t = Fixtures.tree();
        Fixtures.scaleScore(Fixtures.entry(t, Fixtures.SUM, Map.of("impl", "vector", "n", "1048576")), 1.5, null);
        Files.writeString(slow, t.toString());

        assertEquals(0, run("compare", old.toString(), same.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1, BenchMain.run(new String[] {"compare", old.toString(), slow.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream())));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ReduceBench.sum") && text.contains("**SLOWER**"), text);
        assertTrue(text.contains("14 compared, 1 flagged"), text);
        assertEquals(2, run("compare", old.toString()));
    }

    private static int run(String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return BenchMain.run(args, sink, sink);
    }
}
