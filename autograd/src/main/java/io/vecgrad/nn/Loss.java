package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;

/**
 * A loss a training loop can call without knowing which one it is: {@code apply(output, target)}
 * gives a tensor to call {@code backward()} on (0-d unless the reduction is
 * {@link io.vecgrad.autograd.Reduction#NONE}).
 *
 * <p>The type parameter is the target's type: {@code Loss<Tensor>} for regression-style losses
 * ({@link MSELoss}, {@link L1Loss}, {@link BCEWithLogitsLoss}), {@code Loss<Indices>} for
 * classification losses over class labels ({@link CrossEntropyLoss}, {@link NLLLoss}). A loop is
 * written once, generic in the target type, and the compiler checks that the data fits the loss:
 *
 * <pre>{@code
 * <T> double step(Layer model, Loss<T> loss, Tensor x, T y) {
 *     Tensor l = loss.apply(model.forward(x), y);
 *     l.backward();
 *     return l.item();
 * }
 * }</pre>
 *
 * <p>It is a functional interface, so a custom objective is a lambda:
 * {@code Loss<Tensor> l = (out, y) -> Losses.mse(out, y, Reduction.SUM).mul(0.5)}. Losses are
 * not {@link Layer}s: they take two inputs, have no parameters and no train/eval behaviour.
 *
 * @param <T> the target type, {@link Tensor} or {@link io.vecgrad.autograd.Indices}
 */
@FunctionalInterface
public interface Loss<T> {
    /**
     * The loss of {@code output} against {@code target}.
     *
     * @throws IllegalArgumentException if the shapes do not fit (the message names the loss and
     *     both shapes)
     */
    Tensor apply(Tensor output, T target);
}
