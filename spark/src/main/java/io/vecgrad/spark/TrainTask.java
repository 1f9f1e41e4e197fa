package io.vecgrad.spark;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Parallel;
import io.vecgrad.engine.SpinPool;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.MSELoss;
import io.vecgrad.nn.Layer;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.train.Checkpoint;
import io.vecgrad.train.DataLoader;
import io.vecgrad.train.DataSet;
import java.io.Closeable;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.nio.channels.ServerSocketChannel;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of the barrier stage: one instance per task. It reads its partition, agrees with the
 * other tasks on the data's shape (all-gathered, so every task raises the same error for a bad
 * input), builds its replica from the broadcast state, and then runs every step: forward and
 * backward on its batch, the rank-ordered gradient all-reduce, the optimizer step. Rank 0 writes
 * the checkpoints and returns the final state.
 */
final class TrainTask extends AbstractFunction1<scala.collection.Iterator<LabeledRow>, scala.collection.Iterator<TaskResult>>
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Every message raised here starts with this, so the driver can pick it out of Spark's report. */
    static final String MARK = "vecgrad-spark: ";
    /** How long a task whose neighbour vanished waits before failing itself (see {@link #secondary}). */
    static final long SECONDARY_FAILURE_DELAY_MILLIS = 5_000;

    private final TrainPlan plan;
    private final Broadcast<byte[]> initial;

    TrainTask(TrainPlan plan, Broadcast<byte[]> initial) {
        this.plan = plan;
        this.initial = initial;
    }

    /** Runs this task's share of the job over its partition; returns its one result. */
    @Override
    public scala.collection.Iterator<TaskResult> apply(scala.collection.Iterator<LabeledRow> partition) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int threads = plan.threadsPerTask() > 0 ? plan.threadsPerTask() : autoThreads(ctx);
        // this task's own engine threads: tasks sharing an executor JVM must not share one pool
        // sized for the whole machine (two tasks x all cores oversubscribes it)
        // (spinning workers: a parked thread wakes tens of microseconds late on a VM, see SpinPool)
        SpinPool pool = threads > 1
                ? new SpinPool(threads - 1, "vecgrad-task" + ctx.partitionId() + "-worker-", SpinPool.configuredSpinNanos())
                : null;
        TaskResult r;
        try {
            Parallel par = pool == null ? Parallel.sequential() : Parallel.of(pool, threads);
            r = Parallel.callWith(par, () -> run(ctx, CollectionConverters.asJava(partition), threads));
        } catch (IOException e) {
            throw new UncheckedIOException(MARK + e.getMessage(), e);
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
        return CollectionConverters.asScala(List.of(r).iterator());
    }

    /**
     * Engine threads of a task by default: the cores of its host shared among this job's tasks on
     * that host ({@code local[1]} on 2 cores: 2; {@code local[2]}: 1 each), at least
     * {@code spark.task.cpus}, the cores Spark reserves per task.
     */
    static int autoThreads(BarrierTaskContext ctx) {
        String me = host(ctx.getTaskInfos()[ctx.partitionId()].address());
        int here = 0;
        for (var info : ctx.getTaskInfos()) {
            here += host(info.address()).equals(me) ? 1 : 0;
        }
        return Math.max(ctx.cpus(), Runtime.getRuntime().availableProcessors() / Math.max(1, here));
    }

    /** Partition facts every task shares before training: row count, width, first bad label. */
    private record Shape(int rows, int width, int port, long jvm, String problem) {
        String encode() {
            return rows + "," + width + "," + port + "," + jvm + "," + (problem == null ? "" : problem);
        }

        static Shape decode(String s) {
            String[] p = s.split(",", 5);
            return new Shape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    Long.parseLong(p[3]), p[4].isEmpty() ? null : p[4]);
        }
    }

    private TaskResult run(BarrierTaskContext ctx, Iterator<LabeledRow> input, int threads) throws IOException {
        // sockets (the ring's) are closed however the task ends, so a failing task's neighbours
        // see the connection close at once instead of waiting for it
        List<Closeable> open = new ArrayList<>();
        try {
            return train(ctx, input, open, threads);
        } finally {
            for (Closeable c : open.reversed()) {
                c.close();
            }
        }
    }

    private TaskResult train(BarrierTaskContext ctx, Iterator<LabeledRow> input, List<Closeable> open, int threads)
            throws IOException {
        ServerSocketChannel server = null;
        if (plan.exchange() == SparkTrainer.Exchange.RING) {
            server = RingTransport.listen();
            open.add(server);
        }
        int rank = ctx.partitionId();
        int tasks = ctx.getTaskInfos().length;

        // ---- read the partition and agree on the data's shape
        Partition part = readPartition(input, rank);
        List<LabeledRow> rows = part.rows();
        String problem = part.problem();
        int width = part.width();
        int port = server == null ? 0 : ((java.net.InetSocketAddress) server.getLocalAddress()).getPort();
        String[] gathered = ctx.allGather(new Shape(rows.size(), Math.max(width, 0), port, LocalTransport.JVM_ID,
                problem == null ? null : problem.replace(',', ';')).encode());
        Shape[] shapes = new Shape[tasks];
        for (int r = 0; r < tasks; r++) {
            shapes[r] = Shape.decode(gathered[r]);
        }
        checkShapes(shapes);

        // ---- the replica, from the broadcast state
        Layer model = plan.model().create();
        Optimizer optimizer = plan.optimizer().create(model.parameters());
        Checkpoint.State start = CheckpointStore.fromBytes(initial.value(), model, optimizer, "the broadcast state");
        List<Tensor> params = model.parameters();
        DType dt = plan.dtype();
        for (Tensor p : params) {
            if (p.dtype() != dt) {
                throw new IllegalArgumentException(MARK + "the model has a " + p.dtype() + " parameter, the job's dtype is " + dt);
            }
            if (p.grad() == null) {
                p.setGrad(Tensor.zeros(dt, p.dims()));
            }
        }
        long elements = params.stream().mapToLong(Tensor::numel).sum();
        if (GradientExchange.HEADER_BYTES + elements * dt.byteSize() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(MARK + "the model's gradient (" + elements + " elements) exceeds 2 GB");
        }
        double[][] headers = new double[tasks][2];
        Transport transport;
        boolean oneJvm = true;
        for (Shape s : shapes) {
            oneJvm &= s.jvm() == shapes[0].jvm();
        }
        if (server != null && oneJvm && plan.sharedMemory()) {
            // every task in this JVM: exchange through memory (LocalTransport), not loopback TCP
            server.close();
            transport = LocalTransport.join(plan.token() + "/" + ctx.stageAttemptNumber(), rank, tasks);
        } else if (server != null) {
            String[] hosts = new String[tasks];
            int[] ports = new int[tasks];
            for (int r = 0; r < tasks; r++) {
                hosts[r] = host(ctx.getTaskInfos()[r].address());
                ports[r] = shapes[r].port();
            }
            transport = RingTransport.connect(rank, tasks, hosts, ports, plan.token(), server, 120_000);
        } else {
            transport = new AllGatherTransport(ctx::allGather, plan.chunkBytes(), rank);
        }
        open.add(transport);
        GradientExchange exchange = new GradientExchange(transport, rank, tasks, params, dt, plan.bucketBytes());
        open.add(exchange);
        for (int i = 0; i < params.size(); i++) {
            int slot = exchange.slotOf(i);
            params.get(i).onGradReady(t -> exchange.ready(slot));
        }
        long[] hashes = new long[tasks];

        int maxRows = 0;
        for (Shape s : shapes) {
            maxRows = Math.max(maxRows, s.rows());
        }
        int perEpoch = plan.stepsPerEpoch(maxRows);
        long total = (long) perEpoch * plan.epochs();
        DataLoader.Builder lb = DataLoader.builder(dataSet(rows, width)).batchSize(plan.batchPerTask()).dtype(dt);
        DataLoader loader = (plan.shuffle() ? lb.shuffle(plan.loaderSeed(rank)) : lb.noShuffle()).build();
        rows = null; // the DataSet holds its own copy
        part = null;

        long first = start.step();
        int count = (int) Math.max(0, total - first);
        Steps loop = new Steps(rank, tasks, shapes, model, optimizer, params, exchange, headers, hashes, first, count,
                perEpoch, total);
        model.train();

        if (!(transport instanceof AllGatherTransport)) { // an allGather costs a second: not worth it there
            try {
                exchange.sync();
            } catch (IOException e) {
                throw secondary(e);
            }
        }
        long g = first;
        for (int epoch = (int) (first / Math.max(1, perEpoch)); g < total; epoch++) {
            Iterator<DataLoader.Batch> batches = loader.epoch(epoch).iterator();
            int s0 = (int) (g - (long) epoch * perEpoch);
            for (int skip = 0; skip < s0 && batches.hasNext(); skip++) {
                batches.next();
            }
            for (int s = s0; s < perEpoch; s++, g++) {
                loop.step(g, s, batches);
            }
        }
        long finalChecks = 0;
        if (plan.checkReplicas() && total > first) { // the last step's result, once, through the coordinator
            String[] all = ctx.allGather(Long.toString(hash(params)));
            for (int r = 0; r < tasks; r++) {
                hashes[r] = Long.parseLong(all[r]);
            }
            checkHashes(hashes, total);
            finalChecks++;
        }
        byte[] finalState = rank == 0 ? CheckpointStore.toBytes(model, optimizer,
                new Checkpoint.State((int) (total / Math.max(1, perEpoch)), total, plan.seed())) : null;
        return new TaskResult(rank, finalState, loop.stepLoss, loop.stepCorrect, loop.stepRows, first, loop.computeNs,
                loop.exchangeNs, loop.ckptNs, exchange.messages(), exchange.bytesSent(), loop.checks + finalChecks,
                loop.lastCheckpoint, exchange.busyNanos(), threads,
                exchange.buckets(), tasks == 1 ? "none" : transportName(transport));
    }

    /** A task's rows, their feature width (-1 if none) and the first problem found in them (null if none). */
    private record Partition(List<LabeledRow> rows, int width, String problem) {}

    /**
     * Reads the partition and checks its rows. A method of its own (as the step loop, see
     * {@link Steps}): the loop over the rows gets hot and C2 compiles it by on-stack replacement;
     * inline in {@link #train} that OSR compilation took the whole method with it.
     */
    private Partition readPartition(Iterator<LabeledRow> input, int rank) {
        List<LabeledRow> rows = new ArrayList<>();
        String problem = null;
        int width = -1;
        while (input.hasNext()) {
            LabeledRow row = input.next();
            if (width < 0) {
                width = row.features().length;
            } else if (row.features().length != width && problem == null) {
                problem = "partition " + rank + " row " + rows.size() + " has " + row.features().length
                        + " features, its row 0 has " + width;
            }
            double y = row.label();
            if (problem == null && plan.classes() > 0 && (y != Math.rint(y) || y < 0 || y >= plan.classes())) {
                problem = "partition " + rank + " row " + rows.size() + " has label " + y
                        + ", expected a class index in 0.." + (plan.classes() - 1);
            }
            rows.add(row);
        }
        return new Partition(rows, width, problem);
    }

    /**
     * The step loop's per-job state, and one training step as a few small methods. The loop body
     * used to be inline in {@link #train}: C2 then compiled the whole method (setup included) by
     * on-stack replacement, mid-run, into ~180 KB of code (JFR: 1006 ms of OSR compilation plus
     * 620 ms of compiler CPU inside the measured window, on a 2-core machine where the two tasks
     * need both cores). Small methods are compiled normally, early, and each on its own.
     */
    private final class Steps {
        final int rank;
        final int tasks;
        final Shape[] shapes;
        final Layer model;
        final Optimizer optimizer;
        final List<Tensor> params;
        final GradientExchange exchange;
        final double[][] headers;
        final long[] hashes;
        final long first;
        final int perEpoch;
        final long total;
        final double[] weights;
        final CrossEntropyLoss ce = new CrossEntropyLoss();
        final MSELoss mse = new MSELoss();
        final double[] stepLoss;
        final long[] stepCorrect;
        final long[] stepRows;
        long computeNs;
        long exchangeNs;
        long ckptNs;
        long checks;
        String lastCheckpoint;

        Steps(int rank, int tasks, Shape[] shapes, Layer model, Optimizer optimizer, List<Tensor> params,
              GradientExchange exchange, double[][] headers, long[] hashes, long first, int count, int perEpoch, long total) {
            this.rank = rank;
            this.tasks = tasks;
            this.shapes = shapes;
            this.model = model;
            this.optimizer = optimizer;
            this.params = params;
            this.exchange = exchange;
            this.headers = headers;
            this.hashes = hashes;
            this.first = first;
            this.perEpoch = perEpoch;
            this.total = total;
            this.weights = new double[tasks];
            this.stepLoss = rank == 0 ? new double[count] : null;
            this.stepCorrect = rank == 0 ? new long[count] : null;
            this.stepRows = rank == 0 ? new long[count] : null;
        }

        /** Global step g (step s of its epoch): gradients, their all-reduce, the optimizer step, rank 0's records. */
        void step(long g, int s, Iterator<DataLoader.Batch> batches) throws IOException {
            if (g == plan.failStep() && rank == plan.failRank()) {
                if (plan.failHalt()) {
                    Runtime.getRuntime().halt(137); // as a killed executor: no cleanup, sockets dropped by the OS
                }
                throw new IllegalStateException(MARK + "injected failure in task " + rank + " before step " + g);
            }
            long t0 = System.nanoTime();
            int global = rowWeights(s);
            optimizer.zeroGrad();
            // the replicas' parameters before this step (after the previous one) must agree
            long before = plan.checkReplicas() ? hash(params) : 0L;
            if (plan.rowsAt(shapes[rank].rows(), s) > 0) {
                backward(batches.next(), before);
            } else {
                exchange.begin(weights, 0, 0, before);
            }
            long t1 = System.nanoTime();
            try {
                exchange.finish(headers, hashes);
            } catch (IOException e) {
                throw secondary(e);
            }
            if (plan.checkReplicas()) {
                checkHashes(hashes, g);
                checks += g > first ? 1 : 0; // the hashes compared here are those after step g - 1
            }
            long t2 = System.nanoTime();
            optimizer.step();
            long t3 = System.nanoTime();
            computeNs += (t1 - t0) + (t3 - t2);
            exchangeNs += t2 - t1;
            if (rank == 0) {
                record(g, global);
            }
        }

        /** Fills every rank's row weight for step s (the same on every task); returns the global batch. */
        private int rowWeights(int s) {
            int global = 0;
            for (int r = 0; r < tasks; r++) {
                global += plan.rowsAt(shapes[r].rows(), s);
            }
            for (int r = 0; r < tasks; r++) {
                weights[r] = (double) plan.rowsAt(shapes[r].rows(), s) / global;
            }
            return global;
        }

        /** Forward, loss and backward of this task's batch; buckets leave for the exchange as backward completes them. */
        private void backward(DataLoader.Batch b, long before) {
            Tensor out = model.forward(b.x());
            Tensor l;
            long correct = 0;
            if (plan.classes() > 0) {
                l = ce.apply(out, b.labels());
                correct = countCorrect(out, b.labels());
            } else {
                l = mse.apply(out, b.targets());
            }
            exchange.begin(weights, l.item(), correct, before);
            l.backward();
        }

        /** Rank 0: the step's global loss, correct count and rows, and the checkpoint when one is due. */
        private void record(long g, int global) throws IOException {
            int k = (int) (g - first);
            double loss = 0;
            long c = 0;
            for (int r = 0; r < tasks; r++) {
                loss += weights[r] * headers[r][0];
                c += (long) headers[r][1];
            }
            stepLoss[k] = loss;
            stepCorrect[k] = c;
            stepRows[k] = global;
            long done = g + 1;
            if (plan.store() != null && plan.checkpointEvery() > 0
                    && (done % plan.checkpointEvery() == 0 || done == total)) {
                long c0 = System.nanoTime();
                byte[] bytes = CheckpointStore.toBytes(model, optimizer,
                        new Checkpoint.State((int) (done / perEpoch), done, plan.seed()));
                lastCheckpoint = plan.store().write(done, bytes);
                ckptNs += System.nanoTime() - c0;
            }
        }
    }

    /**
     * A peer's socket closed: almost always because that peer failed first. Give Spark time to
     * receive the peer's own failure (the real cause, which aborts the stage and interrupts this
     * task) before reporting this consequence, so the job's message names the cause.
     */
    private static IOException secondary(IOException e) {
        try {
            Thread.sleep(SECONDARY_FAILURE_DELAY_MILLIS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return e;
    }

    private static void checkHashes(long[] hashes, long step) {
        for (int r = 1; r < hashes.length; r++) {
            if (hashes[r] != hashes[0]) {
                throw new IllegalStateException(MARK + "replicas diverged after step " + step + ": parameter hash of task "
                        + r + " is " + Long.toHexString(hashes[r]) + ", task 0 has " + Long.toHexString(hashes[0]));
            }
        }
    }

    private static String transportName(Transport t) {
        return t instanceof LocalTransport ? "shared memory" : t instanceof RingTransport ? "TCP ring" : "allGather";
    }

    /** The host part of a barrier task address ("host:port" or "host"). */
    private static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
    }

    /** Every task runs this on the same gathered facts, so all raise the same message. */
    private void checkShapes(Shape[] shapes) {
        List<Integer> empty = new ArrayList<>();
        for (int r = 0; r < shapes.length; r++) {
            if (shapes[r].problem() != null) {
                throw new IllegalArgumentException(MARK + "bad input: " + shapes[r].problem());
            }
            if (shapes[r].rows() == 0) {
                empty.add(r);
            }
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException(MARK + "partition(s) " + empty + " of " + shapes.length
                    + " have no rows: every barrier task needs data (repartition the input to fewer partitions)");
        }
        for (int r = 1; r < shapes.length; r++) {
            if (shapes[r].width() != shapes[0].width()) {
                throw new IllegalArgumentException(MARK + "mismatched feature widths: partition " + r + " has "
                        + shapes[r].width() + " features per row, partition 0 has " + shapes[0].width());
            }
        }
    }

    private DataSet dataSet(List<LabeledRow> rows, int width) {
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(i).features();
        }
        if (plan.classes() > 0) {
            int[] y = new int[x.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (int) rows.get(i).label();
            }
            return DataSet.classification(x, y, plan.classes());
        }
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows.get(i).label();
        }
        return DataSet.regression(x, y);
    }

    private static long countCorrect(Tensor logits, Indices labels) {
        Indices pred = logits.argmax(1);
        long c = 0;
        for (int i = 0; i < pred.numel(); i++) {
            c += pred.get(i) == labels.get(i) ? 1 : 0;
        }
        return c;
    }

    /** A 64-bit hash of every parameter's bits, in order. */
    static long hash(List<Tensor> params) {
        long h = 0xCBF29CE484222325L;
        for (Tensor p : params) {
            if (p.dtype() == DType.F32) {
                for (float v : p.toFloatArray()) {
                    h = (h ^ Float.floatToRawIntBits(v)) * 0x100000001B3L;
                }
            } else {
                for (double v : p.toDoubleArray()) {
                    h = (h ^ Double.doubleToRawLongBits(v)) * 0x100000001B3L;
                }
            }
        }
        return h;
    }
}
