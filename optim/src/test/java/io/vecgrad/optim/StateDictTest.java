package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Save, load into a fresh optimizer over copies of the parameters, continue: the result must be
 * bit for bit the uninterrupted run's, for every optimizer and option, f32 and f64. The state
 * goes through plain arrays on the way (as it would through safetensors).
 */
class StateDictTest {

    private static final int[][] SHAPES = {{9}, {2, 3}};

    private static List<Tensor> params(DType dt, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Tensor> ps = new ArrayList<>();
        for (int[] s : SHAPES) {
            ps.add(Tensor.fromArray(dt, OptimizerOracleTest.values(rnd, OptimizerOracleTest.size(s), dt, 1), s)
                    .requiresGrad(true));
        }
        return ps;
    }

    private static List<Tensor> copies(List<Tensor> ps) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : ps) {
            out.add(Tensor.fromArray(p.dtype(), p.toDoubleArray(), p.dims()).requiresGrad(true));
        }
        return out;
    }

    /** Deterministic gradients for step {@code step} (param 1 gets none on step 2). */
    private static void grads(List<Tensor> ps, int step) {
        for (int k = 0; k < ps.size(); k++) {
            Tensor p = ps.get(k);
            if (k == 1 && step == 2) {
                p.clearGrad();
                continue;
            }
            SplittableRandom rnd = new SplittableRandom(1000L * step + k);
            p.setGrad(Tensor.fromArray(p.dtype(),
                    OptimizerOracleTest.values(rnd, (int) p.numel(), p.dtype(), 1), p.dims()));
        }
    }

    /** A round trip through heap arrays, as serialisation would do. */
    private static Map<String, Tensor> throughArrays(Map<String, Tensor> dict) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        dict.forEach((k, t) -> out.put(k, Tensor.fromArray(t.dtype(), t.toDoubleArray(), t.dims())));
        return out;
    }

    @Test
    void saveLoadContinueEqualsUninterrupted() {
        long seed = 5;
        for (OptimizerOracleTest.Spec spec : OptimizerOracleTest.specs()) {
            for (DType dt : DType.values()) {
                List<Tensor> a = params(dt, seed);
                Optimizer oa = spec.build().apply(a);
                for (int step = 1; step <= 3; step++) {
                    grads(a, step);
                    oa.step();
                }
                Map<String, Tensor> saved = throughArrays(oa.stateDict());
                List<Tensor> b = copies(a);
                Optimizer ob = spec.build().apply(b);
                ob.loadStateDict(saved);
                assertEquals(oa.stepCount(), ob.stepCount());
                for (int step = 4; step <= 7; step++) {
                    grads(a, step);
                    grads(b, step);
                    oa.step();
                    ob.step();
                }
                for (int k = 0; k < a.size(); k++) {
                    assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(),
                            spec.name() + " " + dt + " param " + k + " after resuming");
                }
                assertEquals(oa.stateDict().keySet(), ob.stateDict().keySet());
                seed++;
            }
        }
    }

    @Test
    void keysFollowPyTorchNames() {
        List<Tensor> ps = params(DType.F32, 1);
        Adam adam = Adam.builder(ps).amsgrad(true).build();
        assertEquals(List.of("param_groups.0.lr", "param_groups.0.betas.0", "param_groups.0.betas.1",
                "param_groups.0.eps", "param_groups.0.weight_decay", "param_groups.0.amsgrad", "step_count"),
                new ArrayList<>(adam.stateDict().keySet()), "no state before the first step");
        grads(ps, 1);
        adam.step();
        Map<String, Tensor> d = adam.stateDict();
        for (String k : List.of("state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq", "state.0.step",
                "state.1.exp_avg", "state.1.step")) {
            assertTrue(d.containsKey(k), k + " in " + d.keySet());
        }
        assertEquals(1.0, d.get("state.0.step").item());
        assertArrayEquals(new int[] {2, 3}, d.get("state.1.exp_avg_sq").dims());
        assertEquals(DType.F32, d.get("state.1.exp_avg_sq").dtype());
        // The dict is a snapshot: stepping again does not change it.
        double[] before = d.get("state.0.exp_avg").toDoubleArray();
        grads(ps, 3);
        adam.step();
        assertArrayEquals(before, d.get("state.0.exp_avg").toDoubleArray());
    }

    @Test
    void loadRejectsMismatchesAndChangesNothing() {
        List<Tensor> ps = params(DType.F64, 2);
        Adam adam = Adam.builder(ps).lr(0.01).build();
        grads(ps, 1);
        adam.step();
        Map<String, Tensor> good = adam.stateDict();

        Adam other = Adam.builder(copies(ps)).lr(0.5).build();
        Map<String, Tensor> unknown = new LinkedHashMap<>(good);
        unknown.put("state.0.momentum_buffer", good.get("state.0.exp_avg"));
        var e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(unknown));
        assertTrue(e.getMessage().contains("momentum_buffer"), e.getMessage());

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(good);
        wrongShape.put("state.1.exp_avg", Tensor.zeros(DType.F64, 3, 2));
        e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(wrongShape));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());

        Map<String, Tensor> missing = new LinkedHashMap<>(good);
        missing.remove("state.1.exp_avg_sq");
        e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(missing));
        assertTrue(e.getMessage().contains("state.1.exp_avg_sq"), e.getMessage());

        Map<String, Tensor> badBeta = new LinkedHashMap<>(good);
        badBeta.put("param_groups.0.betas.1", Tensor.scalar(DType.F64, 1.0));
        e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(badBeta));
        assertTrue(e.getMessage().contains("Adam") && e.getMessage().contains("beta2"), e.getMessage());

        Adam ams = Adam.builder(copies(ps)).amsgrad(true).build();
        e = assertThrows(IllegalArgumentException.class, () -> ams.loadStateDict(good));
        assertTrue(e.getMessage().contains("amsgrad"), e.getMessage());

        // Nothing changed by the failed loads.
        assertEquals(0.5, other.lr());
        assertEquals(0, other.paramStep(0));
        other.loadStateDict(good);
        assertEquals(0.01, other.lr());
        assertEquals(1, other.paramStep(0));
    }
}
