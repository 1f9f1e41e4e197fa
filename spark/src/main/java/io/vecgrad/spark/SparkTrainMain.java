package io.vecgrad.spark;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.SGD;
import io.vecgrad.train.DataSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vecgrad train --spark MASTER}: the default training job of {@code ./vecgrad train}
 * (the bundled digits, features scaled to [0, 1], a seeded 80/20 split, a ReLU MLP, Adam) run
 * data-parallel on Spark with {@link SparkTrainer}, then evaluated on the held-out rows on the
 * driver. The launcher starts it, with Spark's jars on the classpath, only when {@code --spark}
 * is given; the plain {@code ./vecgrad train} never loads Spark.
 */
@Command(name = "train --spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the digits MLP data-parallel on Spark (one barrier task per partition).")
public final class SparkTrainMain implements Callable<Integer> {

    @Option(names = "--spark", required = true, paramLabel = "MASTER",
            description = "Spark master URL: local[2], local-cluster[2,1,1024], spark://host:7077, yarn, ...")
    String master;

    @Option(names = "--tasks", description = "Barrier tasks = partitions (default: the master's parallelism).")
    Integer tasks;

    @Option(names = "--hidden", defaultValue = "128,64", split = ",", description = "Hidden widths (default: ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or momentum (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.001 for adam, 0.05 for momentum).")
    Double lr;

    @Option(names = "--batch-size", defaultValue = "32",
            description = "Global batch size, split evenly over the tasks (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "40", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, init and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32 or f64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--checkpoints", paramLabel = "DIR",
            description = "Hadoop FileSystem folder for checkpoints (default: runs/spark-<timestamp>/checkpoints).")
    String checkpoints;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in --checkpoints.")
    boolean resume;

    @Option(names = "--quiet", description = "Print only the summary.")
    boolean quiet;

