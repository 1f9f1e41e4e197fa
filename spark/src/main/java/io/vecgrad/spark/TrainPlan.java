package io.vecgrad.spark;

import io.vecgrad.engine.DType;
import java.io.Serial;
import java.io.Serializable;

/**
 * Everything a barrier task needs to run its share of a job, shipped once with the stage.
 *
 * @param classes       number of classes (cross-entropy loss), or 0 for regression (MSE loss)
 * @param batchPerTask  rows per task per step; the global batch is {@code tasks * batchPerTask}
 * @param checkpointEvery save every this many steps (0 = never); also after the last step
 * @param store         where checkpoints go, or null
 * @param checkReplicas compare a hash of every replica's parameters after every step
 * @param failStep      test hook: the task of rank {@code failRank} throws before this step (-1 = never)
 * @param exchange      how gradients travel between tasks
 * @param chunkBytes    the largest gradient slice per allGather message (exchange ALL_GATHER)
 * @param token         a random number of this job: ring connections must present it
 * @param bucketBytes   gradient bytes per all-reduce bucket
 * @param threadsPerTask engine threads per task, or 0 for {@link TrainTask#autoThreads}
 * @param failHalt      test hook: the failing task halts its executor's JVM instead of throwing (a lost executor)
 * @param sharedMemory  with RING: tasks that all run in one JVM exchange through memory ({@link LocalTransport})
 */
record TrainPlan(ModelFactory model, OptimizerFactory optimizer, int classes, int batchPerTask, int epochs,
                 long seed, boolean shuffle, DType dtype, int checkpointEvery, CheckpointStore store,
                 boolean checkReplicas, long failStep, int failRank, SparkTrainer.Exchange exchange,
                 int chunkBytes, long token, int bucketBytes, int threadsPerTask,
                 boolean failHalt, boolean sharedMemory) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Steps per epoch when the largest partition has {@code maxRows} rows. */
    int stepsPerEpoch(int maxRows) {
        return (maxRows + batchPerTask - 1) / batchPerTask;
    }

    /** Rows task {@code rank} (with {@code rows} rows) contributes at step {@code s} of an epoch. */
    int rowsAt(int rows, int s) {
        return Math.max(0, Math.min(batchPerTask, rows - s * batchPerTask));
    }

    /** The shuffling seed of task {@code rank}'s loader: distinct per rank, fixed per run. */
    long loaderSeed(int rank) {
        return seed ^ (0xD1B54A32D192ED03L * (rank + 1));
    }
}
