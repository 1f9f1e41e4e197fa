package io.vecgrad.engine;

import io.vecgrad.engine.internal.scalar.ScalarRecurrentKernels;
import io.vecgrad.engine.spi.RecurrentKernels;

/**
 * Chooses the fused recurrent gate kernels once per JVM (a static holder), the same way
 * {@link Updates} chooses the optimizer updates: the Vector API twins when the default
 * {@link Kernels} provider is a vector one, otherwise the scalar loops.
 */
public final class Recurrent {
    private Recurrent() {}

    private static final String VECTOR_CLASS = "io.vecgrad.engine.internal.vector.VectorRecurrentKernels";

    private static final class Holder {
        static final RecurrentKernels DEFAULT = choose();
    }

    /** The gate kernels matching the default kernel provider. */
    public static RecurrentKernels get() {
        return Holder.DEFAULT;
    }

    /** The scalar gate kernels (the oracle of the vector ones). */
    public static RecurrentKernels scalar() {
        return ScalarRecurrentKernels.INSTANCE;
    }

    /**
     * The vector gate kernels, whatever the default selection says (for tests and benchmarks).
     *
     * @throws IllegalStateException if they cannot be loaded (module not readable)
     */
    public static RecurrentKernels vector() {
        try {
            return (RecurrentKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("recurrent: the vector gate kernels failed to load (" + e
                    + "); start the JVM with --add-modules jdk.incubator.vector", e);
        }
    }

    private static RecurrentKernels choose() {
        if (Kernels.get().provider().vectorBits() <= 0) {
            return ScalarRecurrentKernels.INSTANCE;
        }
        try {
            return vector();
        } catch (IllegalStateException e) {
            System.getLogger("io.vecgrad.engine").log(System.Logger.Level.WARNING,
                    "vecgrad: using the scalar recurrent kernels because " + e.getMessage());
            return ScalarRecurrentKernels.INSTANCE;
        }
    }
}
