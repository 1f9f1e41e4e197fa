package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * What a custom {@link Function} keeps between its forward and backward: saved tensors
 * (version-checked, like the built-in ops) and any other values by name.
 */
public final class FunctionContext {
    private Tensor[] saved = new Tensor[0];
    private int[] versions = new int[0];
    private final Map<String, Object> values = new HashMap<>();
    private boolean[] needsInputGrad = new boolean[0];

    /** The function this context belongs to (set when its call is recorded). */
    Function function;
    private boolean released;

    FunctionContext() {}

    /** Drops what was saved for backward (the graph was freed). */
    void release() {
        released = true;
        saved = new Tensor[0];
        versions = new int[0];
        values.clear();
    }

    boolean isReleased() {
        return released;
    }

    /** Saves tensors for backward; modifying one in place afterwards makes backward fail. */
    public void saveForBackward(Tensor... tensors) {
        saved = new Tensor[tensors.length];
        versions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            saved[i] = tensors[i].detach();
            versions[i] = tensors[i].buffer().storage().version();
        }
    }

    /** The saved tensors, after checking none was modified in place since saving. */
    public Tensor[] savedTensors() {
        for (int i = 0; i < saved.length; i++) {
            Buffer b = saved[i].buffer();
            if (b.storage().version() != versions[i]) {
                throw new IllegalStateException("custom function: saved tensor " + i + " (" + b.dtype() + " "
                        + b.shape() + ") was modified by an in-place operation: it is at version "
                        + b.storage().version() + ", it was saved at version " + versions[i]);
            }
        }
        return saved.clone();
    }

    /** Stores a non-tensor value (a shape, a flag, a constant) for backward. */
    public void put(String key, Object value) {
        values.put(key, value);
    }

    /** A value stored with {@link #put}. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        return (T) values.get(key);
    }

    /** True if input {@code i} needs a gradient (backward may skip computing the others). */
    public boolean needsInputGrad(int i) {
        return i < needsInputGrad.length && needsInputGrad[i];
    }

    void setNeedsInputGrad(boolean[] needs) {
        needsInputGrad = needs;
    }
}
