package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import java.util.List;

/**
 * Adam and AMSGrad with L2 weight decay (PyTorch 1.13 {@code torch.optim.Adam}). For each
 * parameter p with gradient g at its step t = 1, 2, ...:
 * <pre>
 * g     = g + weight_decay * p                      if weight_decay != 0 (L2: enters the moments)
 * m     = beta1 * m + (1 - beta1) * g
 * v     = beta2 * v + (1 - beta2) * g * g
 * vmax  = max(vmax, v);  use vmax for v below        if amsgrad
 * denom = sqrt(v) / sqrt(1 - beta2^t) + eps
 * p     = p - (lr / (1 - beta1^t)) * m / denom
 * </pre>
 * State: {@code exp_avg} (m), {@code exp_avg_sq} (v), and {@code max_exp_avg_sq} (vmax) with
 * AMSGrad. For decoupled weight decay use {@link AdamW}.
 *
 * <pre>{@code
 * Adam opt = Adam.builder(params).lr(1e-3).betas(0.9, 0.999).build();
 * }</pre>
 */
public final class Adam extends AdamFamily {
    private Adam(Builder b) {
        super("Adam", b.params, b.lr, b.beta1, b.beta2, b.eps, b.weightDecay, b.amsgrad, false);
    }

    /** A builder over these parameters with PyTorch's defaults. */
    public static Builder builder(Iterable<Tensor> params) {
        return new Builder(list(params));
    }

    /** A builder over these parameters with PyTorch's defaults. */
    public static Builder builder(Tensor... params) {
        return new Builder(List.of(params));
    }

    /** Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false. */
    public static final class Builder {
        private final List<Tensor> params;
        private double lr = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 0;
        private boolean amsgrad;

        private Builder(List<Tensor> params) {
            this.params = params;
        }

        /** Learning rate, {@code >= 0} (default 1e-3). */
        public Builder lr(double lr) { this.lr = lr; return this; }
        /** Moment decays, each in [0, 1) (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return this; }
        /** Added to the denominator, {@code >= 0} (default 1e-8). */
        public Builder eps(double eps) { this.eps = eps; return this; }
        /** Weight decay, {@code >= 0} (default 0). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }
        /** Use AMSGrad (default false). */
        public Builder amsgrad(boolean amsgrad) { this.amsgrad = amsgrad; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException if a hyper-parameter is invalid
         */
        public Adam build() {
            return new Adam(this);
        }
    }
}
