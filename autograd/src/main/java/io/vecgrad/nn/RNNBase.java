package io.vecgrad.nn;

import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The shared body of {@link RNN}, {@link GRU} and {@link LSTM}: a stack of {@code numLayers}
 * recurrent layers, each in one or (bidirectional) two directions, over the one-layer ops of
 * {@link RecurrentOps}. Parameters carry PyTorch's names and shapes, registered in PyTorch's
 * order (per layer, per direction: {@code weight_ih_l{k}[_reverse] [g·H, in]},
 * {@code weight_hh_l{k}[_reverse] [g·H, H]}, {@code bias_ih_l{k}[_reverse] [g·H]},
 * {@code bias_hh_l{k}[_reverse] [g·H]}, where {@code in} is {@code input_size} for layer 0
 * and {@code H·directions} above), and are initialised as PyTorch does: every one from
 * {@code U(-1/√H, 1/√H)}, drawn from the given generator in registration order.
 *
 * <p>Input {@code [T, B, input_size]} ({@code [B, T, input_size]} with {@code batchFirst});
 * output {@code [T, B, D·H]} (or batch first), final states {@code [numLayers·D, B, H]}
 * ordered layer by layer, forward direction first. Layer {@code k > 0} reads the
 * concatenated outputs of both directions of layer {@code k-1}; in training mode a dropout
 * with probability {@code dropout} is applied to every layer's output except the last.
 */
public abstract class RNNBase extends Layer {
    /** Which cell a stack is made of. */
    enum Mode { RNN_TANH, RNN_RELU, GRU, LSTM }

    private final Mode mode;
    private final String label;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final boolean bidirectional;
    private final double dropout;
    private final Dropout drop;
    /** [layer * directions + direction][w_ih, w_hh, b_ih, b_hh]. */
    private final Tensor[][] weights;

