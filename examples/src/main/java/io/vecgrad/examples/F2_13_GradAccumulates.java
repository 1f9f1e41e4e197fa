package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F2-13: PyTorch-style accumulation: .grad adds up over backward calls until zeroed. */
final class F2_13_GradAccumulates extends BaseExample {
    F2_13_GradAccumulates() {
        super("f2-13-grad-accumulates", "002",
                "x.grad accumulates across backward calls until zeroGrad(): sum -> ones, again -> twos, 4x + 1");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.arange(F64, 0, 4, 1).requiresGrad(true);
        x.dot(x).mul(2).backward();
        out.println("after backward of 2 dot(x, x):          x.grad = " + Fmt.arr(x.grad().toDoubleArray()));
        x.zeroGrad();                                   // x.grad.zero_()
        Tensor y = x.sum();
        y.backward();
        double[] ones = x.grad().toDoubleArray();
        out.println("x.grad.zero_(); y = x.sum(); backward:  x.grad = " + Fmt.arr(ones));
        x.sum().backward();
        double[] twos = x.grad().toDoubleArray();
        out.println("x.sum().backward() again, no zeroing:   x.grad = " + Fmt.arr(twos));
        x.zeroGrad();
        x.dot(x).mul(2).backward();
        x.sum().backward();
        double[] mixed = x.grad().toDoubleArray();
        out.println("zero; backward 2 dot(x,x); backward sum: x.grad = " + Fmt.arr(mixed) + " = 4x + 1");

        // acceptance case seeds/j_two_losses_accumulate_then_zero on x = [1, 2, 3]
        Tensor z = Tensor.of(1.0, 2, 3).requiresGrad(true);
        z.pow(2).sum().backward();
        z.mul(3).sum().backward();
        double[] twoLosses = z.grad().toDoubleArray();
        z.zeroGrad();
        z.pow(2).sum().backward();
        double[] afterZero = z.grad().toDoubleArray();
        out.println("x = [1,2,3]: sum(x^2) then sum(3x) -> " + Fmt.arr(twoLosses) + "; zero, sum(x^2) -> "
                + Fmt.arr(afterZero));
        return new Result().put("ones", ones).put("twos", twos).put("mixed", mixed).put("y2", y.item())
                .put("twoLosses", twoLosses).put("afterZero", afterZero);
    }
}
