package io.vecgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {

    @Test
    void fixturePassesTheFoundationTargets() {
        Gate.Result res = Gate.check(Fixtures.results());
        assertTrue(res.passed(), Gate.render(res));
        // gemm x2 shapes, sum x2, exp, copy/copyScalar; ejml/openblas are peers, not twins.
        assertEquals(6, res.checks().size(), Gate.render(res));
    }

    @Test
    void rulesPickTheRightTarget() {
        Map<String, String> ruleByCheck = new java.util.HashMap<>();
        for (Gate.Check c : Gate.check(Fixtures.results()).checks()) {
            ruleByCheck.put(c.benchmark() + " " + c.params(), c.rule().name());
        }
        assertEquals("GEMM n≥4096", ruleByCheck.get("GemmBench.gemm shape=256"));
        assertEquals("GEMM n≥4096", ruleByCheck.get("GemmBench.gemm shape=64x256x784"));
        assertEquals("reduction n≥4096", ruleByCheck.get("ReduceBench.sum n=4099"));
        assertEquals("elementwise / other", ruleByCheck.get("ElementwiseBench.exp n=4099"));
        assertEquals("elementwise / other", ruleByCheck.get("MiscBench.copy n=4099"));
    }

    @Test
    void failsWhenAReductionMissesFourTimes() {
        ArrayNode t = Fixtures.tree();
        // vector sum at 1M: 70 us vs scalar 300 us = 4.3x; make it 100 us = 3x.
        Fixtures.scaleScore(Fixtures.entry(t, Fixtures.SUM, Map.of("impl", "vector", "n", "1048576")), 100.0 / 70.0, null);
        Gate.Result res = Gate.check(Fixtures.parse(t));
        assertFalse(res.passed());
        List<Gate.Check> failed = res.checks().stream().filter(c -> !c.passed()).toList();
        assertEquals(1, failed.size(), Gate.render(res));
        assertEquals(3.0, failed.getFirst().ratio(), 1e-9);
        assertTrue(Gate.render(res).contains("**FAIL**"));
    }

    @Test
    void failsWhenElementwiseIsSlowerThanScalar() {
        ArrayNode t = Fixtures.tree();
        Fixtures.scaleScore(Fixtures.entry(t, Fixtures.EXP, Map.of("impl", "vector", "n", "4099")), 9.0, null);
        assertFalse(Gate.check(Fixtures.parse(t)).passed());
    }

    @Test
    void smallReductionsOnlyNeedToBreakEven() {
        ArrayNode t = Fixtures.tree();
        Fixtures.entry(t, Fixtures.SUM, Map.of("impl", "vector", "n", "4099")).withObject("params").put("n", "1000");
        Fixtures.entry(t, Fixtures.SUM, Map.of("impl", "scalar", "n", "4099")).withObject("params").put("n", "1000");
        Fixtures.scaleScore(Fixtures.entry(t, Fixtures.SUM, Map.of("impl", "vector", "n", "1000")), 5.0, null);
        Gate.Result res = Gate.check(Fixtures.parse(t));
        assertTrue(res.passed(), Gate.render(res)); // 2.1x is enough below n = 4096
    }

    @Test
    void aFileWithoutTwinsFails() {
        List<BenchResult> peersOnly = Fixtures.results().stream()
                .filter(r -> "ejml".equals(r.params().get("impl")) || "openblas".equals(r.params().get("impl")))
                .toList();
        Gate.Result res = Gate.check(peersOnly);
        assertFalse(res.passed());
        assertTrue(Gate.render(res).contains("no vector/scalar twin pairs"));
    }

    @Test
    void customRuleTable() {
        List<Gate.Rule> strict = List.of(new Gate.Rule("all 30x", ".*", 0, 30.0));
        assertFalse(Gate.check(Fixtures.results(), strict).passed());
    }

    @Test
    void cliExitCodes(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.json");
        Files.writeString(good, Fixtures.text());
        ArrayNode t = Fixtures.tree();
        Fixtures.scaleScore(Fixtures.entry(t, Fixtures.GEMM, Map.of("impl", "vecgrad", "shape", "256")), 6.0, null);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, t.toString());
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        assertEquals(0, BenchMain.run(new String[] {"gate", good.toString()}, sink, sink));
        assertEquals(1, BenchMain.run(new String[] {"gate", bad.toString()}, sink, sink));
    }
}
