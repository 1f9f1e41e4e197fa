package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F0-08 (Figures 2.22-2.24): x1 = x·w, x2 = x1 + b, loss_val = abs(y_true - x2) at x=2, w=3, b=1, y_true=4. */
final class F0_08_ScalarGraph extends BaseExample {
    F0_08_ScalarGraph() {
        super("f0-08-scalar-graph", "000",
                "Fig 2.22-2.24: scalar graph abs(4 - (x·w + b)); grad w = 2 and grad b = 1 (the notes say 2)");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.scalar(F64, 2).requiresGrad(true);
        Tensor w = Tensor.scalar(F64, 3).requiresGrad(true);
        Tensor b = Tensor.scalar(F64, 1).requiresGrad(true);
        Tensor yTrue = Tensor.scalar(F64, 4);
        Tensor x1 = x.mul(w).retain();
        Tensor x2 = x1.add(b).retain();
        Tensor lossVal = yTrue.sub(x2).abs();
        lossVal.backward();

        out.println("forward (x = 2, w = 3, b = 1, y_true = 4):");
        Fmt.kv(out, "x1 = x * w", Fmt.num(x1.item()));
        Fmt.kv(out, "x2 = x1 + b", Fmt.num(x2.item()));
        Fmt.kv(out, "loss_val = abs(y_true - x2)", Fmt.num(lossVal.item()));
        out.println("backward (local gradients: grad(loss_val, x2) = 1 since x2 > y_true, grad(x2, x1) = 1,");
        out.println("          grad(x2, b) = 1, grad(x1, w) = x = 2):");
        Fmt.kv(out, "grad(loss_val, w) = 1*1*2", Fmt.num(w.grad().item()));
        Fmt.kv(out, "grad(loss_val, b) = 1*1", Fmt.num(b.grad().item()));
        Fmt.notesClaim(out, "grad(loss_val, b) = 1 * 1 = 2 — the product is 1 (the DLwP book has 1)");
        Fmt.kv(out, "grad(loss_val, x) = 1*1*w", Fmt.num(x.grad().item()));

        // The abs tie: at w = 1.5, x2 = 4 = y_true and abs is not differentiable; like PyTorch the
        // engine uses the subgradient sign(0) = 0.
        Tensor w2 = Tensor.scalar(F64, 1.5).requiresGrad(true);
        Tensor b2 = Tensor.scalar(F64, 1).requiresGrad(true);
        Tensor tie = yTrue.sub(Tensor.scalar(F64, 2).mul(w2).add(b2)).abs();
        tie.backward();
        out.println("abs tie at w = 1.5 (x2 = y_true = 4): subgradient sign(0) = 0, as in PyTorch:");
        Fmt.kv(out, "loss, grad w, grad b", Fmt.arr(tie.item(), w2.grad().item(), b2.grad().item()));
        return new Result()
                .put("x1", x1.item()).put("x2", x2.item()).put("loss", lossVal.item())
                .put("gradW", w.grad().item()).put("gradB", b.grad().item()).put("gradX", x.grad().item())
                .put("tie", tie.item(), w2.grad().item(), b2.grad().item());
    }
}
