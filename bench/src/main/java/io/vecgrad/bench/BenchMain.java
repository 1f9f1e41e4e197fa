package io.vecgrad.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The benchmark CLI behind {@code ./vecgrad bench}.
 *
 * <pre>
 * BenchMain quick [REGEX] [-p NAME=V1,V2]  short JMH run (minutes), results to bench/results/SHA-DATE.{json,md}
 * BenchMain full  [REGEX]          reference JMH run
 * BenchMain report FILE.json       re-render the table of an existing result file
 * BenchMain compare OLD.json NEW.json   exit 1 on a slowdown or allocation growth
 * BenchMain gate FILE.json         exit 1 when a vector kernel misses its speedup target
 * BenchMain peers [quick|full]     JMH benchmarks with peers + PyTorch, one ratio table and the GEMM plot
 * BenchMain peers report FILE-peers.json   re-render the peers table of a saved run
 * BenchMain plot FILE.json         GFLOP/s-vs-shape PNG of a run's GEMM results
 * BenchMain cold [--compare] [RUNS] [MODELS]   cold start: ./vecgrad train and a library user's first steps, fresh JVMs
 * </pre>
 *
 * With no arguments: {@code quick}. Exit codes: 0 ok, 1 regression / gate failure, 2 usage or I/O error, 3 the JMH run failed.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        // An application that draws charts (GemmPlot) on machines without a display.
        System.setProperty("java.awt.headless", "true");
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("bench: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static final String USAGE = """
            usage: BenchMain quick|full [REGEX] [-p NAME=V1,V2]...
                                            run JMH (GC profiler on), write bench/results/<sha>-<date>.{json,md};
                                            -p overrides a @Param, e.g. -p impl=vecgrad,openblas -p shape=512
                   BenchMain report FILE.json       print the markdown table of a result file
                   BenchMain compare OLD.json NEW.json   flag slowdowns and allocation growth (exit 1)
                   BenchMain gate FILE.json         check vector-vs-scalar speedup targets (exit 1 on failure)
                   BenchMain peers [quick|full]     benchmarks with peers (OpenBLAS, netlib, EJML, PyTorch, DJL with -Pdjl), one
                                                    ratio table flagged against the targets, plus the GEMM plot;
                                                    bench/results/<sha>-<date>-peers.{json,md}, -gemm.png
                   BenchMain peers report FILE-peers.json   re-print the peers table of a saved run
                   BenchMain plot FILE.json         GEMM GFLOP/s plot (FILE-gemm.png) of a peers or JMH result file
                   BenchMain cold [--compare] [RUNS] [MODELS]   cold start in fresh JVMs (5 runs, mlp784-b64-sgd; --compare
                                                    also runs each with VECGRAD_JIT=fast / -Dvecgrad.warmup=on):
                                                    ./vecgrad train wall/training/epoch 1 vs late, and a library
                                                    user's first 100 steps vs steady state; bench/results/<sha>-<date>-cold.md
            REGEX is a JMH include pattern matched against package.Class.method, e.g. 'GemmBench' or 'Reduce.*sum'.
            """;

    /** Runs one command; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            args = new String[] {"quick"};
        }
        String cmd = args[0];
        switch (cmd) {
            case "quick", "full" -> {
                String include = null;
                Map<String, String[]> params = new LinkedHashMap<>();
                for (int i = 1; i < args.length; i++) {
                    if (args[i].equals("-p") && i + 1 < args.length) {
                        String kv = args[++i];
                        int eq = kv.indexOf('=');
                        if (eq <= 0 || eq == kv.length() - 1) {
                            err.println("bench: -p expects name=v1,v2, got '" + kv + "'");
                            return 2;
                        }
                        params.put(kv.substring(0, eq), kv.substring(eq + 1).split(","));
                    } else if (include == null && !args[i].startsWith("-")) {
                        include = args[i];
                    } else {
                        err.print(USAGE);
                        return 2;
                    }
                }
                return runJmh(Suite.parse(cmd), include, params, out, err);
            }
            case "report" -> {
                if (args.length != 2) {
                    err.print(USAGE);
                    return 2;
                }
                Path f = Path.of(args[1]);
                out.print(MarkdownReport.render("vecgrad benchmarks: " + f.getFileName(), Map.of(), JmhJson.read(f)));
                return 0;
            }
            case "compare" -> {
                if (args.length != 3) {
                    err.print(USAGE);
                    return 2;
                }
                Comparison.Report rep = Comparison.compare(JmhJson.read(Path.of(args[1])), JmhJson.read(Path.of(args[2])));
                out.print(Comparison.render(rep));
                if (rep.rows().isEmpty()) {
                    err.println("compare: no benchmark is in both files");
                    return 2;
                }
                return rep.anyFlagged() ? 1 : 0;
            }
            case "gate" -> {
                if (args.length != 2) {
                    err.print(USAGE);
                    return 2;
                }
                Gate.Result res = Gate.check(JmhJson.read(Path.of(args[1])));
                out.print(Gate.render(res));
                return res.passed() ? 0 : 1;
            }
            case "peers" -> {
                if (args.length >= 2 && args[1].equals("report")) {
                    if (args.length != 3) {
                        err.print(USAGE);
                        return 2;
                    }
                    Path f = Path.of(args[2]);
                    out.print(PeersRun.report(f.getFileName().toString(), PeerJson.read(f)));
                    return 0;
                }
                if (args.length > 2) {
                    err.print(USAGE);
                    return 2;
                }
                return PeersRun.run(Suite.parse(args.length == 2 ? args[1] : "quick"), out, err);
            }
            case "cold" -> {
                return ColdStartRun.run(args, out, err);
            }
            case "plot" -> {
                if (args.length != 2) {
                    err.print(USAGE);
                    return 2;
                }
                Path f = Path.of(args[1]);
                PeerJson.Run run = PeerJson.read(f);
                Path png = GemmPlot.pngFor(f);
                try {
                    if (!GemmPlot.write(png, "f32 GEMM, one thread: " + f.getFileName(), run.jmh(), run.peers())) {
                        err.println("plot: no GemmBench.gemm results in " + f);
                        return 2;
                    }
                } catch (IOException e) {
                    err.println("plot: cannot write " + png + ": " + e.getMessage());
                    return 2;
                }
                out.println("plot: wrote " + png);
                return 0;
            }
            case "-h", "--help", "help" -> {
                out.print(USAGE);
                return 0;
            }
            default -> {
                err.println("bench: unknown command '" + cmd + "'");
                err.print(USAGE);
                return 2;
            }
        }
    }

    private static int runJmh(Suite suite, String include, Map<String, String[]> params,
                              PrintStream out, PrintStream err) {
        Path root = Environment.repoRoot();
        Path dir = root.resolve("bench").resolve("results");
        String stem = Environment.gitShortSha(root) + "-" + LocalDate.now();
        Path json;
        Path md;
        try {
            Files.createDirectories(dir);
            int i = 1;
            do {
                String s = i == 1 ? stem : stem + "-" + i;
                json = dir.resolve(s + ".json");
                md = dir.resolve(s + ".md");
                i++;
            } while (Files.exists(json) || Files.exists(md));
        } catch (IOException e) {
            err.println("bench: cannot create " + dir + ": " + e.getMessage());
            return 2;
        }
        Path tmp = json.resolveSibling(json.getFileName() + ".tmp");
        List<String> forkArgs = Suite.forkArgs();
        Map<String, String> meta = Environment.metadata(root, suite.name().toLowerCase(java.util.Locale.ROOT),
                include, forkArgs);
        if (!"1".equals(System.getenv("OPENBLAS_NUM_THREADS"))) {
            err.println("bench: note: OPENBLAS_NUM_THREADS is not 1; the OpenBLAS peer pins itself to one "
                    + "thread with openblas_set_num_threads(1), export OPENBLAS_NUM_THREADS=1 to be sure");
        }
        params.forEach((k, v) -> meta.put("param " + k, String.join(",", v)));
        out.println("bench: " + suite.describe() + (include == null ? "" : ", include " + include));
        out.println("bench: results -> " + json + " and " + md.getFileName());
        try {
            new Runner(suite.options(include, tmp.toString(), params).build()).run();
        } catch (RunnerException e) {
            err.println("bench: JMH run failed: " + e.getMessage());
            return 3;
        }
        if (!Files.exists(tmp)) {
            err.println("bench: JMH wrote no results (no benchmark matched '" + include + "'?)");
            return 3;
        }
        try {
            Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            List<BenchResult> results = JmhJson.read(json);
            String report = MarkdownReport.render("vecgrad benchmarks: " + json.getFileName(), meta, results);
            Files.writeString(md, report);
            out.println();
            out.print(report);
            out.println("bench: wrote " + root.relativize(json) + " and " + root.relativize(md));
            if (results.isEmpty()) {
                err.println("bench: every benchmark failed (see the JMH log above)");
                return 3;
            }
        } catch (IOException e) {
            err.println("bench: cannot write results: " + e.getMessage());
            return 2;
        }
        return 0;
    }
}
