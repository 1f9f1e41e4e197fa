/**
 * Reverse-mode autograd ({@code io.vecgrad.autograd}: {@code Tensor}, the ops and their
 * derivatives) and the layers built on it ({@code io.vecgrad.nn}: {@code Layer}, {@code Linear},
 * the losses, the model architecture format).
 *
 * <p>The engine is a transitive dependency: {@code Tensor}'s API speaks in its {@code DType},
 * {@code Shape} and {@code Storage}. Jackson is transitive too: {@code Architecture.register},
 * the hook for custom layer types in model bundles, hands the layer's JSON over as Jackson nodes.
 */
module io.vecgrad.autograd {
    requires transitive io.vecgrad.engine;
    requires transitive com.fasterxml.jackson.databind;

    exports io.vecgrad.autograd;
    exports io.vecgrad.nn;
}
