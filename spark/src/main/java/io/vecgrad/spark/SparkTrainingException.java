package io.vecgrad.spark;

import java.io.Serial;

/**
 * A Spark training job ended without finishing: the message names the cause in one line
 * (a partition with no rows, mismatched feature widths, too few free slots, a lost executor,
 * a task failure with its own message) and where the last checkpoint is, if any.
 */
public final class SparkTrainingException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final String lastCheckpoint;

    SparkTrainingException(String message, String lastCheckpoint, Throwable cause) {
        super(message, cause);
        this.lastCheckpoint = lastCheckpoint;
    }

    /** The last checkpoint written before the failure (a Hadoop path), or null if none. */
    public String lastCheckpoint() {
        return lastCheckpoint;
    }
}
