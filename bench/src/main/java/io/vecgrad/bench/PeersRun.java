package io.vecgrad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.RunnerException;

/**
 * {@code BenchMain peers [quick|full]}: the JMH benchmarks that have a peer, then the PyTorch
 * script on the same shapes (one and two threads), into one table ({@link PeersTable}) and the
 * GEMM plot ({@link GemmPlot}); files {@code bench/results/<sha>-<date>-peers.{json,md}} and
 * {@code <sha>-<date>-gemm.png}.
 */
public final class PeersRun {
    private PeersRun() {}

    /** Python that runs the torch script: {@code -Dvecgrad.python}, else {@code /usr/bin/python3}. */
    static String python() {
        return System.getProperty("vecgrad.python", "/usr/bin/python3");
    }

    /**
     * Python of the second PyTorch peer (PyTorch 2.x from pip in {@code bench/.venv}, created on
     * demand by {@value #TORCH2_INSTALL}): {@code -Dvecgrad.python2}, else {@code bench/.venv/bin/python}.
     */
    static String python2(Path root) {
        return System.getProperty("vecgrad.python2", root.resolve("bench/.venv/bin/python").toString());
    }

    /**
     * Variables that select OpenBLAS's kernels; this machine's environment sets them (to AVX2
     * "Haswell" kernels), which halves a peer's GEMM speed. Peers run without them, each in its
     * own process (the launcher starts {@code bench} with them unset and the PyTorch processes get
     * them removed here); tests and CI never touch them.
     */
    static final List<String> OPENBLAS_OVERRIDES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    static final String TORCH_SCRIPT = "bench/peers/torch_peers.py";
    static final String TORCH_INSTALL = "bench/peers/install-torch.sh";
    static final String TORCH2_INSTALL = "bench/peers/install-torch2.sh";

    /**
     * One JMH invocation: an include pattern and its @Param overrides. {@code warmupSeconds} (0:
     * the suite's) is a floor on the warm-up of this job in the quick suite: Vector API kernels
     * and whole training steps need seconds of C2 work before they run at speed, and the quick
     * suite's 4 x 0.5 s measured the JIT (138 % spread on the 784-MLP step).
     */
    record Job(String label, String include, Map<String, String[]> params, int warmupSeconds) {
        Job(String label, String include, Map<String, String[]> params) {
            this(label, include, params, 0);
        }
    }

    /** Vector lengths with a PyTorch peer. */
    static String[] sizes(Suite suite) {
        return suite == Suite.QUICK ? new String[] {"65536", "1048576"}
                : new String[] {"1000", "65536", "1048576", "16777216"};
    }

    /** GEMM shapes with peers (quick keeps 1024 so that the plot has three square sizes). */
    static String[] shapes(Suite suite) {
        return suite == Suite.QUICK
                ? new String[] {"256", "512", "1024", "64x256x784", "256x256x784", "784x256x64"}
                : new String[] {"256", "512", "1024", "2048", "64x256x784", "256x256x784", "784x256x64"};
    }

    /**
     * The JMH subset that has peers, as separate runs because the {@code impl} values differ
     * between GEMM ({@code vecgrad} and the BLAS peers) and the kernels ({@code vector}).
     */
    static List<Job> jobs(Suite suite) {
        List<Job> jobs = new ArrayList<>();
        jobs.add(new Job("GEMM", "\\.GemmBench\\.gemm(TransA)?$",
                Map.of("impl", new String[] {"vecgrad", "openblas", "netlibJava", "ejml"}, "shape", shapes(suite))));
        if (djlBuilt()) {
            jobs.add(new Job("GEMM, DJL PyTorch", "\\.DjlGemmBench\\.gemm(TransA)?$",
                    Map.of("shape", shapes(suite))));
        }
        jobs.add(new Job("kernels", "\\.(ElementwiseBench\\.(add|mul|exp|tanh|relu|sigmoid)|ReduceBench\\.(sum|max)"
                + "|SoftmaxBench\\.(softmax|logSoftmax))$",
                Map.of("impl", new String[] {"vector"}, "n", sizes(suite)), 6));
        jobs.add(new Job("autograd and training", "\\.(ScalarGraphBench\\.forwardBackward|TrainStepBench\\.step"
                + "|TrainStep2ThreadsBench\\.step)$", Map.of(), 12));
        jobs.add(new Job("optimizers", "\\.OptimizerStepBench\\.step$",
                Map.of("optimizer", new String[] {"adam", "sgd_momentum"}, "n", new String[] {"1000000"})));
        return jobs;
    }

