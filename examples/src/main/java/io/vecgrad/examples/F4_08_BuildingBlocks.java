package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Init;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.MSELoss;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * F4-08 "Aligning concepts and code": nn.Linear, nn.ReLU, nn.Sequential, nn.MSELoss,
 * nn.CrossEntropyLoss, optim.SGD and optim.Adam, each checked against the formula it stands for.
 */
final class F4_08_BuildingBlocks extends BaseExample {
    F4_08_BuildingBlocks() {
        super("f4-08-building-blocks", "004",
                "Linear, ReLU, Sequential, MSELoss, CrossEntropyLoss, SGD and Adam, each equal to its formula");
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        // a 3 -> 2 -> 2 network with weights we choose, so every number can be checked by hand
        Linear l1 = new Linear(3, 2, true, new SplittableRandom(0), F64);
        Linear l2 = new Linear(2, 2, true, new SplittableRandom(1), F64);
        try (var _ = Tensor.noGrad()) {
            l1.weight().copy_(Tensor.fromArray(F64, new double[] {1, -1, 0, 0.5, 0.5, 0.5}, 2, 3));
            l1.bias().copy_(Tensor.of(0.5, -2));
            l2.weight().copy_(Tensor.fromArray(F64, new double[] {1, 2, -1, 1}, 2, 2));
            Init.zeros(l2.bias());
        }
        Sequential net = new Sequential(l1, new ReLU(), l2);
        out.println("net = Sequential(Linear(3, 2), ReLU(), Linear(2, 2)); parameters:");
        net.namedParameters().forEach((n, p) -> Fmt.kv(out, n, java.util.Arrays.toString(p.shape())));
        Tensor x = Tensor.fromArray(F64, new double[] {1, 2, 3}, 1, 3);
        Tensor y = net.forward(x);
        // by hand: W1 x + b1 = [-1 + 0.5, 3 - 2] = [-0.5, 1] -> relu [0, 1] -> W2 h = [2, 1]
        Fmt.kv(out, "net(x = [1, 2, 3])", Fmt.arr(y.toDoubleArray()) + "  (by hand: relu([-0.5, 1]) = [0, 1]; W2·h = [2, 1])");
        r.put("forward", y.toDoubleArray());

        Tensor target = Tensor.fromArray(F64, new double[] {1, 3}, 1, 2);
        double mse = new MSELoss().apply(y, target).item();
        Fmt.kv(out, "MSELoss(y, [1, 3])", Fmt.num(mse) + "  (mean((2-1)^2, (1-3)^2) = 2.5)");
        double ce = new CrossEntropyLoss().apply(y, Indices.of(1)).item();
        double ceHand = Math.log(Math.exp(2) + Math.exp(1)) - 1;
        Fmt.kv(out, "CrossEntropyLoss(y, class 1)", Fmt.num(ce) + Fmt.f("  (-log softmax(y)[1] = %.10f)", ceHand));
        r.put("mse", mse).put("ce", ce, ceHand);

        // one SGD step: p <- p - lr * grad
        Tensor loss = new MSELoss().apply(net.forward(x), target);
        loss.backward();
        double[] w2 = l2.weight().toDoubleArray();
        double[] g2 = l2.weight().grad().toDoubleArray();
        SGD sgd = SGD.builder(net.parameters()).lr(0.1).build();
        sgd.step();
        double[] after = l2.weight().toDoubleArray();
        double dev = 0;
        for (int i = 0; i < 4; i++) {
            dev = Math.max(dev, Math.abs(after[i] - (w2[i] - 0.1 * g2[i])));
        }
        Fmt.kv(out, "dL/dW2", Fmt.mat(g2, 2, 2));
        Fmt.kv(out, "SGD(lr 0.1).step(): W2", Fmt.mat(after, 2, 2) + Fmt.f("  (W2 - 0.1·dL/dW2, deviation %.1e)", dev));
        r.put("grad2", g2).put("sgdDev", dev);

        // one Adam step: the first update is lr·sign(g) for every coordinate with g != 0
        sgd.zeroGrad();
        new MSELoss().apply(net.forward(x), target).backward();
        double[] before = l2.weight().toDoubleArray();
        double[] g = l2.weight().grad().toDoubleArray();
        Adam adam = Adam.builder(net.parameters()).lr(0.01).build();
        adam.step();
        double[] moved = l2.weight().toDoubleArray();
        double[] delta = new double[4];
        for (int i = 0; i < 4; i++) {
            delta[i] = moved[i] - before[i];
        }
        Fmt.kv(out, "Adam(lr 0.01), first step", "ΔW2 = " + Fmt.arr(delta) + "  (-lr·sign(g), g = " + Fmt.arr(g) + ")");
        r.put("adamDelta", delta).put("adamGrad", g);
        Fmt.notesClaim(out, "torch.optim.ADAM — the class is Adam (io.vecgrad.optim.Adam here)");
        return r;
    }
}