    RNNBase(Mode mode, String label, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional, RandomGenerator gen, DType dtype) {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
            throw new IllegalArgumentException(label + ": input_size, hidden_size and num_layers must be positive, got "
                    + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException(label + ": dropout must be between 0 and 1, got " + dropout);
        }
        this.mode = mode;
        this.label = label;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.bidirectional = bidirectional;
        this.dropout = dropout;
        this.drop = new Dropout(dropout, new SplittableRandom(gen.nextLong()));
        int g = switch (mode) {
            case LSTM -> 4;
            case GRU -> 3;
            default -> 1;
        };
        int dirs = bidirectional ? 2 : 1;
        weights = new Tensor[numLayers * dirs][];
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int l = 0; l < numLayers; l++) {
            int in = l == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                Tensor[] w = new Tensor[4];
                w[0] = registerParameter("weight_ih" + sfx, Tensor.zeros(dtype, g * hiddenSize, in));
                w[1] = registerParameter("weight_hh" + sfx, Tensor.zeros(dtype, g * hiddenSize, hiddenSize));
                if (bias) {
                    w[2] = registerParameter("bias_ih" + sfx, Tensor.zeros(dtype, g * hiddenSize));
                    w[3] = registerParameter("bias_hh" + sfx, Tensor.zeros(dtype, g * hiddenSize));
                }
                weights[l * dirs + d] = w;
            }
        }
        for (Tensor p : parameters()) {
            Init.uniform(p, gen, -bound, bound);
        }
    }

    /**
     * The output sequence for zero initial states.
     *
     * @param input {@code [T, B, input_size]} ({@code [B, T, input_size]} with batchFirst)
     * @return {@code [T, B, D·hidden_size]} (or batch first)
     * @throws IllegalArgumentException naming the module and the shapes on a bad input
     */
    @Override
    public Tensor forward(Tensor input) {
        return run(input, null, null, false).output();
    }

    /**
     * The stack over a sequence from initial states ({@code null} = zeros).
     *
     * @param h0 {@code [numLayers·D, B, H]} or null
     * @param c0 {@code [numLayers·D, B, H]} or null (LSTM only; must be null otherwise)
     * @return the output sequence and the final states {@code [numLayers·D, B, H]}
     */
    RecurrentOps.Result run(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0, true);
    }

    /**
     * The stack; without {@code wantStates} the final states are not gathered (they would be
     * results no backward pass reaches, whose pooled buffers would never be released).
     */
    private RecurrentOps.Result run(Tensor input, Tensor h0, Tensor c0, boolean wantStates) {
        int dirs = bidirectional ? 2 : 1;
        if (input.ndim() != 3) {
            throw new IllegalArgumentException(label + ": expected a 3-D input " + (batchFirst ? "[B, T, " : "[T, B, ")
                    + inputSize + "], got " + Shape.format(input.dims()));
        }
        if (input.dim(2) != inputSize) {
            throw new IllegalArgumentException(label + ": input.size(-1) must be equal to input_size. Expected "
                    + inputSize + ", got " + input.dim(2) + " (input " + Shape.format(input.dims()) + ")");
        }
        Tensor x = batchFirst ? input.transpose(0, 1) : input;
        int b = x.dim(1);
        int[] want = {numLayers * dirs, b, hiddenSize};
        if (h0 != null && !Arrays.equals(h0.dims(), want)) {
            throw new IllegalArgumentException(label + ": expected hidden size " + Shape.format(want) + ", got "
                    + Shape.format(h0.dims()) + " (input " + Shape.format(input.dims()) + ")");
        }
        if (c0 != null && !Arrays.equals(c0.dims(), want)) {
            throw new IllegalArgumentException(label + ": expected cell state size " + Shape.format(want) + ", got "
                    + Shape.format(c0.dims()) + " (input " + Shape.format(input.dims()) + ")");
        }
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        drop.train(isTraining());
        for (int l = 0; l < numLayers; l++) {
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                Tensor[] w = weights[idx];
                Tensor hi = h0 == null ? null : h0.narrow(0, idx, 1);
                Tensor ci = c0 == null ? null : c0.narrow(0, idx, 1);
                boolean rev = d == 1;
                RecurrentOps.Result r = switch (mode) {
                    case RNN_TANH -> RecurrentOps.rnn(x, hi, w[0], w[1], w[2], w[3], false, rev);
                    case RNN_RELU -> RecurrentOps.rnn(x, hi, w[0], w[1], w[2], w[3], true, rev);
                    case GRU -> RecurrentOps.gru(x, hi, w[0], w[1], w[2], w[3], rev);
                    case LSTM -> RecurrentOps.lstm(x, hi, ci, w[0], w[1], w[2], w[3], rev);
                };
                outs[d] = r.output();
                hs.add(r.h());
                if (r.c() != null) {
                    cs.add(r.c());
                }
            }
            x = dirs == 1 ? outs[0] : Tensor.concat(2, outs);
            if (l < numLayers - 1 && dropout > 0) {
                x = drop.forward(x);
            }
        }
        Tensor out = batchFirst ? x.transpose(0, 1) : x;
        if (!wantStates) {
            return new RecurrentOps.Result(out, null, null);
        }
        Tensor hN = hs.size() == 1 ? hs.get(0) : Tensor.concat(0, hs.toArray(new Tensor[0]));
        Tensor cN = cs.isEmpty() ? null : cs.size() == 1 ? cs.get(0) : Tensor.concat(0, cs.toArray(new Tensor[0]));
        return new RecurrentOps.Result(out, hN, cN);
    }

    /** {@code input_size}. */
    public int inputSize() {
        return inputSize;
    }

    /** {@code hidden_size}. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@code num_layers}. */
    public int numLayers() {
        return numLayers;
    }

    /** True if both directions are computed. */
    public boolean bidirectional() {
        return bidirectional;
    }

    /** True if inputs and outputs are {@code [B, T, ...]}. */
    public boolean batchFirst() {
        return batchFirst;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (numLayers != 1 ? ", num_layers=" + numLayers : "")
                + (mode == Mode.RNN_RELU ? ", nonlinearity='relu'" : "") + (bias ? "" : ", bias=false")
                + (batchFirst ? ", batch_first=true" : "") + (dropout != 0 ? ", dropout=" + dropout : "")
                + (bidirectional ? ", bidirectional=true" : "");
    }

    /**
     * Constructor arguments for {@link Architecture}: input_size, hidden_size, num_layers, bias,
     * batch_first, dropout, bidirectional, and 1 for a ReLU RNN.
     */
    final double[] config() {
        return new double[] {inputSize, hiddenSize, numLayers, bias ? 1 : 0, batchFirst ? 1 : 0, dropout,
                bidirectional ? 1 : 0, mode == Mode.RNN_RELU ? 1 : 0};
    }
}
