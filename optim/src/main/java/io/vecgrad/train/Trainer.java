package io.vecgrad.train;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.autograd.TensorScope;
import io.vecgrad.nn.Dropout;
import io.vecgrad.nn.Loss;
import io.vecgrad.nn.Layer;
import io.vecgrad.optim.GradClip;
import io.vecgrad.optim.LrScheduler;
import io.vecgrad.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The training loop a service can embed in a few lines:
 *
 * <pre>{@code
 * Trainer<Indices> t = Trainer.builder(model, new CrossEntropyLoss(), optimizer, loader, Batch::labels)
 *         .epochs(30).evaluateOn(testSet).build();
 * List<EpochMetrics> history = t.fit();
 * }</pre>
 *
 * Each step is the canonical {@code zeroGrad, forward, loss, backward, step} (with optional
 * gradient accumulation over k batches, clipping by global norm, and a per-epoch LR schedule).
 * With a checkpoint path, the model, the optimizer state, the epoch, the step and the RNG
 * state (the run seed: the loader's order and dropout masks are derived from (seed, epoch))
 * are written atomically after every epoch; {@link #resume} continues a run so that it ends
 * with the same parameters, bit for bit, as a run that never stopped.
 *
 * @param <T> the target type the loss takes: {@link Indices} for classification, a
 *            {@link Tensor} for regression
 */
public final class Trainer<T> {
    private final Layer model;
    private final Loss<T> loss;
    private final Optimizer optimizer;
    private final DataLoader loader;
    private final Function<DataLoader.Batch, T> target;
    private final int epochs;
    private final LrScheduler scheduler;
    private final double clipNorm;
    private final int accumulate;
    private final DataSet evalSet;
    private final Path checkpoint;
    private final long seed;
    private final List<Callback> callbacks;
    private int startEpoch;
    private long step;
    /** The loader of the last {@link #evaluate} call, reused (with its batch buffers) for the same set and size. */
    private DataLoader evalLoader;
    private DataSet evalLoaderSet;

    /** Metrics of one epoch; test values are NaN without an evaluation set. */
    public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss,
                               double testAccuracy, double lr, long steps, double seconds) {}

    /** Called by the loop; all methods have empty defaults. */
    public interface Callback {
        /** After every optimizer step, with the batch loss (before the step). */
        default void onStep(long step, int epoch, int batch, double loss) {}

        /** After every epoch (after evaluation and checkpointing). */
        default void onEpochEnd(EpochMetrics metrics) {}
    }

    private Trainer(Builder<T> b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.loader = b.loader;
        this.target = b.target;
        this.epochs = b.epochs;
        this.scheduler = b.scheduler;
        this.clipNorm = b.clipNorm;
        this.accumulate = b.accumulate;
        this.evalSet = b.evalSet;
        this.checkpoint = b.checkpoint;
        this.seed = b.seed;
        this.callbacks = List.copyOf(b.callbacks);
    }

    /**
     * Starts a builder.
     *
     * @param target picks the loss target out of a batch: {@code Batch::labels} or
     *               {@code Batch::targets}
     */
    public static <T> Builder<T> builder(Layer model, Loss<T> loss, Optimizer optimizer, DataLoader loader,
                                         Function<DataLoader.Batch, T> target) {
        return new Builder<>(model, loss, optimizer, loader, target);
    }

    /** Builder with PyTorch-like defaults: 10 epochs, no schedule, no clipping, k = 1. */
    public static final class Builder<T> {
        private final Layer model;
        private final Loss<T> loss;
        private final Optimizer optimizer;
        private final DataLoader loader;
        private final Function<DataLoader.Batch, T> target;
        private int epochs = 10;
        private LrScheduler scheduler;
        private double clipNorm;
        private int accumulate = 1;
        private DataSet evalSet;
        private Path checkpoint;
        private long seed;
        private final List<Callback> callbacks = new ArrayList<>();

        private Builder(Layer model, Loss<T> loss, Optimizer optimizer, DataLoader loader,
                        Function<DataLoader.Batch, T> target) {
            this.model = Objects.requireNonNull(model, "model");
            this.loss = Objects.requireNonNull(loss, "loss");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.loader = Objects.requireNonNull(loader, "loader");
            this.target = Objects.requireNonNull(target, "target");
        }

        /** Number of epochs (>= 1). */
        public Builder<T> epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("trainer: epochs must be >= 1, got " + n);
            }
            this.epochs = n;
            return this;
        }

        /** An LR schedule stepped once per epoch. */
        public Builder<T> scheduler(LrScheduler s) {
            this.scheduler = s;
            return this;
        }

        /** Clip the global gradient norm to {@code maxNorm} before each step (0 = off). */
        public Builder<T> clipNorm(double maxNorm) {
            if (maxNorm < 0 || Double.isNaN(maxNorm)) {
                throw new IllegalArgumentException("trainer: clip norm must be >= 0, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /** Accumulate gradients over {@code k} batches (each loss scaled by 1/k) per step. */
        public Builder<T> accumulate(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("trainer: accumulation must be >= 1 batch, got " + k);
            }
            this.accumulate = k;
            return this;
        }

        /** Evaluate loss and accuracy on this set after every epoch. */
        public Builder<T> evaluateOn(DataSet set) {
            this.evalSet = set;
            return this;
        }

        /** Write a checkpoint to this file after every epoch. */
        public Builder<T> checkpoint(Path file) {
            this.checkpoint = file;
            return this;
        }

        /** The run seed from which dropout masks are derived per epoch (the loader has its own). */
        public Builder<T> seed(long s) {
            this.seed = s;
            return this;
        }

        /** Adds a callback. */
        public Builder<T> callback(Callback c) {
            callbacks.add(Objects.requireNonNull(c, "callback"));
            return this;
        }

        /** The trainer. */
        public Trainer<T> build() {
            return new Trainer<>(this);
        }
    }

    /** Restores model, optimizer, schedule and position from a checkpoint file written by this loop. */
    public Trainer<T> resume(Path file) throws IOException {
        Checkpoint.State s = Checkpoint.load(file, model, optimizer);
        startEpoch = s.epoch();
        step = s.step();
        if (s.seed() != seed) {
            throw new IllegalStateException("resume: checkpoint " + file + " was written with seed " + s.seed()
                    + ", this run has seed " + seed);
        }
        if (scheduler != null) {
            scheduler.setLastEpoch(s.epoch());
        }
        return this;
    }

    /** The epoch the next {@link #fit} starts at (0, or the resumed epoch). */
    public int startEpoch() {
        return startEpoch;
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return step;
    }

    /** Runs the remaining epochs and returns their metrics. */
    public List<EpochMetrics> fit() throws IOException {
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            model.train();
            reseedDropout(model, seed, epoch);
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            int batchIndex = 0;
            int pending = 0;
            optimizer.zeroGrad();
            for (DataLoader.Batch batch : loader.epoch(epoch)) {
                Tensor out = model.forward(batch.x());
                if (batch.labels() != null && out.ndim() == 2) {
                    correct += countCorrect(out, batch.labels());
                }
                Tensor l = loss.apply(out, target.apply(batch));
                double lv = l.item();
                if (accumulate > 1) {
                    l = l.mul(1.0 / accumulate);
                }
                l.backward();
                lossSum += lv * batch.size();
                seen += batch.size();
                pending++;
                if (pending == accumulate) {
                    stepOnce();
                    pending = 0;
                    for (Callback c : callbacks) {
                        c.onStep(step, epoch, batchIndex, lv);
                    }
                }
                batchIndex++;
            }
            if (pending > 0) { // the last, partial accumulation still updates
                stepOnce();
            }
            if (scheduler != null) {
                scheduler.step();
            }
            double testLoss = Double.NaN;
            double testAcc = Double.NaN;
            if (evalSet != null) {
                Evaluation e = evaluate(evalSet, loader.batchSize());
                testLoss = e.loss();
                testAcc = e.accuracy();
            }
            EpochMetrics m = new EpochMetrics(epoch + 1, lossSum / Math.max(1, seen),
                    loader.data().task() == DataSet.Task.CLASSIFICATION ? (double) correct / Math.max(1, seen) : Double.NaN,
                    testLoss, testAcc, optimizer.lr(), step, (System.nanoTime() - t0) / 1e9);
            history.add(m);
            if (checkpoint != null) {
                Checkpoint.save(checkpoint, model, optimizer, new Checkpoint.State(epoch + 1, step, seed));
            }
            for (Callback c : callbacks) {
                c.onEpochEnd(m);
            }
        }
        return history;
    }

    private void stepOnce() {
        if (clipNorm > 0) {
            GradClip.clipNorm(optimizer.params(), clipNorm);
        }
        optimizer.step();
        optimizer.zeroGrad();
        step++;
    }

    /**
     * The result of {@link #evaluate}: mean loss, and accuracy (NaN for regression).
     *
     * @param loss     the mean loss over the rows
     * @param accuracy the fraction of rows classified right, NaN for regression
     * @param rows     the number of rows evaluated
     */
    public record Evaluation(double loss, double accuracy, int rows) {}

    /**
     * Mean loss and accuracy (NaN for regression) over a data set, in eval mode and without
     * recording; restores the previous training mode.
     */
    public Evaluation evaluate(DataSet set, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        if (evalLoader == null || evalLoaderSet != set || evalLoader.batchSize() != batchSize) {
            evalLoader = DataLoader.builder(set).batchSize(batchSize).dtype(loader.dtype()).build();
            evalLoaderSet = set;
        }
        DataLoader l = evalLoader;
        double lossSum = 0;
        long correct = 0;
        try (var _ = Tensor.noGrad()) {
            for (DataLoader.Batch b : l.epoch(0)) {
                // A scope per batch: the forward's results come from this thread's native pool and
                // go back to it, instead of GC-managed heap arrays. Besides the memory, that keeps
                // heap segments out of the kernels: the JDK's segment-access code keeps one type
                // profile for all callers, and one heap segment in it makes C2 recompile every
                // kernel with both access paths (measured: 3-5 s more C2 time in a default train).
                try (TensorScope _ = Tensor.scope()) {
                    Tensor out = model.forward(b.x());
                    lossSum += loss.apply(out, target.apply(b)).item() * b.size();
                    if (b.labels() != null) {
                        correct += countCorrect(out, b.labels());
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        double acc = set.task() == DataSet.Task.CLASSIFICATION ? (double) correct / set.size() : Double.NaN;
        return new Evaluation(lossSum / set.size(), acc, set.size());
    }

    private static int countCorrect(Tensor logits, Indices labels) {
        Indices pred = logits.argmax(1);
        int c = 0;
        for (int i = 0; i < pred.numel(); i++) {
            c += pred.get(i) == labels.get(i) ? 1 : 0;
        }
        return c;
    }

    /** Gives every Dropout a generator derived from (seed, epoch, its position). */
    static void reseedDropout(Layer m, long seed, int epoch) {
        int[] counter = {0};
        reseed(m, seed, epoch, counter);
    }

    private static void reseed(Layer m, long seed, int epoch, int[] counter) {
        if (m instanceof Dropout d) {
            d.reseed(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + counter[0]++);
        }
        for (Layer c : m.children()) {
            reseed(c, seed, epoch, counter);
        }
    }
}
