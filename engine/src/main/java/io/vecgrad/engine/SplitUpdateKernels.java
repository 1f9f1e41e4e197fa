package io.vecgrad.engine;

import io.vecgrad.engine.spi.UpdateKernels;
import java.lang.foreign.MemorySegment;

/**
 * The fused optimizer updates of a delegate, split across the engine's pool when a parameter is
 * large enough (see {@link Splitter}: fixed element boundaries, every update elementwise, so the
 * results are bit-identical at any thread count). Share jobs are per-thread and reused: no
 * allocation per call.
 */
final class SplitUpdateKernels implements UpdateKernels {
    /**
     * Elements per share below which an update stays on the calling thread. SGD is a few
     * memory-bound operations per element; the Adam family, Adagrad and RMSprop add a square
     * root and a division.
     */
    static final long SPLIT_SGD = 1 << 15;
    static final long SPLIT_ADAPTIVE = 1 << 13;

    private final UpdateKernels delegate;
    /** The splitter of a fixed setting, or null to follow the caller's scoped one. */
    private final Splitter splitter;
    /** The setting used outside any {@link Parallel#callWith} scope (when {@code splitter} is null). */
    private final Parallel fallback;
    private final ThreadLocal<Jobs> jobs = ThreadLocal.withInitial(() -> new Jobs(this));

    /** Split with a fixed splitter. */
    SplitUpdateKernels(UpdateKernels delegate, Splitter splitter) {
        this.delegate = delegate;
        this.splitter = java.util.Objects.requireNonNull(splitter, "splitter");
        this.fallback = null;
    }

    /**
     * Split with the calling thread's setting ({@link Parallel#callWith}), else {@code fallback}'s,
     * looked up at each call: a Spark task that runs sequentially must not hand its updates to
     * the JVM-wide pool, whose workers would then spin on the core of the task next to it.
     */
    SplitUpdateKernels(UpdateKernels delegate, Parallel fallback) {
        this.delegate = delegate;
        this.splitter = null;
        this.fallback = java.util.Objects.requireNonNull(fallback, "fallback");
    }

    private Splitter splitter() {
        return splitter != null ? splitter : Parallel.current(fallback).splitter();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    private static final class Jobs {
        final Sgd sgd;
        final Adam adam;

        Jobs(SplitUpdateKernels k) {
            sgd = k.new Sgd();
            adam = k.new Adam();
        }
    }

    private final class Sgd implements Splitter.Job {
        DType dt;
        MemorySegment p;
        long pOff;
        MemorySegment g;
        long gOff;
        MemorySegment buf;
        long bufOff;
        double lr;
        double momentum;
        double dampening;
        double weightDecay;
        boolean nesterov;
        boolean firstStep;

        @Override
        public void run(long from, long to) {
            delegate.sgd(dt, to - from, p, pOff + from, g, gOff + from, buf, bufOff + from,
                    lr, momentum, dampening, weightDecay, nesterov, firstStep);
        }
    }

    private final class Adam implements Splitter.Job {
        DType dt;
        MemorySegment p;
        long pOff;
        MemorySegment g;
        long gOff;
        MemorySegment m;
        long mOff;
        MemorySegment v;
        long vOff;
        MemorySegment vmax;
        long vmaxOff;
        double lr;
        double beta1;
        double beta2;
        double eps;
        double weightDecay;
        boolean decoupled;
        long step;

        @Override
        public void run(long from, long to) {
            delegate.adam(dt, to - from, p, pOff + from, g, gOff + from, m, mOff + from, v, vOff + from,
                    vmax, vmaxOff + from, lr, beta1, beta2, eps, weightDecay, decoupled, step);
        }
    }

    private static boolean shareable(MemorySegment s) {
        return s == null || Splitter.shareable(s);
    }

    @Override
    public void sgd(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                    MemorySegment buf, long bufOff, double lr, double momentum, double dampening,
                    double weightDecay, boolean nesterov, boolean firstStep) {
        Splitter sp = n < 2 * SPLIT_SGD ? null : splitter();
        if (sp == null || !shareable(p) || !shareable(g) || !shareable(buf)) {
            delegate.sgd(dt, n, p, pOff, g, gOff, buf, bufOff, lr, momentum, dampening, weightDecay,
                    nesterov, firstStep);
            return;
        }
        Sgd j = jobs.get().sgd;
        j.dt = dt;
        j.p = p;
        j.pOff = pOff;
        j.g = g;
        j.gOff = gOff;
        j.buf = buf;
        j.bufOff = bufOff;
        j.lr = lr;
        j.momentum = momentum;
        j.dampening = dampening;
        j.weightDecay = weightDecay;
        j.nesterov = nesterov;
        j.firstStep = firstStep;
        try {
            sp.run(j, n, SPLIT_SGD);
        } finally {
            j.p = null;
            j.g = null;
            j.buf = null;
        }
    }

    @Override
    public void adagrad(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                        MemorySegment sum, long sumOff, double clr, double weightDecay, double eps) {
        delegate.adagrad(dt, n, p, pOff, g, gOff, sum, sumOff, clr, weightDecay, eps);
    }

    @Override
    public void rmsprop(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                        MemorySegment squareAvg, long sqOff, MemorySegment gradAvg, long gaOff,
                        MemorySegment buf, long bufOff, double lr, double alpha, double eps,
                        double weightDecay, double momentum) {
        delegate.rmsprop(dt, n, p, pOff, g, gOff, squareAvg, sqOff, gradAvg, gaOff, buf, bufOff,
                lr, alpha, eps, weightDecay, momentum);
    }

    @Override
    public void adam(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                     MemorySegment m, long mOff, MemorySegment v, long vOff, MemorySegment vmax, long vmaxOff,
                     double lr, double beta1, double beta2, double eps, double weightDecay,
                     boolean decoupled, long step) {
        Splitter sp = n < 2 * SPLIT_ADAPTIVE ? null : splitter();
        if (sp == null || !shareable(p) || !shareable(g) || !shareable(m) || !shareable(v)
                || !shareable(vmax)) {
            delegate.adam(dt, n, p, pOff, g, gOff, m, mOff, v, vOff, vmax, vmaxOff, lr, beta1, beta2, eps,
                    weightDecay, decoupled, step);
            return;
        }
        Adam j = jobs.get().adam;
        j.dt = dt;
        j.p = p;
        j.pOff = pOff;
        j.g = g;
        j.gOff = gOff;
        j.m = m;
        j.mOff = mOff;
        j.v = v;
        j.vOff = vOff;
        j.vmax = vmax;
        j.vmaxOff = vmaxOff;
        j.lr = lr;
        j.beta1 = beta1;
        j.beta2 = beta2;
        j.eps = eps;
        j.weightDecay = weightDecay;
        j.decoupled = decoupled;
        j.step = step;
        try {
            sp.run(j, n, SPLIT_ADAPTIVE);
        } finally {
            j.p = null;
            j.g = null;
            j.m = null;
            j.v = null;
            j.vmax = null;
        }
    }
}
