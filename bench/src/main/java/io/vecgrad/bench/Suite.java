package io.vecgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The two run profiles. {@code quick} is a smoke-level run for a developer's loop (about ten
 * minutes for everything on 2 cores, one for a single benchmark class): 1 fork, 4 × 0.5 s warmup,
 * 5 × 0.5 s measurement, and fewer sizes. The fourth warmup is there because Vector API code is
 * only fast (and allocation-free) once C2 has compiled it, which on a loaded 2-core machine
 * takes more than 1.5 s. {@code full}
 * is the reference run: 2 forks, 5 × 1 s warmup, 10 × 1 s measurement, every size.
 */
public enum Suite {
    QUICK(1, 4, 500, 5, 500),
    FULL(2, 5, 1000, 10, 1000);

    /** GEMM shapes quick mode keeps (overrides the {@code shape} @Param). */
    public static final String[] QUICK_SHAPES = {"256", "512", "64x256x784", "256x256x784", "784x256x64"};
    /** Vector lengths quick mode keeps (overrides every {@code n} @Param). */
    public static final String[] QUICK_N = {"4099", "1048576"};

    /**
     * JVM flags of every fork, whatever the benchmark annotations say (options override
     * {@code @Fork(jvmArgsAppend)}). The Vector API module; JMH's own use of sun.misc.Unsafe
     * without JDK 25's warnings; native access for the OpenBLAS peer
     * (JNI load and the FFM call that pins it to one thread) without JDK 25's warnings; JNIBLAS
     * told to load OpenBLAS itself rather than whatever libblas.so.3 points to; a fixed heap.
     */
    public static final List<String> BASE_FORK_ARGS = List.of(
            ForkArgs.VECTOR, ForkArgs.UNSAFE, ForkArgs.NATIVE, ForkArgs.OPENBLAS,
            "-Xms2g", "-Xmx6g",
            // JMH measures the steady state after its own warm-up iterations: the engine's background
            // kernel warm-up (io.vecgrad.engine.Warmup) would only compete with them for the cores
            // and mix its small shapes into the benchmark's JIT profiles
            "-Dvecgrad.warmup=off");

    /** System properties of this JVM passed on to the forks when set. */
    static final List<String> PASS_THROUGH = List.of("vecgrad.vector.bits");

    private final int forks;
    private final int warmups;
    private final int warmupMillis;
    private final int iterations;
    private final int iterationMillis;

    Suite(int forks, int warmups, int warmupMillis, int iterations, int iterationMillis) {
        this.forks = forks;
        this.warmups = warmups;
        this.warmupMillis = warmupMillis;
        this.iterations = iterations;
        this.iterationMillis = iterationMillis;
    }

    /** Parses {@code quick} or {@code full}. */
    public static Suite parse(String s) {
        return switch (s) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("unknown suite '" + s + "', expected quick or full");
        };
    }

    /** The fork JVM args: {@link #BASE_FORK_ARGS} plus pass-through system properties. */
    public static List<String> forkArgs() {
        List<String> args = new ArrayList<>(BASE_FORK_ARGS);
        for (String prop : PASS_THROUGH) {
            String v = System.getProperty(prop);
            if (v != null) {
                args.add("-D" + prop + "=" + v);
            }
        }
        return args;
    }

    /** JMH options for this suite: include regex (null = all vecgrad benchmarks), GC profiler, JSON output. */
    public ChainedOptionsBuilder options(String include, String jsonOut) {
        return options(include, jsonOut, Map.of());
    }

    /**
     * As {@link #options(String, String)}, with {@code @Param} overrides that replace both the
     * annotation values and this suite's own restrictions (JMH appends repeated
     * {@code param(...)} calls, so the merge happens here).
     */
    public ChainedOptionsBuilder options(String include, String jsonOut, Map<String, String[]> overrides) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(include == null ? "io\\.vecgrad\\.bench\\..*" : include)
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.milliseconds(warmupMillis))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(iterationMillis))
                .threads(1)
                .jvmArgs(forkArgs().toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(false)
                .timeout(TimeValue.minutes(10))
                .resultFormat(ResultFormatType.JSON)
                .result(jsonOut);
        Map<String, String[]> params = new LinkedHashMap<>();
        if (this == QUICK) {
            params.put("shape", QUICK_SHAPES);
            params.put("n", QUICK_N);
        }
        params.putAll(overrides);
        params.forEach(b::param);
        return b;
    }

    /** Human description for logs. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s: %d fork(s), %d × %d ms warmup, %d × %d ms measurement",
                name().toLowerCase(java.util.Locale.ROOT), forks, warmups, warmupMillis, iterations, iterationMillis);
    }

}
