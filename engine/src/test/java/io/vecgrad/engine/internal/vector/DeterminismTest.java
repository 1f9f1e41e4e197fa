package io.vecgrad.engine.internal.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bit-identical results at every JIT tier and thread count: {@link DeterminismProbe} runs the
 * same kernels in child JVMs — interpreted ({@code -Xint}), C1 only, and the full tiered JIT with
 * compile thresholds scaled down and {@code -Xbatch} so that C2 code runs within the loop (the
 * tiered child must show level-4 compilations of our vector kernels, or the test fails) — on one
 * and on two threads, and every kernel's output bits must agree across all of them and between
 * its first and last call. Before the fixed-order lane sums ({@link Lanes}) the one-row forward
 * and the sums changed their last bit when C2 compiled {@code reduceLanes(ADD)}.
 */
class DeterminismTest {

    record Child(String name, Map<String, String[]> lines, String output) {}

    static Child run(String name, int reps, int threads, String... jvmFlags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-Xmx256m");
        cmd.addAll(List.of(jvmFlags));
        String bits = System.getProperty("vecgrad.vector.bits");
        if (bits != null) {
            cmd.add("-Dvecgrad.vector.bits=" + bits);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DeterminismProbe.class.getName());
        cmd.add(Integer.toString(reps));
        cmd.add(Integer.toString(threads));
        // The probe prints its results on stderr; stdout (PrintCompilation, written by the compiler
        // threads at any moment) goes to a file, so it cannot cut into a result line.
        java.io.File jitLog = java.io.File.createTempFile("determinism-jit", ".txt");
        jitLog.deleteOnExit();
        Process p = new ProcessBuilder(cmd).redirectOutput(jitLog).start();
        p.getOutputStream().close();
        String results = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), name + ": child did not finish");
        String out = results + "\n" + java.nio.file.Files.readString(jitLog.toPath(), StandardCharsets.UTF_8);
        java.nio.file.Files.deleteIfExists(jitLog.toPath());
        assertEquals(0, p.exitValue(), name + " exited " + p.exitValue() + ":\n" + out);
        Map<String, String[]> lines = new LinkedHashMap<>();
        for (String l : results.split("\n")) {
            if (l.startsWith("f32 ") || l.startsWith("f64 ") || l.startsWith("2t ")) {
                String[] w = l.trim().split(" ");
                lines.put(String.join(" ", List.of(w).subList(0, w.length - 2)),
                        new String[] {w[w.length - 2], w[w.length - 1]});
            }
        }
        assertTrue(lines.size() >= 20, name + ": expected the probe's lines, got:\n" + out);
        assertTrue(out.contains("provider vector-"), name + ": not the vector kernels:\n" + out);
        System.out.println(name + ": " + lines.size() + " kernels; " + out.lines().filter(l -> l.startsWith("provider"))
                .findFirst().orElse("?"));
        return new Child(name, lines, out);
    }

    // Compile thresholds scaled down 50x for our classes only, compilation in the foreground: C2
    // code runs within the 200 calls (and the JDK's own methods are not all compiled early).
    static final String[] FAST_JIT = {"-Xbatch", "-XX:CompileCommand=quiet",
        "-XX:CompileCommand=CompileThresholdScaling,io.vecgrad.*::*,0.02"};

    @Test
    void everyTierAndThreadCountGivesTheSameBits() throws Exception {
        // Children cost ~30 s of CPU; the forced-width executions of this suite (w256, w128) pass
        // the width on to them, so each width is checked in its own execution.
        Child interp = run("interpreted (-Xint)", 1, 1, "-Xint");
        List<String> c2Flags = new ArrayList<>(List.of(FAST_JIT));
        c2Flags.add("-XX:+PrintCompilation");
        Child c2 = run("tiered JIT (C2), one and two threads", 200, 2, c2Flags.toArray(String[]::new));
        List<String> c1Flags = new ArrayList<>(List.of(FAST_JIT));
        c1Flags.add("-XX:TieredStopAtLevel=1");
        Child c1 = run("C1 only", 30, 1, c1Flags.toArray(String[]::new));
        // The C2 child must really have compiled our vector kernels at level 4.
        long level4 = c2.output().lines()
                .filter(l -> l.contains("io.vecgrad.engine.internal.vector.Vector") || l.contains("internal.vector.Lanes"))
                .filter(l -> l.matches("^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+.*") && !l.contains("made not entrant"))
                .count();
        assertTrue(level4 > 0, "no C2 (level 4) compilation of a vector kernel in the tiered child:\n" + c2.output());
        for (Map.Entry<String, String[]> e : interp.lines().entrySet()) {
            String k = e.getKey();
            String ref = e.getValue()[0];
            assertEquals(ref, e.getValue()[1], k + ": -Xint first and last call differ");
            for (Child c : List.of(c2, c1)) {
                String[] v = c.lines().get(k);
                assertEquals(ref, v[0], k + ": first call under " + c.name() + " differs from -Xint");
                assertEquals(ref, v[1], k + ": last call under " + c.name() + " (compiled) differs from -Xint");
            }
            String[] two = c2.lines().get("2t " + k);
            assertEquals(ref, two[0], k + ": two threads (first call) differ from -Xint on one");
            assertEquals(ref, two[1], k + ": two threads (compiled) differ from -Xint on one");
        }
        assertEquals(interp.lines().keySet(), c1.lines().keySet());
    }
}
