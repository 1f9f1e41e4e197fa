package io.vecgrad.conformance;

/**
 * Runs the cases of one case group (the {@code group} of a case file). Implementations are
 * registered in {@link GroupRunners#standard()}; a group without a registered runner is
 * reported as skipped.
 *
 * <p>To add a group (e.g. {@code optim} once {@code io.vecgrad.optim} exists): implement this
 * interface, build inputs and evaluate programs with {@link Interpreter} (it creates the
 * inputs of a case in the engine dtype and runs program statements such as the optim
 * {@code objective}), compare results with {@link Expectations#compare}, and register the runner
 * in {@link GroupRunners#standard()} instead of the skip entry.
 */
public interface GroupRunner {

    /** The groups this runner handles, e.g. {@code ["seeds", "ops"]}. */
    java.util.Set<String> groups();

    /**
     * Runs one case in one precision and judges it. Must not throw for a misbehaving engine:
     * an unexpected exception is a {@link CaseResult.Status#FAIL}.
     */
    CaseResult run(AcceptCase c, Precision precision);
}
