package io.vecgrad.train;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches of a {@link DataSet}: batch size, seeded shuffling, optional dropping of the
 * last incomplete batch.
 *
 * <p>The order of epoch {@code e} depends only on {@code (seed, e)}, so a run resumed at epoch
 * {@code e} sees exactly the batches an uninterrupted run would. The feature tensor of a batch
 * is <b>reused</b> by the next batch of the same size (no allocation per step): copy it if you
 * keep it across iterations.
 */
public final class DataLoader {
    private final DataSet data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final DType dtype;
    private Tensor fullX;
    private Tensor lastX;
    private final double[] stage;

    /** One batch: features {@code [b, F]} and either class labels or targets {@code [b, 1]}. */
    public record Batch(Tensor x, Indices labels, Tensor targets, int size) {}

    /**
     * A builder, the readable way to configure a loader:
     * {@code DataLoader.builder(train).batchSize(32).shuffle(42).dtype(DType.F32).build()}.
     * Defaults: batch size 32, no shuffling, keep the last partial batch, f32.
     */
    public static Builder builder(DataSet data) {
        return new Builder(data);
    }

    /** Options of a {@link DataLoader}; see {@link DataLoader#builder}. */
    public static final class Builder {
        private final DataSet data;
        private int batchSize = 32;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private DType dtype = DType.F32;

        private Builder(DataSet data) {
            this.data = java.util.Objects.requireNonNull(data, "data");
        }

        /** Rows per batch (>= 1; checked by {@link #build}). */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** Reshuffle every epoch with a generator seeded by {@code (seed, epoch)}. */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Keep the data set's row order (the default). */
        public Builder noShuffle() {
            this.shuffle = false;
            return this;
        }

        /** Skip the final batch when it has fewer than the batch size rows. */
        public Builder dropLast(boolean drop) {
            this.dropLast = drop;
            return this;
        }

        /** Element type of the batch tensors. */
        public Builder dtype(DType t) {
            this.dtype = java.util.Objects.requireNonNull(t, "dtype");
            return this;
        }

        /**
         * The loader.
         *
         * @throws IllegalArgumentException if the batch size is below 1
         */
        public DataLoader build() {
            return new DataLoader(data, batchSize, shuffle, seed, dropLast, dtype);
        }
    }

    /** Through {@link #builder} only: three positional booleans and a seed read badly at call sites. */
    private DataLoader(DataSet data, int batchSize, boolean shuffle, long seed, boolean dropLast, DType dtype) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("DataLoader: batch size must be >= 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
        this.dtype = dtype;
        this.stage = dtype == DType.F32 ? null : new double[batchSize * data.features()];
    }

    /** The data set. */
    public DataSet data() {
        return data;
    }

    /** Element type of the batch tensors. */
    public DType dtype() {
        return dtype;
    }

    /** Rows per full batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The row order of epoch {@code epoch} (0-based). */
    public int[] order(int epoch) {
        if (!shuffle) {
            int[] p = new int[data.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = i;
            }
            return p;
        }
        return DataSet.permutation(data.size(), new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (epoch + 1)));
    }

    /** The batches of epoch {@code epoch}. */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        return () -> new Iterator<>() {
            private int next;
            private final int count = batchesPerEpoch();

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next * batchSize;
                int to = Math.min(from + batchSize, order.length);
                next++;
                return batch(order, from, to);
            }
        };
    }

    private Batch batch(int[] order, int from, int to) {
        int b = to - from;
        int f = data.features();
        double[] y = data.rawTargets();
        Tensor xt = b == batchSize ? (fullX != null ? fullX : (fullX = Tensor.zeros(dtype, b, f)))
                : (lastX != null && lastX.dim(0) == b ? lastX : (lastX = Tensor.zeros(dtype, b, f)));
        Buffer buf = xt.buffer();
        if (dtype == DType.F32) {
            buf.copyRowsFrom(data.rawFeaturesF32(), f, order, from);
        } else {
            double[] x = data.rawFeatures();
            double[] stage = b == batchSize ? this.stage : new double[b * f];
            for (int i = 0; i < b; i++) {
                System.arraycopy(x, order[from + i] * f, stage, i * f, f);
            }
            buf.copyFrom(stage);
        }
        if (data.task() == DataSet.Task.CLASSIFICATION) {
            long[] l = new long[b];
            for (int i = 0; i < b; i++) {
                l[i] = (long) y[order[from + i]];
            }
            return new Batch(xt, Indices.of(l, b), null, b);
        }
        double[] t = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = y[order[from + i]];
        }
        return new Batch(xt, null, Tensor.fromArray(dtype, t, b, 1), b);
    }
}
