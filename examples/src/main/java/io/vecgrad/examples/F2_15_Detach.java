package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/** F2-15: detaching computation: g = (f - a)^2 with f = 2 dot(x,x), for a constant, detached and attached a. */
final class F2_15_Detach extends BaseExample {
    F2_15_Detach() {
        super("f2-15-detach", "002",
                "g = (2 dot(x,x) - a)^2 with a = 2, a = x.sum().detach(), a = x.sum(): three different x.grad");
    }

    private static double[] variant(PrintStream out, String label, Function<Tensor, Tensor> a, Result r, String key) {
        Tensor x = Tensor.arange(F64, 0, 4, 1).requiresGrad(true);
        Tensor f = x.dot(x).mul(2);
        double fv = f.item();
        Tensor g = f.sub(a.apply(x)).square();
        g.backward();
        double[] grad = x.grad().toDoubleArray();
        out.println(Fmt.f("  %-22s f = %s, g = %s, x.grad = %s", label, Fmt.num(fv), Fmt.num(g.item()), Fmt.arr(grad)));
        r.put(key + ".f", fv).put(key + ".g", g.item()).put(key + ".grad", grad);
        return grad;
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Result r = new Result();
        out.println("x = arange(4.0), f = 2 dot(x, x), g = (f - a)^2:");
        variant(out, "a = 2 (constant)", x -> Tensor.scalar(F64, 2), r, "constant");
        variant(out, "a = x.sum().detach()", x -> x.sum().detach(), r, "detached");
        variant(out, "a = x.sum() (attached)", Tensor::sum, r, "attached");
        out.println("  detached: 2(f - a)·4x; attached adds the second path through a: 2(f - a)·(4x - 1)");
        return r;
    }
}
