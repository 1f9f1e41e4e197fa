package io.vecgrad.spark;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.nn.Layer;
import io.vecgrad.train.DataSet;
import io.vecgrad.train.cli.TrainOptions;
import io.vecgrad.train.cli.TrainOptions.UsageException;
import java.io.IOException;
import java.io.InputStream;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vecgrad train --spark MASTER}: the default training job of {@code ./vecgrad train}
 * (the bundled digits, features scaled to [0, 1], a seeded 80/20 split, a ReLU MLP, Adam) run
 * data-parallel on Spark with {@link SparkTrainer}, then evaluated on the held-out rows on the
 * driver. The launcher starts it, with Spark's jars on the classpath, only when {@code --spark}
 * is given; the plain {@code ./vecgrad train} never loads Spark.
 */
@Command(name = "train --spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the digits MLP data-parallel on Spark (one barrier task per partition; --batch-size is"
                + " the global batch, split evenly over the tasks).")
public final class SparkTrainMain implements Callable<Integer> {

    @Option(names = "--spark", required = true, paramLabel = "MASTER",
            description = "Spark master URL: local[2], local-cluster[2,1,1024], spark://host:7077, yarn, ...")
    String master;

    @Option(names = "--tasks", description = "Barrier tasks = partitions (default: the master's parallelism).")
    Integer tasks;

    @Option(names = "--threads", description = "Engine threads per task (default: the host's cores shared among the job's"
            + " tasks on it, at least spark.task.cpus).")
    Integer threads;

    /** The options ./vecgrad train has too; --batch-size is the global batch, split evenly over the tasks. */
    @Mixin
    TrainOptions opts;

    @Option(names = "--checkpoints", paramLabel = "DIR",
            description = "Hadoop FileSystem folder for checkpoints (default: runs/spark-<timestamp>/checkpoints).")
    String checkpoints;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in --checkpoints.")
    boolean resume;

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

    private static void check(boolean ok, String message) {
        TrainOptions.check(ok, message);
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
        TrainOptions.Checked c = opts.check();
        check(checkpointEvery >= 1, "option --checkpoint-every: must be >= 1, got " + checkpointEvery);
        check(!resume || checkpoints != null, "option --resume needs --checkpoints DIR");
        check(threads == null || threads >= 1, "option --threads: must be >= 1, got " + threads);
        long seed = c.seed();
        int batchSize = c.batchSize();
        DType dt = c.dtype();
        boolean quiet = c.quiet();

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
            ModelFactory model = () -> c.mlp(in, classes, new SplittableRandom(seed));
            TrainOptions.OptimizerSpec spec = c.optimizer();
            OptimizerFactory of = spec::create;
            if (!quiet) {
                System.out.printf(Locale.ROOT, "vecgrad train --spark %s: digits (bundled), %d train / %d test rows, %d tasks x"
                        + " batch %d, %d-%s-%d %s, %s, %s lr %g; kernels %s%n", master, split.train().size(),
                        split.test().size(), n, batchSize / n, in, c.hiddenText(), classes, c.activation(), dt, spec.name(),
                        spec.lr(), Kernels.providerInfo());
            }
            SparkTrainer.Builder builder = SparkTrainer.builder(model, of);
            if (threads != null) {
                builder.threadsPerTask(threads);
            }
            SparkTrainer.Result r = builder.classification(classes).batchPerTask(batchSize / n)
                    .epochs(c.epochs()).seed(seed).dtype(dt).checkpoints(dir, checkpointEvery).resume(resume).build()
                    .fit(sc.parallelize(rows, n));
            if (!quiet) {
                for (SparkTrainer.EpochStats e : r.epochs()) {
                    System.out.printf(Locale.ROOT, "epoch %3d  loss %.4f  acc %.4f%n", e.epoch(), e.trainLoss(), e.trainAccuracy());
                }
            }
            double acc = accuracy(r.model(), split.test(), dt);
            System.out.printf(Locale.ROOT, "test:  accuracy %.2f%% (%d/%d)%n", 100 * acc,
                    Math.round(acc * split.test().size()), split.test().size());
            System.out.printf(Locale.ROOT, "time:  %.2f s for %d steps on %d tasks x %d threads (%.1f steps/s); per step on"
                            + " task 0: compute %.2f ms, all-reduce wait %.2f ms (%d messages, %.2f MB sent), checkpoints %.2f s%n",
                    r.seconds(), r.steps(), r.tasks(), r.threadsPerTask(), r.steps() / r.seconds(),
                    1e3 * r.computeSeconds() / Math.max(1, r.steps()), 1e3 * r.exchangeSeconds() / Math.max(1, r.steps()),
                    r.messages(), r.payloadBytes() / 1e6, r.checkpointSeconds());
            System.out.println("checkpoint: " + r.lastCheckpoint());
            return 0;
        }
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
