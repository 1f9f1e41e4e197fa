package io.vecgrad.spark;

import io.vecgrad.engine.DType;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One embedded {@code local[2]} Spark context shared by this module's tests (starting one costs seconds). */
final class Spark {
    private static JavaSparkContext sc;

    private Spark() {}

    static synchronized JavaSparkContext context() {
        if (sc == null) {
            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("vecgrad-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "2");
            sc = new JavaSparkContext(conf);
            sc.setLogLevel("ERROR");
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }

    /** A small MLP, initialised from {@code seed}. */
    static Layer mlp(long seed, DType dt, int in, int hidden, int out) {
        SplittableRandom g = new SplittableRandom(seed);
        return new Sequential(new Linear(in, hidden, true, g, dt), new ReLU(), new Linear(hidden, out, true, g, dt));
    }

    /** The 784-256-256-10 ReLU MLP of the throughput target, f32. */
    static Layer mlp784(long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        return new Sequential(new Linear(784, 256, true, g, DType.F32), new ReLU(), new Linear(256, 256, true, g, DType.F32),
                new ReLU(), new Linear(256, 10, true, g, DType.F32));
    }

    /** {@code n} random rows of {@code width} features in [-1, 1) with labels in 0..classes-1. */
    static List<LabeledRow> rows(long seed, int n, int width, int classes) {
        SplittableRandom g = new SplittableRandom(seed);
        List<LabeledRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[width];
            for (int j = 0; j < width; j++) {
                x[j] = g.nextDouble(-1, 1);
            }
            out.add(new LabeledRow(x, g.nextInt(classes)));
        }
        return out;
    }
}
