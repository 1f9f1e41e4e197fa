package io.vecgrad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.Tracker;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Where VecGrad arrays keep their values: parameters and the arrays the adapter creates or copies
 * live in native memory (a heap segment next to native ones in the same vector kernels costs
 * them their fast path), and pooled storage goes back to the pool on close only when nothing
 * else can still see it (see {@link NativePool}).
 */
class VgNativeStorageTest {

    private static boolean isNative(NDArray a) {
        return ((VgNDArray) a).kernelBuffer().segment("test").isNative();
    }

    @Test
    void aCopyMadeOutsideACollectorIsNativeAndGoesBackToThePoolOnClose() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            assertTrue(isNative(a), "a created array is native");
            for (int i = 0; i < 2; i++) { // the first round may grow the pool
                NDArray d = a.duplicate();
                assertTrue(isNative(d), "a duplicate is native");
                ((VgNDArray) d).kernelBuffer(); // an update kernel's read does not pin it
                d.close();
            }
            long bytes = VgEngine.nativeBytesAllocated();
            long copies = NativePool.get().heapCopies();
            for (int i = 0; i < 10; i++) {
                NDArray d = a.duplicate();
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.toFloatArray());
                d.close();
            }
            assertEquals(bytes, VgEngine.nativeBytesAllocated(), "closed copies are reused, no new native memory");
            assertEquals(copies, NativePool.get().heapCopies(), "an unshared copy is not moved to the heap on close");
        }
    }

    @Test
    void aViewOutlivesThePooledArrayItWasTakenFrom() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray d = a.duplicate();
            NDArray view = d.reshape(6);
            long copies = NativePool.get().heapCopies();
            d.close();
            assertEquals(copies + 1, NativePool.get().heapCopies(), "the shared storage moved to a heap copy");
            // the pool hands the block out again: the view must not see the new values
            NDArray other = m.create(new float[] {-1, -1, -1, -1, -1, -1}, new Shape(2, 3));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, view.toFloatArray());
            assertArrayEquals(new float[] {-1, -1, -1, -1, -1, -1}, other.toFloatArray());
        }
    }

    @Test
    void anInputClosedBeforeBackwardStillFeedsTheGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3});
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = m.create(new float[] {4, 5, 6});
                NDArray y = w.mul(x).sum();
                x.close(); // its block may go back to the pool; the graph still needs the values
                NDArray reuse = m.create(new float[] {7, 7, 7});
                gc.backward(y);
                assertArrayEquals(new float[] {7, 7, 7}, reuse.toFloatArray());
            }
            assertArrayEquals(new float[] {4, 5, 6}, w.getGradient().toFloatArray());
        }
    }

    @Test
    void arraysAboveThePoolLimitStayOnTheHeapAndCloseCleanly() {
        long limit = NativePool.maxPooledBytes;
        NativePool.maxPooledBytes = 16;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray small = m.create(new float[] {1, 2, 3, 4});
            NDArray big = m.create(new float[] {1, 2, 3, 4, 5});
            assertTrue(isNative(small), "16 bytes: pooled");
            assertFalse(isNative(big), "20 bytes: above the limit, on the heap");
            NDArray d = big.duplicate();
            assertFalse(isNative(d));
            d.close();
            big.close();
            assertArrayEquals(new float[] {1, 2, 3, 4}, small.toFloatArray());
        } finally {
            NativePool.maxPooledBytes = limit;
        }
    }

    @Test
    void internTakesOverThePooledStorage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2});
            NDArray b = m.create(new float[] {3, 4});
            a.intern(b);
            assertTrue(b.isReleased());
            assertArrayEquals(new float[] {3, 4}, a.toFloatArray());
            NDArray c = m.create(new float[] {9, 9}); // may reuse a's old block, never b's
            assertArrayEquals(new float[] {3, 4}, a.toFloatArray());
            assertArrayEquals(new float[] {9, 9}, c.toFloatArray());
        }
    }

    @Test
    void aHeapArrayMovesToNativeMemoryWhenItStartsToRequireAGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3});
            NDArray h = a.add(a); // an untracked result: vecgrad keeps those on the heap
            assumeFalse(isNative(h), "untracked results are native already");
            h.setRequiresGradient(true);
            assertTrue(isNative(h), "a parameter lives in native memory");
            assertArrayEquals(new float[] {2, 4, 6}, h.toFloatArray());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(h.mul(h).sum());
            }
            assertArrayEquals(new float[] {4, 8, 12}, h.getGradient().toFloatArray());
        }
    }

    @Test
    @SuppressWarnings("try") // the collectors are opened for their zeroing only
    void aNewCollectorZeroesAGradientWrittenInPlaceAfterTheLastZeroing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3});
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.mul(2).sum());
            }
            assertArrayEquals(new float[] {2, 2, 2}, w.getGradient().toFloatArray());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertArrayEquals(new float[] {0, 0, 0}, w.getGradient().toFloatArray());
            }
            w.getGradient().addi(5); // an in-place write through the gradient's view
            assertArrayEquals(new float[] {5, 5, 5}, w.getGradient().toFloatArray());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertArrayEquals(new float[] {0, 0, 0}, w.getGradient().toFloatArray(),
                        "zeroed again: the storage changed since the last zeroing");
                gc.backward(w.mul(3).sum());
            }
            assertArrayEquals(new float[] {3, 3, 3}, w.getGradient().toFloatArray());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                assertArrayEquals(new float[] {0, 0, 0}, w.getGradient().toFloatArray(),
                        "zeroed again: backward accumulated into it since the last zeroing");
            }
        }
    }

    /** Sgd, checking where the gradient each update gets lives and who else can see it. */
    private static final class CheckingSgd extends Optimizer {
        private final Sgd inner;
        int updates;
        int heapGradients;

        CheckingSgd(Sgd.Builder b) {
            super(b);
            inner = b.build();
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            updates++;
            if (!isNative(grad) || !isNative(weight)) {
                heapGradients++;
            }
            inner.update(parameterId, weight, grad);
        }
    }

    /**
     * DJL's parameter server copies every gradient each step ({@code grads[0].duplicate()}) and
     * hands the copy to the optimizer: in warm steps that copy is native, comes from the pool and
     * goes back to it without a heap copy, and the step allocates no native memory. (Not asserted
     * by heap bytes: while the JIT warms up, and in kernels whose compiled code lost the Vector
     * API intrinsics, the vector kernels themselves allocate on the heap in proportion to the
     * data, which would swamp the copy.)
     */
    @Test
    void warmTrainerStepsCopyTheGradientsIntoPooledNativeMemory() {
        Engine.getEngine(VgEngine.ENGINE_NAME).setRandomSeed(3);
        CheckingSgd opt = new CheckingSgd(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f));
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), VgEngine.ENGINE_NAME);
             Model model = Model.newInstance("native", Device.cpu(), VgEngine.ENGINE_NAME)) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(64).build())
                    .add(Activation.reluBlock()).add(Linear.builder().setUnits(10).build()));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(opt))) {
                trainer.initialize(new Shape(16, 32));
                SplittableRandom r = new SplittableRandom(3);
                float[] xv = new float[16 * 32];
                for (int i = 0; i < xv.length; i++) {
                    xv[i] = (float) r.nextDouble();
                }
                float[] yv = new float[16];
                for (int i = 0; i < yv.length; i++) {
                    yv[i] = r.nextInt(10);
                }
                NDArray x = m.create(xv, new Shape(16, 32));
                NDArray y = m.create(yv, new Shape(16));
                int warm = 5;
                int measured = 20;
                long nativeBefore = 0;
                long copiesBefore = 0;
                for (int s = 0; s < warm + measured; s++) {
                    if (s == warm) {
                        nativeBefore = VgEngine.nativeBytesAllocated();
                        copiesBefore = NativePool.get().heapCopies();
                    }
                    try (NDManager batch = m.newSubManager()) {
                        x.tempAttach(batch);
                        y.tempAttach(batch);
                        try (GradientCollector c = trainer.newGradientCollector()) {
                            NDList preds = trainer.forward(new NDList(x));
                            c.backward(trainer.getLoss().evaluate(new NDList(y), preds));
                        }
                        trainer.step();
                    }
                }
                assertEquals(4 * (warm + measured), opt.updates, "4 parameters updated each step");
                assertEquals(0, opt.heapGradients, "updates that got a heap gradient or weight");
                assertEquals(copiesBefore, NativePool.get().heapCopies(),
                        "the gradient copies went back to the pool without a heap copy");
                assertEquals(nativeBefore, VgEngine.nativeBytesAllocated(), "native bytes allocated by warm steps");
            }
        }
    }
}
