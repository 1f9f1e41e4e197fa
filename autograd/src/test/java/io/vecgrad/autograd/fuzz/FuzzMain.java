package io.vecgrad.autograd.fuzz;

import java.util.EnumMap;
import java.util.Map;

/**
 * Long fuzz runs: {@code FuzzMain N [seed]} runs N programs with seeds {@code seed, seed+1, ...},
 * prints the counts (programs, wrong values, raw JDK exceptions, internal-error rejections of
 * valid programs, ops, gradient elements compared) and the first failures with their seeds;
 * exits 1 if any program failed. {@code ./vecgrad fuzz N} runs it.
 */
public final class FuzzMain {
    private FuzzMain() {}

    /** Entry point. */
    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Map<Program.Outcome, Long> counts = new EnumMap<>(Program.Outcome.class);
        long ops = 0;
        long grads = 0;
        int shown = 0;
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            Program.Result r = new Program(seed + i).run(10);
            counts.merge(r.outcome(), 1L, Long::sum);
            ops += r.ops();
            grads += r.gradients();
            if (r.outcome() != Program.Outcome.OK && shown++ < 5) {
                System.out.println(r.outcome() + " (program seed " + (seed + i) + "): " + r.detail());
            }
            if ((i + 1) % 10_000 == 0) {
                System.out.println((i + 1) + " programs, " + counts);
            }
        }
        System.out.printf("fuzz: %d programs (seeds %d..%d), %d ops, %d gradient elements compared, %.0f s%n", n, seed,
                seed + n - 1, ops, grads, (System.nanoTime() - t0) / 1e9);
        System.out.println("fuzz: ok " + counts.getOrDefault(Program.Outcome.OK, 0L)
                + ", wrong values " + counts.getOrDefault(Program.Outcome.WRONG_VALUE, 0L)
                + ", raw JDK exceptions " + counts.getOrDefault(Program.Outcome.RAW_JDK_EXCEPTION, 0L)
                + ", internal-error rejections " + counts.getOrDefault(Program.Outcome.INTERNAL_ERROR, 0L));
        System.exit(counts.getOrDefault(Program.Outcome.OK, 0L) == n ? 0 : 1);
    }
}
