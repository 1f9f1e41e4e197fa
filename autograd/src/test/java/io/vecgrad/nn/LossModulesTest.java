package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossModulesTest {
    private static final Tensor OUT = Tensor.fromArray(new double[] {0.5, -1, 2, 0, 1.5, -0.5}, 2, 3);
    private static final Tensor TGT = Tensor.fromArray(new double[] {1, 0, 1, 0, 1, 0}, 2, 3);
    private static final Indices LABELS = Indices.of(2, 0);

    @Test
    void regressionLossesMatchHandValues() {
        // squared errors .25, 1, 1, 0, .25, .25 ; absolute .5, 1, 1, 0, .5, .5
        assertEquals(2.75 / 6, new MSELoss().apply(OUT, TGT).item(), 1e-15);
        assertEquals(2.75, new MSELoss(Reduction.SUM).apply(OUT, TGT).item(), 1e-15);
        assertEquals(3.5 / 6, new L1Loss().apply(OUT, TGT).item(), 1e-15);
        assertArrayEquals(new int[] {2, 3}, new L1Loss(Reduction.NONE).apply(OUT, TGT).shape());
        assertEquals(Losses.bceWithLogits(OUT, TGT, Reduction.MEAN).item(),
                new BCEWithLogitsLoss().apply(OUT, TGT).item());
        // bce of logit 0, target 0 = log 2
        assertEquals(Math.log(2), new BCEWithLogitsLoss(Reduction.NONE).apply(OUT, TGT).get(1, 0), 1e-15);
    }

    @Test
    void classificationLossesMatchHandValues() {
        double lse0 = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(2));
        double lse1 = Math.log(Math.exp(0) + Math.exp(1.5) + Math.exp(-0.5));
        double ce = ((lse0 - 2) + (lse1 - 0)) / 2;
        assertEquals(ce, new CrossEntropyLoss().apply(OUT, LABELS).item(), 1e-12);
        assertEquals(ce, new NLLLoss().apply(new LogSoftmax(1).forward(OUT), LABELS).item(), 1e-12);
        assertEquals(-(2 + 0), new NLLLoss(Reduction.SUM).apply(OUT, LABELS).item(), 1e-15);
        assertEquals("CrossEntropyLoss(reduction=mean)", new CrossEntropyLoss().toString());
    }

    /** The generic step of the Loss Javadoc, used with both kinds of loss. */
    private static <T> double step(Layer model, Loss<T> loss, Tensor x, T y) {
        Tensor l = loss.apply(model.forward(x), y);
        l.backward();
        return l.item();
    }

    @Test
    void oneGenericLoopServesBothTargetTypes() {
        var gen = new SplittableRandom(1);
        Linear model = new Linear(3, 3, true, gen, DType.F64);
        Tensor x = Tensor.randn(gen, DType.F64, 2, 3);
        assertTrue(step(model, new CrossEntropyLoss(), x, LABELS) > 0);
        assertTrue(step(model, new MSELoss(), x, TGT) > 0);
        Loss<Tensor> custom = (o, t) -> Losses.mse(o, t, Reduction.SUM).mul(0.5);
        assertTrue(step(model, custom, x, TGT) > 0);
        assertTrue(model.weight().grad() != null);
    }

    @Test
    void shapeErrorsComeFromLosses() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MSELoss().apply(OUT, Tensor.zeros(DType.F64, 3, 2)));
        assertTrue(e.getMessage().contains("mse_loss"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss().apply(OUT, Indices.of(0, 1, 2)));
    }
}
