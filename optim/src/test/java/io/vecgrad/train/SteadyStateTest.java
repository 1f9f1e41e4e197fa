package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.AvgPool2d;
import io.vecgrad.nn.Conv2d;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Flatten;
import io.vecgrad.nn.LSTM;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.MaxPool2d;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A warm training step allocates no new native memory (the design's buffer-reuse promise). */
class SteadyStateTest {

    @Test
    void trainingStepAllocatesNoNewNativeMemoryAfterWarmUp() {
        SplittableRandom r = new SplittableRandom(1);
        Layer net = new Sequential(new Linear(64, 32, true, r, DType.F32), new ReLU(),
                new Linear(32, 10, true, r, DType.F32));
        Optimizer opt = Adam.builder(net.parameters()).lr(1e-3).build();
        Tensor x = Tensor.rand(r, DType.F32, 16, 64);
        long[] l = new long[16];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextInt(10);
        }
        Indices y = Indices.of(l, 16);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        long warm = 0;
        for (int step = 0; step < 20; step++) {
            if (step == 3) {
                warm = Tensor.nativeBytesAllocated();
            }
            opt.zeroGrad();
            Tensor loss = ce.apply(net.forward(x), y);
            loss.backward();
            opt.step();
            loss.item();
        }
        assertEquals(warm, Tensor.nativeBytesAllocated(), "native bytes allocated by steps 3..19");
    }

    /**
     * The same promise for a small CNN (conv-relu-maxpool twice, then linear): im2col/col2im
     * buffers, pool temporaries and the graph all come from the workspace.
     */
    @Test
    void cnnTrainingStepAllocatesNoNewNativeMemoryAfterWarmUp() {
        SplittableRandom r = new SplittableRandom(2);
        int[] one = {1, 1};
        Layer net = new Sequential(
                new Conv2d(1, 4, new int[] {3, 3}, one, one, one, 1, true, r, DType.F32), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, new int[] {3, 3}, one, one, one, 2, true, r, DType.F32), new ReLU(),
                new AvgPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, true, false),
                new Flatten(), new Linear(8 * 3 * 3, 10, true, r, DType.F32));
        Optimizer opt = Adam.builder(net.parameters()).lr(1e-3).build();
        Tensor x = Tensor.rand(r, DType.F32, 8, 1, 9, 9);
        long[] l = new long[8];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextInt(10);
        }
        Indices y = Indices.of(l, 8);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        long warm = 0;
        double first = 0;
        double last = 0;
        for (int step = 0; step < 20; step++) {
            if (step == 3) {
                warm = Tensor.nativeBytesAllocated();
            }
            opt.zeroGrad();
            Tensor loss = ce.apply(net.forward(x), y);
            loss.backward();
            opt.step();
            last = loss.item();
            first = step == 0 ? last : first;
        }
        assertEquals(warm, Tensor.nativeBytesAllocated(), "native bytes allocated by CNN steps 3..19");
        org.junit.jupiter.api.Assertions.assertTrue(last < first, "the CNN learns: loss " + first + " -> " + last);
    }

    // ---- recurrent/attention ----
    /**
     * The same promise for a recurrent model: a stacked, bidirectional, batch-first LSTM whose
     * last step feeds a classifier (the fused LSTM node, narrow, concat, transpose and their
     * backward rules all draw from the pool).
     */
    @Test
    void lstmTrainingStepAllocatesNoNewNativeMemoryAfterWarmUp() {
        SplittableRandom r = new SplittableRandom(2);
        LSTM lstm = new LSTM(8, 16, 2, true, true, 0, true, r, DType.F32);
        Linear head = new Linear(32, 5, true, r, DType.F32);
        java.util.List<Tensor> params = new java.util.ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        Optimizer opt = Adam.builder(params).lr(1e-3).build();
        Tensor x = Tensor.rand(r, DType.F32, 4, 7, 8);
        Indices y = Indices.of(new long[] {0, 3, 1, 4}, 4);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        long warm = 0;
        for (int step = 0; step < 12; step++) {
            if (step == 3) {
                warm = Tensor.nativeBytesAllocated();
            }
            opt.zeroGrad();
            Tensor last = lstm.forward(x).narrow(1, 6, 1).reshape(4, 32);
            Tensor loss = ce.apply(head.forward(last), y);
            loss.backward();
            opt.step();
            loss.item();
        }
        assertEquals(warm, Tensor.nativeBytesAllocated(), "native bytes allocated by LSTM steps 3..11");
    }
}
