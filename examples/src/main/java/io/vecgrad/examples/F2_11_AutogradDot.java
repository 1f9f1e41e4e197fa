package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F2-11: autograd on y = 2xᵀx with x = arange(4.0): grad is None before backward, 4x after. */
final class F2_11_AutogradDot extends BaseExample {
    F2_11_AutogradDot() {
        super("f2-11-autograd-2xtx", "002", "y = 2 dot(x, x) at x = [0,1,2,3]: y = 28, x.grad = 4x = [0,4,8,12]");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.arange(F64, 0, 4, 1).requiresGrad(true);
        out.println("x               -> " + x);
        out.println("x.grad          -> " + (x.grad() == null ? "None" : x.grad().toString()));
        Tensor y = x.dot(x).mul(2);
        out.println("y               -> " + Fmt.num(y.item()) + "  (grad_fn " + y.gradFn() + ")");
        y.backward();
        double[] g = x.grad().toDoubleArray();
        double[] xv = x.toDoubleArray();
        boolean[] eq = new boolean[4];
        double allEqual = 1;
        for (int i = 0; i < 4; i++) {
            eq[i] = g[i] == 4 * xv[i];
            allEqual = eq[i] ? allEqual : 0;
        }
        out.println("x.grad          -> " + Fmt.arr(g));
        out.println("x.grad == 4 * x -> " + java.util.Arrays.toString(eq));
        return new Result().put("y", y.item()).put("grad", g).put("allEqual", allEqual)
                .text("gradFn", String.valueOf(y.gradFn()));
    }
}
