package io.vecgrad.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./vecgrad example}: lists and runs the course notes' worked examples. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = {"Runs the course notes' worked examples.",
            "  example --list            names, notes and descriptions",
            "  example NAME [--out DIR]  one example (NAME may be just its id, e.g. f0-08)",
            "  example --all [--out DIR] every example in order"})
public final class ExampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--list", description = "List the examples.")
    boolean list;

    @Option(names = "--all", description = "Run every example.")
    boolean all;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder for plots (default out/examples/<name>/; with --all, DIR/<name>/).")
    Path out;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The example to run.")
    String name;

    @Override
    public Integer call() throws Exception {
        // Charts are drawn off-screen; this must be set before AWT initialises.
        System.setProperty("java.awt.headless", "true");
        PrintStream o = System.out;
        if (list) {
            for (Example e : Examples.all()) {
                o.printf("%-36s %s  %s%n", e.name(), e.note(), e.description());
            }
            return 0;
        }
        if (all) {
            Path base = out == null ? Path.of("out", "examples") : out;
            int failed = 0;
            for (Example e : Examples.all()) {
                failed += runOne(e, base.resolve(e.name()), o) ? 0 : 1;
            }
            o.printf("%n%d examples run, %d failed%n", Examples.all().size(), failed);
            return failed == 0 ? 0 : 1;
        }
        if (name == null) {
            spec.commandLine().usage(System.err);
            return 2;
        }
        var e = Examples.find(name);
        if (e.isEmpty()) {
            System.err.println("example: no example named '" + name + "'; try ./vecgrad example --list");
            List<Example> close = Examples.all().stream().filter(x -> x.name().contains(name)).toList();
            close.forEach(x -> System.err.println("  did you mean " + x.name() + "?"));
            return 2;
        }
        Path dir = out == null ? Path.of("out", "examples", e.get().name()) : out;
        return runOne(e.get(), dir, o) ? 0 : 1;
    }

    private static boolean runOne(Example e, Path dir, PrintStream o) {
        o.println("=== " + e.name() + " (note " + e.note() + "): " + e.description());
        long t0 = System.nanoTime();
        try {
            e.run(dir, o);
            o.printf("--- %s done in %.1f s%n%n", e.name(), (System.nanoTime() - t0) / 1e9);
            return true;
        } catch (Exception | AssertionError ex) {
            o.println("--- " + e.name() + " FAILED: " + ex);
            ex.printStackTrace(o);
            return false;
        }
    }
}
