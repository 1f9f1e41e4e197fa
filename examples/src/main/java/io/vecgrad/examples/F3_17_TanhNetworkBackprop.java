package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F3-17: the notes' numeric backprop exercise: 2-2-1 tanh network, W0 = [[1,-3],[0.2,1]],
 * W1 = [1,-1], x0 = [1, 0.1], y = 0.5, Euclidean loss, one SGD step with η = 0.2.
 */
final class F3_17_TanhNetworkBackprop extends BaseExample {
    F3_17_TanhNetworkBackprop() {
        super("f3-17-tanh-network-backprop", "003",
                "the notes' 2-2-1 tanh network: forward, backward, one step η = 0.2; loss 0.01747 -> 0.00759");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor w0 = Tensor.fromArray(new double[] {1, -3, 0.2, 1}, 2, 2).requiresGrad(true);
        Tensor w1 = Tensor.fromArray(new double[] {1, -1}, 1, 2).requiresGrad(true);
        Tensor x0 = Tensor.of(1.0, 0.1);
        Tensor y = Tensor.scalar(F64, 0.5);
        Tensor x1 = w0.matmul(x0).retain();
        Tensor x2 = x1.tanh().retain();
        Tensor x3 = w1.matmul(x2).retain();
        Tensor loss = x3.sub(y).square().mul(0.5).sum();
        loss.backward();
        double[] dW0 = w0.grad().toDoubleArray();
        double[] dW1 = w1.grad().toDoubleArray();
        // the intermediate gradients of the notes, from the chain rule on the retained values
        double dx3 = x3.item() - 0.5;
        double[] x2v = x2.toDoubleArray();
        double[] dx2 = {dx3 * 1, dx3 * -1};
        double[] dx1 = {dx2[0] * (1 - x2v[0] * x2v[0]), dx2[1] * (1 - x2v[1] * x2v[1])};
        out.println("forward:");
        Fmt.kv(out, "x1 = W0 x0", Fmt.arr(x1.toDoubleArray()) + "   notes: (0.7, 0.3)");
        Fmt.kv(out, "x2 = tanh(x1)", Fmt.arr(x2v) + "   notes: (0.604, 0.291)");
        Fmt.kv(out, "x3 = W1 x2", Fmt.num(x3.item()) + "   notes: 0.313");
        Fmt.kv(out, "L = ½(x3 - y)^2", Fmt.num(loss.item()) + "   notes: 0.017");
        out.println("backward:");
        Fmt.kv(out, "∂L/∂x3", Fmt.num(dx3) + "   notes: -0.1869");
        Fmt.kv(out, "∂L/∂x2", Fmt.arr(dx2));
        Fmt.kv(out, "∂L/∂x1", Fmt.arr(dx1) + "   notes: (-0.1186, 0.171)");
        Fmt.kv(out, "W0.grad (PyTorch layout)", Fmt.mat(dW0, 2, 2));
        Fmt.kv(out, "notes' layout x0·∂L/∂x1 = W0.gradᵀ", Fmt.mat(new double[] {dW0[0], dW0[2], dW0[1], dW0[3]}, 2, 2));
        Fmt.kv(out, "W1.grad", Fmt.arr(dW1) + "   notes: (-0.113, -0.054)");
        try (var _ = Tensor.noGrad()) {                     // W <- W - η ∂L/∂W
            w0.sub_(w0.grad().mul(0.2));
            w1.sub_(w1.grad().mul(0.2));
        }
        double after;
        double x3After;
        try (var _ = Tensor.noGrad()) {
            Tensor x3n = w1.matmul(w0.matmul(x0).tanh());
            x3After = x3n.item();
            after = x3n.sub(y).square().mul(0.5).sum().item();
        }
        out.println("after one step with η = 0.2:");
        Fmt.kv(out, "W0", Fmt.mat(w0.toDoubleArray(), 2, 2) + "   notes: [[1.02, -3.0], [0.17, 1.0]]");
        Fmt.kv(out, "W1", Fmt.arr(w1.toDoubleArray()) + "   notes: (1.02, -0.989)");
        Fmt.kv(out, "x3, L", Fmt.arr(x3After, after));
        double literal = 0.2 - 0.2 * dW0[1]; // W0[1][0] minus the untransposed notes' matrix entry
        Fmt.notesClaim(out, "W0 - 0.2·[[-0.1186, 0.171], [-0.01186, 0.0171]] — without the ᵀ W0[1][0] would be "
                + Fmt.f("%.4f", literal) + ", not 0.17 (the notes' final matrix is right)");
        Fmt.notesClaim(out, "W^{k+1} = W^k + η(∂L/∂W)ᵀ — the computation subtracts");
        return new Result().put("x1", x1.toDoubleArray()).put("x2", x2v).put("x3", x3.item()).put("L", loss.item())
                .put("dx3", dx3).put("dx1", dx1).put("dW0", dW0).put("dW1", dW1)
                .put("W0", w0.toDoubleArray()).put("W1", w1.toDoubleArray()).put("x3After", x3After)
                .put("LAfter", after);
    }
}