    static final String DJL_BENCH = "io.vecgrad.bench.djl.DjlGemmBench";

    /** Whether this build has the DJL peer ({@code -Pdjl}, see bench/pom.xml). */
    static boolean djlBuilt() {
        try {
            Class.forName(DJL_BENCH, false, PeersRun.class.getClassLoader());
            Class.forName("ai.djl.ndarray.NDManager", false, PeersRun.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Runs everything; returns the exit code. */
    static int run(Suite suite, PrintStream out, PrintStream err) {
        Path root = Environment.repoRoot();
        Path dir = root.resolve("bench").resolve("results");
        String stem = Environment.gitShortSha(root) + "-" + LocalDate.now();
        Path json;
        try {
            Files.createDirectories(dir);
            int i = 1;
            do {
                String s = i == 1 ? stem : stem + "-" + i;
                json = dir.resolve(s + "-peers.json");
                i++;
            } while (Files.exists(json));
        } catch (IOException e) {
            err.println("bench peers: cannot create " + dir + ": " + e.getMessage());
            return 2;
        }
        String base = json.getFileName().toString().replace("-peers.json", "");
        Path md = dir.resolve(base + "-peers.md");
        Path png = dir.resolve(base + "-gemm.png");
        String mode = suite.name().toLowerCase(Locale.ROOT);
        Map<String, String> meta = Environment.metadata(root, "peers " + mode, null, Suite.forkArgs());
        meta.put("OpenBLAS core (JMH peer)", OpenBlasProbe.describe());
        OPENBLAS_OVERRIDES.forEach(v -> {
            if (System.getenv(v) != null) {
                err.println("bench peers: WARNING: " + v + "=" + System.getenv(v) + " is set in this process: the "
                        + "OpenBLAS peer runs the kernels it forces; run through ./vecgrad (it unsets it for bench)");
            }
        });
        out.println("bench peers: OpenBLAS core: " + meta.get("OpenBLAS core (JMH peer)"));
        out.println("bench peers: " + suite.describe());
        if (!djlBuilt()) {
            out.println("bench peers: DJL peer not built (needs -Pdjl), no djl rows");
        }
        out.println("bench peers: results -> " + root.relativize(json) + ", " + md.getFileName() + ", "
                + png.getFileName());

        // 1. JMH, one run per job, results merged into one array.
        ArrayNode all = PeerJson.MAPPER.createArrayNode();
        for (Job job : jobs(suite)) {
            out.println("bench peers: JMH " + job.label() + " (" + job.include() + ")");
            Path tmp = dir.resolve(base + "-peers-" + jobs(suite).indexOf(job) + ".json.tmp");
            try {
                var options = suite.options(job.include(), tmp.toString(), job.params());
                if (suite == Suite.QUICK && job.warmupSeconds() > 0) {
                    options.warmupIterations(job.warmupSeconds()).warmupTime(TimeValue.seconds(1));
                }
                new Runner(options.build()).run();
                if (Files.exists(tmp)) {
                    JsonNode arr = PeerJson.tree(Files.readString(tmp));
                    arr.forEach(all::add);
                } else {
                    err.println("bench peers: JMH wrote no results for " + job.label());
                }
            } catch (RunnerException | IOException e) {
                err.println("bench peers: JMH " + job.label() + " failed: " + e.getMessage());
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray .tmp file is harmless
                }
            }
        }

        // 2. PyTorch (Debian's 1.x and pip's 2.x in bench/.venv), one and two threads (each process
        //    with its BLAS/OpenMP pools sized to match and without the OpenBLAS core overrides).
        List<String> peerDocs = new ArrayList<>();
        record TorchPeer(String key, String py, String install) {}
        for (TorchPeer tp : List.of(new TorchPeer("PyTorch", python(), TORCH_INSTALL),
                new TorchPeer("PyTorch 2", python2(root), TORCH2_INSTALL))) {
            String key = tp.key();
            String py = tp.py();
            String torch = ensureTorch(root, py, tp.install(), out, err);
            if (torch == null) {
                meta.put(key, "unavailable (" + py + "): no rows for it in this run");
                continue;
            }
            meta.put(key, torch + " (" + py + ")");
            for (int t : new int[] {1, 2}) {
                String doc = runTorch(root, py, suite, t, out, err);
                if (doc != null) {
                    peerDocs.add(doc);
                }
            }
        }

        // 3. Files and the table.
        try {
            String runDoc = PeerJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(PeerJson.runDocument(meta, all.toString(), peerDocs));
            Files.writeString(json, runDoc);
            PeerJson.Run run = PeerJson.parseRun(runDoc);
            String report = report(json.getFileName().toString(), run);
            Files.writeString(md, report);
            out.println();
            out.print(report);
            if (GemmPlot.write(png, "f32 GEMM, one thread: " + base, run.jmh(), run.peers())) {
                out.println("bench peers: wrote " + root.relativize(png));
            }
            out.println("bench peers: wrote " + root.relativize(json) + " and " + root.relativize(md));
            if (run.jmh().isEmpty()) {
                err.println("bench peers: every JMH benchmark failed (see the log above)");
                return 3;
            }
        } catch (IOException e) {
            err.println("bench peers: cannot write results: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    /** The markdown of a run. */
    static String report(String name, PeerJson.Run run) {
        List<String> versions = run.peerVersions().stream().distinct().toList();
        return PeersTable.render("vecgrad vs peers: " + name, run.meta(), versions,
                PeersTable.build(run.jmh(), run.peers()));
    }

    /**
     * Makes {@code import torch} work for {@code py}: checks, else runs {@code install} (Debian's
     * python3-torch for the system Python, a pip venv under bench/ for the second peer) and checks
     * again. Returns the torch version, or null (with a message) when PyTorch is unavailable.
     */
    static String ensureTorch(Path root, String py, String install, PrintStream out, PrintStream err) {
        String v = torchVersion(root, py);
        if (v != null) {
            return v;
        }
        out.println("bench peers: '" + py + " -c \"import torch\"' failed; installing it (" + install + ")");
        Exec r = exec(root, List.of("bash", root.resolve(install).toString()), Map.of(), 30, true);
        if (r.code != 0) {
            err.println("bench peers: " + install + " exited " + r.code);
        }
        v = torchVersion(root, py);
        if (v == null) {
            err.println("bench peers: WARNING: PyTorch for " + py + " is not available and could not be installed; "
                    + "continuing without its rows");
        }
        return v;
    }

    private static String torchVersion(Path root, String py) {
        Exec r = exec(root, List.of(py, "-c", "import torch; print(torch.__version__)"), Map.of(), 2, false);
        return r.code == 0 && !r.stdout.isBlank() ? r.stdout.strip() : null;
    }

    private static String runTorch(Path root, String py, Suite suite, int threads, PrintStream out, PrintStream err) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("vecgrad-torch-", ".json");
            List<String> cmd = new ArrayList<>(List.of(py, root.resolve(TORCH_SCRIPT).toString(),
                    "--threads", Integer.toString(threads), "--out", tmp.toString(),
                    "--n", String.join(",", sizes(suite)), "--shapes", String.join(",", shapes(suite))));
            if (suite == Suite.QUICK) {
                cmd.add("--quick");
            }
            String t = Integer.toString(threads);
            out.println("bench peers: PyTorch (" + py + "), " + threads + " thread(s)");
            Exec r = exec(root, cmd, Map.of("OMP_NUM_THREADS", t, "OPENBLAS_NUM_THREADS", t, "MKL_NUM_THREADS", t),
                    60, true);
            if (r.code != 0) {
                err.println("bench peers: torch script (" + threads + " threads) exited " + r.code
                        + "; no PyTorch rows for it");
                return null;
            }
            String doc = Files.readString(tmp);
            PeerJson.parsePeerDoc(doc); // fail here, not at render time, on a malformed document
            return doc;
        } catch (IOException | IllegalArgumentException e) {
            err.println("bench peers: torch script (" + threads + " threads): " + e.getMessage());
            return null;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // temp file
                }
            }
        }
    }

    private record Exec(int code, String stdout) {}

    /** Runs a command; stderr (and stdout when {@code echo}) go to our stderr/stdout. */
    private static Exec exec(Path dir, List<String> cmd, Map<String, String> env, int timeoutMinutes, boolean echo) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().putAll(env);
            OPENBLAS_OVERRIDES.forEach(pb.environment()::remove); // the peer picks its own kernels
            pb.redirectError(echo ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
            if (echo) {
                pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            }
            Process p = pb.start();
            p.getOutputStream().close();
            String stdout = echo ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Exec(124, stdout);
            }
            return new Exec(p.exitValue(), stdout);
        } catch (IOException e) {
            return new Exec(127, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(130, "");
        }
    }

}
