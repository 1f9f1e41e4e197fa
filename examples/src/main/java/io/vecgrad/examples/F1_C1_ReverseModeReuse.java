package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Function;
import io.vecgrad.autograd.FunctionContext;
import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F1-C1: reverse accumulation reuses gradients: a 10-layer chain y = w10·...·w1·x gives all 10
 * weight gradients in one backward, and each multiply's backward runs exactly once (counted with
 * a custom Function).
 */
final class F1_C1_ReverseModeReuse extends BaseExample {
    F1_C1_ReverseModeReuse() {
        super("f1-c1-reverse-mode-reuse", "001",
                "10-layer scalar chain: one backward, every node's backward called exactly once, all 10 gradients");
    }

    /** z = a·b that counts how often its backward runs. */
    static final class CountingMul extends Function {
        int backwardCalls;

        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            backwardCalls++;
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {grad.mul(s[1]), grad.mul(s[0])};
        }
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        int layers = 10;
        Tensor x = Tensor.scalar(F64, 1.5);
        Tensor[] w = new Tensor[layers];
        CountingMul[] nodes = new CountingMul[layers];
        Tensor y = x;
        for (int i = 0; i < layers; i++) {
            w[i] = Tensor.scalar(F64, 1 + 0.1 * i).requiresGrad(true);
            nodes[i] = new CountingMul();
            y = nodes[i].apply(w[i], y);
        }
        y.backward();
        double[] grads = new double[layers];
        double[] calls = new double[layers];
        double product = 1;
        for (int i = 0; i < layers; i++) {
            product *= 1 + 0.1 * i;
        }
        double maxErr = 0;
        for (int i = 0; i < layers; i++) {
            grads[i] = w[i].grad().item();
            calls[i] = nodes[i].backwardCalls;
            maxErr = Math.max(maxErr, Math.abs(grads[i] - 1.5 * product / (1 + 0.1 * i)) / Math.abs(grads[i]));
        }
        out.println("y = w10·w9·...·w1·x, x = 1.5, w_i = 1 + 0.1(i-1); one backward:");
        Fmt.kv(out, "y", Fmt.num(y.item()));
        Fmt.kv(out, "dy/dw_i", Fmt.arr(grads));
        Fmt.kv(out, "backward calls per node", Fmt.arr(calls));
        Fmt.kv(out, "max rel. error vs x·prod_{j!=i} w_j", Fmt.f("%.1e", maxErr));
        out.println("  forward-mode would need one sweep per weight (10); reverse mode reuses dy/d(node) once");
        return new Result().put("y", y.item()).put("grads", grads).put("calls", calls).put("maxRelErr", maxErr);
    }
}
