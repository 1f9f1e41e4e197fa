package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (PyTorch 1.13 {@code torch.optim.Adagrad}). For each parameter p with gradient g at
 * its step t = 1, 2, ...:
 * <pre>
 * g   = g + weight_decay * p                    if weight_decay != 0
 * clr = lr / (1 + (t - 1) * lr_decay)
 * sum = sum + g * g                             sum starts at initial_accumulator_value
 * p   = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 * State: {@code sum}.
 *
 * <pre>{@code
 * Adagrad opt = Adagrad.builder(params).lr(0.1).build();
 * }</pre>
 */
public final class Adagrad extends Optimizer {
    private static final String NAME = "Adagrad";
    private static final String[] SLOTS = {"sum"};

    private double lrDecay;
    private double weightDecay;
    private double initialAccumulatorValue;
    private double eps;

    private Adagrad(Builder b) {
        super(NAME, b.params, b.lr);
        validate(this, b.lrDecay, b.weightDecay, b.initialAccumulatorValue, b.eps);
        lrDecay = b.lrDecay;
        weightDecay = b.weightDecay;
        initialAccumulatorValue = b.initialAccumulatorValue;
        eps = b.eps;
    }

    /** A builder over these parameters with PyTorch's defaults. */
    public static Builder builder(Iterable<Tensor> params) {
        return new Builder(list(params));
    }

    /** A builder over these parameters with PyTorch's defaults. */
    public static Builder builder(Tensor... params) {
        return new Builder(List.of(params));
    }

    /** Defaults: lr 0.01, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10. */
    public static final class Builder {
        private final List<Tensor> params;
        private double lr = 0.01;
        private double lrDecay;
        private double weightDecay;
        private double initialAccumulatorValue;
        private double eps = 1e-10;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate, {@code >= 0} (default 0.01). */
        public Builder lr(double lr) { this.lr = lr; return this; }
        /** Learning-rate decay per step, {@code >= 0} (default 0). */
        public Builder lrDecay(double lrDecay) { this.lrDecay = lrDecay; return this; }
        /** L2 penalty, {@code >= 0} (default 0). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }
        /** Starting value of the accumulator, {@code >= 0} (default 0). */
        public Builder initialAccumulatorValue(double v) { this.initialAccumulatorValue = v; return this; }
        /** Added to the denominator, {@code >= 0} (default 1e-10). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException if a hyper-parameter is invalid
         */
        public Adagrad build() {
            return new Adagrad(this);
        }
    }

    private static void validate(Optimizer o, double lrDecay, double weightDecay, double init, double eps) {
        nonNegative(o, "lr_decay", lrDecay);
        nonNegative(o, "weight_decay", weightDecay);
        nonNegative(o, "initial_accumulator_value", init);
        nonNegative(o, "eps", eps);
    }

    static void nonNegative(Optimizer o, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw o.invalid(name, v, "a finite value >= 0");
        }
    }

    /** Learning-rate decay. */
    public double lrDecay() { return lrDecay; }
    /** L2 weight decay. */
    public double weightDecay() { return weightDecay; }
    /** Starting value of the accumulator. */
    public double initialAccumulatorValue() { return initialAccumulatorValue; }
    /** Denominator epsilon. */
    public double eps() { return eps; }

    @Override
    protected String[] slots() {
        return SLOTS;
    }

    @Override
    protected double initialValue(int slot) {
        return initialAccumulatorValue;
    }

    @Override
    protected void update(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                          Buffer[] state, long step) {
        double clr = lr() / (1 + (step - 1) * lrDecay);
        kernels.adagrad(dt, n, p, pOff, g, gOff, seg(state, 0), state[0].offset(), clr, weightDecay, eps);
    }

    @Override
    protected void writeHyper(Map<String, Double> out) {
        out.put("lr_decay", lrDecay);
        out.put("weight_decay", weightDecay);
        out.put("initial_accumulator_value", initialAccumulatorValue);
        out.put("eps", eps);
    }

    @Override
    protected Runnable readHyper(Map<String, Double> in) {
        double d = take(in, "lr_decay");
        double wd = take(in, "weight_decay");
        double init = take(in, "initial_accumulator_value");
        double e = take(in, "eps");
        noneLeft(in);
        validate(this, d, wd, init, e);
        return () -> {
            lrDecay = d;
            weightDecay = wd;
            initialAccumulatorValue = init;
            eps = e;
        };
    }
}
