package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F1-12: the chain rule for two layers goes through the hidden activation h, not through the
 * other weight; the upstream gradient dL/dh is computed once and reused. The graph is cut at h
 * so the reused number can be printed and fed back: that is backpropagation by hand.
 */
final class F1_12_ChainRuleLayers extends BaseExample {
    F1_12_ChainRuleLayers() {
        super("f1-12-chain-rule-layers", "001",
                "h = w0·x, y = w1·h, L = (y - t)^2: dL/dw0 = dL/dy·dy/dh·dh/dw0 = 24 (not via dw1/dw0)");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Tensor x = Tensor.scalar(F64, 2);
        Tensor t = Tensor.scalar(F64, 1);
        Tensor w0 = Tensor.scalar(F64, 0.5).requiresGrad(true);
        Tensor w1 = Tensor.scalar(F64, 3).requiresGrad(true);

        Tensor h = w0.mul(x);                                   // layer 0
        Tensor hCut = h.detach().requiresGrad(true);            // cut here to see dL/dh
        Tensor y = w1.mul(hCut);                                // layer 1
        Tensor yCut = y.detach().requiresGrad(true);            // cut here to see dL/dy
        Tensor loss = yCut.sub(t).square();
        loss.backward();                                        // dL/dy
        double dLdy = yCut.grad().item();
        y.backward(yCut.grad());                                // dL/dw1 and dL/dh = dL/dy · w1
        double dLdh = hCut.grad().item();
        h.backward(hCut.grad());                                // dL/dw0 = dL/dh · x, reusing dL/dh

        out.println("x = 2, w0 = 0.5, w1 = 3, t = 1; h = w0·x, y = w1·h, L = (y - t)^2");
        Fmt.kv(out, "h, y, L", Fmt.arr(h.item(), y.item(), loss.item()));
        Fmt.kv(out, "dL/dy = 2(y - t)", Fmt.num(dLdy));
        Fmt.kv(out, "dL/dw1 = dL/dy · h", Fmt.num(w1.grad().item()));
        Fmt.kv(out, "dL/dh = dL/dy · w1 (reused)", Fmt.num(dLdh));
        Fmt.kv(out, "dL/dw0 = dL/dh · x", Fmt.num(w0.grad().item()));

        // the same in one backward, for comparison
        Tensor a0 = Tensor.scalar(F64, 0.5).requiresGrad(true);
        Tensor a1 = Tensor.scalar(F64, 3).requiresGrad(true);
        a1.mul(a0.mul(x)).sub(t).square().backward();
        Fmt.kv(out, "one backward: dL/dw0, dL/dw1", Fmt.arr(a0.grad().item(), a1.grad().item()));
        Fmt.notesClaim(out, "dL/dw0 = dL/dy · dy/dw1 · dw1/dw0 — weights do not depend on each other; the chain"
                + " is dL/dy · dy/dh · dh/dw0");
        return new Result().put("forward", h.item(), y.item(), loss.item()).put("dLdy", dLdy).put("dLdh", dLdh)
                .put("dLdw1", w1.grad().item()).put("dLdw0", w0.grad().item())
                .put("oneBackward", a0.grad().item(), a1.grad().item());
    }
}
