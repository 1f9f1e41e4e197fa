package io.vecgrad.bench;

/**
 * JVM flags every benchmark fork needs, as compile-time constants so that the
 * {@code @Fork(jvmArgsAppend = ...)} annotations and {@link Suite#BASE_FORK_ARGS} cannot drift.
 */
public final class ForkArgs {
    private ForkArgs() {}

    /** The Vector API. */
    public static final String VECTOR = "--add-modules=jdk.incubator.vector";
    /** JNI loading and FFM downcalls (OpenBLAS peer) without JDK 25's restricted-method warnings. */
    public static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    /** JMH 1.37 uses sun.misc.Unsafe; silences JDK 25's deprecation warnings in every fork. */
    public static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";
    /** Makes netlib's JNIBLAS load OpenBLAS itself, whatever libblas.so.3 points to. */
    public static final String OPENBLAS = "-Ddev.ludovic.netlib.blas.nativeLib=libopenblas.so.0";
}
