package io.vecgrad.examples;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F0-01: the dense layer {@code output = relu(dot(W, input) + b)}, forward and backward. */
final class F0_01_DenseLayer extends BaseExample {
    F0_01_DenseLayer() {
        super("f0-01-dense-layer", "000", "dense layer relu(W·x + b): forward, and gradients of sum(output)");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        // W is (k=2, d=3), input x is (d), b is (k): the shapes of the notes.
        Tensor w = Tensor.fromArray(new double[] {1, -1, 0, 0.5, 0.5, 0.5}, 2, 3).requiresGrad(true);
        Tensor x = Tensor.of(1.0, 2, 3).requiresGrad(true);
        Tensor b = Tensor.of(0.5, -2).requiresGrad(true);

        Tensor wx = w.matmul(x).retain();      // dot(W, input)
        Tensor pre = wx.add(b).retain();       // + b (broadcast-free here: both are [2])
        Tensor output = pre.relu().retain();   // relu(...)
        Tensor loss = output.sum();            // a scalar to differentiate: L = sum(output)
        loss.backward();

        out.println("output = relu(dot(W, input) + b) with W = [[1,-1,0],[0.5,0.5,0.5]], x = [1,2,3], b = [0.5,-2]");
        Fmt.kv(out, "dot(W, x)", Fmt.arr(wx.toDoubleArray()));
        Fmt.kv(out, "dot(W, x) + b", Fmt.arr(pre.toDoubleArray()));
        Fmt.kv(out, "output", Fmt.arr(output.toDoubleArray()));
        out.println("gradients of L = sum(output):");
        Fmt.kv(out, "dL/dW", Fmt.mat(w.grad().toDoubleArray(), 2, 3));
        Fmt.kv(out, "dL/db", Fmt.arr(b.grad().toDoubleArray()));
        Fmt.kv(out, "dL/dx", Fmt.arr(x.grad().toDoubleArray()));
        out.println("  unit 0 is inactive (pre-activation < 0), so its row of dL/dW is zero.");
        return new Result()
                .put("Wx", wx.toDoubleArray())
                .put("preact", pre.toDoubleArray())
                .put("output", output.toDoubleArray())
                .put("dW", w.grad().toDoubleArray())
                .put("db", b.grad().toDoubleArray())
                .put("dx", x.grad().toDoubleArray());
    }
}
