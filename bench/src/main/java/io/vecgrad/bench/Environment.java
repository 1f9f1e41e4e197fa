package io.vecgrad.bench;

import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.spi.KernelProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where the repository is, which commit it is at, and what machine and JVM a run used. */
public final class Environment {
    private Environment() {}


    /**
     * The repository root: {@code -Dvecgrad.root}, else {@code $VECGRAD_ROOT}, else the nearest
     * directory at or above the working directory holding both {@code pom.xml} and
     * {@code bench/pom.xml}, else the working directory.
     */
    public static Path repoRoot() {
        String p = System.getProperty("vecgrad.root");
        if (p == null || p.isBlank()) {
            p = System.getenv("VECGRAD_ROOT");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path d = cwd; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isRegularFile(d.resolve("bench/pom.xml"))) {
                return d;
            }
        }
        return cwd;
    }

    /** {@code git rev-parse --short HEAD} in {@code root}, or {@code "nogit"}. */
    public static String gitShortSha(Path root) {
        String sha = run(root, "git", "rev-parse", "--short", "HEAD");
        return sha == null || sha.isBlank() ? "nogit" : sha.strip();
    }

    /** {@code true} when git reports uncommitted changes to tracked files. */
    static boolean gitDirty(Path root) {
        String s = run(root, "git", "status", "--porcelain", "--untracked-files=no");
        return s != null && !s.isBlank();
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** CPU model name from /proc/cpuinfo, or {@code os.arch} when unreadable. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return System.getProperty("os.arch");
    }

    /** The AVX flags of the CPU ({@code avx2 avx512f ...}), empty when unknown. */
    static String simdFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    StringBuilder sb = new StringBuilder();
                    for (String f : line.substring(line.indexOf(':') + 1).strip().split("\\s+")) {
                        if (f.equals("avx2") || f.equals("fma") || f.equals("avx512f") || f.equals("avx512_bf16")
                                || f.equals("avx512_fp16")) {
                            sb.append(sb.isEmpty() ? "" : " ").append(f);
                        }
                    }
                    return sb.toString();
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return "";
    }

    /**
     * The kernel provider the library uses by default ({@code Kernels.providerInfo()}: name and
     * why it was chosen) and its vector width, or why it could not be determined.
     */
    public static String defaultProvider() {
        try {
            KernelProvider p = Kernels.get().provider();
            return Kernels.providerInfo() + "; vector width " + p.vectorBits() + " bits";
        } catch (LinkageError | RuntimeException e) {
            return "unavailable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    /** Preferred float vector width of this JVM in bits, or a reason why unknown. */
    static String preferredVectorBits() {
        try {
            Class<?> fv = Class.forName("jdk.incubator.vector.FloatVector");
            Object species = fv.getField("SPECIES_PREFERRED").get(null);
            Object bits = Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
            return bits + "-bit";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "unknown (jdk.incubator.vector not added?)";
        }
    }

    /** The metadata block written at the top of every report. */
    public static Map<String, String> metadata(Path root, String mode, String include, List<String> forkArgs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("commit", gitShortSha(root) + (gitDirty(root) ? " (uncommitted changes)" : ""));
        m.put("mode", mode + (include == null ? "" : " (include " + include + ")"));
        m.put("JDK", System.getProperty("java.version") + " · " + System.getProperty("java.vendor")
                + " · " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("CPU", cpuModel() + " · " + Runtime.getRuntime().availableProcessors() + " cores"
                + (simdFlags().isEmpty() ? "" : " · " + simdFlags()));
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("kernel provider", defaultProvider());
        m.put("preferred vector width", preferredVectorBits());
        String ob = System.getenv("OPENBLAS_NUM_THREADS");
        m.put("OPENBLAS_NUM_THREADS", ob == null ? "unset (benchmarks pin 1 thread via openblas_set_num_threads)" : ob);
        m.put("fork JVM args", String.join(" ", forkArgs));
        return m;
    }
}
