package io.vecgrad.optim;

/**
 * The oracle of the optimizer <em>rules</em>: PyTorch 1.13's single-tensor update rules written
 * as plain per-element loops over {@code double[]}, straight from the acceptance README, with no
 * attention to speed or rounding order. One instance holds the state of one parameter.
 */
final class PlainRules {
    private PlainRules() {}

    /** One parameter's state for any rule. */
    static final class State {
        long step;
        double[] buf;
        double[] sum;
        double[] sq;
        double[] ga;
        double[] m;
        double[] v;
        double[] vmax;
    }

    static void sgd(double[] p, double[] grad, State s, double lr, double momentum, double dampening,
                    double wd, boolean nesterov) {
        s.step++;
        boolean first = s.buf == null;
        if (first) {
            s.buf = new double[p.length];
        }
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            if (wd != 0) {
                g = g + wd * p[i];
            }
            if (momentum != 0) {
                if (first) {
                    s.buf[i] = g;
                } else {
                    s.buf[i] = momentum * s.buf[i] + (1 - dampening) * g;
                }
                g = nesterov ? g + momentum * s.buf[i] : s.buf[i];
            }
            p[i] = p[i] - lr * g;
        }
    }

    static void adagrad(double[] p, double[] grad, State s, double lr, double lrDecay, double wd,
                        double init, double eps) {
        if (s.sum == null) {
            s.sum = new double[p.length];
            java.util.Arrays.fill(s.sum, init);
        }
        s.step++;
        double clr = lr / (1 + (s.step - 1) * lrDecay);
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            if (wd != 0) {
                g = g + wd * p[i];
            }
            s.sum[i] = s.sum[i] + g * g;
            p[i] = p[i] - clr * g / (Math.sqrt(s.sum[i]) + eps);
        }
    }

    static void rmsprop(double[] p, double[] grad, State s, double lr, double alpha, double eps, double wd,
                        double momentum, boolean centered) {
        if (s.sq == null) {
            s.sq = new double[p.length];
            s.ga = new double[p.length];
            s.buf = new double[p.length];
        }
        s.step++;
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            if (wd != 0) {
                g = g + wd * p[i];
            }
            s.sq[i] = alpha * s.sq[i] + (1 - alpha) * g * g;
            double avg;
            if (centered) {
                s.ga[i] = alpha * s.ga[i] + (1 - alpha) * g;
                avg = Math.sqrt(s.sq[i] - s.ga[i] * s.ga[i]) + eps;
            } else {
                avg = Math.sqrt(s.sq[i]) + eps;
            }
            if (momentum > 0) {
                s.buf[i] = momentum * s.buf[i] + g / avg;
                p[i] = p[i] - lr * s.buf[i];
            } else {
                p[i] = p[i] - lr * g / avg;
            }
        }
    }

    static void adam(double[] p, double[] grad, State s, double lr, double beta1, double beta2, double eps,
                     double wd, boolean amsgrad, boolean decoupled) {
        if (s.m == null) {
            s.m = new double[p.length];
            s.v = new double[p.length];
            s.vmax = new double[p.length];
        }
        s.step++;
        long t = s.step;
        for (int i = 0; i < p.length; i++) {
            double g = grad[i];
            if (decoupled) {
                p[i] = p[i] * (1 - lr * wd);
            } else if (wd != 0) {
                g = g + wd * p[i];
            }
            s.m[i] = beta1 * s.m[i] + (1 - beta1) * g;
            s.v[i] = beta2 * s.v[i] + (1 - beta2) * g * g;
            double vv = s.v[i];
            if (amsgrad) {
                s.vmax[i] = Math.max(s.vmax[i], s.v[i]);
                vv = s.vmax[i];
            }
            double denom = Math.sqrt(vv) / Math.sqrt(1 - Math.pow(beta2, t)) + eps;
            p[i] = p[i] - (lr / (1 - Math.pow(beta1, t))) * s.m[i] / denom;
        }
    }
}
