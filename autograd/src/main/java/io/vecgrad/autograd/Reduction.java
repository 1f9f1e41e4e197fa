package io.vecgrad.autograd;

/** How a loss combines its per-element values: PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** The mean over elements (over the batch for cross-entropy and NLL). */
    MEAN,
    /** The sum. */
    SUM,
    /** No reduction: one loss per element (per sample for cross-entropy and NLL). */
    NONE;

    /** Parses {@code "mean" | "sum" | "none"}. */
    public static Reduction parse(String s) {
        return switch (s) {
            case "mean" -> MEAN;
            case "sum" -> SUM;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("reduction: '" + s + "' is not one of mean, sum, none");
        };
    }
}
