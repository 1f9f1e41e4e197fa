package io.vecgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.engine.DType;
import io.vecgrad.optim.SGD;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Each bad input ends the job with one line that names the cause. */
class BadInputTest {
    static final int WIDTH = 5;

    private static SparkTrainer trainer() {
        ModelFactory mf = () -> Spark.mlp(3, DType.F64, WIDTH, 4, 2);
        return SparkTrainer.builder(mf, p -> SGD.builder(p).lr(0.1).build()).classification(2).batchPerTask(4)
                .dtype(DType.F64).build();
    }

    private static String failure(JavaRDD<LabeledRow> rdd) {
        SparkTrainingException e = assertThrows(SparkTrainingException.class, () -> trainer().fit(rdd));
        System.out.println(e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aPartitionWithNoRows() {
        JavaRDD<LabeledRow> rdd = Spark.context().parallelize(Spark.rows(1, 12, WIDTH, 2), 2)
                .mapPartitionsWithIndex((i, it) -> i == 1 ? Collections.emptyIterator() : it, true);
        String m = failure(rdd);
        assertTrue(m.contains("partition(s) [1] of 2 have no rows"), m);
    }

    @Test
    void mismatchedFeatureWidthsAcrossPartitions() {
        List<LabeledRow> rows = new ArrayList<>(Spark.rows(1, 6, WIDTH, 2));
        rows.addAll(Spark.rows(2, 6, WIDTH + 1, 2));
        String m = failure(Spark.context().parallelize(rows, 2));
        assertTrue(m.contains("mismatched feature widths: partition 1 has 6 features per row, partition 0 has 5"), m);
    }

    @Test
    void aLabelOutsideTheClasses() {
        List<LabeledRow> rows = new ArrayList<>(Spark.rows(1, 12, WIDTH, 2));
        rows.set(8, new LabeledRow(new double[WIDTH], 2));
        String m = failure(Spark.context().parallelize(rows, 2));
        assertTrue(m.contains("partition 1 row 2 has label 2.0; expected a class index in 0..1"), m);
    }

    @Test
    void fewerFreeSlotsThanTasks() {
        // local[2] has two task slots; three partitions need three tasks at once
        String m = failure(Spark.context().parallelize(Spark.rows(1, 12, WIDTH, 2), 3));
        assertTrue(m.contains("needs 3 tasks running at once, but the cluster has 2 task slots"), m);
    }

    @Test
    void aLostExecutorIsNamedAsSuch() {
        // Spark's own report of a dead executor in a barrier stage, with the neighbour's broken ring
        // connection as a secondary failure: the executor's loss is named
        RuntimeException spark = new RuntimeException("Job aborted due to stage failure: Could not recover from a"
                + " failed barrier ResultStage. Most recent failure reason: Stage failed because barrier task"
                + " ResultTask(0, 1) finished unsuccessfully.\nExecutorLostFailure (executor 1 exited caused by one"
                + " of the running tasks) Reason: Remote RPC client disassociated.",
                new java.io.UncheckedIOException(TrainTask.MARK + "ring: task 1 closed its connection (it failed or was"
                        + " stopped)", new java.io.IOException("eof")));
        String m = SparkTrainer.describe(spark);
        assertTrue(m.startsWith("an executor was lost while training"), m);
        assertTrue(m.contains("executor 1 exited"), m);
        assertEquals(1, m.lines().count(), m);
    }

    @Test
    void dataFrameColumnsAreCheckedAndUsed() {
        SparkSession spark = SparkSession.builder().sparkContext(Spark.context().sc()).getOrCreate();
        // interpreted, not generated code: this two-column conversion does not pay back the compile time
        spark.conf().set("spark.sql.codegen.wholeStage", "false");
        spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        StructType schema = new StructType().add("x", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("y", DataTypes.IntegerType).add("name", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (LabeledRow r : Spark.rows(4, 16, WIDTH, 2)) {
            rows.add(RowFactory.create(r.features(), (int) r.label(), "r"));
        }
        // from a 2-partition RDD: no shuffle, one barrier task per partition
        Dataset<Row> df = spark.createDataFrame(Spark.context().parallelize(rows, 2), schema);
        SparkTrainer.Result r = trainer().fit(df, "x", "y");
        assertEquals(2, r.tasks());
        assertEquals(2, r.steps()); // 8 rows per partition, 4 per step
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().fit(df, "name", "y"));
        assertTrue(e.getMessage().contains("features column 'name' is string, expected array<double>"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer().fit(df, "x", "z"));
        assertTrue(e.getMessage().contains("no column 'z'"), e.getMessage());
    }
}
