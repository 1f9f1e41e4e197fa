package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid hyper-parameters and parameters fail at construction, naming optimizer, parameter and value. */
class ValidationTest {

    private static final Tensor P = Tensor.zeros(4).requiresGrad(true);

    private static void rejects(Executable build, String... words) {
        var e = assertThrows(IllegalArgumentException.class, build);
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void hyperParameters() {
        rejects(() -> SGD.builder(P).lr(-0.1).build(), "SGD", "lr", "-0.1");
        rejects(() -> SGD.builder(P).build(), "SGD", "lr", "required");
        rejects(() -> SGD.builder(P).lr(0.1).momentum(-1).build(), "SGD", "momentum", "-1.0");
        rejects(() -> SGD.builder(P).lr(0.1).weightDecay(-1e-3).build(), "SGD", "weight_decay", "-0.001");
        rejects(() -> SGD.builder(P).lr(0.1).nesterov(true).build(), "SGD", "nesterov", "momentum");
        rejects(() -> SGD.builder(P).lr(0.1).momentum(0.9).dampening(0.1).nesterov(true).build(),
                "SGD", "nesterov", "dampening", "0.1");
        rejects(() -> Adagrad.builder(P).lrDecay(-1).build(), "Adagrad", "lr_decay", "-1.0");
        rejects(() -> Adagrad.builder(P).initialAccumulatorValue(-1).build(), "Adagrad", "initial_accumulator_value");
        rejects(() -> Adagrad.builder(P).eps(-1).build(), "Adagrad", "eps");
        rejects(() -> RMSprop.builder(P).alpha(-0.5).build(), "RMSprop", "alpha", "-0.5");
        rejects(() -> RMSprop.builder(P).momentum(Double.NaN).build(), "RMSprop", "momentum", "NaN");
        rejects(() -> Adam.builder(P).betas(1.0, 0.999).build(), "Adam", "beta1", "1.0");
        rejects(() -> Adam.builder(P).betas(0.9, -0.1).build(), "Adam", "beta2", "-0.1");
        rejects(() -> Adam.builder(P).eps(-1e-8).build(), "Adam", "eps", "-1.0E-8");
        rejects(() -> AdamW.builder(P).weightDecay(-0.01).build(), "AdamW", "weight_decay", "-0.01");
        rejects(() -> AdamW.builder(P).lr(Double.NaN).build(), "AdamW", "lr", "NaN");
        Optimizer ok = Adam.builder(P).build();
        rejects(() -> ok.setLr(-1), "Adam", "lr", "-1.0");
    }

    @Test
    void defaultsArePyTorchs() {
        Adam adam = Adam.builder(P).build();
        assertEquals(1e-3, adam.lr());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.eps());
        assertEquals(0, adam.weightDecay());
        assertEquals(0.01, AdamW.builder(P).build().weightDecay());
        Adagrad ada = Adagrad.builder(P).build();
        assertEquals(0.01, ada.lr());
        assertEquals(1e-10, ada.eps());
        RMSprop rms = RMSprop.builder(P).build();
        assertEquals(0.01, rms.lr());
        assertEquals(0.99, rms.alpha());
        assertEquals(1e-8, rms.eps());
    }

    @Test
    void parameters() {
        rejects(() -> SGD.builder(List.of()).lr(0.1).build(), "SGD", "empty");
        rejects(() -> Adam.builder(P, P).build(), "Adam", "parameter 1", "same tensor as parameter 0");
        Tensor leaf = Tensor.zeros(DType.F32, 2, 3).requiresGrad(true);
        Tensor computed = leaf.mul(2);
        rejects(() -> Adam.builder(computed).build(), "Adam", "not a leaf");
        Tensor transposed = Tensor.fromBuffer(Tensor.zeros(DType.F32, 2, 3).buffer().transpose(0, 1));
        rejects(() -> Adam.builder(transposed).build(), "Adam", "parameter 0", "not contiguous");
    }

    @Test
    void nonContiguousGradientIsReportedAtStep() {
        Tensor p = Tensor.zeros(DType.F64, 3, 3).requiresGrad(true);
        SGD sgd = SGD.builder(p).lr(0.1).build();
        Tensor g = Tensor.fromBuffer(Tensor.zeros(DType.F64, 3, 3).buffer().transpose(0, 1));
        p.setGrad(g);
        var e = assertThrows(IllegalStateException.class, sgd::step);
        assertTrue(e.getMessage().contains("gradient of parameter 0") && e.getMessage().contains("not contiguous"),
                e.getMessage());
    }

    @Test
    void stepSkipsParametersWithoutGradientAndBumpsVersions() {
        Tensor a = Tensor.fromArray(DType.F32, new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.fromArray(DType.F32, new double[] {3}, 1).requiresGrad(true);
        SGD sgd = SGD.builder(a, b).lr(0.5).build();
        a.setGrad(Tensor.fromArray(DType.F32, new double[] {2, 4}, 2));
        int va = a.buffer().storage().version();
        sgd.step();
        assertEquals(List.of(0.0, 0.0), List.of(a.get(0), a.get(1)));
        assertEquals(3.0, b.get(0));
        assertEquals(1, sgd.paramStep(0));
        assertEquals(0, sgd.paramStep(1));
        assertTrue(a.buffer().storage().version() > va, "in-place update bumps the version");
        assertEquals(List.of(2.0, 4.0), List.of(a.grad().get(0), a.grad().get(1)), "gradient untouched");
        sgd.zeroGrad();
        assertEquals(0.0, a.grad().get(1));
    }
}
