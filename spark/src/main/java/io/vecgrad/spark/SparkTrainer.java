package io.vecgrad.spark;

import io.vecgrad.engine.DType;
import io.vecgrad.nn.Layer;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.train.Checkpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training of a vecgrad {@link Layer} on Spark, in one long-lived
 * barrier stage with one task per partition of the input:
 *
 * <pre>{@code
 * SparkTrainer.Result r = SparkTrainer.builder(() -> mlp(seed), p -> Adam.builder(p).lr(1e-3).build())
 *         .classification(10).batchPerTask(16).epochs(40)
 *         .checkpoints("hdfs:///runs/digits", 200)
 *         .build()
 *         .fit(rows);                 // JavaRDD<LabeledRow>, or fit(df, "features", "label")
 * }</pre>
 *
 * <p>The driver builds the model and optimizer once and broadcasts their state, so every task
 * starts from identical parameters. At every step each task runs forward and backward on the next
 * {@code batchPerTask} rows of its partition (shuffled per epoch when asked); the tasks exchange
 * their gradients around a ring of task-to-task sockets ({@link Exchange}) and each forms the row-weighted mean {@code sum_r (b_r / B) g_r}, adding ranks in
 * the fixed order 0..N-1, so every replica gets bit-identical gradients, applies the same fused
 * optimizer step, and stays bit-identical. With equal batches this is exactly the gradient of one
 * process on the concatenated batch of {@code N * batchPerTask} rows (up to summation order).
 * An epoch is {@code ceil(maxRows / batchPerTask)} steps; a task whose partition is used up
 * contributes an empty batch (weight 0) to the remaining steps.
 *
 * <p>Checkpoints (model, optimizer state, position) go to a Hadoop FileSystem folder every N steps
 * and after the last, written atomically; {@link Builder#resume} starts from the newest one.
 * A failure (bad input, too few free slots, a lost executor, a task error) ends the job with a
 * {@link SparkTrainingException} whose message names the cause and the last checkpoint.
 */
public final class SparkTrainer {
    private final Builder b;

    private SparkTrainer(Builder b) {
        this.b = b;
    }

    /**
     * How gradients travel between the tasks.
     *
     * <p>Measured on Spark 4.2.0, {@code local[2]}, JDK 25: an {@code ALL_GATHER} exchange costs
     * about one second whatever its size, because Spark's barrier client checks for the
     * coordinator's reply once a second ({@code BarrierTaskContext.runBarrier} sleeps 1000 ms
     * between polls), so a 1,800-step job would spend half an hour waiting. The {@code RING}
     * exchange (task-to-task sockets, set up with one allGather) costs what the bytes cost
     * (README, "Scale-out with Spark"). RING is the default; ALL_GATHER needs no open ports
     * between executors and suits jobs whose steps take seconds anyway.
     */
    public enum Exchange {
        /**
         * Task to task (the default): through memory when every task runs in the same executor
         * JVM (as on {@code local[N]}; {@link LocalTransport}), else around a TCP ring.
         */
        RING,
        /** Spark's {@code BarrierTaskContext.allGather}, chunked under {@code spark.rpc.message.maxSize}. */
        ALL_GATHER
    }

    /** Metrics of one epoch, as seen by the global batches. */
    public record EpochStats(int epoch, double trainLoss, double trainAccuracy) {}

    /**
     * The outcome of {@link #fit}: the trained model and optimizer on the driver (rank 0's replica,
     * which equals every other), the steps run, per-epoch metrics of the steps this job ran, and
     * where the time went on rank 0: {@code computeSeconds} forward, backward and optimizer;
     * {@code exchangeSeconds} the wait for the all-reduce after backward (the part not hidden
     * behind backward); {@code commSeconds} the all-reduce thread's whole time moving and summing
     * gradients ({@code payloadBytes} of them), overlapped or not; {@code transport} how they
     * travelled ("shared memory", "TCP ring" or "allGather").
     */
    public record Result(Layer model, Optimizer optimizer, int tasks, long firstStep, long steps,
                         List<EpochStats> epochs, double seconds, double computeSeconds, double exchangeSeconds,
                         double checkpointSeconds, long messages, long payloadBytes, long replicaChecks,
                         String lastCheckpoint, double commSeconds, int threadsPerTask, int buckets,
                         String transport) {}

    /**
     * Starts a builder.
     *
     * @param model     builds one replica (run on the driver and in every task)
     * @param optimizer builds the optimizer of a replica
     */
    public static Builder builder(ModelFactory model, OptimizerFactory optimizer) {
        return new Builder(model, optimizer);
    }

    /** Options of a training job. Defaults: classification is required or regression(); 1 epoch, batch 32 per task. */
    public static final class Builder {
        private final ModelFactory model;
        private final OptimizerFactory optimizer;
        private int classes = -1;
        private int batchPerTask = 32;
        private int epochs = 1;
        private long seed;
        private boolean shuffle = true;
        private DType dtype = DType.F32;
        private String checkpointDir;
        private int checkpointEvery;
        private boolean resume;
        private boolean checkReplicas;
        private long failStep = -1;
        private int failRank;
        private int maxMessageBytes = -1;
        private Exchange exchange = Exchange.RING;
        private int bucketBytes = GradientExchange.DEFAULT_BUCKET_BYTES;
        private int threadsPerTask;
        private boolean failHalt;
        private boolean sharedMemory = true;

        private Builder(ModelFactory model, OptimizerFactory optimizer) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** Cross-entropy over {@code classes} classes; labels are class indices. */
        public Builder classification(int classes) {
            if (classes < 2) {
                throw new IllegalArgumentException("SparkTrainer: classification needs >= 2 classes, got " + classes);
            }
            this.classes = classes;
            return this;
        }

        /** Mean squared error against the label value (the model outputs one column). */
        public Builder regression() {
            this.classes = 0;
            return this;
        }

        /** Rows per task per step (>= 1); the global batch is tasks times this. */
        public Builder batchPerTask(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("SparkTrainer: batch per task must be >= 1, got " + n);
            }
            this.batchPerTask = n;
            return this;
        }

        /** Passes over the data (>= 1). */
        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("SparkTrainer: epochs must be >= 1, got " + n);
            }
            this.epochs = n;
            return this;
        }

        /** Seed of the per-epoch shuffles (each task derives its own from it and its rank). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Reshuffle each partition every epoch (default true); false keeps partition order. */
        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** Element type of the batches; must match the model's parameters (default f32). */
        public Builder dtype(DType d) {
            this.dtype = Objects.requireNonNull(d, "dtype");
            return this;
        }

        /**
         * Save a checkpoint to the Hadoop FileSystem folder {@code dir} (any URI Hadoop knows;
         * a plain path is local) every {@code everySteps} steps and after the last step.
         */
        public Builder checkpoints(String dir, int everySteps) {
            if (everySteps < 1) {
                throw new IllegalArgumentException("SparkTrainer: checkpoint interval must be >= 1 step, got " + everySteps);
            }
            this.checkpointDir = Objects.requireNonNull(dir, "dir");
            this.checkpointEvery = everySteps;
            return this;
        }

        /** Start from the newest checkpoint in the checkpoint folder, if there is one. */
        public Builder resume(boolean r) {
            this.resume = r;
            return this;
        }

        /**
         * After every step, compare a hash of every replica's parameters and fail if any differs
         * (the hash rides in the next step's gradient message; hashing costs a pass over the
         * parameters per step, so this is for tests and audits).
         */
        public Builder checkReplicas(boolean c) {
            this.checkReplicas = c;
            return this;
        }

        /** How gradients travel between tasks (default {@link Exchange#RING}). */
        public Builder exchange(Exchange e) {
            this.exchange = Objects.requireNonNull(e, "exchange");
            return this;
        }

        /** With {@link Exchange#ALL_GATHER}: caps one message at this many payload bytes (default: from spark.rpc.message.maxSize). */
        public Builder maxMessageBytes(int n) {
            if (n < 8) {
                throw new IllegalArgumentException("SparkTrainer: max message bytes must be >= 8, got " + n);
            }
            this.maxMessageBytes = n;
            return this;
        }

        /**
         * Gradient bytes per all-reduce bucket (default 256 KiB; whole parameters, last layer
         * first): a bucket leaves for the other tasks as soon as backward has finished it, so
         * smaller buckets overlap more of the exchange with backward, at a message each.
         */
        public Builder bucketBytes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("SparkTrainer: bucket bytes must be >= 1, got " + n);
            }
            this.bucketBytes = n;
            return this;
        }

        /**
         * Engine threads (GEMM) of each task; default: the host's cores shared among the job's
         * tasks on that host, at least {@code spark.task.cpus} ({@code local[2]} on 2 cores: 1
         * each; {@code local[1]}: 2). Each task runs its kernels on its own threads, so tasks in
         * one executor JVM do not share one pool sized for the whole machine.
         */
        public Builder threadsPerTask(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("SparkTrainer: threads per task must be >= 1, got " + n);
            }
            this.threadsPerTask = n;
            return this;
        }

        /**
         * With {@link Exchange#RING}, whether tasks that all run in one executor JVM (as on
         * {@code local[N]}) exchange through memory instead of loopback sockets (default true;
         * false is for measurements and tests of the socket ring).
         */
        Builder sharedMemory(boolean s) {
            this.sharedMemory = s;
            return this;
        }

        /** Fault injection for tests: task {@code rank} throws just before global step {@code step}. */
        public Builder failAt(long step, int rank) {
            this.failStep = step;
            this.failRank = rank;
            return this;
        }

        /** Fault injection for tests on a cluster: task {@code rank} halts its executor's JVM just before {@code step}. */
        Builder loseExecutorAt(long step, int rank) {
            failAt(step, rank);
            this.failHalt = true;
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            if (classes < 0) {
                throw new IllegalStateException("SparkTrainer: call classification(classes) or regression()");
            }
            if (resume && checkpointDir == null) {
                throw new IllegalStateException("SparkTrainer: resume needs checkpoints(dir, every)");
            }
            return new SparkTrainer(this);
        }
    }

    /**
     * Trains on a DataFrame: {@code featuresCol} an array of numbers per row, {@code labelCol} a
     * number. One barrier task per partition of {@code data}.
     *
     * @throws IllegalArgumentException if a column is missing or of the wrong type
     */
    public Result fit(Dataset<Row> data, String featuresCol, String labelCol) {
        StructField f = field(data, featuresCol);
        StructField l = field(data, labelCol);
        if (!(f.dataType() instanceof ArrayType at) || !(at.elementType() instanceof NumericType)) {
            throw new IllegalArgumentException("SparkTrainer: features column '" + featuresCol + "' is "
                    + f.dataType().simpleString() + ", expected array<double> (or another numeric array;"
                    + " convert an ML Vector with vector_to_array)");
        }
        if (!(l.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("SparkTrainer: label column '" + labelCol + "' is "
                    + l.dataType().simpleString() + ", expected a number");
        }
        JavaRDD<LabeledRow> rows = data.select(featuresCol, labelCol).javaRDD().map(new RowToLabeled(featuresCol, labelCol));
        return fit(rows);
    }

    /** Trains on an RDD of rows (one barrier task per partition). */
    public Result fit(RDD<LabeledRow> data) {
        return fit(data.toJavaRDD());
    }

    private static StructField field(Dataset<Row> data, String name) {
        for (StructField f : data.schema().fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("SparkTrainer: no column '" + name + "' in " + data.schema().simpleString());
    }

    /** Converts a (features, label) row; nulls fail with the column's name. */
    private record RowToLabeled(String featuresCol, String labelCol) implements Function<Row, LabeledRow> {
        @Override
        public LabeledRow call(Row row) {
            if (row.isNullAt(0) || row.isNullAt(1)) {
                throw new IllegalArgumentException(TrainTask.MARK + "bad input: a row has a null "
                        + (row.isNullAt(0) ? featuresCol : labelCol));
            }
            List<Object> xs = row.getList(0);
            double[] x = new double[xs.size()];
            for (int i = 0; i < x.length; i++) {
                Object v = xs.get(i);
                if (v == null) {
                    throw new IllegalArgumentException(TrainTask.MARK + "bad input: null element " + i + " in " + featuresCol);
                }
                x[i] = ((Number) v).doubleValue();
            }
            return new LabeledRow(x, ((Number) row.get(1)).doubleValue());
        }
    }

    /**
     * Trains on an RDD of rows, one barrier task per partition.
     *
     * @throws SparkTrainingException if the job fails; its message names the cause and the last checkpoint
     */
    public Result fit(JavaRDD<LabeledRow> data) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        int tasks = data.getNumPartitions();
        checkSlots(sc, tasks);
        Layer model = b.model.create();
        Optimizer optimizer = b.optimizer.create(model.parameters());
        CheckpointStore store = null;
        if (b.checkpointDir != null) {
            Map<String, String> conf = new HashMap<>();
            sc.hadoopConfiguration().forEach(e -> conf.put(e.getKey(), e.getValue()));
            store = new CheckpointStore(b.checkpointDir, conf);
        }
        byte[] initial;
        try {
            CheckpointStore.Entry latest = b.resume ? store.latest() : null;
            if (latest != null) {
                initial = store.read(latest.path());
                Checkpoint.State s = CheckpointStore.fromBytes(initial, model, optimizer, latest.path());
                if (s.seed() != b.seed) {
                    throw new IllegalArgumentException("SparkTrainer: checkpoint " + latest.path() + " was written with seed "
                            + s.seed() + ", this job has seed " + b.seed);
                }
            } else {
                initial = CheckpointStore.toBytes(model, optimizer, new Checkpoint.State(0, 0, b.seed));
            }
        } catch (IOException e) {
            throw new SparkTrainingException("SparkTrainer: cannot read the checkpoint: " + e.getMessage(), null, e);
        }
        int chunk = b.maxMessageBytes > 0 ? b.maxMessageBytes : defaultChunk(sc, tasks);
        TrainPlan plan = new TrainPlan(b.model, b.optimizer, b.classes, b.batchPerTask, b.epochs, b.seed, b.shuffle,
                b.dtype, b.checkpointEvery, store, b.checkReplicas, b.failStep, b.failRank, b.exchange, chunk,
                new java.security.SecureRandom().nextLong(), b.bucketBytes, b.threadsPerTask, b.failHalt, b.sharedMemory);
        Broadcast<byte[]> bc = sc.broadcast(initial);
        ClassTag<TaskResult> tag = ClassTag$.MODULE$.apply(TaskResult.class);
        long t0 = System.nanoTime();
        List<TaskResult> results;
        try {
            results = data.rdd().barrier().mapPartitions(new TrainTask(plan, bc), false, tag).toJavaRDD().collect();
        } catch (Exception e) { // SparkException is checked in Java's eyes but thrown undeclared by collect()
            throw failure(e, store);
        } finally {
            bc.destroy();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        TaskResult r0 = results.stream().filter(r -> r.rank() == 0).findFirst()
                .orElseThrow(() -> new IllegalStateException("SparkTrainer: no result from task 0"));
        try {
            CheckpointStore.fromBytes(r0.finalState(), model, optimizer, "the final state of task 0");
        } catch (IOException e) {
            throw new SparkTrainingException("SparkTrainer: the final state does not load: " + e.getMessage(), null, e);
        }
        return new Result(model, optimizer, tasks, r0.firstStep(), r0.stepLoss().length, epochStats(r0, tasks), seconds,
                r0.computeNanos() / 1e9, r0.exchangeNanos() / 1e9, r0.checkpointNanos() / 1e9, r0.messages(),
                r0.payloadBytes(), r0.replicaChecks(), r0.lastCheckpoint(), r0.commNanos() / 1e9, r0.threads(), r0.buckets(),
                r0.transport());
    }

    private List<EpochStats> epochStats(TaskResult r, int tasks) {
        // steps per epoch is not known here; group by the epoch boundaries the task used
        List<EpochStats> out = new ArrayList<>();
        int n = r.stepLoss().length;
        if (n == 0) {
            return out;
        }
        long total = r.firstStep() + n;
        long perEpoch = total / b.epochs;
        double loss = 0;
        long correct = 0;
        long rows = 0;
        for (int k = 0; k < n; k++) {
            long g = r.firstStep() + k;
            loss += r.stepLoss()[k] * r.stepRows()[k];
            correct += r.stepCorrect()[k];
            rows += r.stepRows()[k];
            if ((g + 1) % perEpoch == 0 || k == n - 1) {
                out.add(new EpochStats((int) ((g + perEpoch) / perEpoch), loss / rows,
                        b.classes > 0 ? (double) correct / rows : Double.NaN));
                loss = 0;
                correct = 0;
                rows = 0;
            }
        }
        return out;
    }

    /** Spark keeps each RPC message under spark.rpc.message.maxSize (MiB); the coordinator's reply holds N. */
    private static int defaultChunk(JavaSparkContext sc, int tasks) {
        long maxMiB = sc.getConf().getSizeAsMb("spark.rpc.message.maxSize", "128");
        long bytes = maxMiB * 1024 * 1024 / 2 / Math.max(1, tasks) * 3 / 4; // half for overhead, base64 grows 4/3
        return (int) Math.min(Math.max(bytes, 8), 16L * 1024 * 1024);
    }

    /** A barrier stage needs all its tasks running at once; fail before submitting when it cannot. */
    private static void checkSlots(JavaSparkContext sc, int tasks) {
        int slots = sc.defaultParallelism();
        int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
        int free = slots / Math.max(1, taskCpus);
        if (tasks > free) {
            throw new SparkTrainingException("SparkTrainer: the input has " + tasks + " partitions, so the barrier stage"
                    + " needs " + tasks + " tasks running at once, but the cluster has " + free + " task slots ("
                    + slots + " cores / spark.task.cpus=" + taskCpus + "); repartition the input to at most " + free
                    + " partitions or add executors", null, null);
        }
    }

    /** One clear message for a failed job: the first vecgrad cause, else Spark's, and the last checkpoint. */
    private static SparkTrainingException failure(Exception e, CheckpointStore store) {
        String last = null;
        if (store != null) {
            try {
                CheckpointStore.Entry en = store.latest();
                last = en == null ? null : en.path();
            } catch (IOException ignored) {
                // the failure message below is what matters; the folder may be gone
            }
        }
        String cause = describe(e);
        String where = last == null ? "no checkpoint was written" : "last checkpoint: " + last;
        return new SparkTrainingException("SparkTrainer: training failed: " + cause + "; " + where, last, e);
    }

    /** The cause of a failed job in one line. */
    static String describe(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String text = all.toString();
        // an executor's loss is the root cause even when a neighbour's broken connection is reported too
        if (text.contains("ExecutorLostFailure") || text.contains("executor lost") || text.contains("Executor lost")) {
            return "an executor was lost while training (a barrier stage cannot continue without all its tasks): "
                    + firstLine(text, "ExecutorLostFailure");
        }
        int at = text.indexOf(TrainTask.MARK);
        if (at >= 0) {
            int end = text.indexOf('\n', at);
            return text.substring(at + TrainTask.MARK.length(), end < 0 ? text.length() : end).trim();
        }
        if (text.contains("BARRIER") && text.contains("slots")) {
            return "too few free task slots for the barrier stage: " + firstLine(text, "slots");
        }
        return firstLine(text, null);
    }

    private static String firstLine(String text, String containing) {
        for (String line : text.split("\n")) {
            if (!line.isBlank() && (containing == null || line.contains(containing))) {
                return line.trim();
            }
        }
        return text.trim();
    }
}
