package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/** F0-02: the gradient of a loss w.r.t. a weight matrix has the matrix's shape; one step W1 = W0 - step*grad. */
final class F0_02_WeightGradientStep extends BaseExample {
    F0_02_WeightGradientStep() {
        super("f0-02-weight-gradient-step", "000",
                "grad(loss, W0) has W0's shape; one step W1 = W0 - step*grad lowers the loss");
    }

    private static Tensor loss(Tensor w, Tensor x, Tensor yTrue) {
        Tensor yPred = w.matmul(x);                  // y_pred = dot(W, x)
        return yPred.sub(yTrue).square().sum();      // loss_value = sum((y_pred - y_true)^2)
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor w = Tensor.fromArray(new double[] {1, 0, -1, 2, 1, 0}, 2, 3).requiresGrad(true);
        Tensor x = Tensor.of(1.0, 2, 3);
        Tensor yTrue = Tensor.of(0.0, 1);
        double step = 0.01;

        Tensor yPred;
        try (var _ = Tensor.noGrad()) {
            yPred = w.matmul(x);
        }
        Tensor loss0 = loss(w, x, yTrue);
        loss0.backward();
        double[] grad = w.grad().toDoubleArray();
        try (var _ = Tensor.noGrad()) {
            w.sub_(w.grad().mul(step));              // W1 = W0 - step * grad(loss_value, W0)
        }
        double loss1;
        try (var _ = Tensor.noGrad()) {
            loss1 = loss(w, x, yTrue).item();
        }
        out.println("W0 = [[1,0,-1],[2,1,0]], x = [1,2,3], y_true = [0,1], loss = sum((W·x - y_true)^2), step = 0.01");
        Fmt.kv(out, "y_pred", Fmt.arr(yPred.toDoubleArray()));
        Fmt.kv(out, "loss(W0)", Fmt.num(loss0.item()));
        Fmt.kv(out, "grad(loss, W0)", Fmt.mat(grad, 2, 3));
        Fmt.kv(out, "grad shape == W shape", Arrays.toString(w.grad().dims()) + " == " + Arrays.toString(w.dims()));
        Fmt.kv(out, "W1 = W0 - step*grad", Fmt.mat(w.toDoubleArray(), 2, 3));
        Fmt.kv(out, "loss(W1)", Fmt.num(loss1));
        return new Result()
                .put("yPred", yPred.toDoubleArray())
                .put("loss0", loss0.item())
                .put("grad", grad)
                .put("gradDims", Arrays.stream(w.grad().dims()).asDoubleStream().toArray())
                .put("W1", w.toDoubleArray())
                .put("loss1", loss1);
    }
}
