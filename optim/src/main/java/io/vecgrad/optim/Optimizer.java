package io.vecgrad.optim;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Shape;
import io.vecgrad.engine.Updates;
import io.vecgrad.engine.spi.UpdateKernels;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the first-order optimizers: a fixed list of parameters (contiguous leaf tensors,
 * updated in place) and, per parameter, state buffers of the same dtype and size allocated
 * lazily at its first update and reused afterwards.
 *
 * <p><b>Step.</b> {@link #step()} runs with graph recording off and, for each parameter whose
 * gradient is not {@code null}, calls one fused update kernel ({@link UpdateKernels}) that reads
 * p, g and the state once and writes p and the state once. Parameters without a gradient are
 * skipped and their step counter does not advance (as in PyTorch, where the step count is per
 * parameter). Gradients are read, never modified. A steady-state step allocates nothing: it
 * walks arrays, and the kernels allocate neither heap nor native memory.
 *
 * <p><b>State dict.</b> {@link #stateDict()} snapshots the state as a flat
 * {@code Map<String, Tensor>} ready for safetensors: {@code state.<i>.<slot>} (for example
 * {@code state.0.exp_avg}) and {@code state.<i>.step} for every parameter that has state, the
 * hyper-parameters as 0-d f64 tensors {@code param_groups.0.<name>} (PyTorch names:
 * {@code lr, momentum, betas.0, ...}; booleans as 0/1), and {@code step_count}.
 * {@link #loadStateDict} restores all of it so training continues bit for bit as if never
 * interrupted.
 *
 * <p><b>Threads.</b> Not thread-safe; step from the thread that runs backward.
 */
public abstract class Optimizer {
    private final String name;
    private final Tensor[] params;
    /** Per parameter, its state buffers in {@link #slots()} order, or null before its first update. */
    private final Buffer[][] state;
    /** Per-parameter step counts (PyTorch's {@code state['step']}). */
    private final long[] steps;
    private long stepCount;
    private double lr;
    /** The learning rate schedulers scale; set when the first scheduler attaches. */
    private double initialLr = Double.NaN;
    /** The fused kernels every update goes through. */
    protected final UpdateKernels kernels;

    /**
     * @param name  the optimizer's name, used in every error message
     * @param params the parameters: contiguous leaves, each listed once
     * @param lr    the learning rate, {@code >= 0}
     * @throws IllegalArgumentException on an empty list, a non-leaf, non-contiguous or repeated
     *                                  parameter, or an invalid learning rate
     */
    protected Optimizer(String name, List<Tensor> params, double lr) {
        this.name = name;
        this.params = params.toArray(new Tensor[0]);
        if (this.params.length == 0) {
            throw new IllegalArgumentException(name + ": got an empty parameter list");
        }
        IdentityHashMap<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < this.params.length; i++) {
            Tensor p = this.params[i];
            if (p == null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is null");
            }
            Integer before = seen.put(p, i);
            if (before != null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " is the same tensor as parameter "
                        + before + "; list each parameter once");
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " " + Shape.format(p.dims())
                        + " is not a leaf tensor (it was computed by " + p.gradFn() + "); can only optimize leaves");
            }
            if (!p.buffer().isContiguous()) {
                throw new IllegalArgumentException(notContiguous(i, "parameter", p.buffer()));
            }
        }
        this.state = new Buffer[this.params.length][];
        this.steps = new long[this.params.length];
        this.kernels = Updates.get();
        setLr(lr);
    }

    /** Turns a {@code Tensor...} or {@code Iterable} argument into a list. */
    static List<Tensor> list(Iterable<Tensor> params) {
        List<Tensor> out = new ArrayList<>();
        params.forEach(out::add);
        return out;
    }

    // ================================================================================= public

    /** The optimizer's name ({@code "Adam"}). */
    public final String name() {
        return name;
    }

    /** The parameters, in order (unmodifiable). */
    public final List<Tensor> params() {
        return Collections.unmodifiableList(Arrays.asList(params));
    }

    /** The current learning rate. */
    public final double lr() {
        return lr;
    }

    /**
     * Sets the learning rate (schedulers call this between steps).
     *
     * @throws IllegalArgumentException if {@code lr} is negative or NaN
     */
    public final void setLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw invalid("lr", lr, "a finite value >= 0");
        }
        this.lr = lr;
    }

    /** How many times {@link #step()} ran (including steps that skipped every parameter). */
    public final long stepCount() {
        return stepCount;
    }

    /** The number of updates applied to parameter {@code i} so far (0 before its first). */
    public final long paramStep(int i) {
        return steps[i];
    }

    /**
     * Applies one update to every parameter that has a gradient, in place (bumping each
     * parameter's version counter). Runs with graph recording off.
     *
     * @throws IllegalStateException if a parameter or gradient is no longer contiguous, or its
     *                               storage was released
     */
    public final void step() {
        try (var _ = Tensor.noGrad()) {
            stepCount++;
            for (int i = 0; i < params.length; i++) {
                Tensor g = params[i].grad();
                if (g == null) {
                    continue;
                }
                Buffer pb = params[i].buffer();
                Buffer gb = g.buffer();
                if (!pb.isContiguous() || !gb.isContiguous()) {
                    checkContiguous(i, "parameter", pb);
                    checkContiguous(i, "gradient of parameter", gb);
                }
                Buffer[] st = state[i];
                if (st == null) {
                    st = state[i] = allocateState(pb);
                }
                long t = ++steps[i];
                update(pb.dtype(), pb.size(), pb.segment(name), pb.offset(), gb.segment(name), gb.offset(), st, t);
                pb.storage().bumpVersion();
            }
        }
    }

    /** Sets every parameter's gradient to zeros, keeping the gradient buffers (PyTorch's default). */
    public final void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /**
     * A snapshot of the optimizer: state tensors (copies), step counters and hyper-parameters,
     * keyed as described in the class comment. Insertion-ordered.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String[] slots = slots();
        for (int i = 0; i < params.length; i++) {
            if (state[i] == null) {
                continue;
            }
            for (int s = 0; s < slots.length; s++) {
                Buffer b = state[i][s];
                Buffer copy = Buffer.zeros(b.dtype(), b.dims());
                Kernels.get().copy(b, copy);
                out.put("state." + i + "." + slots[s], Tensor.fromBuffer(copy));
            }
            out.put("state." + i + ".step", Tensor.scalar(DType.F64, steps[i]));
        }
        Map<String, Double> hyper = new LinkedHashMap<>();
        hyper.put("lr", lr);
        if (!Double.isNaN(initialLr)) {
            hyper.put("initial_lr", initialLr);
        }
        writeHyper(hyper);
        hyper.forEach((k, v) -> out.put("param_groups.0." + k, Tensor.scalar(DType.F64, v)));
        out.put("step_count", Tensor.scalar(DType.F64, stepCount));
        return out;
    }

    /**
     * Restores a {@link #stateDict()} of an optimizer of the same kind over parameters of the
     * same shapes: state values (converted to each parameter's dtype), step counters and
     * hyper-parameters. Everything is checked before anything changes.
     *
     * @throws IllegalArgumentException on a missing or unknown key, a shape mismatch, an invalid
     *                                  hyper-parameter, or a structural option (such as
     *                                  {@code amsgrad}) that differs from this optimizer's
     */
    public final void loadStateDict(Map<String, Tensor> dict) {
        String op = name + ".loadStateDict";
        String[] slots = slots();
        Buffer[][] newState = new Buffer[params.length][];
        long[] newSteps = new long[params.length];
        Map<String, Double> hyper = new LinkedHashMap<>();
        double newStepCount = -1;
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            if (key.equals("step_count")) {
                newStepCount = scalar(op, key, t);
            } else if (key.startsWith("param_groups.0.")) {
                hyper.put(key.substring("param_groups.0.".length()), scalar(op, key, t));
            } else if (key.startsWith("state.")) {
                String rest = key.substring("state.".length());
                int dot = rest.indexOf('.');
                int i;
                try {
                    i = dot < 0 ? -1 : Integer.parseInt(rest.substring(0, dot));
                } catch (NumberFormatException ex) {
                    i = -1;
                }
                if (i < 0 || i >= params.length) {
                    throw new IllegalArgumentException(op + ": key '" + key + "' does not name one of the "
                            + params.length + " parameters");
                }
                String slot = rest.substring(dot + 1);
                if (newState[i] == null) {
                    newState[i] = new Buffer[slots.length];
                    newSteps[i] = -1;
                }
                if (slot.equals("step")) {
                    double s = scalar(op, key, t);
                    if (!(s >= 1) || s != Math.rint(s)) {
                        throw new IllegalArgumentException(op + ": '" + key + "' must be a whole number >= 1, got " + s);
                    }
                    newSteps[i] = (long) s;
                    continue;
                }
                int s = Arrays.asList(slots).indexOf(slot);
                if (s < 0) {
                    throw new IllegalArgumentException(op + ": unknown state '" + slot + "' in key '" + key + "'; "
                            + name + " here keeps " + Arrays.toString(slots));
                }
                Buffer p = params[i].buffer();
                if (!Arrays.equals(t.dims(), p.dims())) {
                    throw new IllegalArgumentException(op + ": '" + key + "' has shape " + Shape.format(t.dims())
                            + " but parameter " + i + " has shape " + Shape.format(p.dims()));
                }
                Buffer b = Buffer.zeros(p.dtype(), p.dims());
                b.copyFrom(t.toDoubleArray());
                newState[i][s] = b;
            } else {
                throw new IllegalArgumentException(op + ": unknown key '" + key + "'");
            }
        }
        if (newStepCount < 0) {
            throw new IllegalArgumentException(op + ": missing key 'step_count'");
        }
        Double newLr = hyper.remove("lr");
        if (newLr == null) {
            throw new IllegalArgumentException(op + ": missing key 'param_groups.0.lr'");
        }
        Double newInitial = hyper.remove("initial_lr");
        if (!(newLr >= 0) || newLr.isInfinite()) {
            throw invalid("lr", newLr, "a finite value >= 0");
        }
        // Hyper-parameters first: a structural mismatch (amsgrad, centered...) explains missing state keys.
        Runnable applyHyper = readHyper(hyper);   // validates; applies only when run
        for (int i = 0; i < params.length; i++) {
            if (newState[i] == null) {
                continue;
            }
            if (newSteps[i] < 0) {
                throw new IllegalArgumentException(op + ": missing key 'state." + i + ".step'");
            }
            for (int s = 0; s < slots.length; s++) {
                if (newState[i][s] == null) {
                    throw new IllegalArgumentException(op + ": missing key 'state." + i + "." + slots[s] + "'");
                }
            }
        }
        // All checked: apply.
        applyHyper.run();
        this.lr = newLr;
        this.initialLr = newInitial == null ? Double.NaN : newInitial;
        this.stepCount = (long) newStepCount;
        for (int i = 0; i < params.length; i++) {
            state[i] = newState[i];
            steps[i] = newState[i] == null ? 0 : newSteps[i];
        }
    }

    // ============================================================================ subclasses

    /** Names of the per-parameter state buffers this optimizer keeps, in order (may be empty). */
    protected abstract String[] slots();

    /** The value a new state buffer starts with (0 unless overridden, e.g. Adagrad's accumulator). */
    protected double initialValue(int slot) {
        return 0;
    }

    /**
     * One fused update of a parameter: {@code n} contiguous elements of {@code dt}.
     *
     * @param state the parameter's state buffers in {@link #slots()} order
     * @param step  the parameter's step number, 1 on its first update
     */
    protected abstract void update(DType dt, long n, MemorySegment p, long pOff, MemorySegment g, long gOff,
                                   Buffer[] state, long step);

    /** Puts every hyper-parameter except {@code lr} (PyTorch names, booleans as 0/1). */
    protected abstract void writeHyper(Map<String, Double> out);

    /**
     * Checks a full set of hyper-parameters (as written by {@link #writeHyper}, without
     * {@code lr}) and returns the action that assigns them; throws, changing nothing, if one is
     * missing, unknown or invalid, or if a structural option differs from this optimizer's.
     */
    protected abstract Runnable readHyper(Map<String, Double> in);

    /** The state segment of slot {@code s} (trusting; for {@link #update}). */
    protected final MemorySegment seg(Buffer[] state, int s) {
        return state[s].segment(name);
    }

    /** An {@link IllegalArgumentException} naming this optimizer, the parameter and its value. */
    protected final IllegalArgumentException invalid(String param, double value, String expected) {
        return new IllegalArgumentException(name + ": invalid " + param + " " + value + ", expected " + expected);
    }

    /** Takes {@code key} from a hyper-parameter map, or throws naming it. */
    protected final double take(Map<String, Double> in, String key) {
        Double v = in.remove(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ".loadStateDict: missing key 'param_groups.0." + key + "'");
        }
        return v;
    }

    /** Throws if keys remain in a hyper-parameter map after the subclass took its own. */
    protected final void noneLeft(Map<String, Double> in) {
        if (!in.isEmpty()) {
            throw new IllegalArgumentException(name + ".loadStateDict: unknown hyper-parameter(s) "
                    + in.keySet() + " for " + name);
        }
    }

    /** Throws if a structural boolean option differs between this optimizer and a loaded state. */
    protected final void sameStructure(String option, boolean here, double loaded) {
        if (here != (loaded != 0)) {
            throw new IllegalArgumentException(name + ".loadStateDict: " + option + " is " + here
                    + " here but " + (loaded != 0) + " in the state; construct the optimizer with the same "
                    + option);
        }
    }

    // ============================================================================== package

    /** The learning rate schedulers treat as the base; fixed by the first scheduler attached. */
    final double initialLr() {
        if (Double.isNaN(initialLr)) {
            initialLr = lr;
        }
        return initialLr;
    }

    // ============================================================================== private

    private Buffer[] allocateState(Buffer p) {
        String[] slots = slots();
        Buffer[] st = new Buffer[slots.length];
        for (int s = 0; s < slots.length; s++) {
            st[s] = Buffer.zeros(p.dtype(), p.dims());
            double init = initialValue(s);
            if (init != 0) {
                Kernels.get().fill(st[s], init);
            }
        }
        return st;
    }

    private void checkContiguous(int i, String what, Buffer b) {
        if (!b.isContiguous()) {
            throw new IllegalStateException(notContiguous(i, what, b));
        }
    }

    private String notContiguous(int i, String what, Buffer b) {
        return name + ": " + what + " " + i + " " + b.shape() + " is not contiguous; optimizers update "
                + "parameters in place as flat arrays, so parameters and their gradients must be contiguous "
                + "(make the parameter from a contiguous copy)";
    }

    private static double scalar(String op, String key, Tensor t) {
        if (t.numel() != 1) {
            throw new IllegalArgumentException(op + ": '" + key + "' must hold one number, got shape "
                    + Shape.format(t.dims()));
        }
        return t.item();
    }
}