    /** A bad option: one line, exit code 2. */
    private static final class UsageException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        // an application: quiet Spark's INFO chatter unless the user chose a logging configuration
        if (System.getProperty("log4j2.configurationFile") == null) {
            java.net.URL cfg = SparkTrainMain.class.getResource("cli-log4j2.properties");
            if (cfg != null) {
                System.setProperty("log4j2.configurationFile", cfg.toString());
            }
        }
        System.exit(new CommandLine(new SparkTrainMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        try {
            return run();
        } catch (UsageException | SparkTrainingException e) {
            System.err.println("vecgrad train: " + e.getMessage());
            return e instanceof UsageException ? 2 : 1;
        }
    }

    private int run() throws IOException {
        String opt = optimizer.toLowerCase(Locale.ROOT);
        check(opt.equals("adam") || opt.equals("momentum"), "option --optimizer: '" + optimizer + "' is not one of adam, momentum");
        DType dt;
        try {
            dt = DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --dtype: '" + dtype + "' is not one of f32, f64");
        }
        for (int h : hidden) {
            check(h >= 1, "option --hidden: widths must be >= 1");
        }
        check(epochs >= 1, "option --epochs: must be >= 1, got " + epochs);
        check(checkpointEvery >= 1, "option --checkpoint-every: must be >= 1, got " + checkpointEvery);
        double learningRate = lr != null ? lr : opt.equals("adam") ? 1e-3 : 0.05;
        check(learningRate > 0 && Double.isFinite(learningRate), "option --lr: must be > 0, got " + learningRate);
        check(!resume || checkpoints != null, "option --resume needs --checkpoints DIR");

        DataSet all = digits();
        DataSet.Split split = all.split(0.2, seed);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("vecgrad train")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        boolean local = master.startsWith("local[") || master.equals("local");
        if (local) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            int n = tasks != null ? tasks : sc.defaultParallelism();
            check(n >= 1, "option --tasks: must be >= 1, got " + n);
            check(batchSize >= n && batchSize % n == 0, "option --batch-size: " + batchSize
                    + " does not split evenly over " + n + " tasks");
            if (local && System.getProperty("vecgrad.threads") == null) {
                // the tasks share this JVM: give each its share of the cores, not all of them
                System.setProperty("vecgrad.threads", Integer.toString(
                        Math.max(1, Runtime.getRuntime().availableProcessors() / n)));
            }
            List<LabeledRow> rows = new ArrayList<>();
            for (int i = 0; i < split.train().size(); i++) {
                double[] x = new double[all.features()];
                for (int j = 0; j < x.length; j++) {
                    x[j] = split.train().feature(i, j);
                }
                rows.add(new LabeledRow(x, split.train().target(i)));
            }
            String dir = checkpoints != null ? checkpoints : Path.of("runs", "spark-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")), "checkpoints")
                    .toAbsolutePath().toUri().toString();
            int in = all.features();
            int classes = all.classes();
            int[] widths = hidden.clone();
            long s = seed;
            DType d = dt;
            ModelFactory model = () -> mlp(in, widths, classes, s, d);
            double rate = learningRate;
            OptimizerFactory of = opt.equals("adam") ? p -> Adam.builder(p).lr(rate).build()
                    : p -> SGD.builder(p).lr(rate).momentum(0.9).build();
            if (!quiet) {
                System.out.printf(Locale.ROOT, "vecgrad train --spark %s: digits (bundled), %d train / %d test rows, %d tasks x"
                        + " batch %d, %s, %s lr %g; kernels %s%n", master, split.train().size(), split.test().size(), n,
                        batchSize / n, dt, opt, learningRate, Kernels.providerInfo());
            }
            SparkTrainer.Result r = SparkTrainer.builder(model, of).classification(classes).batchPerTask(batchSize / n)
                    .epochs(epochs).seed(seed).dtype(dt).checkpoints(dir, checkpointEvery).resume(resume).build()
                    .fit(sc.parallelize(rows, n));
            if (!quiet) {
                for (SparkTrainer.EpochStats e : r.epochs()) {
                    System.out.printf(Locale.ROOT, "epoch %3d  loss %.4f  acc %.4f%n", e.epoch(), e.trainLoss(), e.trainAccuracy());
                }
            }
            double acc = accuracy(r.model(), split.test(), dt);
            System.out.printf(Locale.ROOT, "test:  accuracy %.2f%% (%d/%d)%n", 100 * acc,
                    Math.round(acc * split.test().size()), split.test().size());
            System.out.printf(Locale.ROOT, "time:  %.2f s for %d steps on %d tasks (%.1f steps/s); per step on task 0:"
                            + " compute %.2f ms, all-reduce %.2f ms (%d messages, %.2f MB sent), checkpoints %.2f s%n",
                    r.seconds(), r.steps(), r.tasks(), r.steps() / r.seconds(), 1e3 * r.computeSeconds() / Math.max(1, r.steps()),
                    1e3 * r.exchangeSeconds() / Math.max(1, r.steps()), r.messages(), r.payloadBytes() / 1e6,
                    r.checkpointSeconds());
            System.out.println("checkpoint: " + r.lastCheckpoint());
            return 0;
        }
    }

    /** The MLP of {@code ./vecgrad train}: Linear + ReLU per hidden width, then a Linear to the classes. */
    static Layer mlp(int in, int[] hidden, int out, long seed, DType dt) {
        SplittableRandom gen = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int prev = in;
        for (int h : hidden) {
            layers.add(new Linear(prev, h, true, gen, dt));
            layers.add(new ReLU());
            prev = h;
        }
        layers.add(new Linear(prev, out, true, gen, dt));
        return new Sequential(layers.toArray(new Layer[0]));
    }

    /** The bundled UCI digits, 4-bit pixels scaled to [0, 1]. */
    static DataSet digits() throws IOException {
        try (InputStream in = io.vecgrad.train.Datasets.open("digits.csv.gz")) {
            if (in == null) {
                throw new IOException("the bundled digits data is missing from the classpath");
            }
            return DataSet.readCsv(in, "digits.csv.gz", DataSet.Task.CLASSIFICATION, 10).scaleFeatures(1.0 / 16);
        }
    }

    /** Held-out accuracy of {@code model} (no recording). */
    static double accuracy(Layer model, DataSet set, DType dt) {
        model.eval();
        try (var _ = Tensor.noGrad()) {
            Indices pred = model.forward(set.featureTensor(dt)).argmax(1);
            Indices want = set.labelIndices();
            int ok = 0;
            for (int i = 0; i < set.size(); i++) {
                ok += pred.get(i) == want.get(i) ? 1 : 0;
            }
            return (double) ok / set.size();
        } finally {
            model.train();
        }
    }
}
