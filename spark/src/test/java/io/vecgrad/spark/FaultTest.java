package io.vecgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.Layer;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.train.Checkpoint;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that throws at step k ends the job with one message naming the cause and the last
 * checkpoint; that checkpoint loads; resuming from it finishes with parameters bit-identical to a
 * run that never stopped (shuffled epochs, Adam state and all).
 */
class FaultTest {
    static final long SEED = 7L;
    static final int WIDTH = 6;

    private static SparkTrainer.Builder job(String dir) {
        ModelFactory mf = () -> Spark.mlp(SEED, DType.F64, WIDTH, 8, 3);
        OptimizerFactory of = p -> Adam.builder(p).lr(0.01).build();
        // 2 partitions x 23 rows, 4 rows per task: 6 steps per epoch (the last one partial), 12 steps
        return SparkTrainer.builder(mf, of).classification(3).batchPerTask(4).epochs(2).seed(SEED)
                .dtype(DType.F64).checkpoints(dir, 4);
    }

    private static double[] bits(Layer m) {
        return m.parameters().stream().flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray())).toArray();
    }

    @Test
    void aTaskFailureEndsTheJobCleanlyAndResumingMatchesAnUninterruptedRun(@TempDir Path tmp) throws Exception {
        System.out.println("seed " + SEED);
        List<LabeledRow> data = Spark.rows(SEED, 46, WIDTH, 3);
        JavaRDD<LabeledRow> rdd = Spark.context().parallelize(data, 2);
        String straight = tmp.resolve("straight").toUri().toString();
        String broken = tmp.resolve("broken").toUri().toString();

        SparkTrainer.Result whole = job(straight).build().fit(rdd);
        assertEquals(12, whole.steps());

        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> job(broken).failAt(6, 1).build().fit(rdd));
        System.out.println("failure message: " + e.getMessage());
        assertTrue(e.getMessage().contains("injected failure in task 1 before step 6"), e.getMessage());
        assertNotNull(e.lastCheckpoint(), "a checkpoint was written at step 4");
        assertTrue(e.lastCheckpoint().endsWith("step-000000000004.safetensors"), e.lastCheckpoint());
        assertTrue(e.getMessage().contains(e.lastCheckpoint()), "the message names the last checkpoint");
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());

        // the last checkpoint is an ordinary, loadable vecgrad checkpoint
        Layer m = Spark.mlp(SEED, DType.F64, WIDTH, 8, 3);
        Optimizer o = Adam.builder(m.parameters()).lr(0.01).build();
        Checkpoint.State s = Checkpoint.load(Path.of(URI.create(e.lastCheckpoint())), m, o);
        assertEquals(4, s.step());
        assertEquals(SEED, s.seed());

        SparkTrainer.Result resumed = job(broken).resume(true).build().fit(rdd);
        assertEquals(4, resumed.firstStep());
        assertEquals(8, resumed.steps());
        double[] a = bits(whole.model());
        double[] b = bits(resumed.model());
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]),
                    "parameter element " + i + ": resumed " + b[i] + " vs uninterrupted " + a[i]);
        }
        List<Tensor> ps = whole.optimizer().params();
        assertArrayEquals(ps.get(0).toDoubleArray(), resumed.optimizer().params().get(0).toDoubleArray());
    }

    /** On local-cluster only (in local mode the executor is the test JVM): a real lost executor. */
    @Test
    void aLostExecutorEndsTheJobNamingItAndTheCheckpointResumes(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Spark.MASTER.startsWith("local-cluster"), "needs executors in their own JVMs");
        List<LabeledRow> data = Spark.rows(SEED, 46, WIDTH, 3);
        JavaRDD<LabeledRow> rdd = Spark.context().parallelize(data, 2);
        String dir = tmp.resolve("lost").toUri().toString();
        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> job(dir).loseExecutorAt(6, 1).build().fit(rdd));
        System.out.println("failure message: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("SparkTrainer: training failed: an executor was lost while training"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        assertNotNull(e.lastCheckpoint(), "a checkpoint was written at step 4");
        Layer m = Spark.mlp(SEED, DType.F64, WIDTH, 8, 3);
        Checkpoint.State s = Checkpoint.load(Path.of(URI.create(e.lastCheckpoint())), m,
                Adam.builder(m.parameters()).lr(0.01).build());
        assertEquals(4, s.step());
        SparkTrainer.Result resumed = job(dir).resume(true).build().fit(rdd);
        assertEquals(4, resumed.firstStep());
        assertEquals(8, resumed.steps());
    }
}
