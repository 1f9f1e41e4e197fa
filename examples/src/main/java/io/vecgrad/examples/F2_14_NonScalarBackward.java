package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F2-14: backward of a non-scalar needs an explicit gradient (a vector-Jacobian product). */
final class F2_14_NonScalarBackward extends BaseExample {
    F2_14_NonScalarBackward() {
        super("f2-14-non-scalar-backward", "002",
                "y = x*x is a vector: y.backward() is an error; y.backward(ones) or y.sum().backward() give 2x");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.arange(F64, 0, 4, 1).requiresGrad(true);
        x.sum().backward();
        x.zeroGrad();                          // as in the notebook: x.grad is [0, 0, 0, 0] here
        Tensor y = x.mul(x);
        String message = "(no error)";
        try {
            y.backward();                      // will throw an error
        } catch (IllegalStateException e) {
            message = e.getMessage();
        }
        out.println("y = x * x; y.backward() -> " + message);
        double[] after = x.grad().toDoubleArray();
        out.println("x.grad after the failure -> " + Fmt.arr(after));
        Tensor y2 = x.mul(x);
        y2.backward(Tensor.ones(F64, 4));
        double[] explicit = x.grad().toDoubleArray();
        out.println("y.backward(ones(4))      -> " + Fmt.arr(explicit));
        x.zeroGrad();
        x.mul(x).sum().backward();
        double[] viaSum = x.grad().toDoubleArray();
        out.println("zero; y.sum().backward() -> " + Fmt.arr(viaSum));
        return new Result().text("error", message).put("afterFailure", after).put("explicit", explicit)
                .put("viaSum", viaSum);
    }
}
