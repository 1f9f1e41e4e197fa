package io.vecgrad.autograd.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The stateful op-program fuzzer (hardening issue): random programs over views, dtypes,
 * in-place updates, no-grad scopes and backward with/without retainGraph, each compared with
 * the float64 {@link Ref} reference written in this package. CI runs 1,000 programs from a
 * fixed jqwik seed (a failure prints the program's seed and text); {@code ./vecgrad fuzz N}
 * runs {@link FuzzMain} for long runs.
 */
class ProgramFuzzTest {
    static final String SEED = "20261202";
    private static final Map<Program.Outcome, Integer> COUNTS = new EnumMap<>(Program.Outcome.class);
    private static int ops;
    private static int gradients;

    @Property(tries = 1000, seed = SEED)
    void programsMatchTheFloat64Reference(@ForAll long programSeed) {
        Program.Result r = new Program(programSeed).run(10);
        synchronized (COUNTS) {
            COUNTS.merge(r.outcome(), 1, Integer::sum);
            ops += r.ops();
            gradients += r.gradients();
        }
        assertEquals(Program.Outcome.OK, r.outcome(), () -> "program seed " + programSeed + ": " + r.detail());
    }

    @AfterContainer
    static void summary() {
        System.out.println("ProgramFuzzTest (jqwik seed " + SEED + "): " + COUNTS + ", " + ops + " ops, "
                + gradients + " gradient elements compared");
    }
}
