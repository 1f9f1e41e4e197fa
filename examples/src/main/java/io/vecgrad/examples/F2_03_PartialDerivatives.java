package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F2-03: y = Σ w_i x_i has 8 input variables; its partials are ∂y/∂w = x and ∂y/∂x = w. */
final class F2_03_PartialDerivatives extends BaseExample {
    F2_03_PartialDerivatives() {
        super("f2-03-partial-derivatives", "002", "f(w, x) = Σ w_i x_i: gradients w.r.t. both w and x (8 variables)");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor w = Tensor.of(0.3, 0.8, -0.4, 10).requiresGrad(true);
        Tensor x = Tensor.of(180.0, 89, 35, 1).requiresGrad(true);
        Tensor y = w.dot(x);
        y.backward();
        Fmt.kv(out, "f(w, X[0])", Fmt.num(y.item()));
        Fmt.kv(out, "df/dw = x", Fmt.arr(w.grad().toDoubleArray()));
        Fmt.kv(out, "df/dx = w", Fmt.arr(x.grad().toDoubleArray()));
        return new Result().put("y", y.item()).put("dw", w.grad().toDoubleArray()).put("dx", x.grad().toDoubleArray());
    }
}
