package io.vecgrad.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./vecgrad bench cold [RUNS]}: cold start, each repetition in a fresh JVM.
 * <ul>
 *   <li>the default {@code ./vecgrad train} through the launcher (its JVM flags): wall time of
 *       the process, training time (first step to last), epoch 1 and the median late epoch;</li>
 *   <li>a library user's loop ({@link io.vecgrad.bench.train.ColdStartProbe}, a JVM with only
 *       {@code --add-modules jdk.incubator.vector}): the first 100 steps of the 784-256-256-10 MLP
 *       (batch 64, SGD momentum) against 100 steady-state steps.</li>
 * </ul>
 * Prints a table with each run, the median and the spread ((max - min) / median), and writes it
 * to {@code bench/results/<sha>-<date>-cold.md}. Run it under the machine's benchmark lock.
 */
final class ColdStartRun {
    private ColdStartRun() {}

    private static final Pattern TIME = Pattern.compile("time:\\s+([0-9.]+) s for");
    private static final Pattern EPOCHS = Pattern.compile(
            "epoch 1 ([0-9.]+) ms, later epochs median ([0-9.]+) ms; JVM start to first step ([0-9.]+) s "
                    + "\\(of it ([0-9.]+) s waiting");
    private static final Pattern PROBE = Pattern.compile("firstMs=([0-9.]+) steadyUs=([0-9.]+) ratio=([0-9.]+)");

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        boolean baseline = rest.remove("--compare");
        int runs = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 5;
        String models = rest.size() > 1 ? rest.get(1) : "mlp784-b64-sgd";
        Path root = Environment.repoRoot();
        Map<String, List<Double>> cols = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        double load0 = load();
        for (int r = 1; r <= runs; r++) {
            for (String cfg : baseline ? List.of("default", "fast") : List.of("default")) {
                int code = once(cfg, r, root, java, cp, models, cols, lines, out, err);
                if (code != 0) {
                    return code;
                }
            }
        }
        return write(runs, baseline, load0, root, cols, lines, out, err);
    }

    /**
     * One repetition of one configuration: "default" is the launcher and library as they are;
     * "fast" adds the opt-in cold-start measures: VECGRAD_JIT=fast for the launcher (scaled-down
     * compile thresholds for the kernels and the engine warm-up), -Dvecgrad.warmup=on for the
     * library user (through JDK_JAVA_OPTIONS).
     */
    private static int once(String cfg, int r, Path root, String java, String cp, String models,
                            Map<String, List<Double>> cols, List<String> lines, PrintStream out, PrintStream err) {
        Map<String, String> env = cfg.equals("fast")
                ? Map.of("VECGRAD_JIT", "fast", "JDK_JAVA_OPTIONS", "-Dvecgrad.warmup=on") : Map.of();
        String pre = cfg + ": ";
        {
            Path dir;
            try {
                dir = Files.createTempDirectory("vecgrad-cold");
            } catch (IOException e) {
                err.println("bench cold: " + e.getMessage());
                return 2;
            }
            long t0 = System.nanoTime();
            List<String> train = exec(List.of(root.resolve("vecgrad").toString(), "train", "--quiet", "--out",
                    dir.resolve("run").toString()), root, env, err);
            double wall = (System.nanoTime() - t0) / 1e9;
            String all = String.join("\n", train);
            Matcher t = TIME.matcher(all);
            Matcher e = EPOCHS.matcher(all);
            if (!t.find() || !e.find()) {
                err.println("bench cold: unexpected train output:\n" + all);
                return 3;
            }
            add(cols, pre + "train wall s", wall);
            add(cols, pre + "train training s", Double.parseDouble(t.group(1)));
            add(cols, pre + "train epoch 1 ms", Double.parseDouble(e.group(1)));
            add(cols, pre + "train late epoch ms", Double.parseDouble(e.group(2)));
            add(cols, pre + "train epoch 1 / late", Double.parseDouble(e.group(1)) / Double.parseDouble(e.group(2)));
            add(cols, pre + "train start to first step s", Double.parseDouble(e.group(3)));
            lines.add(pre + "train run " + r + ": wall " + String.format(Locale.ROOT, "%.2f s", wall) + "; "
                    + train.stream().filter(l -> l.startsWith("time:") || l.contains("epoch 1 ")).map(String::strip)
                    .reduce((a, b) -> a + " | " + b).orElse(""));
            for (String model : models.split(",")) {
                List<String> probe = exec(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", cp,
                        "io.vecgrad.bench.train.ColdStartProbe", model, "100", "3000", "500"), root, env, err);
                String line = probe.stream().filter(l -> l.startsWith("cold ")).findFirst().orElse("");
                Matcher p = PROBE.matcher(line);
                if (!p.find()) {
                    err.println("bench cold: unexpected probe output:\n" + String.join("\n", probe));
                    return 3;
                }
                add(cols, pre + model + " first 100 steps ms", Double.parseDouble(p.group(1)));
                add(cols, pre + model + " steady step us", Double.parseDouble(p.group(2)));
                add(cols, pre + model + " first 100 / steady", Double.parseDouble(p.group(3)));
                int cut = line.indexOf(" stepsUs=");
                lines.add(pre + "probe run " + r + ": " + (cut > 0 ? line.substring(0, cut) : line));
            }
            out.println(lines.get(lines.size() - 2));
            out.println(lines.get(lines.size() - 1));
            deleteQuietly(dir);
        }
        return 0;
    }

    private static int write(int runs, boolean baseline, double load0, Path root, Map<String, List<Double>> cols,
                             List<String> lines, PrintStream out, PrintStream err) {
        StringBuilder md = new StringBuilder();
        md.append("# Cold start, ").append(LocalDate.now()).append('\n').append('\n');
        Map<String, String> meta = Environment.metadata(root, "cold", null, List.of());
        md.append(String.format(Locale.ROOT, "%d runs, each a fresh JVM; load average %.1f before, %.1f after; "
                        + "commit %s; JDK %s; CPU %s%s%n%n", runs, load0, load(), meta.get("commit"), meta.get("JDK"),
                meta.get("CPU"), baseline ? "; \"fast\" = VECGRAD_JIT=fast for train and -Dvecgrad.warmup=on for the "
                        + "library user, interleaved with \"default\"" : ""));
        md.append("| measure | median | spread | runs |\n|---|---|---|---|\n");
        cols.forEach((k, v) -> {
            double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
            md.append(String.format(Locale.ROOT, "| %s | %.3g | %.0f %% | %s |%n", k, med,
                    med == 0 ? 0 : 100 * (s[s.length - 1] - s[0]) / med,
                    String.join(", ", v.stream().map(x -> String.format(Locale.ROOT, "%.3g", x)).toList())));
        });
        md.append('\n');
        lines.forEach(l -> md.append("    ").append(l).append('\n'));
        out.print(md);
        Path dir = root.resolve("bench").resolve("results");
        Path file = dir.resolve(Environment.gitShortSha(root) + "-" + LocalDate.now() + "-cold.md");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, md);
            out.println("bench cold: wrote " + file);
        } catch (IOException e) {
            err.println("bench cold: cannot write " + file + ": " + e.getMessage());
            return 2;
        }
        return 0;
    }

    private static void add(Map<String, List<Double>> cols, String k, double v) {
        cols.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    private static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static List<String> exec(List<String> cmd, Path dir, Map<String, String> env, PrintStream err) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            }
            int code = p.waitFor();
            if (code != 0) {
                err.println("bench cold: " + cmd.get(0) + " exited with " + code);
            }
            return lines;
        } catch (IOException e) {
            err.println("bench cold: cannot run " + cmd + ": " + e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary folder left behind is harmless
        }
    }
}
