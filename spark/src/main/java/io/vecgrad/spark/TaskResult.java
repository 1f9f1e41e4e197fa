package io.vecgrad.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * What one barrier task sends back to the driver. Rank 0 also sends the final model and
 * optimizer state and the per-step metrics (which every rank knows, as they were all-gathered).
 *
 * @param finalState    rank 0: the final {@link io.vecgrad.train.Checkpoint} bytes; else null
 * @param stepLoss      rank 0: the global mean loss of every step this job ran
 * @param stepCorrect   rank 0: correctly classified rows of every step (0 for regression)
 * @param stepRows      rank 0: rows of every step (the global batch)
 * @param firstStep     the global step this job started at (0, or the resumed checkpoint's)
 * @param computeNanos  forward + backward + optimizer time of this task
 * @param exchangeNanos time this task waited for the all-reduce after its backward
 * @param checkpointNanos time writing checkpoints
 * @param messages      gradient messages sent (ring rounds, or allGather calls)
 * @param payloadBytes  gradient payload bytes sent by this task
 * @param replicaChecks replica-hash comparisons that passed
 * @param lastCheckpoint the last checkpoint this task wrote, or null
 * @param commNanos     time the all-reduce thread spent moving and summing gradients (mostly
 *                      overlapped with backward; {@code exchangeNanos} is the part not hidden)
 * @param threads       engine threads this task ran its kernels on
 * @param buckets       gradient buckets per step
 * @param transport     how the gradients travelled ("shared memory", "TCP ring" or "allGather")
 */
record TaskResult(int rank, byte[] finalState, double[] stepLoss, long[] stepCorrect, long[] stepRows,
                  long firstStep, long computeNanos, long exchangeNanos, long checkpointNanos, long messages,
                  long payloadBytes, long replicaChecks, String lastCheckpoint, long commNanos, int threads,
                  int buckets, String transport) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
