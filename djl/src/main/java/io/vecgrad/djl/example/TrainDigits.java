package io.vecgrad.djl.example;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.vecgrad.train.DataSet;
import java.io.IOException;
import java.io.InputStream;

/**
 * DJL's own {@link Trainer} training an MLP (or a small CNN) on vecgrad's bundled 8x8 digits,
 * on whichever DJL engine is the default: VecGrad when this module is the only engine, PyTorch
 * with {@code -Dai.djl.default_engine=PyTorch} and its jars on the classpath. Nothing here is
 * VecGrad-specific: it is plain DJL code.
 *
 * <pre>./vecgrad djl-train [mlp|cnn] [EPOCHS]</pre>
 */
public final class TrainDigits {
    private TrainDigits() {}

    /**
     * Trains and prints the engine, per-epoch loss/accuracy and the held-out test accuracy.
     *
     * @param args {@code [mlp|cnn] [epochs]} (default mlp, 10)
     * @throws Exception on a data or DJL error
     */
    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "mlp";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        float acc = train(kind, epochs, true);
        System.out.printf("test accuracy: %.4f%n", acc);
    }

    /**
     * Trains the model on 80% of the digits and returns the accuracy on the other 20%.
     *
     * @param kind "mlp" (64-256-256-10) or "cnn" (conv 16 3x3, max-pool 2, dense 10)
     * @throws IllegalArgumentException for an unknown kind
     */
    public static float train(String kind, int epochs, boolean verbose) throws IOException {
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(42);
        DataSet.Split split;
        try (InputStream in = io.vecgrad.train.Datasets.open("digits.csv.gz")) {
            split = DataSet.readCsv(in, "digits.csv.gz", DataSet.Task.CLASSIFICATION, 10).scaleFeatures(1.0 / 16)
                    .split(0.2, 7);
        }
        boolean cnn = switch (kind) {
            case "mlp" -> false;
            case "cnn" -> true;
            default -> throw new IllegalArgumentException("model must be mlp or cnn, got " + kind);
        };
        Shape sample = cnn ? new Shape(1, 8, 8) : new Shape(64);
        try (Model model = Model.newInstance("digits-" + kind); NDManager m = NDManager.newBaseManager()) {
            model.setBlock(cnn ? cnn() : mlp());
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.005f)).build())
                    .addEvaluator(new Accuracy());
            if (verbose) {
                System.out.println("engine: " + engine.getEngineName() + " " + engine.getVersion() + ", model: " + kind);
            }
            ArrayDataset train = dataset(m, split.train(), sample, 32, true);
            ArrayDataset test = dataset(m, split.test(), sample, split.test().size(), false);
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(1).addAll(sample));
                long t0 = System.nanoTime();
                EasyTrain.fit(trainer, epochs, train, null);
                if (verbose) {
                    System.out.printf("trained %d epochs in %.1f s: %s%n", epochs, (System.nanoTime() - t0) / 1e9,
                            trainer.getTrainingResult());
                }
                Batch b = trainer.iterateDataset(test).iterator().next();
                NDArray pred = trainer.evaluate(b.getData()).singletonOrThrow().argMax(1);
                NDArray lab = b.getLabels().singletonOrThrow().toType(DataType.INT64, false);
                float acc = pred.eq(lab).sum().getLong() / (float) split.test().size();
                b.close();
                return acc;
            } catch (ai.djl.translate.TranslateException e) {
                throw new IOException(e);
            }
        }
    }

    static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(256).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    static Block cnn() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    static ArrayDataset dataset(NDManager m, DataSet d, Shape sample, int batch, boolean shuffle) {
        float[] x = new float[d.size() * d.features()];
        float[] y = new float[d.size()];
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < d.features(); j++) {
                x[i * d.features() + j] = (float) d.feature(i, j);
            }
            y[i] = (float) d.target(i);
        }
        return new ArrayDataset.Builder()
                .setData(m.create(x, new Shape(d.size()).addAll(sample)))
                .optLabels(m.create(y, new Shape(d.size())))
                .setSampling(batch, shuffle)
                .build();
    }
}
