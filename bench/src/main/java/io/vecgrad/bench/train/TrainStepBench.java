package io.vecgrad.bench.train;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.MSELoss;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.nn.Tanh;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.SGD;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole training step ({@code zeroGrad, forward, loss, backward, step}) on one engine thread:
 * <ul>
 *   <li>{@code mlp784}: 784-256-256-10 ReLU, cross-entropy, batch 64 or 256, SGD (momentum 0.9)
 *       or Adam;</li>
 *   <li>{@code tiny}: 2-16-16-1 tanh, MSE, batch 32, SGD;</li>
 *   <li>{@code digits}: the default {@code ./vecgrad train} model, 64-128-64-10 ReLU,
 *       cross-entropy, batch 32, Adam.</li>
 * </ul>
 * Inputs are fixed random data (seed 1), so every step does the same work. Heap bytes per step
 * come from {@code -prof gc}; {@link TrainStep2ThreadsBench} runs the batch-256 MLP on two
 * threads. The same steps in PyTorch are in {@code bench/peers/torch_peers.py}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dvecgrad.threads=1"})
public class TrainStepBench {
    @Param({"mlp784-b64-sgd", "mlp784-b64-adam", "mlp784-b256-sgd", "mlp784-b256-adam", "tiny-b32-sgd",
            "digits-b32-adam"})
    public String model;

    private Step step;

    @Setup
    public void setup() {
        step = Step.of(model);
    }

    /**
     * New native bytes (graph pool + engine storage) during the measured steps: reported as
     * the {@code nativeBytes} secondary result, expected 0 in steady state.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class NativeBytes {
        public long nativeBytes;

        @Setup(org.openjdk.jmh.annotations.Level.Iteration)
        public void reset() {
            nativeBytes = 0;
        }
    }

    @Benchmark
    public double step(NativeBytes counter) {
        long before = Tensor.nativeBytesAllocated();
        double v = step.run();
        counter.nativeBytes += Tensor.nativeBytesAllocated() - before;
        return v;
    }

    /** One configured training step (shared with {@link TrainStep2ThreadsBench}). */
    static final class Step {
        private final Layer net;
        private final Optimizer opt;
        private final Tensor x;
        private final Indices labels;
        private final Tensor targets;

        private Step(Layer net, Optimizer opt, Tensor x, Indices labels, Tensor targets) {
            this.net = net;
            this.opt = opt;
            this.x = x;
            this.labels = labels;
            this.targets = targets;
        }

        static Step of(String name) {
            String[] p = name.split("-");
            int batch = Integer.parseInt(p[1].substring(1));
            SplittableRandom r = new SplittableRandom(1);
            Layer net = switch (p[0]) {
                case "mlp784" -> new Sequential(new Linear(784, 256, true, r, DType.F32), new ReLU(),
                        new Linear(256, 256, true, r, DType.F32), new ReLU(), new Linear(256, 10, true, r, DType.F32));
                case "tiny" -> new Sequential(new Linear(2, 16, true, r, DType.F32), new Tanh(),
                        new Linear(16, 16, true, r, DType.F32), new Tanh(), new Linear(16, 1, true, r, DType.F32));
                case "digits" -> new Sequential(new Linear(64, 128, true, r, DType.F32), new ReLU(),
                        new Linear(128, 64, true, r, DType.F32), new ReLU(), new Linear(64, 10, true, r, DType.F32));
                default -> throw new IllegalArgumentException("unknown model " + name);
            };
            int in = p[0].equals("mlp784") ? 784 : p[0].equals("tiny") ? 2 : 64;
            Optimizer opt = p[2].equals("adam") ? Adam.builder(net.parameters()).lr(1e-3).build()
                    : SGD.builder(net.parameters()).lr(0.01).momentum(p[0].equals("tiny") ? 0 : 0.9).build();
            Tensor x = Tensor.rand(r, DType.F32, batch, in);
            if (p[0].equals("tiny")) {
                return new Step(net, opt, x, null, Tensor.randn(r, DType.F32, batch, 1));
            }
            long[] l = new long[batch];
            for (int i = 0; i < batch; i++) {
                l[i] = r.nextInt(10);
            }
            return new Step(net, opt, x, Indices.of(l, batch), null);
        }

        private final CrossEntropyLoss ce = new CrossEntropyLoss();
        private final MSELoss mse = new MSELoss();

        double run() {
            opt.zeroGrad();
            Tensor out = net.forward(x);
            Tensor loss = labels != null ? ce.apply(out, labels) : mse.apply(out, targets);
            loss.backward();
            opt.step();
            return loss.item();
        }
    }
}
