package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Function;
import io.vecgrad.autograd.FunctionContext;
import io.vecgrad.autograd.GradCheck;
import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** F3-20: the notes' custom autograd Function {@code Multiply} with ctx.save_for_backward. */
final class F3_20_CustomFunction extends BaseExample {
    F3_20_CustomFunction() {
        super("f3-20-custom-function", "003",
                "class Multiply(Function): z = x·y with saved tensors; grads -2 and 3; inside L = z^2; Multiply(x, x)");
    }

    /** z = x * y; backward: grad_x = y * grad_z, grad_y = x * grad_z. */
    static final class Multiply extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor gradZ) {
            Tensor[] saved = ctx.savedTensors();
            Tensor x = saved[0];
            Tensor y = saved[1];
            return new Tensor[] {y.mul(gradZ), x.mul(gradZ)};
        }
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.scalar(F64, 3).requiresGrad(true);
        Tensor y = Tensor.scalar(F64, -2).requiresGrad(true);
        Tensor z = new Multiply().apply(x, y);
        z.backward();
        Fmt.kv(out, "z = Multiply(3, -2)", Fmt.num(z.item()) + " (grad_fn " + z.gradFn() + ")");
        Fmt.kv(out, "grad_x = y, grad_y = x", Fmt.arr(x.grad().item(), y.grad().item()));
        double[] simple = {z.item(), x.grad().item(), y.grad().item()};

        Tensor x2 = Tensor.scalar(F64, 3).requiresGrad(true);
        Tensor y2 = Tensor.scalar(F64, -2).requiresGrad(true);
        new Multiply().apply(x2, y2).square().backward();
        Fmt.kv(out, "L = z^2: grad_x, grad_y", Fmt.arr(x2.grad().item(), y2.grad().item()));

        Tensor x3 = Tensor.scalar(F64, 3).requiresGrad(true);
        new Multiply().apply(x3, x3).backward();
        Fmt.kv(out, "Multiply(x, x) at 3: grad", Fmt.num(x3.grad().item()) + " (both inputs' contributions summed)");

        SplittableRandom rnd = new SplittableRandom(7);
        double[] a = new double[5];
        double[] b = new double[5];
        for (int i = 0; i < 5; i++) {
            a[i] = rnd.nextDouble(-2, 2);
            b[i] = rnd.nextDouble(-2, 2);
        }
        GradCheck.Result gc = GradCheck.check(in -> new Multiply().apply(in[0], in[1]),
                Tensor.of(a).requiresGrad(true), Tensor.of(b).requiresGrad(true));
        Fmt.kv(out, "GradCheck on random float64", gc.ok() ? "ok" : gc.detail());
        return new Result().put("simple", simple).put("chained", x2.grad().item(), y2.grad().item())
                .put("same", x3.grad().item()).put("gradcheckOk", gc.ok() ? 1 : 0);
    }
}
