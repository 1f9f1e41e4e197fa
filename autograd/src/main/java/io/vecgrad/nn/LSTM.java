package io.vecgrad.nn;

import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.random.RandomGenerator;

/**
 * PyTorch's {@code nn.LSTM}: gates {@code i, f, g, o} ({@code c = f·c_{t-1} + i·g},
 * {@code h = o·tanh(c)}), stacked {@code numLayers} deep, optionally bidirectional and
 * batch-first; weights {@code [4·H, in]} and {@code [4·H, H]}. See {@link RNNBase} for
 * parameter names, initialisation and shapes.
 */
public final class LSTM extends RNNBase {

    /**
     * An LSTM with every option.
     *
     * @param dropout dropout probability between layers (training mode only)
     * @param gen the seeded generator the initial weights are drawn from
     * @throws IllegalArgumentException on a non-positive size or a bad dropout
     */
    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
                boolean bidirectional, RandomGenerator gen, DType dtype) {
        super(Mode.LSTM, "LSTM", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, gen, dtype);
    }

    /** A one-layer, one-direction f32 LSTM with biases. */
    public LSTM(int inputSize, int hiddenSize, RandomGenerator gen) {
        this(inputSize, hiddenSize, 1, true, false, 0, false, gen, DType.F32);
    }

    /**
     * The output sequence and the final states from {@code h0} and {@code c0} (each
     * {@code [numLayers·D, B, H]}, null = zeros).
     *
     * @throws IllegalArgumentException naming the module and the shapes on a bad input or state
     */
    public RecurrentOps.Result forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0);
    }
}
