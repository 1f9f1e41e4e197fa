package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A building block of a network: computes {@link #forward(Tensor)} and owns named parameters
 * and named child modules, as PyTorch's {@code nn.Module}.
 *
 * <p>{@link Tensor} is final, so a parameter is simply a leaf tensor registered by name with
 * {@link #registerParameter}; registration marks it as requiring grad. Children are registered
 * with {@link #registerModule}. Both keep registration order, which fixes the order and the
 * dotted names of {@link #namedParameters()} ({@code "0.weight"}, {@code "fc1.bias"}), the keys
 * of {@link #stateDict()} and of saved files.
 *
 * <pre>{@code
 * final class Mlp extends Layer {
 *     private final Linear fc1, fc2;
 *     Mlp(RandomGenerator gen) {
 *         fc1 = registerModule("fc1", new Linear(4, 8, true, gen, DType.F32));
 *         fc2 = registerModule("fc2", new Linear(8, 3, true, gen, DType.F32));
 *     }
 *     public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * }</pre>
 *
 * <p>A module starts in training mode; {@link #eval()} switches it and all its descendants to
 * evaluation mode (which changes what {@link Dropout} does).
 */
public abstract class Layer {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Layer> children = new LinkedHashMap<>();
    private boolean training = true;

    /** For subclasses. */
    protected Layer() {}

    /**
     * Computes this module's output.
     *
     * @param input the input; which shapes are accepted is documented by each module
     * @return the output, recorded for backward when grad mode is on and a parameter or the
     *     input requires grad
     * @throws IllegalArgumentException if the input's shape or dtype does not fit the module
     */
    public abstract Tensor forward(Tensor input);

    // ========================================================================= registration

    /**
     * Registers a leaf tensor as the parameter {@code name} and marks it as requiring grad.
     *
     * @return {@code t}, so a subclass can write {@code weight = registerParameter("weight", ...)}
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is already used
     * @throws IllegalStateException if {@code t} is not a leaf
     */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkName(name);
        parameters.put(name, t.requiresGrad(true));
        return t;
    }

    /**
     * Registers a child module under {@code name}; its parameters appear as {@code name.xxx}.
     *
     * @return {@code m}
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is already used
     */
    protected final <M extends Layer> M registerModule(String name, M m) {
        checkName(name);
        if (m == this) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot be its own child");
        }
        children.put(name, m);
        return m;
    }

    // ---- norm/embedding/activations ----
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();

    /**
     * Registers a leaf tensor as the non-learnable state {@code name} (PyTorch's
     * {@code register_buffer}, e.g. batch norm's running statistics): it is saved and loaded
     * with {@link #stateDict()} / {@link #loadStateDict} but is not in {@link #parameters()}
     * and never requires grad.
     *
     * @return {@code t}
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is already used,
     *     or if {@code t} requires grad
     */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        if (t.requiresGrad()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer '" + name
                    + "' must not require grad");
        }
        buffers.put(name, t);
        return t;
    }

    /** The buffers of this module and all descendants by dotted name, in registration order. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((n, t) -> out.putIfAbsent(prefix + n, t));
        children.forEach((n, c) -> c.collectBuffers(prefix + n + ".", out));
    }

    /** Parameters then buffers: what the state dict holds. */
    private LinkedHashMap<String, Tensor> namedState() {
        LinkedHashMap<String, Tensor> all = namedParameters();
        all.putAll(namedBuffers());
        return all;
    }

    private void checkName(String name) {
        String who = getClass().getSimpleName();
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(who + ": invalid name '" + name
                    + "' (must be non-empty and contain no '.')");
        }
        if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException(who + ": name '" + name + "' is already registered");
        }
    }

    // ============================================================================ traversal

    /** The parameters of this module and all descendants, in {@link #namedParameters()} order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * The parameters of this module and all descendants by dotted name: this module's own in
     * registration order, then each child's (recursively) in registration order. A tensor
     * shared by several modules appears once, under its first name (as PyTorch).
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen) {
        parameters.forEach((n, t) -> {
            if (seen.add(t)) {
                out.put(prefix + n, t);
            }
        });
        children.forEach((n, c) -> c.collect(prefix + n + ".", out, seen));
    }

    /** The direct children in registration order. */
    public final List<Layer> children() {
        return new ArrayList<>(children.values());
    }

    /** The direct children by name, in registration order. */
    public final LinkedHashMap<String, Layer> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    // ================================================================================ modes

    /** Sets training mode on this module and all descendants. Returns this. */
    public Layer train(boolean mode) {
        training = mode;
        children.values().forEach(c -> c.train(mode));
        return this;
    }

    /** {@code train(true)}. */
    public final Layer train() {
        return train(true);
    }

    /** {@code train(false)}: evaluation mode (e.g. {@link Dropout} becomes the identity). */
    public final Layer eval() {
        return train(false);
    }

    /** True in training mode (the initial mode). */
    public final boolean isTraining() {
        return training;
    }

    /** Sets the gradient of every parameter to zeros (parameters without one are left alone). */
    public final void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    // ================================================================================ state

    /**
     * The parameters and then the buffers ({@link #registerBuffer}) by dotted name, detached:
     * the tensors share storage with the parameters
     * (so they see later updates; {@code copy()} one to keep a snapshot) but never require grad.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        namedState().forEach((n, t) -> out.put(n, t.detach()));
        return out;
    }

    /**
     * Copies values into the parameters and buffers by dotted name (strict, as PyTorch's default). Nothing
     * is modified unless every key matches and every shape and dtype agrees.
     *
     * @throws IllegalArgumentException listing every missing key, unexpected key and
     *     shape/dtype mismatch
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        LinkedHashMap<String, Tensor> own = namedState();
        List<String> problems = new ArrayList<>();
        List<String> missing = own.keySet().stream().filter(k -> state.get(k) == null).toList();
        List<String> unexpected = state.keySet().stream().filter(k -> !own.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected keys " + unexpected);
        }
        own.forEach((k, p) -> {
            Tensor v = state.get(k);
            if (v != null && (!Arrays.equals(v.dims(), p.dims()) || v.dtype() != p.dtype())) {
                problems.add("'" + k + "': expected " + p.dtype() + " " + Shape.format(p.dims()) + ", got "
                        + v.dtype() + " " + Shape.format(v.dims()));
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems));
        }
        try (var _ = Tensor.noGrad()) {
            own.forEach((k, p) -> p.copy_(state.get(k)));
        }
    }

    /**
     * Saves {@link #stateDict()} as a safetensors file (atomically replacing {@code file}).
     *
     * @throws IOException if writing fails
     */
    public final void save(Path file) throws IOException {
        SafeTensors.save(stateDict(), file);
    }

    /**
     * Loads a safetensors file into the parameters ({@link SafeTensors#load} then
     * {@link #loadStateDict}).
     *
     * @throws IOException if the file cannot be read or is not valid safetensors
     * @throws IllegalArgumentException if its keys, shapes or dtypes do not match this module
     */
    public final void load(Path file) throws IOException {
        loadStateDict(SafeTensors.load(file));
    }

    // ================================================================================= repr

    /** The constructor arguments shown by {@link #toString()}, e.g. {@code in_features=4}. */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch-style tree, e.g. {@code Sequential(\n  (0): Linear(in_features=4, ...)\n)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            children.forEach((n, c) -> sb.append("  (").append(n).append("): ")
                    .append(c.toString().replace("\n", "\n  ")).append('\n'));
        }
        return sb.append(')').toString();
    }
}
