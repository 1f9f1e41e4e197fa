package io.vecgrad.conformance;

import java.util.List;

/**
 * The verdict on one case in one precision.
 *
 * @param id the case id
 * @param precision the precision it ran in
 * @param status the verdict
 * @param detail why (for a failure: the worst element and its tolerance, or the exception);
 *     empty for a plain pass
 * @param notes extra lines shown with {@code --verbose} (e.g. the exception an error case raised)
 */
public record CaseResult(String id, Precision precision, Status status, String detail, List<String> notes) {

    /** The verdict kinds. */
    public enum Status {
        /** Reproduced PyTorch within tolerance (or raised where PyTorch raises). */
        PASS,
        /** Did not. */
        FAIL,
        /** Differs only in a documented tie/subgradient convention (the case's {@code convention}). */
        DEVIATION,
        /** Not run: its group has no runner yet. */
        SKIP
    }

    /** A pass. */
    public static CaseResult pass(String id, Precision p, List<String> notes) {
        return new CaseResult(id, p, Status.PASS, "", List.copyOf(notes));
    }

    /** A failure with a one-line reason. */
    public static CaseResult fail(String id, Precision p, String detail, List<String> notes) {
        return new CaseResult(id, p, Status.FAIL, detail, List.copyOf(notes));
    }

    /** A skip with a reason, e.g. {@code needs io.vecgrad.optim}. */
    public static CaseResult skip(String id, Precision p, String reason) {
        return new CaseResult(id, p, Status.SKIP, reason, List.of());
    }

    /**
     * The report line: {@code PASS ops/add/1 [f32]},
     * {@code FAIL ops/exp/2 [f32] x.grad[3]: expected ..., got ..., tolerance ...},
     * {@code DEVIATION ... (convention: ...)}, {@code SKIP ... (reason)}.
     */
    public String line() {
        String head = status + " " + id + " [" + precision + "]";
        return switch (status) {
            case PASS -> detail.isEmpty() ? head : head + " " + detail;
            case FAIL, DEVIATION -> head + " " + detail;
            case SKIP -> head + " skipped (" + detail + ")";
        };
    }
}
