package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.Linear;
import io.vecgrad.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * F4-C2 "Often only some parameters are trainable and require gradients": a Linear(3, 2) whose
 * bias is frozen with {@code requiresGrad(false)} gets no bias gradient, and the optimizer leaves
 * it alone while it trains the weight.
 */
final class F4_C2_FrozenParameters extends BaseExample {
    F4_C2_FrozenParameters() {
        super("f4-c2-frozen-parameters", "004",
                "Linear(3, 2) with the bias frozen (requiresGrad(false)): no bias gradient, SGD moves only the weight");
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Linear layer = new Linear(3, 2, true, new SplittableRandom(3), F64);
        layer.bias().requiresGrad(false);                                  // freeze the bias
        double[] w0 = layer.weight().toDoubleArray();
        double[] b0 = layer.bias().toDoubleArray();
        SGD opt = SGD.builder(layer.parameters()).lr(0.1).momentum(0.9).build();
        Tensor x = Tensor.fromArray(F64, new double[] {1, 2, 3, -1, 0, 1}, 2, 3);
        Tensor target = Tensor.fromArray(F64, new double[] {1, 0, 0, 1}, 2, 2);
        Fmt.kv(out, "requiresGrad weight / bias", layer.weight().requiresGrad() + " / " + layer.bias().requiresGrad());
        double first = 0;
        double last = 0;
        boolean biasGradNull = true;
        for (int step = 0; step < 20; step++) {
            opt.zeroGrad();
            Tensor loss = layer.forward(x).sub(target).square().mean();
            loss.backward();
            biasGradNull &= layer.bias().grad() == null;
            opt.step();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        double[] w1 = layer.weight().toDoubleArray();
        double[] b1 = layer.bias().toDoubleArray();
        double wMoved = 0;
        double bMoved = 0;
        for (int i = 0; i < w0.length; i++) {
            wMoved = Math.max(wMoved, Math.abs(w1[i] - w0[i]));
        }
        for (int i = 0; i < b0.length; i++) {
            bMoved = Math.max(bMoved, Math.abs(b1[i] - b0[i]));
        }
        Fmt.kv(out, "bias.grad after backward", biasGradNull ? "null (no gradient is computed)" : "present");
        Fmt.kv(out, "loss over 20 SGD steps", Fmt.f("%.6f -> %.6f", first, last));
        Fmt.kv(out, "max |Δweight|", Fmt.f("%.6f (trained)", wMoved));
        Fmt.kv(out, "max |Δbias|", Fmt.num(bMoved) + " (frozen: " + Fmt.arr(b0) + " unchanged)");
        return new Result().put("biasGradNull", biasGradNull ? 1 : 0).put("weightMoved", wMoved)
                .put("biasMoved", bMoved).put("loss", first, last);
    }
}
