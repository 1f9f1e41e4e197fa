package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, optionally centered and with momentum (PyTorch 1.13 {@code torch.optim.RMSprop}).
 * For each parameter p with gradient g:
 * <pre>
 * g   = g + weight_decay * p                          if weight_decay != 0
 * sq  = alpha * sq + (1 - alpha) * g * g
 * ga  = alpha * ga + (1 - alpha) * g;  avg = sqrt(sq - ga * ga) + eps      if centered
 * avg = sqrt(sq) + eps                                                     otherwise
 * buf = momentum * buf + g / avg;  p = p - lr * buf                        if momentum > 0
 * p   = p - lr * g / avg                                                   otherwise
 * </pre>
 * State: {@code square_avg}, plus {@code momentum_buffer} when momentum > 0 and
 * {@code grad_avg} when centered.
 *
 * <pre>{@code
 * RMSprop opt = RMSprop.builder(params).lr(0.01).momentum(0.9).centered(true).build();
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private static final String NAME = "RMSprop";

    private double alpha;
    private double eps;
    private double weightDecay;
    private double momentum;
    private final boolean centered;
    private final boolean hasBuffer;
    private final String[] slots;
    private final int bufSlot;
    private final int gaSlot;

    private RMSprop(Builder b) {
        super(NAME, b.params, b.lr);
        validate(this, b.alpha, b.eps, b.weightDecay, b.momentum);
        alpha = b.alpha;
        eps = b.eps;
        weightDecay = b.weightDecay;
        momentum = b.momentum;
        centered = b.centered;
        hasBuffer = b.momentum > 0;
        // PyTorch's state order: square_avg, momentum_buffer, grad_avg.
        if (hasBuffer && centered) {
            slots = new String[] {"square_avg", "momentum_buffer", "grad_avg"};
        } else if (hasBuffer) {
            slots = new String[] {"square_avg", "momentum_buffer"};
        } else if (centered) {
            slots = new String[] {"square_avg", "grad_avg"};
        } else {
            slots = new String[] {"square_avg"};
        }
        bufSlot = hasBuffer ? 1 : -1;
        gaSlot = centered ? slots.length - 1 : -1;
    }

    /** A builder over these parameters with PyTorch's defaults. */
    public static Builder builder(Iterable<Tensor> params) {
        return new Builder(list(params));
    }

    /** A builder over these parameters with PyTorch's defaults. */
    public static Builder builder(Tensor... params) {
        return new Builder(List.of(params));
    }

    /** Defaults: lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false. */
    public static final class Builder {
        private final List<Tensor> params;
        private double lr = 0.01;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate, {@code >= 0} (default 0.01). */
        public Builder lr(double lr) { this.lr = lr; return this; }
        /** Smoothing constant, {@code >= 0} (default 0.99). */
        public Builder alpha(double alpha) { this.alpha = alpha; return this; }
        /** Added to the denominator, {@code >= 0} (default 1e-8). */
        public Builder eps(double eps) { this.eps = eps; return this; }
        /** L2 penalty, {@code >= 0} (default 0). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }
        /** Momentum factor, {@code >= 0} (default 0). */
        public Builder momentum(double momentum) { this.momentum = momentum; return this; }
        /** Normalise by the estimated variance of the gradient (default false). */
        public Builder centered(boolean centered) { this.centered = centered; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException if a hyper-parameter is invalid
         */
        public RMSprop build() {
            return new RMSprop(this);
        }
    }

    private static void validate(Optimizer o, double alpha, double eps, double weightDecay, double momentum) {
        Adagrad.nonNegative(o, "alpha", alpha);
        Adagrad.nonNegative(o, "eps", eps);
        Adagrad.nonNegative(o, "weight_decay", weightDecay);
        Adagrad.nonNegative(o, "momentum", momentum);
    }

    /** Smoothing constant. */
    public double alpha() { return alpha; }
    /** Denominator epsilon. */
    public double eps() { return eps; }
    /** L2 weight decay. */
    public double weightDecay() { return weightDecay; }
    /** Momentum factor. */
    public double momentum() { return momentum; }
    /** Whether the centered form is used. */
    public boolean centered() { return centered; }

    @Override
    protected String[] slots() {
        return slots;
    }

    @Override
    protected void update(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                          Buffer[] state, long step) {
        MemorySegment ga = centered ? seg(state, gaSlot) : null;
        long gaOff = centered ? state[gaSlot].offset() : 0;
        MemorySegment buf = hasBuffer ? seg(state, bufSlot) : null;
        long bufOff = hasBuffer ? state[bufSlot].offset() : 0;
        kernels.rmsprop(dt, n, p, pOff, g, gOff, seg(state, 0), state[0].offset(), ga, gaOff, buf, bufOff,
                lr(), alpha, eps, weightDecay, momentum);
    }

    @Override
    protected void writeHyper(Map<String, Double> out) {
        out.put("alpha", alpha);
        out.put("eps", eps);
        out.put("weight_decay", weightDecay);
        out.put("momentum", momentum);
        out.put("centered", centered ? 1.0 : 0.0);
    }

    @Override
    protected Runnable readHyper(Map<String, Double> in) {
        double a = take(in, "alpha");
        double e = take(in, "eps");
        double wd = take(in, "weight_decay");
        double mom = take(in, "momentum");
        double c = take(in, "centered");
        noneLeft(in);
        validate(this, a, e, wd, mom);
        sameStructure("centered", centered, c);
        sameStructure("momentum > 0", hasBuffer, mom > 0 ? 1 : 0);
        return () -> {
            alpha = a;
            eps = e;
            weightDecay = wd;
            momentum = mom;
        };
    }
}
