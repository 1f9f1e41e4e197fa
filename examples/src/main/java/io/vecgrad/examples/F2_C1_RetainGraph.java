package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F2-C1: backward(retain_graph) keeps the graph for a second backward, which accumulates. */
final class F2_C1_RetainGraph extends BaseExample {
    F2_C1_RetainGraph() {
        super("f2-c1-retain-graph", "002",
                "y = x^3 at 2: backward with retainGraph gives 12, again 24; without it the second backward fails");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.scalar(F64, 2).requiresGrad(true);
        Tensor y = x.pow(3);
        y.backward(null, true);
        double first = x.grad().item();
        y.backward(null, true);
        double second = x.grad().item();
        out.println("y = x^3 at x = 2: backward(retainGraph) -> x.grad = " + Fmt.num(first) + "; again -> "
                + Fmt.num(second));

        Tensor x2 = Tensor.scalar(F64, 2).requiresGrad(true);
        Tensor y2 = x2.pow(3);
        y2.backward();
        String message = "(no error)";
        try {
            y2.backward();
        } catch (IllegalStateException e) {
            message = e.getMessage();
        }
        out.println("without retainGraph, a second backward -> " + message);

        // acceptance case seeds/j_backward_twice_retain_graph
        Tensor v = Tensor.of(1.0, 2, 3).requiresGrad(true);
        Tensor s = v.pow(2).sum();
        s.backward(null, true);
        double[] once = v.grad().toDoubleArray();
        s.backward(null, true);
        double[] twice = v.grad().toDoubleArray();
        out.println("x = [1,2,3], y = sum(x^2) = " + Fmt.num(s.item()) + ": " + Fmt.arr(once) + " then "
                + Fmt.arr(twice));
        return new Result().put("first", first).put("second", second).text("error", message)
                .put("sumSq", s.item()).put("once", once).put("twice", twice);
    }
}
