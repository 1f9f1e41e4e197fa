package io.vecgrad.conformance;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs cases in one or more precisions, prints one line per (case, precision) and a closing
 * summary line {@code N passed, N failed[, N skipped]}.
 *
 * <p>Documented convention deviations count as passed (they are not failures) and are
 * announced in a note line before the summary.
 */
public final class AcceptanceRunner {
    private final GroupRunners runners;
    private final List<Precision> precisions;
    private final boolean verbose;
    private final PrintStream out;

    /**
     * @param runners which runner handles which group
     * @param precisions the precisions each case is run in, in order
     * @param verbose print notes (raised exceptions, every mismatch) under each case line
     * @param out where lines go, or null for none
     */
    public AcceptanceRunner(GroupRunners runners, List<Precision> precisions, boolean verbose, PrintStream out) {
        this.runners = runners;
        this.precisions = List.copyOf(precisions);
        this.verbose = verbose;
        this.out = out;
    }

    /**
     * The outcome of a run.
     *
     * @param results every (case, precision) verdict, in run order
     */
    public record Summary(List<CaseResult> results) {
        /** Number of results with this status. */
        public long count(CaseResult.Status s) {
            return results.stream().filter(r -> r.status() == s).count();
        }

        /** Passes plus documented deviations. */
        public long passed() {
            return count(CaseResult.Status.PASS) + count(CaseResult.Status.DEVIATION);
        }

        /** Failures. */
        public long failed() {
            return count(CaseResult.Status.FAIL);
        }

        /** Skips. */
        public long skipped() {
            return count(CaseResult.Status.SKIP);
        }

        /** The results of failed cases. */
        public List<CaseResult> failures() {
            return results.stream().filter(r -> r.status() == CaseResult.Status.FAIL).toList();
        }

        /** The closing line: {@code N passed, N failed} plus {@code , N skipped} when any were. */
        public String line() {
            return passed() + " passed, " + failed() + " failed" + (skipped() > 0 ? ", " + skipped() + " skipped" : "");
        }

        /** True if nothing failed. */
        public boolean ok() {
            return failed() == 0;
        }
    }

    /** Runs the cases and prints the report. */
    public Summary run(List<AcceptCase> cases) {
        List<CaseResult> results = new ArrayList<>();
        for (AcceptCase c : cases) {
            GroupRunner r = runners.forGroup(c.group());
            for (Precision p : precisions) {
                CaseResult res;
                try {
                    res = r.run(c, p);
                } catch (RuntimeException | AssertionError e) { // a runner bug must not stop the run
                    res = CaseResult.fail(c.id(), p, "runner threw " + e, List.of());
                }
                results.add(res);
                if (out != null) {
                    out.println(res.line());
                    if (verbose) {
                        for (String n : res.notes()) {
                            out.println("    " + n);
                        }
                    }
                }
            }
        }
        Summary s = new Summary(List.copyOf(results));
        if (out != null) {
            long dev = s.count(CaseResult.Status.DEVIATION);
            if (dev > 0) {
                out.println("note: " + dev + " of the passed are documented convention deviations");
            }
            out.println(s.line());
            out.flush();
        }
        return s;
    }
}
