package io.vecgrad.engine.internal.scalar;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.spi.UpdateKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The scalar twin of the fused optimizer updates: one plain loop per rule and element type,
 * the readable oracle of the <em>kernel</em> (the optimizer tests keep an even plainer
 * per-element formula over {@code double[]} as the oracle of the <em>rule</em>).
 *
 * <p><b>Order of operations.</b> Each formula is written as the exact sequence of roundings the
 * vector twin performs ({@link Math#fma} where it uses a fused multiply-add, correctly rounded
 * sqrt and division), so the two agree bit for bit; the vector kernels also call this class for
 * their tails. The sequence follows PyTorch's kernels: {@code addcdiv} is
 * {@code p + (value * t1) / t2}, {@code add(x, alpha)} is a multiply-add. f32 arithmetic is done
 * in {@code float} with the hyper-parameters rounded to float once, as PyTorch's float kernels
 * do.
 */
public final class ScalarUpdateKernels implements UpdateKernels {

    private static final ValueLayout.OfFloat LF = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble LD = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    /** The shared stateless instance. */
    public static final ScalarUpdateKernels INSTANCE = new ScalarUpdateKernels();

    /** Creates the (stateless) scalar update kernels; prefer {@link #INSTANCE}. */
    public ScalarUpdateKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    private static float gf(MemorySegment s, long off, long i) {
        return s.get(LF, (off + i) << 2);
    }

    private static void sf(MemorySegment s, long off, long i, float v) {
        s.set(LF, (off + i) << 2, v);
    }

    private static double gd(MemorySegment s, long off, long i) {
        return s.get(LD, (off + i) << 3);
    }

    private static void sd(MemorySegment s, long off, long i, double v) {
        s.set(LD, (off + i) << 3, v);
    }

    // Below each entry point, one private method per element type: a method that sees both
    // types is compiled for the first and deoptimises (possibly for good) when the other arrives.

    // ===================================================================================== SGD

    @Override
    public void sgd(DType dt, long n,
                    MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment buf, long bufOff,
                    double lr, double momentum, double dampening, double weightDecay,
                    boolean nesterov, boolean firstStep) {
        if (dt == DType.F32) {
            sgdF(n, p, pOff, g, gOff, buf, bufOff, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        } else {
            sgdD(n, p, pOff, g, gOff, buf, bufOff, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        }
    }

    private static void sgdF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                             MemorySegment buf, long bufOff, double lr, double momentum, double dampening,
                             double weightDecay, boolean nesterov, boolean firstStep) {
        boolean wdOn = weightDecay != 0;
        boolean momOn = momentum != 0;
        float nlr = (float) -lr;
        float mom = (float) momentum;
        float omd = (float) (1 - dampening);
        float wd = (float) weightDecay;
        for (long i = 0; i < n; i++) {
            float pi = gf(p, pOff, i);
            float d = gf(g, gOff, i);
            if (wdOn) {
                d = Math.fma(wd, pi, d);
            }
            if (momOn) {
                float b = firstStep ? d : Math.fma(omd, d, mom * gf(buf, bufOff, i));
                sf(buf, bufOff, i, b);
                d = nesterov ? Math.fma(mom, b, d) : b;
            }
            sf(p, pOff, i, Math.fma(nlr, d, pi));
        }
    }

    private static void sgdD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                             MemorySegment buf, long bufOff, double lr, double momentum, double dampening,
                             double weightDecay, boolean nesterov, boolean firstStep) {
        boolean wdOn = weightDecay != 0;
        boolean momOn = momentum != 0;
        double nlr = -lr;
        double omd = 1 - dampening;
        for (long i = 0; i < n; i++) {
            double pi = gd(p, pOff, i);
            double d = gd(g, gOff, i);
            if (wdOn) {
                d = Math.fma(weightDecay, pi, d);
            }
            if (momOn) {
                double b = firstStep ? d : Math.fma(omd, d, momentum * gd(buf, bufOff, i));
                sd(buf, bufOff, i, b);
                d = nesterov ? Math.fma(momentum, b, d) : b;
            }
            sd(p, pOff, i, Math.fma(nlr, d, pi));
        }
    }

    // ================================================================================= Adagrad

    @Override
    public void adagrad(DType dt, long n,
                        MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment sum, long sumOff,
                        double clr, double weightDecay, double eps) {
        if (dt == DType.F32) {
            adagradF(n, p, pOff, g, gOff, sum, sumOff, clr, weightDecay, eps);
        } else {
            adagradD(n, p, pOff, g, gOff, sum, sumOff, clr, weightDecay, eps);
        }
    }

    private static void adagradF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment sum, long sumOff, double clr, double weightDecay, double eps) {
        boolean wdOn = weightDecay != 0;
        float nclr = (float) -clr;
        float wd = (float) weightDecay;
        float ep = (float) eps;
        for (long i = 0; i < n; i++) {
            float pi = gf(p, pOff, i);
            float d = gf(g, gOff, i);
            if (wdOn) {
                d = Math.fma(wd, pi, d);
            }
            float s = Math.fma(d, d, gf(sum, sumOff, i));
            sf(sum, sumOff, i, s);
            float std = (float) Math.sqrt(s) + ep;
            sf(p, pOff, i, pi + (nclr * d) / std);
        }
    }

    private static void adagradD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment sum, long sumOff, double clr, double weightDecay, double eps) {
        boolean wdOn = weightDecay != 0;
        double nclr = -clr;
        for (long i = 0; i < n; i++) {
            double pi = gd(p, pOff, i);
            double d = gd(g, gOff, i);
            if (wdOn) {
                d = Math.fma(weightDecay, pi, d);
            }
            double s = Math.fma(d, d, gd(sum, sumOff, i));
            sd(sum, sumOff, i, s);
            double std = Math.sqrt(s) + eps;
            sd(p, pOff, i, pi + (nclr * d) / std);
        }
    }

    // ================================================================================= RMSprop

    @Override
    public void rmsprop(DType dt, long n,
                        MemorySegment p, long pOff, MemorySegment g, long gOff,
                        MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                        MemorySegment buf, long bufOff,
                        double lr, double alpha, double eps, double weightDecay, double momentum) {
        if (dt == DType.F32) {
            rmspropF(n, p, pOff, g, gOff, squareAvg, sqOff, gradAvg, gaOff, buf, bufOff,
                    lr, alpha, eps, weightDecay, momentum);
        } else {
            rmspropD(n, p, pOff, g, gOff, squareAvg, sqOff, gradAvg, gaOff, buf, bufOff,
                    lr, alpha, eps, weightDecay, momentum);
        }
    }

    private static void rmspropF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                                 MemorySegment buf, long bufOff, double lr, double alpha, double eps,
                                 double weightDecay, double momentum) {
        boolean wdOn = weightDecay != 0;
        boolean centered = gradAvg != null;
        boolean momOn = momentum > 0;
        float nlr = (float) -lr;
        float al = (float) alpha;
        float oma = (float) (1 - alpha);
        float ep = (float) eps;
        float wd = (float) weightDecay;
        float mom = (float) momentum;
        for (long i = 0; i < n; i++) {
            float pi = gf(p, pOff, i);
            float d = gf(g, gOff, i);
            if (wdOn) {
                d = Math.fma(wd, pi, d);
            }
            float sq = Math.fma(oma * d, d, gf(squareAvg, sqOff, i) * al);
            sf(squareAvg, sqOff, i, sq);
            float avg;
            if (centered) {
                float ga = Math.fma(d, oma, gf(gradAvg, gaOff, i) * al);
                sf(gradAvg, gaOff, i, ga);
                avg = (float) Math.sqrt(Math.fma(-ga, ga, sq)) + ep;
            } else {
                avg = (float) Math.sqrt(sq) + ep;
            }
            if (momOn) {
                float b = Math.fma(mom, gf(buf, bufOff, i), d / avg);
                sf(buf, bufOff, i, b);
                sf(p, pOff, i, Math.fma(nlr, b, pi));
            } else {
                sf(p, pOff, i, pi + (nlr * d) / avg);
            }
        }
    }

    private static void rmspropD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                                 MemorySegment buf, long bufOff, double lr, double alpha, double eps,
                                 double weightDecay, double momentum) {
        boolean wdOn = weightDecay != 0;
        boolean centered = gradAvg != null;
        boolean momOn = momentum > 0;
        double nlr = -lr;
        double oma = 1 - alpha;
        for (long i = 0; i < n; i++) {
            double pi = gd(p, pOff, i);
            double d = gd(g, gOff, i);
            if (wdOn) {
                d = Math.fma(weightDecay, pi, d);
            }
            double sq = Math.fma(oma * d, d, gd(squareAvg, sqOff, i) * alpha);
            sd(squareAvg, sqOff, i, sq);
            double avg;
            if (centered) {
                double ga = Math.fma(d, oma, gd(gradAvg, gaOff, i) * alpha);
                sd(gradAvg, gaOff, i, ga);
                avg = Math.sqrt(Math.fma(-ga, ga, sq)) + eps;
            } else {
                avg = Math.sqrt(sq) + eps;
            }
            if (momOn) {
                double b = Math.fma(momentum, gd(buf, bufOff, i), d / avg);
                sd(buf, bufOff, i, b);
                sd(p, pOff, i, Math.fma(nlr, b, pi));
            } else {
                sd(p, pOff, i, pi + (nlr * d) / avg);
            }
        }
    }

    // ==================================================================================== Adam

    /** {@code 1 - beta^step}, the bias correction of a moment with decay {@code beta}. */
    public static double biasCorrection(double beta, long step) {
        return 1 - Math.pow(beta, step);
    }

    @Override
    public void adam(DType dt, long n,
                     MemorySegment p, long pOff, MemorySegment g, long gOff,
                     MemorySegment m, long mOff, MemorySegment v, long vOff, MemorySegment vmax, long vmaxOff,
                     double lr, double beta1, double beta2, double eps, double weightDecay,
                     boolean decoupled, long step) {
        if (dt == DType.F32) {
            adamF(n, p, pOff, g, gOff, m, mOff, v, vOff, vmax, vmaxOff,
                    lr, beta1, beta2, eps, weightDecay, decoupled, step);
        } else {
            adamD(n, p, pOff, g, gOff, m, mOff, v, vOff, vmax, vmaxOff,
                    lr, beta1, beta2, eps, weightDecay, decoupled, step);
        }
    }

    private static void adamF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m,
                              long mOff, MemorySegment v, long vOff, MemorySegment vmax, long vmaxOff,
                              double lr, double beta1, double beta2, double eps, double weightDecay,
                              boolean decoupled, long step) {
        boolean l2 = weightDecay != 0 && !decoupled;
        boolean decay = weightDecay != 0 && decoupled;
        boolean ams = vmax != null;
        double nStepSize = -(lr / biasCorrection(beta1, step));
        double bc2Sqrt = Math.sqrt(biasCorrection(beta2, step));
        float nss = (float) nStepSize;
        float bc2 = (float) bc2Sqrt;
        float b1 = (float) beta1;
        float omb1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float omb2 = (float) (1 - beta2);
        float ep = (float) eps;
        float wd = (float) weightDecay;
        float keep = (float) (1 - lr * weightDecay);
        for (long i = 0; i < n; i++) {
            float pi = gf(p, pOff, i);
            float d = gf(g, gOff, i);
            if (decay) {
                pi = pi * keep;
            }
            if (l2) {
                d = Math.fma(wd, pi, d);
            }
            float mi = Math.fma(d, omb1, gf(m, mOff, i) * b1);
            float vi = Math.fma(omb2 * d, d, gf(v, vOff, i) * b2);
            sf(m, mOff, i, mi);
            sf(v, vOff, i, vi);
            if (ams) {
                vi = Math.max(gf(vmax, vmaxOff, i), vi);
                sf(vmax, vmaxOff, i, vi);
            }
            float denom = (float) Math.sqrt(vi) / bc2 + ep;
            sf(p, pOff, i, pi + (nss * mi) / denom);
        }
    }

    private static void adamD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment m,
                              long mOff, MemorySegment v, long vOff, MemorySegment vmax, long vmaxOff,
                              double lr, double beta1, double beta2, double eps, double weightDecay,
                              boolean decoupled, long step) {
        boolean l2 = weightDecay != 0 && !decoupled;
        boolean decay = weightDecay != 0 && decoupled;
        boolean ams = vmax != null;
        double nStepSize = -(lr / biasCorrection(beta1, step));
        double bc2Sqrt = Math.sqrt(biasCorrection(beta2, step));
        double omb1 = 1 - beta1;
        double omb2 = 1 - beta2;
        double keep = 1 - lr * weightDecay;
        for (long i = 0; i < n; i++) {
            double pi = gd(p, pOff, i);
            double d = gd(g, gOff, i);
            if (decay) {
                pi = pi * keep;
            }
            if (l2) {
                d = Math.fma(weightDecay, pi, d);
            }
            double mi = Math.fma(d, omb1, gd(m, mOff, i) * beta1);
            double vi = Math.fma(omb2 * d, d, gd(v, vOff, i) * beta2);
            sd(m, mOff, i, mi);
            sd(v, vOff, i, vi);
            if (ams) {
                vi = Math.max(gd(vmax, vmaxOff, i), vi);
                sd(vmax, vmaxOff, i, vi);
            }
            double denom = Math.sqrt(vi) / bc2Sqrt + eps;
            sd(p, pOff, i, pi + (nStepSize * mi) / denom);
        }
    }
}
