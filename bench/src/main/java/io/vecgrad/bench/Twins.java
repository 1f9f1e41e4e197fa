package io.vecgrad.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Pairs results with their scalar twins and peers, by naming convention:
 * <ul>
 *   <li>an {@code impl} {@code @Param} ({@code vector|vecgrad|scalar|ejml|netlibJava|openblas}):
 *       rows of the same benchmark method and other params are twins;</li>
 *   <li>methods {@code xxx} and {@code xxxScalar} of one class with the same params are twins
 *       ({@code xxx} counts as {@code vector}, {@code xxxScalar} as {@code scalar});</li>
 *   <li>a peer benchmark that must live in a class of its own ({@link #PEER_CLASSES}: DJL's,
 *       compiled only with {@code -Pdjl}) counts as a method of the class it is a peer of, so its
 *       {@code impl} rows join that class's groups.</li>
 * </ul>
 */
public final class Twins {
    private Twins() {}

    /** The name of the implementation-selecting parameter. */
    public static final String IMPL = "impl";
    static final String SCALAR_SUFFIX = "Scalar";

    /** Display and sort order of known implementations; unknown ones sort after, by name. */
    private static final List<String> ORDER =
            List.of("vector", "vecgrad", "scalar", "ejml", "netlibJava", "openblas", "djl");

    /**
     * Peer-only benchmark classes → the class whose {@code impl} groups they join. DjlGemmBench
     * cannot be an {@code impl} of GemmBench itself because the default build has no DJL.
     */
    static final Map<String, String> PEER_CLASSES =
            Map.of("io.vecgrad.bench.djl.DjlGemmBench", "io.vecgrad.bench.kernels.GemmBench");

    /** Which implementation produced this result. */
    public static String variant(BenchResult r) {
        String impl = r.params().get(IMPL);
        if (impl != null) {
            return impl;
        }
        return isScalarMethod(r.method()) ? "scalar" : "vector";
    }

    /** {@code true} for our own vectorized implementation. */
    public static boolean isOurs(String variant) {
        return variant.equals("vector") || variant.equals("vecgrad");
    }

    /** {@code true} for the scalar twin. */
    public static boolean isScalar(String variant) {
        return variant.equals("scalar");
    }

    private static boolean isScalarMethod(String method) {
        return method.length() > SCALAR_SUFFIX.length() && method.endsWith(SCALAR_SUFFIX);
    }

    /** {@code package.Class.method} with a trailing {@code Scalar} removed from the method. */
    public static String baseBenchmark(BenchResult r) {
        String m = r.method();
        int dot = r.benchmark().lastIndexOf('.');
        String host = dot < 0 ? null : PEER_CLASSES.get(r.benchmark().substring(0, dot));
        if (host != null) {
            return host + "." + m;
        }
        if (!r.params().containsKey(IMPL) && isScalarMethod(m)) {
            return r.benchmark().substring(0, r.benchmark().length() - SCALAR_SUFFIX.length());
        }
        return r.benchmark();
    }

    /** {@link #baseBenchmark} as {@code Class.method}, without the package. */
    public static String baseShortName(BenchResult r) {
        String b = baseBenchmark(r);
        int m = b.lastIndexOf('.');
        int c = m <= 0 ? -1 : b.lastIndexOf('.', m - 1);
        return b.substring(c + 1);
    }

    /** Params without {@code impl}. */
    public static SortedMap<String, String> sharedParams(BenchResult r) {
        SortedMap<String, String> p = new TreeMap<>(r.params());
        p.remove(IMPL);
        return p;
    }

    /** Key of a twin group: base benchmark, mode and the params other than {@code impl}. */
    public static String twinKey(BenchResult r) {
        return baseBenchmark(r) + " [" + r.mode() + "] " + BenchResult.paramString(sharedParams(r));
    }

    /** Sort key for implementations. */
    public static Comparator<String> variantOrder() {
        return Comparator.<String>comparingInt(v -> {
            int i = ORDER.indexOf(v);
            return i < 0 ? ORDER.size() : i;
        }).thenComparing(v -> v.toLowerCase(Locale.ROOT));
    }

    /** A set of twins: the same measurement done by several implementations. */
    public record Group(String key, List<BenchResult> rows) {
        /** The scalar twin, or null. */
        public BenchResult scalar() {
            return rows.stream().filter(r -> isScalar(variant(r))).findFirst().orElse(null);
        }

        /** Our vectorized implementation, or null. */
        public BenchResult ours() {
            return rows.stream().filter(r -> isOurs(variant(r))).findFirst().orElse(null);
        }
    }

    /** Groups results into twin groups, preserving first-seen order; rows sorted by variant. */
    public static List<Group> group(List<BenchResult> results) {
        Map<String, List<BenchResult>> m = new LinkedHashMap<>();
        for (BenchResult r : results) {
            m.computeIfAbsent(twinKey(r), k -> new ArrayList<>()).add(r);
        }
        List<Group> out = new ArrayList<>();
        m.forEach((k, rows) -> {
            rows.sort(Comparator.comparing(Twins::variant, variantOrder()));
            out.add(new Group(k, List.copyOf(rows)));
        });
        return out;
    }
}
