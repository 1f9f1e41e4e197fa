package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F1-11: gradient accumulation over micro-batches equals the large batch — if the sum is divided by k. */
final class F1_11_GradientAccumulation extends BaseExample {
    F1_11_GradientAccumulation() {
        super("f1-11-gradient-accumulation", "001",
                "4 micro-batches of 2: .grad accumulates across backward calls; loss/4 each equals the full batch");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        double[] xs = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] ys = new double[8];
        for (int i = 0; i < 8; i++) {
            ys[i] = 2 * xs[i] + 1;
        }
        Tensor x = Tensor.fromArray(F64, xs, 8);
        Tensor y = Tensor.fromArray(F64, ys, 8);
        Tensor w = Tensor.scalar(F64, 0).requiresGrad(true);
        Tensor b = Tensor.scalar(F64, 0).requiresGrad(true);

        Tensor full = Losses.mse(w.mul(x).add(b), y, Reduction.MEAN);
        full.backward();
        double[] fullGrad = {w.grad().item(), b.grad().item()};
        out.println("x = [1..8], y = 2x + 1, model w·x + b at w = b = 0, MSE");
        Fmt.kv(out, "full batch: loss", Fmt.num(full.item()));
        Fmt.kv(out, "full batch: (dw, db)", Fmt.arr(fullGrad));

        // the slide: grad = 0; for each batch: grad += grad_for_this_iter (no division)
        double[] summed = new double[2];
        for (int k = 0; k < 4; k++) {
            w.zeroGrad();
            b.zeroGrad();
            Losses.mse(w.mul(x.slice(0, 2 * k, 2 * k + 2)).add(b), y.slice(0, 2 * k, 2 * k + 2), Reduction.MEAN)
                    .backward();
            summed[0] += w.grad().item();
            summed[1] += b.grad().item();
        }
        Fmt.kv(out, "sum of 4 micro-batch grads", Fmt.arr(summed) + " = 4 x the full-batch gradient");
        Fmt.kv(out, "divided by k = 4", Fmt.arr(summed[0] / 4, summed[1] / 4));

        // PyTorch style: no zeroGrad between the 4 backward calls, each of loss / 4
        w.zeroGrad();
        b.zeroGrad();
        for (int k = 0; k < 4; k++) {
            Losses.mse(w.mul(x.slice(0, 2 * k, 2 * k + 2)).add(b), y.slice(0, 2 * k, 2 * k + 2), Reduction.MEAN)
                    .div(4).backward();
        }
        double[] accumulated = {w.grad().item(), b.grad().item()};
        Fmt.kv(out, ".grad after 4 x backward(loss/4)", Fmt.arr(accumulated));
        Fmt.notesClaim(out, "(1) grad = 0 inside the epoch loop + update after the batch loop = one update per epoch"
                + " (full-batch GD); (2) the sum is not divided by k, so mean losses get k x the lr;"
                + " (3) the update uses grad_f, not the accumulated grad");
        return new Result().put("loss", full.item()).put("full", fullGrad).put("summed", summed)
                .put("accumulated", accumulated);
    }
}
