package io.vecgrad.nn;

import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.RNN}: an Elman RNN, {@code h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh)} (or relu), stacked {@code numLayers} deep, optionally bidirectional
 * and batch-first; weights {@code [1·H, in]} and {@code [1·H, H]}. See {@link RNNBase} for
 * parameter names, initialisation and shapes.
 */
public final class RNN extends RNNBase {

    /**
     * An RNN with every option.
     *
     * @param nonlinearity {@code "tanh"} or {@code "relu"}
     * @param dropout dropout probability between layers (training mode only)
     * @param gen the seeded generator the initial weights are drawn from
     * @throws IllegalArgumentException on a non-positive size, a bad nonlinearity or dropout
     */
    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst,
               double dropout, boolean bidirectional, RandomGenerator gen, DType dtype) {
        super(mode(nonlinearity), "RNN", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional,
                gen, dtype);
    }

    /** A one-layer, one-direction f32 tanh RNN with biases. */
    public RNN(int inputSize, int hiddenSize, RandomGenerator gen) {
        this(inputSize, hiddenSize, 1, "tanh", true, false, 0, false, gen, DType.F32);
    }

    private static Mode mode(String nonlinearity) {
        return switch (nonlinearity) {
            case "tanh" -> Mode.RNN_TANH;
            case "relu" -> Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("RNN: unknown nonlinearity '" + nonlinearity
                    + "' (expected 'tanh' or 'relu')");
        };
    }

    /**
     * The output sequence and the final hidden state from {@code h0} ({@code [numLayers·D, B, H]},
     * null = zeros); {@link RecurrentOps.Result#c()} is null.
     */
    public RecurrentOps.Result forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }
}
