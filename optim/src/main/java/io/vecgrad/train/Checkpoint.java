package io.vecgrad.train;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.SafeTensors;
import io.vecgrad.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training checkpoint in one safetensors file: the model's parameters under
 * {@code model.<name>}, the optimizer's state under {@code optim.<key>}, and the position
 * (epoch, step, run seed) in the header metadata. Written to a temporary file and renamed into
 * place, so a crash leaves the previous checkpoint, never a half-written one.
 */
public final class Checkpoint {
    private Checkpoint() {}

    /** Format tag in the metadata. */
    static final String FORMAT = "vecgrad-checkpoint-1";

    /** Where a run stands: epochs completed, optimizer steps taken, the run seed. */
    public record State(int epoch, long step, long seed) {}

    /** Writes model, optimizer and state atomically to {@code file}. */
    public static void save(Path file, Layer model, Optimizer optimizer, State state) throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> all.put("model." + k, v));
        optimizer.stateDict().forEach((k, v) -> all.put("optim." + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(state.epoch()));
        meta.put("step", Long.toString(state.step()));
        meta.put("seed", Long.toString(state.seed()));
        meta.put("optimizer", optimizer.name());
        SafeTensors.save(all, meta, file);
    }

    /**
     * Restores model and optimizer from {@code file} and returns the saved position.
     *
     * @throws IOException if the file is missing, corrupt, not a checkpoint, or does not match
     *                     the model or optimizer (nothing is changed then)
     */
    public static State load(Path file, Layer model, Optimizer optimizer) throws IOException {
        Map<String, String> meta = SafeTensors.metadata(file);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException("checkpoint: " + file + " is not a vecgrad checkpoint (format "
                    + meta.get("format") + ")");
        }
        if (!optimizer.name().equals(meta.get("optimizer"))) {
            throw new IOException("checkpoint: " + file + " holds " + meta.get("optimizer")
                    + " state, the run uses " + optimizer.name());
        }
        Map<String, Tensor> all = SafeTensors.load(file);
        Map<String, Tensor> m = new LinkedHashMap<>();
        Map<String, Tensor> o = new LinkedHashMap<>();
        for (var e : all.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("model.")) {
                m.put(k.substring(6), e.getValue());
            } else if (k.startsWith("optim.")) {
                o.put(k.substring(6), e.getValue());
            } else {
                throw new IOException("checkpoint: " + file + ": unexpected tensor '" + k + "'");
            }
        }
        try {
            State s = new State(Integer.parseInt(meta.get("epoch")), Long.parseLong(meta.get("step")),
                    Long.parseLong(meta.get("seed")));
            // Both loads check everything before they change anything, but the second can still
            // fail after the first succeeded: keep a copy of the optimizer's state, load it first,
            // and put it back if the model does not take its part.
            Map<String, Tensor> before = copyOf(optimizer.stateDict());
            optimizer.loadStateDict(o);
            try {
                model.loadStateDict(m);
            } catch (RuntimeException e) {
                optimizer.loadStateDict(before);
                throw e;
            }
            return s;
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException("checkpoint: " + file + ": bad position metadata " + meta, e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("checkpoint: " + file + " does not match this model/optimizer: " + e.getMessage(), e);
        }
    }

    /** A deep copy (the optimizer's state dict shares its live buffers). */
    private static Map<String, Tensor> copyOf(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, Tensor.fromArray(v.dtype(), v.toDoubleArray(), v.dims())));
        return out;
    }
}
