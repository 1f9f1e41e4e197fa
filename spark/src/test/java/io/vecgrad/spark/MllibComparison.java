package io.vecgrad.spark;

import io.vecgrad.engine.DType;
import io.vecgrad.train.DataSet;
import io.vecgrad.train.cli.TrainOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Not a test (compiled only with {@code -Pmllib}): time to a test accuracy on the bundled digits,
 * vecgrad's SparkTrainer against Spark MLlib's MultilayerPerceptronClassifier (L-BFGS), same split,
 * same layer sizes 64-128-64-10, same master. Each budget (epochs or iterations) is a fresh job;
 * the first one to reach the target is reported with its wall time.
 *
 * <pre>{@code java <spark flags> -cp ... io.vecgrad.spark.MllibComparison 'local[2]' 0.97}</pre>
 */
public final class MllibComparison {
    private MllibComparison() {}

    /** args: master target-accuracy. */
    public static void main(String[] args) throws Exception {
        String master = args.length > 0 ? args[0] : "local[2]";
        double target = args.length > 1 ? Double.parseDouble(args[1]) : 0.97;
        DataSet all = SparkTrainMain.digits();
        DataSet.Split split = all.split(0.2, 42);
        SparkSession spark = SparkSession.builder().master(master).appName("vecgrad-vs-mllib")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int tasks = sc.defaultParallelism();
        Dataset<Row> train = frame(spark, sc, split.train(), tasks).cache();
        Dataset<Row> test = frame(spark, sc, split.test(), 1).cache();
        train.count();
        test.count();
        List<LabeledRow> rows = new ArrayList<>();
        for (int i = 0; i < split.train().size(); i++) {
            double[] x = new double[all.features()];
            for (int j = 0; j < x.length; j++) {
                x[j] = split.train().feature(i, j);
            }
            rows.add(new LabeledRow(x, split.train().target(i)));
        }
        TrainOptions.Checked c = new TrainOptions.Checked(new int[] {128, 64}, "relu",
                new TrainOptions.OptimizerSpec("adam", 1e-3, 0.9, 0), 32, 40, 42, DType.F32, true);
        TrainOptions.OptimizerSpec spec = c.optimizer();
        for (int epochs : new int[] {2, 4, 6, 8, 10, 15, 20, 30, 40}) {
            long t0 = System.nanoTime();
            SparkTrainer.Result r = SparkTrainer.builder(() -> c.mlp(64, 10, new java.util.SplittableRandom(42)),
                            spec::create).classification(10).batchPerTask(32 / tasks)
                    .epochs(epochs).seed(42).build().fit(sc.parallelize(rows, tasks));
            double s = (System.nanoTime() - t0) / 1e9;
            double acc = SparkTrainMain.accuracy(r.model(), split.test(), DType.F32);
            System.out.printf(Locale.ROOT, "vecgrad %s: %2d epochs  %6.2f s  test accuracy %.4f%n", master, epochs, s, acc);
            if (acc >= target) {
                break;
            }
        }
        MulticlassClassificationEvaluator eval = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        for (int iters : new int[] {25, 50, 75, 100, 150, 200, 300, 400}) {
            long t0 = System.nanoTime();
            MultilayerPerceptronClassificationModel m = new MultilayerPerceptronClassifier()
                    .setLayers(new int[] {64, 128, 64, 10}).setMaxIter(iters).setSeed(42L).setBlockSize(128).fit(train);
            double s = (System.nanoTime() - t0) / 1e9;
            double acc = eval.evaluate(m.transform(test));
            System.out.printf(Locale.ROOT, "mllib   %s: %3d iterations  %6.2f s  test accuracy %.4f%n", master, iters, s, acc);
            if (acc >= target) {
                break;
            }
        }
        spark.stop();
    }

    private static Dataset<Row> frame(SparkSession spark, JavaSparkContext sc, DataSet d, int parts) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            double[] x = new double[d.features()];
            for (int j = 0; j < x.length; j++) {
                x[j] = d.feature(i, j);
            }
            rows.add(RowFactory.create(Vectors.dense(x), d.target(i)));
        }
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(sc.parallelize(rows, parts), schema);
    }
}
