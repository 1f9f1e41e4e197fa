/**
 * The PyTorch acceptance runner behind {@code ./vecgrad accept}: reads the JSON case files
 * (schema in the bundled {@code acceptance/cases/README.md}), interprets each case's program
 * through the public {@link io.vecgrad.autograd.Tensor} API in f32 and f64, and compares the
 * results with PyTorch's float64 reference under the cases' tolerance rule.
 *
 * <p>Entry points: {@link io.vecgrad.conformance.AcceptanceRunner} (run cases, print one line per
 * case and the closing {@code N passed, N failed} line), {@link io.vecgrad.conformance.CaseFiles}
 * (load bundled or on-disk case files), and {@link io.vecgrad.conformance.GroupRunners} (the one
 * place where a case group is mapped to the {@link io.vecgrad.conformance.GroupRunner} that runs
 * it; {@link io.vecgrad.conformance.OptimGroupRunner} runs the optimizer trajectories,
 * {@link io.vecgrad.conformance.TrainGroupRunner} whole training runs on the digits data; groups
 * without a runner are reported as skipped).
 */
package io.vecgrad.conformance;
