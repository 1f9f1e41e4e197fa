package io.vecgrad.bench.train;

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
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.vecgrad.bench.ForkArgs;
import io.vecgrad.djl.VgEngine;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One DJL {@link Trainer} step of the 784-256-256-10 ReLU MLP, batch 64, softmax cross-entropy,
 * SGD (lr 0.01, momentum 0.9), on one thread:
 * <ul>
 *   <li>{@code vecgrad-direct}: the same step written on vecgrad ({@link TrainStepBench}'s
 *       {@code mlp784-b64-sgd}: zeroGrad, forward, loss, backward, step);</li>
 *   <li>{@code djl-VecGrad}: DJL's Trainer on the VecGrad engine ({@code io.vecgrad.djl});</li>
 *   <li>{@code djl-PyTorch}: DJL's Trainer on its PyTorch engine (libtorch 2.7.1 CPU from
 *       {@code pytorch-native-cpu}, one intra-op and one inter-op thread, checked in setup).</li>
 * </ul>
 * A DJL step is what {@code EasyTrain.trainBatch} plus {@code trainer.step()} do for one batch
 * on one device: a gradient collector around forward, loss and backward, the optimizer step, and
 * the batch's arrays closed with their manager (the batch arrays are attached to a per-step
 * sub-manager, as a {@code Batch} is). Inputs are fixed random data (seed 1). Only compiled with
 * {@code -Pdjl}. The {@code nativeBytes} secondary result counts vecgrad's native allocations
 * during the measured steps (expected 0 for both vecgrad rows).
 *
 * <p>Steady state: 25 one-second warm-up iterations, then 10 measured, in 2 forks per row. The
 * vecgrad rows need 1000-3000 steps (3-8 s on a quiet machine) before the JIT has compiled every
 * vector kernel with its intrinsics, and a fork can settle in a faster or slower compiled state,
 * hence two forks; with the old 5 × 1 s warm-up the DJL row was measured mid-JIT, and with 15 × 1 s one
 * fork of it was still settling (2026-12-02). The first
 * steps, which JMH's average hides, are what {@link DjlWarmupCurve} shows.
 *
 * <p>Run: {@code java -cp $(bench -Pdjl classpath) org.openjdk.jmh.Main DjlTrainStepBench}, the
 * PyTorch row under {@code env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 25, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE, "-Dvecgrad.threads=1",
        "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"})
public class DjlTrainStepBench {
    @Param({"vecgrad-direct", "djl-VecGrad", "djl-PyTorch"})
    public String impl;

    private static final int BATCH = 64;

    private TrainStepBench.Step direct;
    private NDManager manager;
    private Model model;
    private Trainer trainer;
    private NDArray x;
    private NDArray y;

    @Setup(Level.Trial)
    public void setup() {
        if (impl.equals("vecgrad-direct")) {
            direct = TrainStepBench.Step.of("mlp784-b64-sgd");
            return;
        }
        if (!impl.startsWith("djl-")) {
            throw new IllegalArgumentException("impl must be vecgrad-direct, djl-VecGrad or djl-PyTorch, got " + impl);
        }
        String engine = impl.substring(4);
        Engine e = Engine.getEngine(engine);
        e.setRandomSeed(1);
        if (engine.equals("PyTorch")) {
            int intra = JniUtils.getNumThreads();
            int inter = JniUtils.getNumInteropThreads();
            if (intra != 1 || inter != 1) {
                throw new IllegalStateException("torch must run single-threaded, got intra-op " + intra
                        + ", inter-op " + inter);
            }
        }
        System.out.println("# DJL engine " + e.getEngineName() + " " + e.getVersion());
        manager = NDManager.newBaseManager(Device.cpu(), engine);
        model = Model.newInstance("mlp784", Device.cpu(), engine);
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build()));
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build())
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(BATCH, 784));
        SplittableRandom r = new SplittableRandom(1);
        float[] xv = new float[BATCH * 784];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = (float) r.nextDouble();
        }
        float[] yv = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            yv[i] = r.nextInt(10);
        }
        x = manager.create(xv, new Shape(BATCH, 784));
        y = manager.create(yv, new Shape(BATCH));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (trainer != null) {
            trainer.close();
            model.close();
            manager.close();
        }
    }

    /** New native bytes counted by vecgrad during the measured steps (0 in steady state). */
    @State(Scope.Thread)
    @org.openjdk.jmh.annotations.AuxCounters(org.openjdk.jmh.annotations.AuxCounters.Type.EVENTS)
    public static class NativeBytes {
        public long nativeBytes;

        @Setup(Level.Iteration)
        public void reset() {
            nativeBytes = 0;
        }
    }

    @Benchmark
    public double step(NativeBytes counter) {
        long before = VgEngine.nativeBytesAllocated();
        double v = direct != null ? direct.run() : djlStep();
        counter.nativeBytes += VgEngine.nativeBytesAllocated() - before;
        return v;
    }

    private double djlStep() {
        try (NDManager batch = manager.newSubManager()) {
            x.tempAttach(batch);
            y.tempAttach(batch);
            NDArray l;
            try (GradientCollector c = trainer.newGradientCollector()) {
                NDList preds = trainer.forward(new NDList(x));
                l = trainer.getLoss().evaluate(new NDList(y), preds);
                c.backward(l);
            }
            // read after the collector closed, as EasyTrain's listeners do: on VecGrad, indexing the
            // loss while the collector still records leaves one 64-byte pool block per step behind
            float loss = l.getFloat();
            trainer.step();
            return loss;
        }
    }
}
