package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F4-07: requiresGrad on w and b, L = (y - tanh(wx + b))^2, "compute the gradient the easy way". */
final class F4_07_TanhRegression extends BaseExample {
    F4_07_TanhRegression() {
        super("f4-07-tanh-regression", "004",
                "(y - tanh(wx + b))^2: NMA's SimpleGraph(-0.5, 0.5) at x=1, y=7 gives loss 49, grads -14, -14");
    }

    /** {prediction, loss, dw, db, dw analytic, db analytic}. */
    static double[] point(double w0, double b0, double x, double y) {
        Tensor w = Tensor.scalar(F64, w0).requiresGrad(true);
        Tensor b = Tensor.scalar(F64, b0).requiresGrad(true);
        Tensor pred = w.mul(x).add(b).tanh().retain();
        Tensor loss = Tensor.scalar(F64, y).sub(pred).square();
        loss.backward();
        double p = pred.item();
        double dw = -2 * x * (y - p) * (1 - p * p);
        double db = -2 * (y - p) * (1 - p * p);
        return new double[] {p, loss.item(), w.grad().item(), b.grad().item(), dw, db};
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        double[] a = point(-0.5, 0.5, 1, 7);
        out.println("initial weight = -0.5, initial bias = 0.5, x = 1, y = 7:");
        Fmt.kv(out, "prediction, loss", Fmt.arr(a[0], a[1]));
        Fmt.kv(out, "autograd dL/dw, dL/db", Fmt.arr(a[2], a[3]));
        Fmt.kv(out, "analytic -2x(y-ŷ)(1-ŷ²), ...", Fmt.arr(a[4], a[5]));
        double[] b = point(0.3, -0.1, 2, 0.5);
        out.println("w = 0.3, b = -0.1, x = 2, y = 0.5:");
        Fmt.kv(out, "prediction, loss", Fmt.arr(b[0], b[1]));
        Fmt.kv(out, "autograd dL/dw, dL/db", Fmt.arr(b[2], b[3]));
        Fmt.kv(out, "analytic", Fmt.arr(b[4], b[5]));
        return new Result().put("nma", a).put("second", b);
    }
}
