package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class LayerTest {

    /** The two-layer network of the Layer Javadoc, with a Sequential inside. */
    static final class Mlp extends Layer {
        final Linear fc1;
        final Sequential head;

        Mlp(RandomGenerator gen) {
            fc1 = registerModule("fc1", new Linear(4, 8, true, gen, DType.F32));
            head = registerModule("head", new Sequential(new ReLU(), new Dropout(0.5, gen),
                    new Linear(8, 3, false, gen, DType.F32)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(fc1.forward(x));
        }
    }

    @Test
    void sequentialNamesParametersByIndex() {
        var gen = new SplittableRandom(1);
        Sequential s = new Sequential(new Linear(3, 4, gen), new ReLU(), new Linear(4, 2, gen));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(List.of("0", "1", "2"), List.copyOf(s.namedChildren().keySet()));
        assertEquals(3, s.size());
        assertSame(s.get(1), s.children().get(1));
        assertArrayEquals(new int[] {4, 3}, s.parameters().get(0).shape());
        assertTrue(s.parameters().stream().allMatch(Tensor::requiresGrad));
        assertEquals(2, s.forward(Tensor.zeros(5, 3)).dim(1));
    }

    @Test
    void nestedModulesUseDottedNamesInRegistrationOrder() {
        Mlp m = new Mlp(new SplittableRandom(2));
        assertEquals(List.of("fc1.weight", "fc1.bias", "head.2.weight"), List.copyOf(m.namedParameters().keySet()));
        assertSame(m.fc1.weight(), m.namedParameters().get("fc1.weight"));
        assertEquals("""
                Mlp(
                  (fc1): Linear(in_features=4, out_features=8, bias=true)
                  (head): Sequential(
                    (0): ReLU()
                    (1): Dropout(p=0.5)
                    (2): Linear(in_features=8, out_features=3, bias=false)
                  )
                )""", m.toString());
    }

    @Test
    void sharedParametersAppearOnce() {
        Linear shared = new Linear(2, 2, new SplittableRandom(3));
        Sequential s = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(s.namedParameters().keySet()));
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        Mlp m = new Mlp(new SplittableRandom(4));
        assertTrue(m.isTraining());
        m.eval();
        assertFalse(m.isTraining());
        assertFalse(m.head.get(1).isTraining());
        assertFalse(m.fc1.isTraining());
        m.train();
        assertTrue(m.head.get(1).isTraining());
    }

    @Test
    void zeroGradZeroesEveryParameterGradient() {
        Mlp m = new Mlp(new SplittableRandom(5));
        m.forward(Tensor.ones(2, 4)).sum().backward();
        assertTrue(m.parameters().stream().allMatch(p -> p.grad() != null));
        m.zeroGrad();
        for (Tensor p : m.parameters()) {
            for (double g : p.grad().toDoubleArray()) {
                assertEquals(0, g);
            }
        }
    }

    @Test
    void registrationRejectsBadNames() {
        class Bad extends Layer {
            Bad(String a, String b) {
                registerParameter(a, Tensor.zeros(1));
                registerModule(b, new ReLU());
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        var dup = assertThrows(IllegalArgumentException.class, () -> new Bad("w", "w"));
        assertTrue(dup.getMessage().contains("name 'w' is already registered"), dup.getMessage());
        var dot = assertThrows(IllegalArgumentException.class, () -> new Bad("a.b", "c"));
        assertTrue(dot.getMessage().contains("invalid name 'a.b'"), dot.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bad("", "c"));
    }

    @Test
    void stateDictRoundTripsIntoAFreshModule() {
        Mlp a = new Mlp(new SplittableRandom(6));
        Mlp b = new Mlp(new SplittableRandom(7));
        Tensor x = Tensor.randn(new SplittableRandom(8), 3, 4);
        a.eval();
        b.eval();
        LinkedHashMap<String, Tensor> state = a.stateDict();
        assertEquals(a.namedParameters().keySet(), state.keySet());
        assertFalse(state.get("fc1.weight").requiresGrad());
        b.loadStateDict(state);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
        // values were copied: the parameters of b are still its own tensors
        assertNotSame(a.fc1.weight().buffer().storage(), b.fc1.weight().buffer().storage());
        assertTrue(b.fc1.weight().requiresGrad());
    }

    @Test
    void loadStateDictNamesEveryProblemAndChangesNothing() {
        Mlp m = new Mlp(new SplittableRandom(9));
        float[] before = m.fc1.weight().toFloatArray();
        LinkedHashMap<String, Tensor> state = m.stateDict();
        state.remove("fc1.bias");
        state.put("fc2.weight", Tensor.zeros(1));
        state.put("fc1.weight", Tensor.zeros(8, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing keys [fc1.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys [fc2.weight]"), e.getMessage());
        assertTrue(e.getMessage().contains("'fc1.weight': expected f32 [8, 4], got f32 [8, 5]"), e.getMessage());
        assertArrayEquals(before, m.fc1.weight().toFloatArray());

        var d = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(Map.of(
                "fc1.weight", Tensor.zeros(DType.F64, 8, 4), "fc1.bias", Tensor.zeros(8),
                "head.2.weight", Tensor.zeros(3, 8))));
        assertTrue(d.getMessage().contains("'fc1.weight': expected f32 [8, 4], got f64 [8, 4]"), d.getMessage());
    }
}
