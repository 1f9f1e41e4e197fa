package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F1-08: without a nonlinearity, two linear layers collapse into one matrix. */
final class F1_08_LinearCollapse extends BaseExample {
    F1_08_LinearCollapse() {
        super("f1-08-linear-collapse", "001",
                "W2(W1x) = (W2W1)x: stacked linear layers are one matrix; a relu in between breaks that");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor w1 = Tensor.fromArray(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor w2 = Tensor.fromArray(new double[] {0, 1, 1, -1}, 2, 2);
        Tensor x = Tensor.of(1.0, -1);
        Tensor prod = w2.matmul(w1);
        Tensor twoLayers = w2.matmul(w1.matmul(x));
        Tensor oneLayer = prod.matmul(x);
        Tensor withRelu = w2.matmul(w1.matmul(x).relu());
        Fmt.kv(out, "W2 W1", Fmt.mat(prod.toDoubleArray(), 2, 2));
        Fmt.kv(out, "W2 (W1 x)", Fmt.arr(twoLayers.toDoubleArray()));
        Fmt.kv(out, "(W2 W1) x", Fmt.arr(oneLayer.toDoubleArray()));
        Fmt.kv(out, "W2 relu(W1 x)", Fmt.arr(withRelu.toDoubleArray()) + "  (relu(W1 x) = relu([-1, -1]) = [0, 0])");
        return new Result().put("W2W1", prod.toDoubleArray()).put("twoLayers", twoLayers.toDoubleArray())
                .put("oneLayer", oneLayer.toDoubleArray()).put("withRelu", withRelu.toDoubleArray());
    }
}
