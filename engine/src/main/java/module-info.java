/**
 * vecgrad's numerics engine: strided storage on {@code MemorySegment}s, dtypes and shapes, the
 * kernel entry points and the kernel SPI.
 *
 * <p>Only {@code io.vecgrad.engine} and {@code io.vecgrad.engine.spi} are exported; the kernels
 * ({@code io.vecgrad.engine.internal.*}) are implementation and stay inside this module.
 *
 * <p>{@code jdk.incubator.vector} is a {@code requires static}: the module resolves without it.
 * Start the JVM with {@code --add-modules jdk.incubator.vector} for the vector kernels; without
 * it the engine runs its scalar kernels and logs one warning that says so.
 */
module io.vecgrad.engine {
    requires static jdk.incubator.vector;
    // C2 detection (a -XX:TieredStopAtLevel run gets the scalar kernels); in every full JDK
    requires java.management;
    requires org.slf4j;

    exports io.vecgrad.engine;
    exports io.vecgrad.engine.spi;
}
