package io.vecgrad.engine.internal.vector;

import io.vecgrad.engine.DType;
import io.vecgrad.engine.internal.scalar.ScalarUpdateKernels;
import io.vecgrad.engine.spi.UpdateKernels;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Vector API twins of {@link ScalarUpdateKernels}: one unmasked loop up to
 * {@code loopBound(n)} per rule and element type, then the scalar twin finishes the tail (fewer
 * than one vector of elements). Each loop performs exactly the scalar twin's sequence of
 * roundings (same fused multiply-adds, correctly rounded sqrt and division), so results are bit
 * identical to it at every vector width; f32 math stays in f32.
 *
 * <p>The option flags are loop invariants tested inside the loop; C2 unswitches them (the
 * measured cost against hand-specialised loops is within noise, the loops being bound by
 * memory bandwidth for parameters beyond the caches).
 *
 * <p>Loads and stores are written out in the loops rather than through small helper methods:
 * a helper that gets hot and compiled on its own before the loop is compiled can be too big
 * (in machine code) for C2 to inline later, and then every vector crossing the call is boxed on
 * the heap. Keeping the whole body in one method leaves C2 nothing to decline.
 */
public final class VectorUpdateKernels implements UpdateKernels {

    private static final ByteOrder BO = ByteOrder.nativeOrder();
    private static final ScalarUpdateKernels TAIL = ScalarUpdateKernels.INSTANCE;

    /** Creates the (stateless) vector update kernels at {@link VectorConfig#BITS}. */
    public VectorUpdateKernels() {}

    @Override
    public String name() {
        return "vector-" + VectorConfig.BITS;
    }

    // ===================================================================================== SGD

    @Override
    public void sgd(DType dt, long n,
                    MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment buf, long bufOff,
                    double lr, double momentum, double dampening, double weightDecay,
                    boolean nesterov, boolean firstStep) {
        long i = dt == DType.F32
                ? sgdF(n, p, pOff, g, gOff, buf, bufOff, lr, momentum, dampening, weightDecay,
                        nesterov, firstStep)
                : sgdD(n, p, pOff, g, gOff, buf, bufOff, lr, momentum, dampening, weightDecay,
                        nesterov, firstStep);
        if (i < n) {
            TAIL.sgd(dt, n - i, p, pOff + i, g, gOff + i, buf, bufOff + i,
                    lr, momentum, dampening, weightDecay, nesterov, firstStep);
        }
    }

