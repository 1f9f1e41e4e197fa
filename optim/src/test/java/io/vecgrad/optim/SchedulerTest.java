package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules: the rates they set against closed forms and PyTorch's sequences. */
class SchedulerTest {

    private static Optimizer sgd(double lr) {
        return SGD.builder(Tensor.zeros(3).requiresGrad(true)).lr(lr).build();
    }

    /** The rates the optimizer runs with at epochs 0..n-1 (stepping the schedule after each). */
    private static double[] rates(Optimizer opt, LrScheduler s, int n) {
        double[] out = new double[n];
        for (int e = 0; e < n; e++) {
            out[e] = opt.lr();
            assertEquals(out[e], s.lastLr(), 0.0);
            s.step();
        }
        return out;
    }

    private static void assertRates(double[] want, double[] got) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-15 * Math.max(1, Math.abs(want[i])), "epoch " + i);
        }
    }

    @Test
    void stepLR() {
        Optimizer opt = sgd(0.5);
        // PyTorch StepLR(step_size=2, gamma=0.1): 0.5, 0.5, 0.05, 0.05, 0.005
        assertRates(new double[] {0.5, 0.5, 0.05, 0.05, 0.005}, rates(opt, new StepLR(opt, 2, 0.1), 5));
    }

    @Test
    void exponentialLR() {
        Optimizer opt = sgd(1.0);
        double[] got = rates(opt, new ExponentialLR(opt, 0.9), 6);
        for (int e = 0; e < 6; e++) {
            assertEquals(Math.pow(0.9, e), got[e], 1e-15);
        }
    }

    @Test
    void cosineAnnealing() {
        Optimizer opt = sgd(0.1);
        double[] got = rates(opt, new CosineAnnealingLR(opt, 10, 0.001), 21);
        for (int e = 0; e <= 20; e++) {
            double want = 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * e / 10)) / 2;
            assertEquals(want, got[e], 1e-15, "epoch " + e);
        }
        assertEquals(0.1, got[0], 1e-15);
        assertEquals(0.001, got[10], 1e-15);
        assertEquals(0.1, got[20], 1e-15);   // the closed form keeps following the cosine
    }

    @Test
    void linearWarmup() {
        Optimizer opt = sgd(0.3);
        // PyTorch LinearLR(start_factor=0.25, total_iters=4): factors 0.25, 0.4375, 0.625, 0.8125, 1, 1
        double[] got = rates(opt, new LinearWarmup(opt, 4, 0.25), 6);
        double[] f = {0.25, 0.4375, 0.625, 0.8125, 1, 1};
        for (int e = 0; e < 6; e++) {
            assertEquals(0.3 * f[e], got[e], 1e-15, "epoch " + e);
        }
    }

    @Test
    void warmupThenCosine() {
        Optimizer opt = sgd(0.2);
        SequentialLR s = LrScheduler.warmupCosine(opt, 3, 0.1, 13, 0.0);
        assertEquals(0.2 * 0.1, opt.lr(), 1e-16, "the first schedule's epoch-0 rate after construction");
        double[] got = rates(opt, s, 14);
        for (int e = 0; e < 3; e++) {
            assertEquals(0.2 * (0.1 + 0.9 * e / 3), got[e], 1e-15, "warm-up epoch " + e);
        }
        for (int e = 3; e < 14; e++) {
            assertEquals(0.2 * (1 + Math.cos(Math.PI * (e - 3) / 10)) / 2, got[e], 1e-15, "cosine epoch " + e);
        }
        assertEquals(0.2, s.baseLr());
    }

    @Test
    void schedulesShareTheInitialRateAndResume() {
        Optimizer opt = sgd(1.0);
        StepLR a = new StepLR(opt, 1, 0.5);
        a.step();
        assertEquals(0.5, opt.lr());
        // A second schedule built now still scales the initial rate (PyTorch's initial_lr).
        ExponentialLR b = new ExponentialLR(opt, 0.1);
        assertEquals(1.0, b.baseLr());
        assertEquals(1.0, opt.lr());
        b.setLastEpoch(2);
        assertEquals(0.01, opt.lr(), 1e-17);
        assertEquals(2, b.lastEpoch());
        // initial_lr travels with the optimizer's state dict.
        assertEquals(1.0, opt.stateDict().get("param_groups.0.initial_lr").item());
    }

    @Test
    void invalidArguments() {
        Optimizer opt = sgd(0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.1));
        assertTrue(e.getMessage().contains("StepLR") && e.getMessage().contains("stepSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(opt, -1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(opt, 5, 0));
        StepLR s = new StepLR(opt, 1);
        assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(s, s), new long[0]));
        assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(s, s), new long[] {0}));
        Optimizer other = sgd(0.1);
        assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(other, List.of(new StepLR(other, 1), s), new long[] {2}));
    }
}
