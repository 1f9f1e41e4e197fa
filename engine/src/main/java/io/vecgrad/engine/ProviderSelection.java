package io.vecgrad.engine;

import io.vecgrad.engine.internal.scalar.ScalarKernelProvider;
import io.vecgrad.engine.spi.KernelProvider;
import java.lang.management.ManagementFactory;

/**
 * Chooses the default {@link KernelProvider} once per JVM (a static holder, so the choice is
 * safely published and the JIT sees a constant).
 *
 * <p>The vector provider is chosen when the {@code jdk.incubator.vector} module is readable,
 * the C2 compiler is on (without it the Vector API runs as slow Java objects), and the
 * preferred vector width is at least 256 bits (128 on ARM); otherwise the scalar provider, with one log
 * line that says why and how to get the fast path. {@code -Dvecgrad.kernels=scalar|vector|auto}
 * forces the choice; {@code -Dvecgrad.vector.bits=128|256|512} narrows the vector width.
 */
final class ProviderSelection {
    private ProviderSelection() {}

    private static final String VECTOR_CLASS = "io.vecgrad.engine.internal.vector.VectorKernelProvider";

    static final String REASON;
    static final KernelProvider DEFAULT;

    static {
        String[] why = new String[1];
        KernelProvider p = choose(why);
        REASON = why[0];
        DEFAULT = p;
        // JIT warm-up of the vector kernels in the background (see Warmup); nothing to warm for scalar
        Warmup.start(p, p.vectorBits() > 0 && Warmup.enabled());
    }

    private static KernelProvider choose(String[] why) {
        String forced = System.getProperty("vecgrad.kernels", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        switch (forced) {
            case "scalar" -> {
                why[0] = "forced by -Dvecgrad.kernels=scalar";
                return new ScalarKernelProvider();
            }
            case "vector", "auto" -> { }
            default -> throw new IllegalArgumentException(
                    "vecgrad.kernels: '" + forced + "' is not one of auto, scalar, vector");
        }
        String problem = vectorProblem();
        if (problem != null && forced.equals("vector") && problem.startsWith("preferred")) {
            problem = null; // a narrow but working vector unit may be forced
        }
        if (problem != null) {
            why[0] = problem;
            org.slf4j.LoggerFactory.getLogger("io.vecgrad.engine").warn(
                    "vecgrad: using the scalar kernels because " + problem);
            if (forced.equals("vector")) {
                throw new IllegalStateException("vecgrad.kernels=vector: " + problem);
            }
            return new ScalarKernelProvider();
        }
        try {
            KernelProvider v = (KernelProvider) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
            why[0] = forced.equals("vector") ? "forced by -Dvecgrad.kernels=vector"
                    : "jdk.incubator.vector readable, C2 on, " + v.vectorBits() + "-bit vectors";
            return v;
        } catch (ReflectiveOperationException | LinkageError e) {
            why[0] = "the vector kernels failed to load (" + e + ")";
            org.slf4j.LoggerFactory.getLogger("io.vecgrad.engine").warn(
                    "vecgrad: using the scalar kernels because " + why[0]);
            return new ScalarKernelProvider();
        }
    }

    /** Why the vector kernels cannot be used, or null if they can. */
    private static String vectorProblem() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the jdk.incubator.vector module is not readable; start the JVM with "
                    + "--add-modules jdk.incubator.vector (./vecgrad does this)";
        }
        String c2 = c2Problem();
        if (c2 != null) {
            return c2;
        }
        int bits = preferredBits();
        // 128-bit NEON still pays on ARM (no SSE-era scalar/vector split there); on x86 the
        // 128-bit path loses to C2's own auto-vectorised scalar loops.
        int needed = System.getProperty("os.arch", "").contains("aarch64") ? 128 : 256;
        if (bits < needed) {
            return "preferred vector width is " + bits + " bits (< " + needed + "); the scalar loops are as "
                    + "fast here. Force with -Dvecgrad.kernels=vector";
        }
        return null;
    }

    private static int preferredBits() {
        try {
            Class<?> cfg = Class.forName("io.vecgrad.engine.internal.vector.VectorConfig");
            return (int) cfg.getMethod("preferredBits").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }

    private static String c2Problem() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint); remove -Xint to enable the vector kernels";
        }
        try {
            var args = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (String a : args) {
                if (a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
                    return "C2 is off (" + a + "); remove it to enable the vector kernels";
                }
                if (a.equals("-XX:-UseCompiler") || a.equals("-Xint")) {
                    return "the JIT is off (" + a + "); remove it to enable the vector kernels";
                }
            }
        } catch (LinkageError | SecurityException e) {
            // java.management absent: nothing to learn; assume a normal server VM
        }
        return null;
    }
}
