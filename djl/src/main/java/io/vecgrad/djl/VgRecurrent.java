package io.vecgrad.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.vecgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Multi-layer, optionally bidirectional RNN (tanh/relu), GRU and LSTM as DJL defines them
 * (PyTorch gate order: LSTM i, f, g, o; GRU r, z, n), unrolled over time with vecgrad tensor ops
 * so the whole sequence is differentiable. DJL's parameter order per layer is: weights of every
 * direction (i2h, h2h), then biases of every direction (i2h, h2h).
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
        int steps = seq.dim(0);
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
                Tensor h = h0.narrow(0, idx, 1).reshape(h0.dim(1), h0.dim(2));
                Tensor c = cell == Cell.LSTM ? c0.narrow(0, idx, 1).reshape(c0.dim(1), c0.dim(2)) : null;
                Tensor[] ys = new Tensor[steps];
                Tensor wihT = wih.t();
                Tensor whhT = whh.t();
                for (int k = 0; k < steps; k++) {
                    int t = dir == 0 ? k : steps - 1 - k;
                    Tensor xt = seq.narrow(0, t, 1).reshape(seq.dim(1), seq.dim(2));
                    Tensor gi = xt.matmul(wihT);
                    Tensor gh = h.matmul(whhT);
                    if (bih != null) {
                        gi = gi.add(bih);
                        gh = gh.add(bhh);
                    }
                    int hid = whh.dim(1);
                    switch (cell) {
                        case RNN_TANH -> h = gi.add(gh).tanh();
                        case RNN_RELU -> h = gi.add(gh).relu();
                        case GRU -> {
                            Tensor r = gi.narrow(1, 0, hid).add(gh.narrow(1, 0, hid)).sigmoid();
                            Tensor z = gi.narrow(1, hid, hid).add(gh.narrow(1, hid, hid)).sigmoid();
                            Tensor n = gi.narrow(1, 2 * hid, hid).add(r.mul(gh.narrow(1, 2 * hid, hid))).tanh();
                            h = n.add(z.mul(h.sub(n))); // (1 - z) n + z h
                        }
                        case LSTM -> {
                            Tensor g = gi.add(gh);
                            Tensor in = g.narrow(1, 0, hid).sigmoid();
                            Tensor f = g.narrow(1, hid, hid).sigmoid();
                            Tensor cand = g.narrow(1, 2 * hid, hid).tanh();
                            Tensor o = g.narrow(1, 3 * hid, hid).sigmoid();
                            c = f.mul(c).add(in.mul(cand));
                            h = o.mul(c.tanh());
                        }
                        default -> throw new IllegalStateException(cell.name());
                    }
                    ys[t] = h.unsqueeze(0);
                }
                outs[dir] = Tensor.concat(0, ys); // (T, B, H)
                hs.add(h.unsqueeze(0));
                if (c != null) {
                    cs.add(c.unsqueeze(0));
                }
            }
            seq = dirs == 1 ? outs[0] : Tensor.concat(2, outs);
            if (training && dropRate > 0 && l < numLayers - 1) {
                double keep = 1 - dropRate;
                double[] m = new double[Math.toIntExact(seq.numel())];
                for (int i = 0; i < m.length; i++) {
                    m[i] = random.nextDouble() < keep ? 1 / keep : 0;
                }
                seq = seq.mul(Tensor.fromArray(seq.dtype(), m, seq.dims()));
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
