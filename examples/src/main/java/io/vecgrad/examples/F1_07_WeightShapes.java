package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/** F1-07: "W @ X" — W is (outputs x features) whatever the number of samples; X is (features x samples). */
final class F1_07_WeightShapes extends BaseExample {
    F1_07_WeightShapes() {
        super("f1-07-weight-shapes", "001",
                "W @ X on the blood-pressure data: W is 1x4 (outputs x features), not (? x samples)");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor w = Tensor.fromArray(new double[] {0.3, 0.8, -0.4, 10}, 1, 4);
        // X holds one sample per column: height, weight, age, exercise hours
        Tensor x = Tensor.fromArray(new double[] {180, 89, 35, 1, 160, 49, 40, 4, 179, 69, 20, 2}, 3, 4).t();
        Tensor y = w.matmul(x);
        Fmt.kv(out, "W shape", Arrays.toString(w.dims()) + " = (outputs, features)");
        Fmt.kv(out, "X shape", Arrays.toString(x.dims()) + " = (features, samples)");
        Fmt.kv(out, "W @ X", Arrays.toString(y.dims()) + " " + Fmt.mat(y.toDoubleArray(), 1, 3));
        Fmt.notesClaim(out, "size of W is (? x No. of samples) — W does not grow with the data; X does");
        return new Result().put("WX", y.toDoubleArray())
                .put("dims", Arrays.stream(y.dims()).asDoubleStream().toArray());
    }
}
