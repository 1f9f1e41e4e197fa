package io.vecgrad.examples;

import io.vecgrad.conformance.AcceptCase;
import io.vecgrad.conformance.AcceptanceRunner;
import io.vecgrad.conformance.CaseFiles;
import io.vecgrad.conformance.GroupRunners;
import io.vecgrad.conformance.Precision;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./vecgrad accept [PATH...] [--dtype f32|f64|both] [--verbose]}: runs the PyTorch
 * acceptance cases (the bundled ones, or the given case files / folders of case files) and
 * exits non-zero if any fails.
 */
@Command(name = "accept", mixinStandardHelpOptions = true,
        description = {"Run the PyTorch acceptance cases through the Tensor API and compare with the references.",
            "Prints one line per case and precision, then 'N passed, N failed[, N skipped]'.",
            "Exit status: 0 if nothing failed, 1 on a failure, 2 on bad arguments or unreadable files."})
public final class AcceptCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Case files or folders of *.json case files (default: the bundled cases).")
    List<Path> paths = List.of();

    @Option(names = "--dtype", paramLabel = "f32|f64|both", defaultValue = "both",
            description = "Precision(s) to run in (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = {"-v", "--verbose"},
            description = "Also print the raised exceptions and every mismatch under each case.")
    boolean verbose;

    @Override
    public Integer call() {
        List<Precision> precisions;
        List<AcceptCase> cases;
        try {
            precisions = Precision.parseList(dtype);
            cases = paths.isEmpty() ? CaseFiles.bundled() : CaseFiles.load(paths);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println("vecgrad accept: " + e.getMessage());
            return 2;
        }
        AcceptanceRunner runner = new AcceptanceRunner(GroupRunners.standard(), precisions, verbose, System.out);
        return runner.run(cases).ok() ? 0 : 1;
    }
}
