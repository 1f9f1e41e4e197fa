package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F3-13 and F3-14: the Euclidean cost module L = ½‖x - y‖² (gradient x - y), and the linear module
 * x_out = W x_in over a batch: ∂L/∂W is the sum of the per-example gradients, ∂L/∂x_in = Wᵀ ∂L/∂x_out.
 */
final class F3_13_LinearModule extends BaseExample {
    F3_13_LinearModule() {
        super("f3-13-euclidean-linear-modules", "003",
                "½|x-y|^2 has gradient x-y; a linear module's batch weight gradient is the sum of per-example ones");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.of(1.0, 2).requiresGrad(true);
        Tensor y = Tensor.of(0.5, -1);
        Tensor euclid = x.sub(y).square().sum().mul(0.5);
        euclid.backward();
        out.println("Euclidean cost, x = [1, 2], y = [0.5, -1]:");
        Fmt.kv(out, "L = ½|x - y|^2", Fmt.num(euclid.item()));
        Fmt.kv(out, "∂L/∂x = x - y", Fmt.arr(x.grad().toDoubleArray()));

        // batch of 3 inputs as columns; targets 0: L = Σ_i ½|W x_i|^2
        double[] wv = {1, 2, 3, 4};
        Tensor w = Tensor.fromArray(wv.clone(), 2, 2).requiresGrad(true);
        Tensor xin = Tensor.fromArray(new double[] {1, 0, 1, 0, 1, 1}, 2, 3).requiresGrad(true);
        Tensor xout = w.matmul(xin);
        Tensor loss = xout.square().sum().mul(0.5);
        loss.backward();
        double[] batched = w.grad().toDoubleArray();
        double[] perExample = new double[4];
        double[][] cols = {{1, 0}, {0, 1}, {1, 1}};
        for (double[] c : cols) {
            Tensor wi = Tensor.fromArray(wv.clone(), 2, 2).requiresGrad(true);
            wi.matmul(Tensor.of(c)).square().sum().mul(0.5).backward();
            double[] g = wi.grad().toDoubleArray();
            for (int k = 0; k < 4; k++) {
                perExample[k] += g[k];
            }
        }
        out.println("linear module, W = [[1,2],[3,4]], x_in = [1,0], [0,1], [1,1], L = Σ ½|W x_i|^2:");
        Fmt.kv(out, "L", Fmt.num(loss.item()));
        Fmt.kv(out, "∂L/∂W (batched)", Fmt.mat(batched, 2, 2));
        Fmt.kv(out, "Σ_i per-example ∂L/∂W", Fmt.mat(perExample, 2, 2));
        double[] dx = xin.grad().toDoubleArray(); // columns are examples
        Fmt.kv(out, "∂L/∂x_in per example", Fmt.arr(dx[0], dx[3]) + " " + Fmt.arr(dx[1], dx[4]) + " "
                + Fmt.arr(dx[2], dx[5]));
        Fmt.notesClaim(out, "W^{k+1} <- W^k + η(∂J/∂W)ᵀ — that is gradient ascent; descent subtracts");
        return new Result().put("euclid", euclid.item()).put("euclidGrad", x.grad().toDoubleArray())
                .put("L", loss.item()).put("batched", batched).put("perExample", perExample)
                .put("dx", dx[0], dx[3], dx[1], dx[4], dx[2], dx[5]);
    }
}
