package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Shape;
import java.util.Arrays;

/**
 * A user-defined differentiable operation, PyTorch's {@code torch.autograd.Function}:
 * subclass it, compute the result in {@link #forward} (recording is off there) and its
 * vector-Jacobian product in {@link #backward}, then call {@link #apply}.
 *
 * <pre>{@code
 * class Exp extends Function {
 *     protected Tensor forward(FunctionContext ctx, Tensor... in) {
 *         Tensor y = in[0].exp();
 *         ctx.saveForBackward(y);
 *         return y;
 *     }
 *     protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
 *         return new Tensor[] {grad.mul(ctx.savedTensors()[0])};
 *     }
 * }
 * Tensor y = new Exp().apply(x);
 * }</pre>
 */
public abstract class Function {

    /** For subclasses: a function holds no state of its own. */
    protected Function() {}

    /** Computes the output from the inputs; not recorded. Save what backward needs on ctx. */
    protected abstract Tensor forward(FunctionContext ctx, Tensor... inputs);

    /**
     * Given the gradient of the output, returns one gradient per input (same shape as that
     * input, or null where none is needed). Runs with recording off.
     */
    protected abstract Tensor[] backward(FunctionContext ctx, Tensor grad);

    /** Runs {@link #forward} and records the call so backward reaches {@link #backward}. */
    public final Tensor apply(Tensor... inputs) {
        FunctionContext ctx = new FunctionContext();
        boolean track = false;
        boolean[] needs = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            needs[i] = inputs[i].requiresGrad();
            track |= needs[i];
        }
        track &= GradMode.isEnabled();
        ctx.setNeedsInputGrad(needs);
        Tensor out;
        try (GradMode _ = Tensor.noGrad()) {
            out = forward(ctx, inputs.clone());
        }
        if (out == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ".forward returned null");
        }
        if (!track) {
            return out;
        }
        Tensor res = new Tensor(out.buffer());
        Node n = Tensor.record(Op.CUSTOM, res, inputs.clone());
        ctx.function = this;
        n.ctx = ctx;
        return res;
    }

    static void runBackward(Node n, Buffer g, Buffer[] r) {
        String name = n.ctx.function.getClass().getSimpleName();
        if (n.ctx.isReleased()) {
            throw new IllegalStateException(name + "Backward: the graph was freed; pass retainGraph=true");
        }
        Tensor[] grads;
        try (GradMode _ = Tensor.noGrad()) {
            grads = n.ctx.function.backward(n.ctx, new Tensor(g).detach());
        }
        if (grads == null || grads.length != n.inputs.length) {
            throw new IllegalStateException(name + ".backward returned " + (grads == null ? "null" : grads.length
                    + " gradients") + " for " + n.inputs.length + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            Tensor gi = grads[i];
            Tensor in = n.inputs[i];
            if (gi == null || !in.requiresGrad()) {
                continue;
            }
            if (!Arrays.equals(gi.dims(), in.dims())) {
                throw new IllegalStateException(name + ".backward: gradient " + i + " has shape "
                        + Shape.format(gi.dims()) + " but input " + i + " has shape " + Shape.format(in.dims()));
            }
            Buffer c = Pool.take(in.dtype(), in.dims());
            Kernels.get().copy(gi.dtype() == in.dtype() ? gi.buffer() : gi.to(in.dtype()).buffer(), c);
            r[i] = c;
        }
    }
}
