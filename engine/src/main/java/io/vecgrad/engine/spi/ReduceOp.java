package io.vecgrad.engine.spi;

/** Reductions of a strided row to one value. */
public enum ReduceOp {
    /** Sum of the elements (0 for an empty row). */
    SUM,
    /** Largest element; NaN if any element is NaN; -inf for an empty row. */
    MAX,
    /** Smallest element; NaN if any element is NaN; +inf for an empty row. */
    MIN,
    /** Sum of squares (for norms and gradient clipping). */
    SUM_SQUARES
}
