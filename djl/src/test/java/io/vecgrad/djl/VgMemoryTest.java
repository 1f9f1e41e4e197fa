package io.vecgrad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.Blocks;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Iterator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DJL's memory contract on VecGrad: arrays are released when their manager closes, so warm
 * {@link Trainer} steps (forward, loss, backward, evaluators reading the predictions after
 * backward, optimizer step, batch closed) allocate no new native memory, counted by
 * {@link VgEngine#nativeBytesAllocated()} (vecgrad's buffer pool and engine storage plus the
 * adapter's own pools).
 */
class VgMemoryTest {

    private static ArrayDataset data(NDManager m, int rows, int features, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * features];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(10);
        }
        return new ArrayDataset.Builder().setData(m.create(x, new Shape(rows, features)))
                .optLabels(m.create(y, new Shape(rows))).setSampling(batch, false).build();
    }

    /** Native bytes allocated over {@code measured} Trainer steps after {@code warm} ones. */
    private static long nativeBytesOverSteps(String name, SequentialBlock block, Shape input, int features, int warm,
                                             int measured) throws IOException, TranslateException {
        ai.djl.engine.Engine.getInstance().setRandomSeed(5);
        try (Model model = Model.newInstance("memory"); NDManager m = NDManager.newBaseManager()) {
            model.setBlock(block);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .addEvaluator(new Accuracy())
                    // updates the evaluators from the predictions after backward, as DJL's defaults do
                    .addTrainingListeners(new EvaluatorTrainingListener());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(input);
                ArrayDataset ds = data(m, 32 * 8, features, 32, 3);
                long before = 0;
                int step = 0;
                while (step < warm + measured) {
                    Iterator<Batch> it = trainer.iterateDataset(ds).iterator();
                    while (it.hasNext() && step < warm + measured) {
                        if (step == warm) {
                            before = VgEngine.nativeBytesAllocated();
                        }
                        try (Batch b = it.next()) {
                            EasyTrain.trainBatch(trainer, b); // evaluators read the predictions after backward
                            trainer.step();
                        }
                        if (step == warm + measured - 1) {
                            float acc = trainer.getEvaluators().get(0).getAccumulator(EvaluatorTrainingListener.TRAIN_ALL);
                            assertTrue(acc > 0, "the Accuracy evaluator read the predictions: " + acc);
                        }
                        step++;
                    }
                }
                long grown = VgEngine.nativeBytesAllocated() - before;
                System.out.printf("VgMemoryTest: %s: %d B native over %d warm Trainer steps%n", name, grown, measured);
                return grown;
            }
        }
    }

    @Test
    void warmMlpTrainerStepsAllocateNoNativeMemory() throws Exception {
        SequentialBlock mlp = new SequentialBlock()
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
        assertEquals(0, nativeBytesOverSteps("mlp", mlp, new Shape(1, 64), 64, 20, 120),
                "native bytes allocated by warm DJL Trainer steps of an MLP");
    }

    @Test
    void warmCnnTrainerStepsAllocateNoNativeMemory() throws Exception {
        SequentialBlock cnn = new SequentialBlock()
                .add(a -> new NDList(a.singletonOrThrow().reshape(-1, 1, 8, 8))) // data comes flat
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
        assertEquals(0, nativeBytesOverSteps("cnn", cnn, new Shape(1, 64), 64, 20, 60),
                "native bytes allocated by warm DJL Trainer steps of a CNN with batch norm");
    }

    @Test
    void predictionsStayReadableAfterTheLossIsClosedAndTheGraphIsReleasedWithTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.ones(new Shape(3, 2));
            w.setRequiresGradient(true);
            NDArray pred;
            NDArray hidden;
            try (NDManager batch = m.newSubManager(); GradientCollector c =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray x = batch.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
                hidden = x.matMul(w);
                pred = hidden.mul(2);
                pred.attach(m); // kept beyond the batch
                NDArray loss = pred.sum();
                c.backward(loss);
                loss.close(); // releases the graph; pred is open, so it keeps its values
                assertTrue(!hidden.isReleased());
            }
            assertTrue(hidden.isReleased(), "closing the batch manager closes its arrays");
            assertEquals(12f, pred.getFloat(0, 0), 0f);
            assertEquals(30f, pred.getFloat(1, 1), 0f);
            assertEquals(2 * (1 + 4), w.getGradient().getFloat(0, 0), 0f);
            assertThrows(IllegalStateException.class, hidden::toFloatArray);
        }
    }
}
