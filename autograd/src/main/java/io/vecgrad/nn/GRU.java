package io.vecgrad.nn;

import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.GRU}: a GRU with gates {@code r, z, n} ({@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))}, {@code h = (1-z)·n + z·h_{t-1}}), stacked {@code numLayers} deep, optionally bidirectional
 * and batch-first; weights {@code [3·H, in]} and {@code [3·H, H]}. See {@link RNNBase} for
 * parameter names, initialisation and shapes.
 */
public final class GRU extends RNNBase {

    /**
     * A GRU with every option.
     *
     * @param dropout dropout probability between layers (training mode only)
     * @param gen the seeded generator the initial weights are drawn from
     * @throws IllegalArgumentException on a non-positive size or a bad dropout
     */
    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional, RandomGenerator gen, DType dtype) {
        super(Mode.GRU, "GRU", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen, dtype);
    }

    /** A one-layer, one-direction f32 GRU with biases. */
    public GRU(int inputSize, int hiddenSize, RandomGenerator gen) {
        this(inputSize, hiddenSize, 1, true, false, 0, false, gen, DType.F32);
    }

    /**
     * The output sequence and the final hidden state from {@code h0} ({@code [numLayers·D, B, H]},
     * null = zeros); {@link RecurrentOps.Result#c()} is null.
     */
    public RecurrentOps.Result forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }
}
