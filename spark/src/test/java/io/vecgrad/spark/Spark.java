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

/**
 * One Spark context shared by this module's tests (starting one costs seconds): embedded
 * {@code local[2]}, or the master in {@code -Dvecgrad.spark.test.master} (the pom's
 * local-cluster execution runs the equivalence and fault tests on {@code local-cluster[2,1,1024]}).
 */
final class Spark {
    /** The master of this test JVM. */
    static final String MASTER = System.getProperty("vecgrad.spark.test.master", "local[2]");
    private static JavaSparkContext sc;

    private Spark() {}

    static synchronized JavaSparkContext context() {
        if (sc == null) {
            SparkConf conf = new SparkConf().setMaster(MASTER).setAppName("vecgrad-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "2");
            if (MASTER.startsWith("local-cluster")) {
                executorSetup(conf);
            }
            System.out.println("Spark test master: " + MASTER);
            sc = new JavaSparkContext(conf);
            sc.setLogLevel("ERROR");
            Runtime.getRuntime().addShutdownHook(new Thread(sc::stop));
        }
        return sc;
    }

    /**
     * local-cluster launches executors as separate JVMs through spark-launcher, which takes the
     * jars of {@code $SPARK_HOME/jars}: link every jar of this JVM's classpath there, and give
     * the executors this module's class folders and the JVM flags vecgrad and Spark need.
     */
    private static void executorSetup(SparkConf conf) {
        String home = System.getenv("SPARK_HOME");
        if (home == null) {
            throw new IllegalStateException("local-cluster tests need SPARK_HOME (the pom sets target/spark-home)");
        }
        java.nio.file.Path jars = java.nio.file.Path.of(home, "jars");
        List<String> folders = new ArrayList<>();
        try {
            java.nio.file.Files.createDirectories(jars);
            for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                java.nio.file.Path p = java.nio.file.Path.of(e).toAbsolutePath();
                if (java.nio.file.Files.isDirectory(p)) {
                    folders.add(p.toString());
                } else if (e.endsWith(".jar")) {
                    java.nio.file.Path link = jars.resolve(p.getFileName());
                    if (!java.nio.file.Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        java.nio.file.Files.createSymbolicLink(link, p);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + jars + " for local-cluster", e);
        }
        conf.set("spark.executor.extraClassPath", String.join(java.io.File.pathSeparator, folders))
                .set("spark.executor.extraJavaOptions", System.getProperty("vecgrad.spark.test.executorOptions", ""));
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
