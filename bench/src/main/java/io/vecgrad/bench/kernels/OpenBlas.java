package io.vecgrad.bench.kernels;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The OpenBLAS peer: netlib's JNIBLAS bound to {@code libopenblas.so.0} (the fork JVMs get
 * {@code -Ddev.ludovic.netlib.blas.nativeLib=libopenblas.so.0}), pinned to one thread.
 *
 * <p><b>Thread pinning.</b> OpenBLAS reads {@code OPENBLAS_NUM_THREADS} when it loads; JMH
 * forks inherit the environment of the JVM running {@code BenchMain}, so the launcher exports
 * {@code OPENBLAS_NUM_THREADS=1}. Because a missing variable would silently give a 2-thread
 * OpenBLAS against 1-thread peers, {@link #load()} also calls {@code openblas_set_num_threads(1)}
 * through the FFM API on the same library handle and checks {@code openblas_get_num_threads()}.
 */
final class OpenBlas {
    private OpenBlas() {}

    static final String LIB = "libopenblas.so.0";

    /** Loads and pins OpenBLAS, or throws with a message saying how to install it. */
    @SuppressWarnings("restricted") // deliberate native calls; forks run with --enable-native-access
    static BLAS load() {
        BLAS blas;
        try {
            blas = NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("SKIPPED: OpenBLAS is not loadable (" + e.getMessage()
                    + "); install it with bench/install-peers.sh (Debian package libopenblas0-pthread)", e);
        }
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(LIB, Arena.global());
            Linker linker = Linker.nativeLinker();
            MethodHandle set = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            MethodHandle get = linker.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            MethodHandle config = linker.downcallHandle(lib.find("openblas_get_config").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            set.invokeExact(1);
            int threads = (int) get.invokeExact();
            MemorySegment cfg = (MemorySegment) config.invokeExact();
            String cfgText = cfg.reinterpret(256).getString(0);
            if (threads != 1) {
                throw new IllegalStateException("OpenBLAS still uses " + threads + " threads");
            }
            System.out.println("# OpenBLAS: " + cfgText + ", core " + io.vecgrad.bench.OpenBlasProbe.coreName()
                    + ", threads=" + threads + " (OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS")
                    + ", OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + "), netlib "
                    + blas.getClass().getSimpleName());
        } catch (Throwable t) {
            throw new IllegalStateException("SKIPPED: cannot pin OpenBLAS to one thread: " + t, t);
        }
        return blas;
    }
}
