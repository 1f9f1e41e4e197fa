package io.vecgrad.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.vecgrad.train.DataSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL's own Trainer trains an MLP on the bundled 8x8 digits with the VecGrad engine, and the
 * trained parameters survive DJL's Model save/load.
 */
class VgTrainerTest {

    static DataSet.Split digits() throws IOException {
        try (InputStream in = DataSet.class.getResourceAsStream("digits.csv.gz")) {
            return DataSet.readCsv(in, "digits.csv.gz", DataSet.Task.CLASSIFICATION, 10).scaleFeatures(1.0 / 16)
                    .split(0.2, 7);
        }
    }

    static ArrayDataset toDjl(NDManager m, DataSet d, int batch, boolean shuffle) {
        float[] x = new float[d.size() * d.features()];
        float[] y = new float[d.size()];
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < d.features(); j++) {
                x[i * d.features() + j] = (float) d.feature(i, j);
            }
            y[i] = (float) d.target(i);
        }
        return new ArrayDataset.Builder()
                .setData(m.create(x, new Shape(d.size(), d.features())))
                .optLabels(m.create(y, new Shape(d.size())))
                .setSampling(batch, shuffle)
                .build();
    }

    static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(64).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    static float accuracy(Model model, NDManager m, DataSet test) {
        ArrayDataset ds = toDjl(m, test, test.size(), false);
        try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
            Batch b = t.iterateDataset(ds).iterator().next();
            NDArray pred = t.evaluate(b.getData()).singletonOrThrow().argMax(1);
            NDArray lab = b.getLabels().singletonOrThrow().toType(ai.djl.ndarray.types.DataType.INT64, false);
            float acc = pred.eq(lab).sum().getLong() / (float) test.size();
            b.close();
            return acc;
        } catch (IOException | TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void trainerLearnsDigitsAndTheModelSavesAndLoads(@TempDir Path dir) throws Exception {
        ai.djl.engine.Engine.getInstance().setRandomSeed(1234);
        DataSet.Split split = digits();
        try (Model model = Model.newInstance("mlp"); NDManager m = NDManager.newBaseManager()) {
            model.setBlock(mlp());
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())
                    .addEvaluator(new Accuracy());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(1, 64));
                EasyTrain.fit(trainer, 5, toDjl(m, split.train(), 32, true), null);
            }
            float acc = accuracy(model, m, split.test());
            System.out.println("VgTrainerTest: test accuracy after 5 epochs = " + acc);
            assertTrue(acc > 0.9f, "test accuracy " + acc + " <= 0.9");

            model.save(dir, "mlp");
            assertTrue(Files.exists(dir.resolve("mlp-0000.params")), "no parameter file written");
            try (Model loaded = Model.newInstance("mlp")) {
                loaded.setBlock(mlp());
                loaded.load(dir, "mlp");
                float again = accuracy(loaded, m, split.test());
                assertTrue(Math.abs(again - acc) < 1e-6, "loaded model accuracy " + again + " != " + acc);
            }
        }
    }

    @Test
    void everyOptimizerLowersTheLoss() throws Exception {
        DataSet.Split split = digits();
        Optimizer[] opts = {
            Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build(),
            Optimizer.nag().setLearningRateTracker(Tracker.fixed(0.1f)).setMomentum(0.9f).build(),
            Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build(),
            Optimizer.adagrad().optLearningRateTracker(Tracker.fixed(0.1f)).build(),
            Optimizer.rmsprop().optLearningRateTracker(Tracker.fixed(0.005f)).build(),
            Optimizer.adadelta().build(),
        };
        for (Optimizer opt : opts) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(99);
            try (Model model = Model.newInstance("mlp"); NDManager m = NDManager.newBaseManager()) {
                model.setBlock(mlp());
                DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(opt);
                try (Trainer trainer = model.newTrainer(cfg)) {
                    trainer.initialize(new Shape(1, 64));
                    ArrayDataset ds = toDjl(m, split.train().rows(0, 640), 64, false);
                    float first = 0;
                    float last = 0;
                    for (int epoch = 0; epoch < 2; epoch++) {
                        float sum = 0;
                        int n = 0;
                        for (Batch b : trainer.iterateDataset(ds)) {
                            EasyTrain.trainBatch(trainer, b);
                            trainer.step();
                            sum += lossOf(trainer, b);
                            n++;
                            b.close();
                        }
                        if (epoch == 0) {
                            first = sum / n;
                        }
                        last = sum / n;
                    }
                    System.out.println("VgTrainerTest: " + opt.getClass().getSimpleName() + " loss " + first + " -> "
                            + last);
                    assertTrue(last < first, opt.getClass().getSimpleName() + ": loss " + first + " -> " + last);
                }
            }
        }
    }

    private static float lossOf(Trainer trainer, Batch b) {
        NDList pred = trainer.evaluate(b.getData());
        return trainer.getLoss().evaluate(b.getLabels(), pred).getFloat();
    }
}
