package io.vecgrad.engine;

import io.vecgrad.engine.internal.scalar.ScalarUpdateKernels;
import io.vecgrad.engine.spi.UpdateKernels;

/**
 * Chooses the fused optimizer-update kernels once per JVM (a static holder): the Vector API
 * twins when the default {@link Kernels} provider is a vector one, otherwise the scalar loops.
 * So {@code -Dvecgrad.kernels=scalar}, a missing {@code jdk.incubator.vector} module, C2 being
 * off or a narrow vector unit select the scalar updates exactly when they select the scalar
 * elementwise kernels, for the reasons {@link Kernels#providerInfo()} reports.
 */
public final class Updates {
    private Updates() {}

    private static final String VECTOR_CLASS = "io.vecgrad.engine.internal.vector.VectorUpdateKernels";

    private static final class Holder {
        static final UpdateKernels DEFAULT = choose();
    }

    /**
     * The update kernels matching the default kernel provider; with more than one engine thread
     * ({@code vecgrad.threads}, or the setting {@link Parallel#callWith} put in place for the
     * calling thread, looked up at each call), large parameters are updated in shares across
     * those threads (bit-identical to one thread: the updates are elementwise and split on fixed
     * boundaries).
     */
    public static UpdateKernels get() {
        return Holder.DEFAULT;
    }

    /** {@code kernels} split across {@code parallel}'s threads for large parameters. */
    public static UpdateKernels split(UpdateKernels kernels, Parallel parallel) {
        Splitter sp = parallel.splitter();
        return sp == null ? kernels : new SplitUpdateKernels(kernels, sp);
    }

    /** The scalar update kernels (the oracle of the vector ones). */
    public static UpdateKernels scalar() {
        return ScalarUpdateKernels.INSTANCE;
    }

    /**
     * The vector update kernels, whatever the default selection says: for tests and benchmarks
     * that compare the two.
     *
     * @throws IllegalStateException if they cannot be loaded (module not readable)
     */
    public static UpdateKernels vector() {
        try {
            return (UpdateKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("updates: the vector update kernels failed to load (" + e
                    + "); start the JVM with --add-modules jdk.incubator.vector", e);
        }
    }

    private static UpdateKernels choose() {
        return new SplitUpdateKernels(chooseKernels(), Parallel.defaults());
    }

    private static UpdateKernels chooseKernels() {
        if (Kernels.get().provider().vectorBits() <= 0) {
            return ScalarUpdateKernels.INSTANCE;
        }
        try {
            return vector();
        } catch (IllegalStateException e) {
            org.slf4j.LoggerFactory.getLogger("io.vecgrad.engine").warn(
                    "vecgrad: using the scalar update kernels because " + e.getMessage());
            return ScalarUpdateKernels.INSTANCE;
        }
    }
}
