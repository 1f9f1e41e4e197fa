package io.vecgrad.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Multi-layer, optionally bidirectional RNN (tanh/relu), GRU and LSTM as DJL defines them
 * (PyTorch gate order: LSTM i, f, g, o; GRU r, z, n). Each layer and direction is one call of
 * vecgrad's fused recurrent op ({@link RecurrentOps}: one GEMM for the input projection of all
 * steps, one GEMM plus one fused gate kernel per step, one autograd node for the sequence); the
 * backward direction reads the sequence in reverse. DJL's parameter order per layer is: weights of
 * every direction (i2h, h2h), then biases of every direction (i2h, h2h).
 */
final class VgRecurrent {
    private VgRecurrent() {}

    enum Cell { RNN_TANH, RNN_RELU, GRU, LSTM }

    /** Output (sequence) and final states: h (and c for LSTM), each (layers*dirs, batch, hidden). */
    record Result(Tensor output, Tensor h, Tensor c) {}

    static Result run(String op, Cell cell, Tensor x, Tensor h0, Tensor c0, List<Tensor> params, boolean hasBiases,
                      int numLayers, double dropRate, boolean training, boolean bidirectional, boolean batchFirst,
                      Random random) {
        if (x.ndim() != 3) {
            throw new IllegalArgumentException(op + ": expected a 3-D input (seq, batch, feature) or (batch, seq, "
                    + "feature) with batchFirst, got " + Types.shape(x.dims()));
        }
        int dirs = bidirectional ? 2 : 1;
        int perLayer = dirs * 2 * (hasBiases ? 2 : 1);
        if (params.size() != numLayers * perLayer) {
            throw new IllegalArgumentException(op + ": expected " + numLayers * perLayer + " parameters for "
                    + numLayers + " layers, got " + params.size());
        }
        Tensor seq = batchFirst ? x.transpose(0, 1) : x; // (T, B, F)
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            Tensor[] outs = new Tensor[dirs];
            for (int dir = 0; dir < dirs; dir++) {
                int base = l * perLayer;
                Tensor wih = params.get(base + dir * 2);
                Tensor whh = params.get(base + dir * 2 + 1);
                Tensor bih = hasBiases ? params.get(base + dirs * 2 + dir * 2) : null;
                Tensor bhh = hasBiases ? params.get(base + dirs * 2 + dir * 2 + 1) : null;
                int idx = l * dirs + dir;
                Tensor h = h0.narrow(0, idx, 1);
                Tensor c = cell == Cell.LSTM ? c0.narrow(0, idx, 1) : null;
                boolean reverse = dir == 1;
                // one fused node per layer and direction: vecgrad's recurrent kernels
                RecurrentOps.Result r = switch (cell) {
                    case RNN_TANH, RNN_RELU -> RecurrentOps.rnn(seq, h, wih, whh, bih, bhh, cell == Cell.RNN_RELU,
                            reverse);
                    case GRU -> RecurrentOps.gru(seq, h, wih, whh, bih, bhh, reverse);
                    case LSTM -> RecurrentOps.lstm(seq, h, c, wih, whh, bih, bhh, reverse);
                };
                outs[dir] = r.output(); // (T, B, H)
                hs.add(r.h());
                if (r.c() != null) {
                    cs.add(r.c());
                }
            }
            seq = dirs == 1 ? outs[0] : Tensor.concat(2, outs);
            if (training && dropRate > 0 && l < numLayers - 1) {
                seq = seq.dropout(dropRate, random);
            }
        }
        Tensor out = batchFirst ? seq.transpose(0, 1).contiguous() : seq;
        Tensor h = Tensor.concat(0, hs.toArray(new Tensor[0]));
        Tensor c = cs.isEmpty() ? null : Tensor.concat(0, cs.toArray(new Tensor[0]));
        return new Result(out, h, c);
    }

    static List<Tensor> tensors(NDList params) {
        List<Tensor> r = new ArrayList<>(params.size());
        for (NDArray p : params) {
            r.add(VgNDArray.of("rnn", p).in());
        }
        return r;
    }
}
