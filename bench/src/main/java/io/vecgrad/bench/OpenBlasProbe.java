package io.vecgrad.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Which OpenBLAS kernels this process gets: loads {@code libopenblas.so.0} through the FFM API and
 * asks it ({@code openblas_get_corename}, {@code openblas_get_config}). OpenBLAS picks its core
 * when it loads, from the CPU unless {@code OPENBLAS_CORETYPE} forces one, so the answer holds for
 * every process started with the same environment (the JMH forks of {@code bench peers}).
 */
public final class OpenBlasProbe {
    private OpenBlasProbe() {}

    /** The library the GEMM peer loads (netlib's JNIBLAS is pointed at it). */
    public static final String LIB = "libopenblas.so.0";

    /**
     * The core name (e.g. {@code SkylakeX}, {@code Zen}, {@code Haswell}), or null when OpenBLAS
     * cannot be loaded or has no {@code openblas_get_corename}.
     */
    public static String coreName() {
        return call("openblas_get_corename");
    }

    /** {@code openblas_get_config()} (version, build options, core), or null. */
    public static String config() {
        return call("openblas_get_config");
    }

    @SuppressWarnings("restricted") // deliberate native calls; bench runs with --enable-native-access
    private static String call(String fn) {
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(LIB, Arena.global());
            MethodHandle h = Linker.nativeLinker().downcallHandle(lib.find(fn).orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment s = (MemorySegment) h.invokeExact();
            return s.equals(MemorySegment.NULL) ? null : s.reinterpret(256).getString(0).strip();
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * One line for a report: core, config and the OpenBLAS variables set in this process (which
     * would force a core), e.g. {@code core SkylakeX (OpenBLAS 0.3.21 DYNAMIC_ARCH ...)}.
     */
    public static String describe() {
        String core = coreName();
        if (core == null) {
            return "unavailable (" + LIB + " not loadable)";
        }
        List<String> forced = new ArrayList<>();
        for (String v : List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS")) {
            if (System.getenv(v) != null) {
                forced.add(v + "=" + System.getenv(v));
            }
        }
        return "core " + core + " (" + config() + ")" + (forced.isEmpty() ? "" : "; env " + String.join(" ", forced));
    }
}
