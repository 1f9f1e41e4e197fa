package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay (PyTorch 1.13 {@code torch.optim.SGD}). For each parameter p with gradient g:
 * <pre>
 * g   = g + weight_decay * p                        if weight_decay != 0
 * buf = g                                           on p's first step     } if momentum != 0
 * buf = momentum * buf + (1 - dampening) * g        afterwards            }
 * g   = g + momentum * buf   if nesterov,  else  g = buf                  }
 * p   = p - lr * g
 * </pre>
 * State: {@code momentum_buffer} (only when momentum != 0).
 *
 * <pre>{@code
 * SGD opt = SGD.builder(params).lr(0.1).momentum(0.9).build();
 * }</pre>
 */
public final class SGD extends Optimizer {
    private static final String NAME = "SGD";
    private static final String[] MOMENTUM_SLOTS = {"momentum_buffer"};
    private static final String[] NO_SLOTS = {};

    private double momentum;
    private double dampening;
    private double weightDecay;
    private boolean nesterov;
    /** Whether a momentum buffer is kept: fixed at construction. */
    private final boolean hasBuffer;

    private SGD(Builder b) {
        super(NAME, b.params, b.lr);
        validate(this, b.momentum, b.dampening, b.weightDecay, b.nesterov);
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.weightDecay = b.weightDecay;
        this.nesterov = b.nesterov;
        this.hasBuffer = b.momentum != 0;
    }

    /** A builder over these parameters; {@code lr} must be set (PyTorch 1.13 has no default). */
    public static Builder builder(Iterable<Tensor> params) {
        return new Builder(list(params));
    }

    /** A builder over these parameters; {@code lr} must be set. */
    public static Builder builder(Tensor... params) {
        return new Builder(List.of(params));
    }

    /** Hyper-parameters with PyTorch's defaults: momentum 0, dampening 0, weight_decay 0, nesterov false. */
    public static final class Builder {
        private final List<Tensor> params;
        private double lr = Double.NaN;
        private boolean lrSet;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate (required), {@code >= 0}. */
        public Builder lr(double lr) { this.lr = lr; this.lrSet = true; return this; }
        /** Momentum factor, {@code >= 0} (default 0: plain SGD). */
        public Builder momentum(double momentum) { this.momentum = momentum; return this; }
        /** Dampening of the gradient's contribution to the momentum buffer (default 0). */
        public Builder dampening(double dampening) { this.dampening = dampening; return this; }
        /** L2 penalty, {@code >= 0} (default 0). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }
        /** Nesterov momentum (default false); needs momentum {@code > 0} and dampening 0. */
        public Builder nesterov(boolean nesterov) { this.nesterov = nesterov; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException if lr is unset or a hyper-parameter is invalid
         */
        public SGD build() {
            if (!lrSet) {
                throw new IllegalArgumentException(NAME + ": lr is required (PyTorch 1.13 has no default for SGD)");
            }
            return new SGD(this);
        }
    }

    private static void validate(Optimizer o, double momentum, double dampening, double weightDecay, boolean nesterov) {
        if (!(momentum >= 0) || Double.isInfinite(momentum)) {
            throw o.invalid("momentum", momentum, "a finite value >= 0");
        }
        if (!Double.isFinite(dampening)) {
            throw o.invalid("dampening", dampening, "a finite value");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw o.invalid("weight_decay", weightDecay, "a finite value >= 0");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException(NAME + ": nesterov momentum requires a momentum > 0 and zero "
                    + "dampening, got momentum " + momentum + " and dampening " + dampening);
        }
    }

    /** Momentum factor. */
    public double momentum() { return momentum; }
    /** Dampening. */
    public double dampening() { return dampening; }
    /** L2 weight decay. */
    public double weightDecay() { return weightDecay; }
    /** Whether Nesterov momentum is used. */
    public boolean nesterov() { return nesterov; }

    @Override
    protected String[] slots() {
        return hasBuffer ? MOMENTUM_SLOTS : NO_SLOTS;
    }

    @Override
    protected void update(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                          Buffer[] state, long step) {
        MemorySegment buf = hasBuffer ? seg(state, 0) : null;
        long bufOff = hasBuffer ? state[0].offset() : 0;
        kernels.sgd(dt, n, p, pOff, g, gOff, buf, bufOff, lr(), momentum, dampening, weightDecay, nesterov, step == 1);
    }

    @Override
    protected void writeHyper(Map<String, Double> out) {
        out.put("momentum", momentum);
        out.put("dampening", dampening);
        out.put("weight_decay", weightDecay);
        out.put("nesterov", nesterov ? 1.0 : 0.0);
    }

    @Override
    protected Runnable readHyper(Map<String, Double> in) {
        double mom = take(in, "momentum");
        double damp = take(in, "dampening");
        double wd = take(in, "weight_decay");
        boolean nest = take(in, "nesterov") != 0;
        noneLeft(in);
        validate(this, mom, damp, wd, nest);
        sameStructure("momentum != 0", hasBuffer, mom != 0 ? 1 : 0);
        return () -> {
            momentum = mom;
            dampening = damp;
            weightDecay = wd;
            nesterov = nest;
        };
    }
}
