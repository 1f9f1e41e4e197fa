package io.vecgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private static String row(String table, String prefix) {
        return table.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + prefix + " in\n" + table));
    }

    @Test
    void printsSpeedupsOverTheScalarTwinAndPeers() {
        String md = MarkdownReport.tables(Fixtures.results());
        // GEMM 256: scalar 8400 us, vecgrad 420 us, ejml 9280 us, openblas 356 us.
        String vec = row(md, "| shape=256 | vecgrad |");
        assertTrue(vec.endsWith("| 20.00× | – |"), vec);
        String ejml = row(md, "| shape=256 | ejml |");
        assertTrue(ejml.endsWith("| 0.91× | 22.10× |"), ejml);
        String openblas = row(md, "| shape=256 | openblas |");
        assertTrue(openblas.endsWith("| 23.60× | 0.85× |"), openblas);
        String scalar = row(md, "| shape=256 | scalar |");
        assertTrue(scalar.endsWith("| – | 20.00× |"), scalar);
    }

    @Test
    void printsGflopsForGemm() {
        String md = MarkdownReport.tables(Fixtures.results());
        // 2·256³ flops in 420 us = 79.89 GFLOP/s; 2·64·256·784 in 330 us = 77.85 GFLOP/s.
        assertTrue(row(md, "| shape=256 | vecgrad |").contains("| 79.89 |"), md);
        assertTrue(row(md, "| shape=64x256x784 | vecgrad |").contains("| 77.85 |"), md);
        assertTrue(md.contains("GFLOP/s"));
        String reduce = md.substring(md.indexOf("## ReduceBench.sum"));
        reduce = reduce.substring(0, reduce.indexOf("\n\n", reduce.indexOf('|')));
        assertTrue(!reduce.contains("GFLOP/s"), reduce);
    }

    @Test
    void mergesMethodTwinsUnderTheBaseName() {
        String md = MarkdownReport.tables(Fixtures.results());
        assertTrue(md.contains("## MiscBench.copy (avgt)"), md);
        assertTrue(!md.contains("## MiscBench.copyScalar"), md);
        assertTrue(row(md, "| n=4099 | vector | 0.2500 |").contains("| 2.00× | – |"), md);
    }

    @Test
    void rendersMetadataAndAllocation() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("CPU", "AMD EPYC · 2 cores");
        meta.put("kernel provider", "vector-512 (512-bit vectors)");
        String md = MarkdownReport.render("title", meta, Fixtures.results());
        assertTrue(md.startsWith("# title\n"));
        assertTrue(md.contains("| kernel provider | vector-512 (512-bit vectors) |"));
        assertTrue(row(md, "| shape=256 | ejml |").contains("| 126 |"), md);
        assertTrue(row(md, "| n=4099 | scalar | 1.150 |").contains("| ≈0 |"), md);
    }

    @Test
    void flopsModel() {
        assertEquals(2.0 * 64 * 256 * 784, Flops.perOp(Fixtures.results().get(4)).orElseThrow(), 0);
        assertEquals(1e3, Flops.opsPerSecond(1, "ms/op"), 1e-9);
        assertEquals(5e6, Flops.opsPerSecond(5, "ops/us"), 1e-3);
        List<BenchResult> sums = Fixtures.results().stream().filter(r -> r.benchmark().equals(Fixtures.SUM)).toList();
        assertTrue(Flops.perOp(sums.getFirst()).isEmpty());
    }
}
