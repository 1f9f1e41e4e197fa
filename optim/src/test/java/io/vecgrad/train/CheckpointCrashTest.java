package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening issue, crash test: a child JVM ({@link CrashChild}) checkpoints after every step and
 * is killed with SIGKILL at random moments, 20 times: two folders side by side, 10 kills in a row on each
 * (each child resumes from what the previous one left). After every kill the checkpoint must load, hold
 * exactly the parameters of an uninterrupted run at its step, and resume bit-identically.
 */
class CheckpointCrashTest {
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    /** Parameters after each step of an uninterrupted run (index = step). */
    private final List<float[][]> reference = new ArrayList<>();
    private CrashChild.Run uninterrupted;

    private float[][] referenceAt(long step) {
        if (uninterrupted == null) {
            uninterrupted = CrashChild.fresh();
            reference.add(params(uninterrupted));
        }
        while (reference.size() <= step) {
            uninterrupted.step();
            reference.add(params(uninterrupted));
        }
        return reference.get((int) step);
    }

    private static float[][] params(CrashChild.Run run) {
        return run.model().parameters().stream().map(Tensor::toFloatArray).toArray(float[][]::new);
    }

    /** Children run in this many folders side by side (each folder a chain of kills and resumes). */
    private static final int LANES = 2;

    private Process child(String java, Path lane) throws Exception {
        // same flags as this JVM where they matter: the kernel provider (C2 + Vector API) decides rounding
        return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), lane.toString())
                .redirectErrorStream(true).start();
    }

    private static void awaitReady(Process p, int kill) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("ready")) {
            // JVM warnings before the first checkpoint
        }
        assertTrue(line != null, "child " + kill + " died before its first checkpoint");
    }

    @Test
    void killedWhileCheckpointingAlwaysLeavesALoadableCheckpointThatResumesBitIdentically() throws Exception {
        long seed = 20261202L;
        System.out.println("CheckpointCrashTest seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path[] lanes = new Path[LANES];
        long[] lastStep = new long[LANES];
        for (int l = 0; l < LANES; l++) {
            lanes[l] = Files.createDirectories(dir.resolve("lane" + l));
        }
        for (int round = 0; round < KILLS / LANES; round++) {
            Process[] ps = new Process[LANES];
            for (int l = 0; l < LANES; l++) {
                ps[l] = child(java, lanes[l]);
            }
            for (int l = 0; l < LANES; l++) {
                int kill = round * LANES + l;
                awaitReady(ps[l], kill);
                Thread.sleep(r.nextInt(5, 80)); // somewhere inside a later save, most of the time
                ps[l].destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                ps[l].waitFor(10, TimeUnit.SECONDS);
            }
            for (int l = 0; l < LANES; l++) {
                int kill = round * LANES + l;
                CrashChild.Run loaded = CrashChild.fresh();
                long step = Checkpoint.load(lanes[l].resolve("checkpoint.safetensors"), loaded.model(),
                        loaded.optimizer()).step();
                assertTrue(step > lastStep[l], "kill " + kill + ": the checkpoint went back from step " + lastStep[l]
                        + " to " + step);
                float[][] want = referenceAt(step);
                float[][] got = params(loaded);
                for (int i = 0; i < want.length; i++) {
                    assertArrayEquals(want[i], got[i], "kill " + kill + ", step " + step + ", parameter " + i);
                }
                for (int s = 1; s <= 2; s++) { // and training on from it is bit-identical
                    loaded.step();
                    float[][] next = params(loaded);
                    float[][] ref = referenceAt(step + s);
                    for (int i = 0; i < ref.length; i++) {
                        assertArrayEquals(ref[i], next[i], "resumed from step " + step + ", +" + s + " steps, parameter " + i);
                    }
                }
                lastStep[l] = step;
                try (var files = Files.list(lanes[l])) {
                    assertTrue(files.count() <= 2, "at most the checkpoint and one killed save's temporary remain");
                }
            }
        }
    }
}