    private static long sgdF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                             MemorySegment buf, long bufOff, double lr, double momentum, double dampening,
                             double weightDecay, boolean nesterov, boolean firstStep) {
        final boolean wdOn = weightDecay != 0;
        final boolean momOn = momentum != 0;
        final float nlr = (float) -lr;
        final float mom = (float) momentum;
        final float omd = (float) (1 - dampening);
        final float wd = (float) weightDecay;
        final FloatVector momV = FloatVector.broadcast(VectorConfig.F, mom);
        final FloatVector nlrV = FloatVector.broadcast(VectorConfig.F, nlr);
        final FloatVector omdV = FloatVector.broadcast(VectorConfig.F, omd);
        final FloatVector wdV = FloatVector.broadcast(VectorConfig.F, wd);
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector pv = FloatVector.fromMemorySegment(VectorConfig.F, p, (pOff + i) << 2, BO);
            FloatVector d = FloatVector.fromMemorySegment(VectorConfig.F, g, (gOff + i) << 2, BO);
            if (wdOn) {
                d = pv.fma(wdV, d);
            }
            if (momOn) {
                FloatVector b = d;
                if (!firstStep) {
                    FloatVector old = FloatVector.fromMemorySegment(VectorConfig.F, buf, (bufOff + i) << 2, BO);
                    b = d.fma(omdV, old.mul(mom));
                }
                Mem.st(b, buf, (bufOff + i) << 2);
                d = nesterov ? b.fma(momV, d) : b;
            }
            Mem.st(d.fma(nlrV, pv), p, (pOff + i) << 2);
        }
        return i;
    }

    private static long sgdD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                             MemorySegment buf, long bufOff, double lr, double momentum, double dampening,
                             double weightDecay, boolean nesterov, boolean firstStep) {
        final boolean wdOn = weightDecay != 0;
        final boolean momOn = momentum != 0;
        final double nlr = -lr;
        final double omd = 1 - dampening;
        final DoubleVector momentumV = DoubleVector.broadcast(VectorConfig.D, momentum);
        final DoubleVector nlrV = DoubleVector.broadcast(VectorConfig.D, nlr);
        final DoubleVector omdV = DoubleVector.broadcast(VectorConfig.D, omd);
        final DoubleVector weightDecayV = DoubleVector.broadcast(VectorConfig.D, weightDecay);
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector pv = DoubleVector.fromMemorySegment(VectorConfig.D, p, (pOff + i) << 3, BO);
            DoubleVector d = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + i) << 3, BO);
            if (wdOn) {
                d = pv.fma(weightDecayV, d);
            }
            if (momOn) {
                DoubleVector b = d;
                if (!firstStep) {
                    DoubleVector old = DoubleVector.fromMemorySegment(VectorConfig.D, buf, (bufOff + i) << 3, BO);
                    b = d.fma(omdV, old.mul(momentum));
                }
                Mem.st(b, buf, (bufOff + i) << 3);
                d = nesterov ? b.fma(momentumV, d) : b;
            }
            Mem.st(d.fma(nlrV, pv), p, (pOff + i) << 3);
        }
        return i;
    }

    // ================================================================================= Adagrad

    @Override
    public void adagrad(DType dt, long n,
                        MemorySegment p, long pOff, MemorySegment g, long gOff, MemorySegment sum, long sumOff,
                        double clr, double weightDecay, double eps) {
        long i = dt == DType.F32
                ? adagradF(n, p, pOff, g, gOff, sum, sumOff, clr, weightDecay, eps)
                : adagradD(n, p, pOff, g, gOff, sum, sumOff, clr, weightDecay, eps);
        if (i < n) {
            TAIL.adagrad(dt, n - i, p, pOff + i, g, gOff + i, sum, sumOff + i, clr, weightDecay, eps);
        }
    }

    private static long adagradF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment sum, long sumOff, double clr, double weightDecay, double eps) {
        final boolean wdOn = weightDecay != 0;
        final float nclr = (float) -clr;
        final float wd = (float) weightDecay;
        final float ep = (float) eps;
        final FloatVector wdV = FloatVector.broadcast(VectorConfig.F, wd);
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector pv = FloatVector.fromMemorySegment(VectorConfig.F, p, (pOff + i) << 2, BO);
            FloatVector d = FloatVector.fromMemorySegment(VectorConfig.F, g, (gOff + i) << 2, BO);
            if (wdOn) {
                d = pv.fma(wdV, d);
            }
            FloatVector so = FloatVector.fromMemorySegment(VectorConfig.F, sum, (sumOff + i) << 2, BO);
            FloatVector s = d.fma(d, so);
            Mem.st(s, sum, (sumOff + i) << 2);
            FloatVector std = s.sqrt().add(ep);
            Mem.st(pv.add(d.mul(nclr).div(std)), p, (pOff + i) << 2);
        }
        return i;
    }

    private static long adagradD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment sum, long sumOff, double clr, double weightDecay, double eps) {
        final boolean wdOn = weightDecay != 0;
        final double nclr = -clr;
        final DoubleVector weightDecayV = DoubleVector.broadcast(VectorConfig.D, weightDecay);
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector pv = DoubleVector.fromMemorySegment(VectorConfig.D, p, (pOff + i) << 3, BO);
            DoubleVector d = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + i) << 3, BO);
            if (wdOn) {
                d = pv.fma(weightDecayV, d);
            }
            DoubleVector so = DoubleVector.fromMemorySegment(VectorConfig.D, sum, (sumOff + i) << 3, BO);
            DoubleVector s = d.fma(d, so);
            Mem.st(s, sum, (sumOff + i) << 3);
            DoubleVector std = s.sqrt().add(eps);
            Mem.st(pv.add(d.mul(nclr).div(std)), p, (pOff + i) << 3);
        }
        return i;
    }

    // ================================================================================= RMSprop

    @Override
    public void rmsprop(DType dt, long n,
                        MemorySegment p, long pOff, MemorySegment g, long gOff,
                        MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                        MemorySegment buf, long bufOff,
                        double lr, double alpha, double eps, double weightDecay, double momentum) {
        long i = dt == DType.F32
                ? rmspropF(n, p, pOff, g, gOff, squareAvg, sqOff, gradAvg, gaOff, buf, bufOff,
                        lr, alpha, eps, weightDecay, momentum)
                : rmspropD(n, p, pOff, g, gOff, squareAvg, sqOff, gradAvg, gaOff, buf, bufOff,
                        lr, alpha, eps, weightDecay, momentum);
        if (i < n) {
            TAIL.rmsprop(dt, n - i, p, pOff + i, g, gOff + i, squareAvg, sqOff + i, gradAvg, gaOff + i,
                    buf, bufOff + i, lr, alpha, eps, weightDecay, momentum);
        }
    }

    private static long rmspropF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                                 MemorySegment buf, long bufOff,
                                 double lr, double alpha, double eps, double weightDecay, double momentum) {
        final boolean wdOn = weightDecay != 0;
        final boolean centered = gradAvg != null;
        final boolean momOn = momentum > 0;
        final float nlr = (float) -lr;
        final float al = (float) alpha;
        final float oma = (float) (1 - alpha);
        final float ep = (float) eps;
        final float wd = (float) weightDecay;
        final float mom = (float) momentum;
        final FloatVector momV = FloatVector.broadcast(VectorConfig.F, mom);
        final FloatVector nlrV = FloatVector.broadcast(VectorConfig.F, nlr);
        final FloatVector omaV = FloatVector.broadcast(VectorConfig.F, oma);
        final FloatVector wdV = FloatVector.broadcast(VectorConfig.F, wd);
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector pv = FloatVector.fromMemorySegment(VectorConfig.F, p, (pOff + i) << 2, BO);
            FloatVector d = FloatVector.fromMemorySegment(VectorConfig.F, g, (gOff + i) << 2, BO);
            if (wdOn) {
                d = pv.fma(wdV, d);
            }
            FloatVector sqo = FloatVector.fromMemorySegment(VectorConfig.F, squareAvg, (sqOff + i) << 2, BO);
            FloatVector sq = d.mul(oma).fma(d, sqo.mul(al));
            Mem.st(sq, squareAvg, (sqOff + i) << 2);
            FloatVector avg;
            if (centered) {
                FloatVector gao = FloatVector.fromMemorySegment(VectorConfig.F, gradAvg, (gaOff + i) << 2, BO);
                FloatVector ga = d.fma(omaV, gao.mul(al));
                Mem.st(ga, gradAvg, (gaOff + i) << 2);
                avg = ga.neg().fma(ga, sq).sqrt().add(ep);
            } else {
                avg = sq.sqrt().add(ep);
            }
            if (momOn) {
                FloatVector bo = FloatVector.fromMemorySegment(VectorConfig.F, buf, (bufOff + i) << 2, BO);
                FloatVector b = bo.fma(momV, d.div(avg));
                Mem.st(b, buf, (bufOff + i) << 2);
                Mem.st(b.fma(nlrV, pv), p, (pOff + i) << 2);
            } else {
                Mem.st(pv.add(d.mul(nlr).div(avg)), p, (pOff + i) << 2);
            }
        }
        return i;
    }

    private static long rmspropD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                 MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                                 MemorySegment buf, long bufOff,
                                 double lr, double alpha, double eps, double weightDecay, double momentum) {
        final boolean wdOn = weightDecay != 0;
        final boolean centered = gradAvg != null;
        final boolean momOn = momentum > 0;
        final double nlr = -lr;
        final double oma = 1 - alpha;
        final DoubleVector momentumV = DoubleVector.broadcast(VectorConfig.D, momentum);
        final DoubleVector nlrV = DoubleVector.broadcast(VectorConfig.D, nlr);
        final DoubleVector omaV = DoubleVector.broadcast(VectorConfig.D, oma);
        final DoubleVector weightDecayV = DoubleVector.broadcast(VectorConfig.D, weightDecay);
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector pv = DoubleVector.fromMemorySegment(VectorConfig.D, p, (pOff + i) << 3, BO);
            DoubleVector d = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + i) << 3, BO);
            if (wdOn) {
                d = pv.fma(weightDecayV, d);
            }
            DoubleVector sqo = DoubleVector.fromMemorySegment(VectorConfig.D, squareAvg, (sqOff + i) << 3, BO);
            DoubleVector sq = d.mul(oma).fma(d, sqo.mul(alpha));
            Mem.st(sq, squareAvg, (sqOff + i) << 3);
            DoubleVector avg;
            if (centered) {
                DoubleVector gao = DoubleVector.fromMemorySegment(VectorConfig.D, gradAvg, (gaOff + i) << 3, BO);
                DoubleVector ga = d.fma(omaV, gao.mul(alpha));
                Mem.st(ga, gradAvg, (gaOff + i) << 3);
                avg = ga.neg().fma(ga, sq).sqrt().add(eps);
            } else {
                avg = sq.sqrt().add(eps);
            }
            if (momOn) {
                DoubleVector bo = DoubleVector.fromMemorySegment(VectorConfig.D, buf, (bufOff + i) << 3, BO);
                DoubleVector b = bo.fma(momentumV, d.div(avg));
                Mem.st(b, buf, (bufOff + i) << 3);
                Mem.st(b.fma(nlrV, pv), p, (pOff + i) << 3);
            } else {
                Mem.st(pv.add(d.mul(nlr).div(avg)), p, (pOff + i) << 3);
            }
        }
        return i;
    }

    // ==================================================================================== Adam

    @Override
    public void adam(DType dt, long n,
                     MemorySegment p, long pOff, MemorySegment g, long gOff,
                     MemorySegment m, long mOff, MemorySegment v, long vOff, MemorySegment vmax, long vmaxOff,
                     double lr, double beta1, double beta2, double eps, double weightDecay,
                     boolean decoupled, long step) {
        long i = dt == DType.F32
                ? adamF(n, p, pOff, g, gOff, m, mOff, v, vOff, vmax, vmaxOff,
                        lr, beta1, beta2, eps, weightDecay, decoupled, step)
                : adamD(n, p, pOff, g, gOff, m, mOff, v, vOff, vmax, vmaxOff,
                        lr, beta1, beta2, eps, weightDecay, decoupled, step);
        if (i < n) {
            TAIL.adam(dt, n - i, p, pOff + i, g, gOff + i, m, mOff + i, v, vOff + i, vmax, vmaxOff + i,
                    lr, beta1, beta2, eps, weightDecay, decoupled, step);
        }
    }

    private static long adamF(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                              MemorySegment m, long mOff, MemorySegment v, long vOff,
                              MemorySegment vmax, long vmaxOff,
                              double lr, double beta1, double beta2, double eps, double weightDecay,
                              boolean decoupled, long step) {
        final boolean l2 = weightDecay != 0 && !decoupled;
        final boolean decay = weightDecay != 0 && decoupled;
        final boolean ams = vmax != null;
        final float nss = (float) -(lr / ScalarUpdateKernels.biasCorrection(beta1, step));
        final float bc2 = (float) Math.sqrt(ScalarUpdateKernels.biasCorrection(beta2, step));
        final float b1 = (float) beta1;
        final float omb1 = (float) (1 - beta1);
        final float b2 = (float) beta2;
        final float omb2 = (float) (1 - beta2);
        final float ep = (float) eps;
        final float wd = (float) weightDecay;
        final float keep = (float) (1 - lr * weightDecay);
        final FloatVector omb1V = FloatVector.broadcast(VectorConfig.F, omb1);
        final FloatVector wdV = FloatVector.broadcast(VectorConfig.F, wd);
        final long ub = VectorConfig.F.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.FL) {
            FloatVector pv = FloatVector.fromMemorySegment(VectorConfig.F, p, (pOff + i) << 2, BO);
            FloatVector d = FloatVector.fromMemorySegment(VectorConfig.F, g, (gOff + i) << 2, BO);
            if (decay) {
                pv = pv.mul(keep);
            }
            if (l2) {
                d = pv.fma(wdV, d);
            }
            FloatVector mo = FloatVector.fromMemorySegment(VectorConfig.F, m, (mOff + i) << 2, BO);
            FloatVector mv = d.fma(omb1V, mo.mul(b1));
            FloatVector vo = FloatVector.fromMemorySegment(VectorConfig.F, v, (vOff + i) << 2, BO);
            FloatVector vv = d.mul(omb2).fma(d, vo.mul(b2));
            Mem.st(mv, m, (mOff + i) << 2);
            Mem.st(vv, v, (vOff + i) << 2);
            if (ams) {
                vv = FloatVector.fromMemorySegment(VectorConfig.F, vmax, (vmaxOff + i) << 2, BO).max(vv);
                Mem.st(vv, vmax, (vmaxOff + i) << 2);
            }
            FloatVector denom = vv.sqrt().div(bc2).add(ep);
            Mem.st(pv.add(mv.mul(nss).div(denom)), p, (pOff + i) << 2);
        }
        return i;
    }

    private static long adamD(long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                              MemorySegment m, long mOff, MemorySegment v, long vOff,
                              MemorySegment vmax, long vmaxOff,
                              double lr, double beta1, double beta2, double eps, double weightDecay,
                              boolean decoupled, long step) {
        final boolean l2 = weightDecay != 0 && !decoupled;
        final boolean decay = weightDecay != 0 && decoupled;
        final boolean ams = vmax != null;
        final double nss = -(lr / ScalarUpdateKernels.biasCorrection(beta1, step));
        final double bc2 = Math.sqrt(ScalarUpdateKernels.biasCorrection(beta2, step));
        final double omb1 = 1 - beta1;
        final double omb2 = 1 - beta2;
        final double keep = 1 - lr * weightDecay;
        final DoubleVector omb1V = DoubleVector.broadcast(VectorConfig.D, omb1);
        final DoubleVector weightDecayV = DoubleVector.broadcast(VectorConfig.D, weightDecay);
        final long ub = VectorConfig.D.loopBound(n);
        long i = 0;
        for (; i < ub; i += VectorConfig.DL) {
            DoubleVector pv = DoubleVector.fromMemorySegment(VectorConfig.D, p, (pOff + i) << 3, BO);
            DoubleVector d = DoubleVector.fromMemorySegment(VectorConfig.D, g, (gOff + i) << 3, BO);
            if (decay) {
                pv = pv.mul(keep);
            }
            if (l2) {
                d = pv.fma(weightDecayV, d);
            }
            DoubleVector mo = DoubleVector.fromMemorySegment(VectorConfig.D, m, (mOff + i) << 3, BO);
            DoubleVector mv = d.fma(omb1V, mo.mul(beta1));
            DoubleVector vo = DoubleVector.fromMemorySegment(VectorConfig.D, v, (vOff + i) << 3, BO);
            DoubleVector vv = d.mul(omb2).fma(d, vo.mul(beta2));
            Mem.st(mv, m, (mOff + i) << 3);
            Mem.st(vv, v, (vOff + i) << 3);
            if (ams) {
                vv = DoubleVector.fromMemorySegment(VectorConfig.D, vmax, (vmaxOff + i) << 3, BO).max(vv);
                Mem.st(vv, vmax, (vmaxOff + i) << 3);
            }
            DoubleVector denom = vv.sqrt().div(bc2).add(eps);
            Mem.st(pv.add(mv.mul(nss).div(denom)), p, (pOff + i) << 3);
        }
        return i;
    }
}
