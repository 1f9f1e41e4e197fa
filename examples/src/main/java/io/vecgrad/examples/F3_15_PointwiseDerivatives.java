package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F3-15: the pointwise module's useful derivatives: tanh' = 1 - tanh^2, ReLU' = 1(x > 0) (0 at 0, like PyTorch). */
final class F3_15_PointwiseDerivatives extends BaseExample {
    F3_15_PointwiseDerivatives() {
        super("f3-15-pointwise-derivatives", "003",
                "tanh'(0.7) = 0.63474, tanh'(0.3) = 0.91514; relu' at -1, 0, 2 is 0, 0, 1 (notes: 1 at 0)");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor t = Tensor.of(0.7, 0.3).requiresGrad(true);
        t.tanh().sum().backward();
        Tensor r = Tensor.of(-1.0, 0, 2).requiresGrad(true);
        r.relu().sum().backward();
        // bias backprop: x_out = h(x_in + b): ∂L/∂b = upstream ⊙ h'(x_in + b)
        Tensor xin = Tensor.of(0.5, -0.2);
        Tensor b = Tensor.of(0.2, 0.5).requiresGrad(true);
        Tensor upstream = Tensor.of(2.0, -1);
        xin.add(b).tanh().backward(upstream);
        Fmt.kv(out, "tanh'(0.7), tanh'(0.3)", Fmt.arr(t.grad().toDoubleArray()) + " = 1 - tanh^2");
        Fmt.kv(out, "relu'(-1), relu'(0), relu'(2)", Fmt.arr(r.grad().toDoubleArray()));
        Fmt.notesClaim(out, "h'(x) = 1(x >= 0) — gives 1 at 0; this engine (like PyTorch) uses 0 there");
        Fmt.kv(out, "∂L/∂b for tanh(x_in + b)", Fmt.arr(b.grad().toDoubleArray()) + " = upstream ⊙ tanh'(x_in + b)");
        return new Result().put("tanh", t.grad().toDoubleArray()).put("relu", r.grad().toDoubleArray())
                .put("bias", b.grad().toDoubleArray());
    }
}
