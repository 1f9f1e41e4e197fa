package io.vecgrad.bench;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Floating-point operation counts for benchmarks whose speed is best read as GFLOP/s.
 * GEMM benchmarks (method or class name containing {@code gemm}) count {@code 2·m·n·k} per op,
 * with the shape from a {@code shape} param ({@code "N"} for square, {@code "MxNxK"}) or from
 * {@code m}, {@code n}, {@code k} params.
 */
public final class Flops {
    private Flops() {}

    /** Flops per benchmark operation, if the benchmark is known to this model. */
    public static OptionalDouble perOp(BenchResult r) {
        if (!r.benchmark().toLowerCase(Locale.ROOT).contains("gemm")) {
            return OptionalDouble.empty();
        }
        long[] mnk = gemmShape(r.params());
        if (mnk == null) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(2.0 * mnk[0] * mnk[1] * mnk[2]);
    }

    /** {@code {m, n, k}} from a {@code shape} param or {@code m/n/k} params; null if absent. */
    public static long[] gemmShape(Map<String, String> params) {
        String shape = params.get("shape");
        try {
            if (shape != null) {
                String[] parts = shape.toLowerCase(Locale.ROOT).split("x");
                if (parts.length == 1) {
                    long s = Long.parseLong(parts[0].trim());
                    return new long[] {s, s, s};
                }
                if (parts.length == 3) {
                    return new long[] {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()),
                            Long.parseLong(parts[2].trim())};
                }
                return null;
            }
            if (params.containsKey("m") && params.containsKey("n") && params.containsKey("k")) {
                return new long[] {Long.parseLong(params.get("m")), Long.parseLong(params.get("n")),
                        Long.parseLong(params.get("k"))};
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** GFLOP/s of a result, if its flop count and unit are known. */
    public static OptionalDouble gflops(BenchResult r) {
        OptionalDouble f = perOp(r);
        if (f.isEmpty()) {
            return OptionalDouble.empty();
        }
        double opsPerSecond = opsPerSecond(r.score(), r.unit());
        if (Double.isNaN(opsPerSecond)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(f.getAsDouble() * opsPerSecond / 1e9);
    }

    /** Converts a JMH score in {@code unit} to operations per second; NaN if the unit is unknown. */
    public static double opsPerSecond(double score, String unit) {
        String u = unit.trim();
        if (u.endsWith("/op")) {
            double secondsPerUnit = seconds(u.substring(0, u.length() - 3));
            return 1.0 / (score * secondsPerUnit);
        }
        if (u.startsWith("ops/")) {
            double secondsPerUnit = seconds(u.substring(4));
            return score / secondsPerUnit;
        }
        return Double.NaN;
    }

    private static double seconds(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us", "µs" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> Double.NaN;
        };
    }
}
