package io.vecgrad.train;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.Sequential;
import io.vecgrad.nn.Tanh;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link CheckpointCrashTest}: resumes from {@code <dir>/checkpoint.safetensors}
 * if it exists, then trains a small MLP forever, checkpointing after every step, until killed.
 * Training is deterministic in the step number, so any checkpoint can be compared bit for bit
 * with an uninterrupted run.
 */
public final class CrashChild {
    private CrashChild() {}

    static final long SEED = 77;

    /** A fresh model, its optimizer and the fixed batch. */
    record Run(Layer model, Optimizer optimizer, Tensor x, Indices y) {
        /** One deterministic training step. */
        void step() {
            optimizer.zeroGrad();
            new CrossEntropyLoss().apply(model.forward(x), y).backward();
            optimizer.step();
        }
    }

    static Run fresh() {
        SplittableRandom r = new SplittableRandom(SEED);
        Layer m = new Sequential(new Linear(8, 32, true, r, DType.F32), new Tanh(), new Linear(32, 4, true, r, DType.F32));
        Optimizer o = Adam.builder(m.parameters()).lr(0.01).build();
        Tensor x = Tensor.randn(r, DType.F32, 16, 8);
        long[] l = new long[16];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextInt(4);
        }
        return new Run(m, o, x, Indices.of(l, 16));
    }

    /** {@code CrashChild DIR}: prints "ready" after its first checkpoint, then keeps going. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).resolve("checkpoint.safetensors");
        Run run = fresh();
        long step = 0;
        if (Files.exists(file)) {
            step = Checkpoint.load(file, run.model(), run.optimizer()).step();
        }
        boolean told = false;
        while (true) {
            run.step();
            step++;
            Checkpoint.save(file, run.model(), run.optimizer(), new Checkpoint.State(0, step, SEED));
            if (!told) {
                System.out.println("ready " + step);
                System.out.flush();
                told = true;
            }
        }
    }
}
