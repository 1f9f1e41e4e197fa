package io.vecgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peers table on a small fixture: a JMH subset plus a torch document (no JMH runs). */
class PeersTableTest {

    static String resource(String name) {
        try (InputStream in = PeersTableTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<BenchResult> jmh() {
        return JmhJson.parse(resource("/peers-jmh-fixture.json"));
    }

    static List<PeerResult> torch() {
        return PeerJson.parsePeerDoc(resource("/torch-fixture.json"));
    }

    static PeersTable.Table table() {
        return PeersTable.build(jmh(), torch());
    }

    static PeersTable.Row row(PeersTable.Table t, String bench, String params, String peer) {
        return t.rows().stream()
                .filter(r -> r.bench().equals(bench) && BenchResult.paramString(r.params()).equals(params)
                        && r.peer().equals(peer))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + bench + " " + params + " " + peer));
    }

    static PeersTable.Summary summary(PeersTable.Table t, String prefix) {
        return t.summary().stream().filter(s -> s.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void djlPeerClassPairsWithGemmBench() throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ArrayNode) mapper.readTree(resource("/peers-jmh-fixture.json"));
        var djl = tree.get(0).deepCopy();
        assertEquals("io.vecgrad.bench.kernels.GemmBench.gemm", djl.get("benchmark").asText());
        ((com.fasterxml.jackson.databind.node.ObjectNode) djl).put("benchmark", "io.vecgrad.bench.djl.DjlGemmBench.gemm");
        ((com.fasterxml.jackson.databind.node.ObjectNode) djl.get("params")).put("impl", "djl");
        var pm = (com.fasterxml.jackson.databind.node.ObjectNode) djl.get("primaryMetric");
        pm.put("score", 600.0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) pm.get("scorePercentiles")).put("50.0", 600.0);
        tree.add(djl);
        List<BenchResult> results = JmhJson.parse(mapper.writeValueAsString(tree));
        PeersTable.Table t = PeersTable.build(results, torch());
        // fixture: vecgrad 400 us at shape=256, so DJL at 600 us is a 1.5x ratio in our favour
        assertEquals(1.5, row(t, "GemmBench.gemm", "shape=256", "djl").ratio(), 1e-12);
        assertTrue(GemmPlot.series(results, List.of()).containsKey("djl"));
    }

    @Test
    void twoPyTorchVersionsAreSeparateColumnsAndTheBestOneSetsTheRatio() throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var doc1 = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(resource("/torch-fixture.json"));
        doc1.put("label", "pytorch 1.13");
        var doc2 = doc1.deepCopy();
        doc2.put("label", "pytorch 2.13").put("version", "2.13.0+cpu");
        for (var r : doc2.get("results")) {
            if (r.get("bench").asText().equals("ElementwiseBench.exp")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) r).put("us", 10.0); // 1.13: 30 us, ours: 20 us
            }
        }
        List<PeerResult> peers = new java.util.ArrayList<>(PeerJson.parsePeerDoc(doc1));
        peers.addAll(PeerJson.parsePeerDoc(doc2));
        PeersTable.Table t = PeersTable.build(jmh(), peers);
        assertEquals(PeersTable.Verdict.MET, row(t, "ElementwiseBench.exp", "n=65536", "pytorch 1.13").verdict());
        assertEquals(PeersTable.Verdict.MISSED, row(t, "ElementwiseBench.exp", "n=65536", "pytorch 2.13").verdict());
        PeersTable.Best b = t.best().stream()
                .filter(x -> x.bench().equals("ElementwiseBench.exp")).findFirst().orElseThrow();
        assertEquals("pytorch 2.13", b.bestPeer());
        assertEquals(0.5, b.ratio(), 1e-12);
        assertEquals(Map.of("pytorch 1.13", 30.0, "pytorch 2.13", 10.0), b.peers());
        PeersTable.Best gemm = t.best().stream().filter(x -> x.bench().equals("GemmBench.gemm")
                && x.params().get("shape").equals("256")).findFirst().orElseThrow();
        assertTrue(gemm.peers().containsKey("openblas"), gemm.toString());
        String md = PeersTable.bestTable(t);
        assertTrue(md.contains("| OpenBLAS µs |") && md.contains("| pytorch 1.13 µs | pytorch 2.13 µs |"), md);
        // met against 1.13, missed against 2.13: the row (ours against the best PyTorch) is missed
        assertEquals(PeersTable.Verdict.MISSED, b.verdict());
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| ElementwiseBench.exp | n=65536 |") && l.endsWith("| MISSED |")), md);
        assertFalse(summary(t, "elementwise").verdict() == PeersTable.Verdict.MET);
    }

    @Test
    void ratioIsPeerTimeOverOurTimeOfTheMedians() {
        PeersTable.Table t = table();
        assertEquals(1.1, row(t, "GemmBench.gemm", "shape=256", "openblas").ratio(), 1e-12);
        assertEquals(20.0, row(t, "GemmBench.gemm", "shape=256", "ejml").ratio(), 1e-12);
        assertEquals(1.5, row(t, "ElementwiseBench.exp", "n=65536", "pytorch").ratio(), 1e-12);
        // ns/op on our side, µs in the torch document: 4 µs / 150 ns.
        PeersTable.Row g = row(t, "ScalarGraphBench.forwardBackward", "", "pytorch");
        assertEquals(0.15, g.oursUs(), 1e-12);
        assertEquals(4.0 / 0.15, g.ratio(), 1e-9);
        // the scalar twin is not a peer
        assertTrue(t.rows().stream().noneMatch(r -> r.peer().equals("scalar")));
    }

    @Test
    void flagsRowsAgainstTheirTargets() {
        PeersTable.Table t = table();
        assertEquals(PeersTable.Verdict.MET, row(t, "GemmBench.gemm", "shape=256", "openblas").verdict());
        assertEquals(PeersTable.Verdict.MISSED, row(t, "GemmBench.gemm", "shape=64x256x784", "openblas").verdict());
        // netlib/EJML and PyTorch GEMM are shown but carry no target
        assertEquals(PeersTable.Verdict.NONE, row(t, "GemmBench.gemm", "shape=256", "ejml").verdict());
        assertEquals(PeersTable.Verdict.NONE, row(t, "GemmBench.gemm", "shape=256", "pytorch").verdict());
        // 1000 / 900 = 1.11 < 1 / 0.75
        assertEquals(PeersTable.Verdict.MISSED, row(t, "TrainStepBench.step", "model=mlp784-b64-sgd", "pytorch").verdict());
        assertEquals(PeersTable.Verdict.MET, row(t, "TrainStepBench.step", "model=tiny-b32-sgd", "pytorch").verdict());
        assertEquals(PeersTable.Verdict.MET, row(t, "ScalarGraphBench.forwardBackward", "", "pytorch").verdict());
        assertEquals(PeersTable.Verdict.MISSED,
                row(t, "OptimizerStepBench.step", "n=1000000 optimizer=adam", "pytorch").verdict());
        assertEquals(PeersTable.Verdict.MISSED, row(t, "ReduceBench.sum", "n=1048576", "pytorch").verdict());
        assertEquals(PeersTable.Verdict.MET, row(t, "SoftmaxBench.softmax", "cols=1000 rows=256", "pytorch").verdict());
    }

    @Test
    void twoThreadStepPairsWithOurOneThreadStepAndTorchOnTwoThreads() {
        PeersTable.Table t = table();
        PeersTable.Row self = row(t, "TrainStep2ThreadsBench.step", "model=mlp784-b256-sgd", PeersTable.OURS_1T);
        assertEquals(3000.0 / 1700.0, self.ratio(), 1e-12);
        assertEquals(PeersTable.Verdict.MET, self.verdict());
        PeersTable.Row torch2 = row(t, "TrainStep2ThreadsBench.step", "model=mlp784-b256-sgd", "pytorch (2 threads)");
        assertEquals(2000.0 / 1700.0, torch2.ratio(), 1e-12);
        assertEquals(PeersTable.Verdict.NONE, torch2.verdict());
    }

    @Test
    void summarisesEveryTargetAndAllocation() {
        PeersTable.Table t = table();
        assertEquals(PeersTable.TARGETS.size() + 1, t.summary().size());
        PeersTable.Summary gemm = summary(t, "f32 GEMM");
        assertEquals(2, gemm.rows());
        assertEquals(1, gemm.met());
        assertEquals(300.0 / 330.0, gemm.worstRatio(), 1e-12);
        assertEquals(PeersTable.Verdict.MISSED, gemm.verdict());
        assertEquals(PeersTable.Verdict.MET, summary(t, "tiny MLP").verdict());
        assertEquals(PeersTable.Verdict.MET, summary(t, "two threads").verdict());
        PeersTable.Summary elem = summary(t, "elementwise");
        assertEquals(2, elem.rows());
        assertEquals(PeersTable.Verdict.MISSED, elem.verdict());
        // tiny step allocates 4000 B > 2 KB
        PeersTable.Summary alloc = summary(t, PeersTable.ALLOC_TARGET);
        assertEquals(4, alloc.rows());
        assertEquals(3, alloc.met());
        assertEquals(PeersTable.Verdict.MISSED, alloc.verdict());
        // without the torch document every PyTorch target has no data; the JMH-only ones still decide
        PeersTable.Table jmhOnly = PeersTable.build(jmh(), List.of());
        assertEquals(PeersTable.Verdict.NONE, summary(jmhOnly, "scalar autograd").verdict());
        assertEquals(PeersTable.Verdict.MISSED, summary(jmhOnly, "f32 GEMM").verdict());
    }

    @Test
    void reportsTorchRowsWithoutAJmhPartner() {
        assertEquals(List.of("pytorch ElementwiseBench.tanh n=65536"), table().unpaired());
    }

    @Test
    void rendersOneMarkdownTable() {
        String md = PeersTable.render("t", Map.of("commit", "abc"), List.of("pytorch 1.13.0a0"), table());
        assertTrue(md.contains("| commit | abc |"), md);
        assertTrue(md.contains("| GemmBench.gemm | shape=256 | 400.0 ± 8.000 | openblas | 440.0 ± 8.800 | 1.10× |"), md);
        assertTrue(md.contains("| ElementwiseBench.exp | n=65536 | 20.00 ± 0.4000 | pytorch | 30.00 [27.00–36.00] | 1.50× |"), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| TrainStepBench.step | model=tiny-b32-sgd | 10.00")
                && l.endsWith("| MET |")), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| TrainStepBench.step | model=tiny-b32-sgd | 4000 |")
                && l.endsWith("| MISSED |")), md);
        assertTrue(md.contains("| softmax / log_softmax rows (256, 1000) |"), md);
        assertTrue(md.contains("no matching JMH row"), md);
        assertFalse(md.contains("NaN"), md);
    }

    @Test
    void savedRunRoundTripsThroughPeersReportAndPlot(@TempDir Path dir) throws IOException {
        String doc = PeerJson.MAPPER.writeValueAsString(PeerJson.runDocument(Map.of("mode", "peers quick"),
                resource("/peers-jmh-fixture.json"), List.of(resource("/torch-fixture.json"))));
        Path f = dir.resolve("abc-2026-01-01-peers.json");
        Files.writeString(f, doc);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(new String[] {"peers", "report", f.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String md = out.toString(StandardCharsets.UTF_8);
        assertTrue(md.contains("Script peers: pytorch 1.13.0a0."), md);
        assertTrue(md.contains("| mode | peers quick |"), md);
        assertEquals(PeersTable.render("vecgrad vs peers: " + f.getFileName(), Map.of("mode", "peers quick"),
                List.of("pytorch 1.13.0a0"), table()), md);

        System.setProperty("java.awt.headless", "true");
        code = BenchMain.run(new String[] {"plot", f.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Path png = dir.resolve("abc-2026-01-01-gemm.png");
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
    }

    @Test
    void plotSeriesAreGflopsPerImplementationInFlopOrder() {
        Map<String, Map<String, Double>> s = GemmPlot.series(jmh(), torch());
        assertEquals(List.of("vecgrad", "ejml", "netlibJava", "openblas", "pytorch"), List.copyOf(s.keySet()));
        assertEquals(2.0 * 256 * 256 * 256 / 400e-6 / 1e9, s.get("vecgrad").get("256"), 1e-9);
        assertEquals(2.0 * 256 * 256 * 256 / 500e-6 / 1e9, s.get("pytorch").get("256"), 1e-9);
        assertEquals(List.of("64x256x784", "256"), GemmPlot.shapes(s));
        assertNull(s.get("ejml").get("64x256x784"));
        assertEquals(Path.of("r/x-gemm.png"), GemmPlot.pngFor(Path.of("r/x-peers.json")));
        assertEquals(Path.of("r/y-gemm.png"), GemmPlot.pngFor(Path.of("r/y.json")));
    }

    @Test
    void peersJobsCoverTheTargetsBenchmarks() {
        List<PeersRun.Job> quick = PeersRun.jobs(Suite.QUICK);
        String all = String.join(" ", quick.stream().map(PeersRun.Job::include).toList());
        for (String b : List.of("GemmBench", "ElementwiseBench", "ReduceBench", "SoftmaxBench", "ScalarGraphBench",
                "TrainStepBench", "TrainStep2ThreadsBench", "OptimizerStepBench")) {
            assertTrue(all.contains(b), b);
        }
        assertEquals(List.of("65536", "1048576"), List.of(PeersRun.sizes(Suite.QUICK)));
        assertTrue(List.of(PeersRun.shapes(Suite.FULL)).contains("2048"));
    }
}
