package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.SafeTensors;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hardening issue, "checkpoints": load changes nothing when it throws; saves leave no stale temporaries. */
class CheckpointHardeningTest {
    @TempDir
    Path dir;

    private static Layer model(long seed) {
        return new Linear(3, 2, true, new SplittableRandom(seed), DType.F32);
    }

    /** One Adam step so the optimizer has state worth protecting. */
    private static Optimizer stepped(Layer m) {
        Optimizer o = Adam.builder(m.parameters()).lr(0.01).build();
        m.forward(Tensor.ones(4, 3)).sum().backward();
        o.step();
        return o;
    }

    private static Map<String, double[]> values(Map<String, Tensor> d) {
        Map<String, double[]> out = new LinkedHashMap<>();
        d.forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    private static void assertSame(Map<String, double[]> a, Map<String, double[]> b) {
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
    }

    private Path checkpointWith(Layer m, Optimizer o, java.util.function.UnaryOperator<Map<String, Tensor>> edit)
            throws IOException {
        Path ck = dir.resolve("good.ckpt");
        Checkpoint.save(ck, m, o, new Checkpoint.State(1, 1, 5));
        Map<String, String> meta = SafeTensors.metadata(ck);
        Path bad = dir.resolve("edited.ckpt");
        SafeTensors.save(edit.apply(SafeTensors.load(ck)), meta, bad);
        return bad;
    }

    @Test
    void loadWithValidModelAndBadOptimizerStateChangesNothing() throws IOException {
        Layer src = model(1);
        Path bad = checkpointWith(src, stepped(src), all -> {
            all.put("optim.state.0.exp_avg", Tensor.zeros(7)); // wrong shape
            return all;
        });
        Layer m = model(2);
        Optimizer o = stepped(m);
        Map<String, double[]> weights = values(m.stateDict());
        Map<String, double[]> state = values(o.stateDict());
        assertThrows(IOException.class, () -> Checkpoint.load(bad, m, o));
        assertSame(weights, values(m.stateDict()));
        assertSame(state, values(o.stateDict()));
    }

    @Test
    void loadWithValidOptimizerStateAndBadModelChangesNothing() throws IOException {
        Layer src = model(1);
        Path bad = checkpointWith(src, stepped(src), all -> {
            all.put("model.weight", Tensor.zeros(2, 4)); // wrong shape
            return all;
        });
        Layer m = model(2);
        Optimizer o = stepped(m);
        Map<String, double[]> weights = values(m.stateDict());
        Map<String, double[]> state = values(o.stateDict());
        assertThrows(IOException.class, () -> Checkpoint.load(bad, m, o));
        assertSame(weights, values(m.stateDict()));
        assertSame(state, values(o.stateDict()));
    }

    @Test
    void staleTemporariesOfAKilledSaveAreCleaned() throws IOException {
        Layer m = model(1);
        Optimizer o = stepped(m);
        Path ck = dir.resolve("checkpoint.safetensors");
        Path stale = dir.resolve("checkpoint.safetensors.tmp1234abcd");
        Files.write(stale, new byte[4096]);
        Path other = dir.resolve("other.safetensors.tmp99"); // another file's temporary is not ours
        Files.write(other, new byte[8]);
        Checkpoint.save(ck, m, o, new Checkpoint.State(1, 1, 5));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other));
        Layer back = model(9);
        Checkpoint.load(ck, back, stepped(back));
        assertSame(values(m.stateDict()), values(back.stateDict()));
    }
}
