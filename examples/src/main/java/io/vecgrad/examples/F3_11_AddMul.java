package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F3-11 (and F3-C5): backprop through f = (x + y)z at x = -2, y = 5, z = -4: upstream × local gradients. */
final class F3_11_AddMul extends BaseExample {
    F3_11_AddMul() {
        super("f3-11-add-mul", "003", "f = (x + y)·z at (-2, 5, -4): q = 3, f = -12, ∂f/∂x = ∂f/∂y = -4, ∂f/∂z = 3");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.scalar(F64, -2).requiresGrad(true);
        Tensor y = Tensor.scalar(F64, 5).requiresGrad(true);
        Tensor z = Tensor.scalar(F64, -4).requiresGrad(true);
        Tensor q = x.add(y).retain();
        Tensor f = q.mul(z);
        String fnF = f.gradFn();
        String fnQ = q.gradFn();
        f.backward();
        Fmt.kv(out, "q = x + y (" + fnQ + ")", Fmt.num(q.item()));
        Fmt.kv(out, "f = q·z (" + fnF + ")", Fmt.num(f.item()));
        Fmt.kv(out, "∂f/∂z = q", Fmt.num(z.grad().item()));
        Fmt.kv(out, "∂f/∂q = z (upstream for q)", Fmt.num(z.item()));
        Fmt.kv(out, "∂f/∂x = ∂f/∂q · ∂q/∂x = z·1", Fmt.num(x.grad().item()));
        Fmt.kv(out, "∂f/∂y = ∂f/∂q · ∂q/∂y = z·1", Fmt.num(y.grad().item()));
        return new Result().put("q", q.item()).put("f", f.item())
                .put("grads", x.grad().item(), y.grad().item(), z.grad().item()).text("gradFnF", fnF)
                .text("gradFnQ", fnQ);
    }
}
