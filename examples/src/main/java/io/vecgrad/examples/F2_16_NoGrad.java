package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F2-16: de-activating the autograd engine with no_grad: same value, no graph, backward fails. */
final class F2_16_NoGrad extends BaseExample {
    F2_16_NoGrad() {
        super("f2-16-no-grad", "002",
                "under Tensor.noGrad() f = 2 dot(x,x) is 28 but records nothing; f.backward() is an error");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.arange(F64, 0, 4, 1).requiresGrad(true);
        Tensor f;
        try (var _ = Tensor.noGrad()) {
            f = x.dot(x).mul(2);
        }
        out.println("with no_grad: f = " + Fmt.num(f.item()) + ", requires grad = " + f.requiresGrad()
                + ", grad_fn = " + (f.gradFn() == null ? "None" : f.gradFn()));
        String message = "(no error)";
        try {
            f.backward();
        } catch (IllegalStateException e) {
            message = e.getMessage();
        }
        out.println("f.backward() -> " + message);
        return new Result().put("f", f.item()).put("requiresGrad", f.requiresGrad() ? 1 : 0)
                .put("hasGradFn", f.gradFn() == null ? 0 : 1).text("error", message);
    }
}
