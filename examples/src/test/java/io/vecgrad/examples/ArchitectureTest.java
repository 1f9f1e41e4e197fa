package io.vecgrad.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency direction of DESIGN.md: engine knows nothing above it, autograd/nn
 * only the engine, optim/train only autograd and engine; only the engine's internal.vector
 * package imports the Vector API; nothing outside the engine imports its internals; only the
 * spark module imports Spark (and it imports neither bench, examples nor engine internals). Maven's
 * module graph already forbids upward imports at compile time; this test also covers the
 * package rules inside a module and fails with the offending file and line.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    private record Rule(String module, String packagePrefix, List<String> forbidden) {}

    @Test
    void dependenciesPointOneWay() throws IOException {
        List<Rule> rules = List.of(
                new Rule("engine", "io.vecgrad.engine",
                        List.of("io.vecgrad.autograd", "io.vecgrad.nn", "io.vecgrad.optim", "io.vecgrad.train",
                                "io.vecgrad.bench", "io.vecgrad.examples")),
                new Rule("autograd", "io.vecgrad",
                        List.of("io.vecgrad.optim", "io.vecgrad.train", "io.vecgrad.bench", "io.vecgrad.examples",
                                "io.vecgrad.engine.internal", "jdk.incubator.vector")),
                new Rule("optim", "io.vecgrad",
                        List.of("io.vecgrad.bench", "io.vecgrad.examples", "io.vecgrad.engine.internal",
                                "jdk.incubator.vector")),
                new Rule("conformance", "io.vecgrad",
                        List.of("io.vecgrad.bench", "io.vecgrad.examples", "io.vecgrad.engine.internal",
                                "jdk.incubator.vector")),
                new Rule("spark", "io.vecgrad",
                        List.of("io.vecgrad.bench", "io.vecgrad.examples", "io.vecgrad.conformance", "io.vecgrad.djl",
                                "io.vecgrad.engine.internal", "jdk.incubator.vector")),
                new Rule("djl", "io.vecgrad",
                        List.of("io.vecgrad.bench", "io.vecgrad.examples", "io.vecgrad.conformance", "io.vecgrad.spark",
                                "io.vecgrad.engine.internal", "jdk.incubator.vector")),
                new Rule("examples", "io.vecgrad",
                        List.of("io.vecgrad.bench", "io.vecgrad.engine.internal", "jdk.incubator.vector")));
        List<String> violations = new ArrayList<>();
        for (Rule r : rules) {
            for (Path f : javaFiles(ROOT.resolve(r.module()).resolve("src/main/java"))) {
                for (String imp : imports(f)) {
                    for (String bad : r.forbidden()) {
                        if (imp.startsWith(bad + ".") || imp.equals(bad)) {
                            violations.add(ROOT.relativize(f) + " imports " + imp);
                        }
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "dependency rule violations:\n" + String.join("\n", violations));
    }

    /** Spark (and the Hadoop FileSystem it brings) is a provided dependency of the spark module only. */
    @Test
    void onlyTheSparkModuleImportsSpark() throws IOException {
        List<String> violations = new ArrayList<>();
        int sparkFiles = 0;
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path m : modules.filter(Files::isDirectory).toList()) {
                for (Path f : javaFiles(m.resolve("src/main/java"))) {
                    boolean inSpark = m.getFileName().toString().equals("spark");
                    for (String imp : imports(f)) {
                        boolean spark = imp.startsWith("org.apache.spark.") || imp.startsWith("org.apache.hadoop.");
                        sparkFiles += spark && inSpark ? 1 : 0;
                        if (spark && !inSpark) {
                            violations.add(ROOT.relativize(f) + " imports " + imp);
                        }
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "Spark/Hadoop imported outside the spark module:\n" + String.join("\n", violations));
        assertTrue(sparkFiles > 0, "no Spark import found in spark/src/main/java: the rule checks nothing");
    }

    /** DJL's API is imported by the djl module only (DESIGN.md §1: a third-party API stays in its module). */
    @Test
    void onlyTheDjlModuleImportsDjl() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String module : List.of("engine", "autograd", "optim", "conformance", "bench", "examples")) {
            for (Path f : javaFiles(ROOT.resolve(module).resolve("src/main/java"))) {
                for (String imp : imports(f)) {
                    if (imp.startsWith("ai.djl.")) {
                        violations.add(ROOT.relativize(f) + " imports " + imp);
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "DJL imported outside the djl module:\n" + String.join("\n", violations));
        assertTrue(javaFiles(ROOT.resolve("djl/src/main/java")).size() > 3, "djl sources not found");
    }

    @Test
    void onlyTheVectorPackageImportsTheVectorApi() throws IOException {
        List<String> violations = new ArrayList<>();
        Path engine = ROOT.resolve("engine/src/main/java");
        for (Path f : javaFiles(engine)) {
            boolean inVector = f.toString().replace('\\', '/').contains("io/vecgrad/engine/internal/vector/");
            for (String imp : imports(f)) {
                if (imp.startsWith("jdk.incubator.vector") && !inVector) {
                    violations.add(ROOT.relativize(f) + " imports " + imp);
                }
            }
        }
        assertTrue(violations.isEmpty(), "Vector API outside internal.vector:\n" + String.join("\n", violations));
        assertTrue(javaFiles(engine).size() > 5, "engine sources not found under " + engine);
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static List<String> imports(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
            out.add(m.group(2));
        }
        return out;
    }
}
