package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * What {@link Adam} and {@link AdamW} share: the moments, AMSGrad and the bias corrections;
 * they differ only in how weight decay enters (L2 term in the gradient vs decoupled shrinking
 * of the parameter).
 */
abstract sealed class AdamFamily extends Optimizer permits Adam, AdamW {
    private static final String[] SLOTS = {"exp_avg", "exp_avg_sq"};
    private static final String[] AMS_SLOTS = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};

    private double beta1;
    private double beta2;
    private double eps;
    private double weightDecay;
    private final boolean amsgrad;
    private final boolean decoupled;

    AdamFamily(String name, List<Tensor> params, double lr, double beta1, double beta2, double eps,
               double weightDecay, boolean amsgrad, boolean decoupled) {
        super(name, params, lr);
        validate(beta1, beta2, eps, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    private void validate(double beta1, double beta2, double eps, double weightDecay) {
        Adagrad.nonNegative(this, "eps", eps);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw invalid("beta1 (betas[0])", beta1, "0 <= beta1 < 1");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw invalid("beta2 (betas[1])", beta2, "0 <= beta2 < 1");
        }
        Adagrad.nonNegative(this, "weight_decay", weightDecay);
    }

    /** First-moment decay. */
    public final double beta1() { return beta1; }
    /** Second-moment decay. */
    public final double beta2() { return beta2; }
    /** Denominator epsilon. */
    public final double eps() { return eps; }
    /** Weight decay (L2 for Adam, decoupled for AdamW). */
    public final double weightDecay() { return weightDecay; }
    /** Whether the AMSGrad variant (running maximum of the second moment) is used. */
    public final boolean amsgrad() { return amsgrad; }

    @Override
    protected final String[] slots() {
        return amsgrad ? AMS_SLOTS : SLOTS;
    }

    @Override
    protected final void update(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                Buffer[] state, long step) {
        MemorySegment vmax = amsgrad ? seg(state, 2) : null;
        long vmaxOff = amsgrad ? state[2].offset() : 0;
        kernels.adam(dt, n, p, pOff, g, gOff, seg(state, 0), state[0].offset(), seg(state, 1), state[1].offset(),
                vmax, vmaxOff, lr(), beta1, beta2, eps, weightDecay, decoupled, step);
    }

    @Override
    protected final void writeHyper(Map<String, Double> out) {
        out.put("betas.0", beta1);
        out.put("betas.1", beta2);
        out.put("eps", eps);
        out.put("weight_decay", weightDecay);
        out.put("amsgrad", amsgrad ? 1.0 : 0.0);
    }

    @Override
    protected final Runnable readHyper(Map<String, Double> in) {
        double b1 = take(in, "betas.0");
        double b2 = take(in, "betas.1");
        double e = take(in, "eps");
        double wd = take(in, "weight_decay");
        double ams = take(in, "amsgrad");
        noneLeft(in);
        validate(b1, b2, e, wd);
        sameStructure("amsgrad", amsgrad, ams);
        return () -> {
            beta1 = b1;
            beta2 = b2;
            eps = e;
            weightDecay = wd;
        };
    }
}
