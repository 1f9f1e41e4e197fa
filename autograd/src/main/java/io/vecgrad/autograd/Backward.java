package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reverse-mode walker: orders the graph, runs each node's rule from {@link Derivatives},
 * sums every gradient down to its input's shape (the one place broadcasting is undone),
 * accumulates into leaves, and frees the graph unless asked to keep it.
 */
final class Backward {
    private Backward() {}

    private static final AtomicInteger EPOCH = new AtomicInteger();

    static void run(Tensor root, Tensor seed, boolean retainGraph) {
        if (!root.requiresGrad()) {
            String why = root.isDetached() ? "it was detached from the graph"
                    : "no input it was computed from requires grad (or it was computed under noGrad)";
            throw new IllegalStateException("backward: tensor " + root.dtype() + " " + Shape.format(root.dims())
                    + " does not require grad and has no grad_fn: " + why);
        }
        Buffer seedBuf;
        if (seed == null) {
            if (root.numel() != 1) {
                throw new IllegalStateException("backward: grad can be implicitly created only for one-element "
                        + "outputs, got shape " + Shape.format(root.dims()) + "; pass a gradient of that shape");
            }
            seedBuf = null;
        } else {
            if (!Arrays.equals(seed.dims(), root.dims())) {
                throw new IllegalArgumentException("backward: gradient shape " + Shape.format(seed.dims())
                        + " does not match the tensor's shape " + Shape.format(root.dims()));
            }
            seedBuf = seed.dtype() == root.dtype() ? seed.buffer() : seed.to(root.dtype()).buffer();
        }
        DType dt = root.dtype();
        if (root.node == null) { // a leaf: its gradient is the seed
            Buffer g = Pool.take(dt, root.dims());
            fillSeed(g, seedBuf);
            root.accumulateGrad(g);
            Pool.give(g);
            if (root.gradReady != null) {
                root.gradReady.accept(root);
            }
            return;
        }
        Walk w = WALK.get();
        if (w.busy) { // a backward run from inside a rule (a custom Function): its own scratch
            w = new Walk();
        }
        w.busy = true;
        try {
            walk(root, seedBuf, retainGraph, dt, w, topoOrder(root.node, w));
        } finally {
            Arrays.fill(w.order, null); // keep no graph reachable from the thread
            for (Buffer[] r : w.grads) {
                if (r != null) {
                    Arrays.fill(r, null);
                }
            }
            w.busy = false;
        }
    }

    private static void walk(Tensor root, Buffer seedBuf, boolean retainGraph, DType dt, Walk w, int count) {
        Node[] order = w.order;
        int hooked = countHooked(order, count, w);
        Node top = root.node;
        // a loss's seed (0-d) is the walk's own buffer, reused every pass; other seeds are pooled
        // (and a custom function's: its backward may keep g)
        Buffer g0 = root.buffer().rank() == 0 && top.op != Op.CUSTOM ? w.seed(dt)
                : Pool.ws().take(dt, root.buffer().shape());
        fillSeed(g0, seedBuf);
        top.grad = g0;
        try {
            for (int i = count - 1; i >= 0; i--) {
                Node n = order[i];
                Buffer g = n.grad;
                if (g == null) {
                    continue;
                }
                n.grad = null;
                boolean gIsSeed = g == w.seedF32 || g == w.seedF64; // not from the pool: never adopted
                // Contract of Derivatives: each returned buffer is a view of g or a fresh pool
                // buffer that the walker now owns.
                Buffer[] gin = Derivatives.backward(n, g, w.grads(n.inputs.length));
                if (Anomaly.isEnabled()) {
                    for (int j = 0; j < gin.length; j++) {
                        Anomaly.checkGradient(n, j, gin[j], g);
                    }
                }
                boolean gAdopted = false;
                for (int j = 0; j < n.inputs.length; j++) {
                    Buffer gi = gin[j];
                    Tensor in = n.inputs[j];
                    if (gi == null || !in.requiresGrad()) {
                        if (gi != null && gi.storage() != g.storage()) {
                            Pool.give(gi);
                        }
                        if (in.node == null && in.gradReady != null && in.requiresGrad() && --in.pendingGrads == 0) {
                            in.gradReady.accept(in); // this edge carried nothing: the leaf may be done
                        }
                        continue;
                    }
                    Buffer r = in.node == null ? sumToLeafShape(gi, in.buffer().shape(), w)
                            : sumToShape(gi, in.buffer().shape());
                    boolean alias = r.storage() == g.storage();
                    if (r != gi && gi.storage() != g.storage()) {
                        Pool.give(gi);
                    }
                    if (in.node == null) {
                        in.accumulateGrad(r);
                        if (!alias && !w.isScratch(r)) {
                            Pool.give(r);
                        }
                        if (in.gradReady != null && --in.pendingGrads == 0) {
                            in.gradReady.accept(in);
                        }
                        continue;
                    }
                    Node src = in.node;
                    if (src.grad == null) {
                        if ((alias && (gAdopted || gIsSeed)) || !writable(r)) {
                            Buffer c = Pool.ws().take(dt, in.buffer().shape());
                            Kernels.get().copy(r, c);
                            if (!alias) {
                                Pool.give(r);
                            }
                            r = c;
                        } else if (alias) {
                            gAdopted = true;
                        }
                        src.grad = r;
                    } else if (r.storage() == src.grad.storage() && !sameView(r, src.grad)) {
                        // two views of one gradient reach the same node (concat(y, y)): they
                        // interleave in memory, so add through a separate copy
                        Buffer c = Pool.ws().take(dt, in.buffer().shape());
                        Kernels.get().copy(r, c);
                        Kernels.get().add(src.grad, c, src.grad);
                        Pool.give(c);
                        if (!alias) {
                            Pool.give(r);
                        }
                    } else {
                        Kernels.get().add(src.grad, r, src.grad);
                        if (!alias) {
                            Pool.give(r);
                        }
                    }
                }
                if (!gAdopted && !gIsSeed) {
                    Pool.give(g);
                }
            }
            // leaves on paths that carried no gradient this pass: report them now, in graph order
            for (int i = 0; i < hooked; i++) {
                Tensor leaf = w.hooked[i];
                w.hooked[i] = null;
                if (leaf.pendingGrads > 0) {
                    leaf.pendingGrads = 0;
                    leaf.gradReady.accept(leaf);
                }
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < count; i++) { // leave no half-accumulated node gradients behind
                order[i].grad = null;
            }
            for (int i = 0; i < hooked; i++) {
                if (w.hooked[i] != null) {
                    w.hooked[i].pendingGrads = 0;
                    w.hooked[i] = null;
                }
            }
            throw e;
        }
        if (!retainGraph) {
            free(order, count, root);
        }
    }

    private static void fillSeed(Buffer g, Buffer seed) {
        if (seed == null) {
            Kernels.get().fill(g, 1);
        } else {
            Kernels.get().copy(seed, g);
        }
    }

    private static boolean sameView(Buffer a, Buffer b) {
        return a.offset() == b.offset() && a.shape().equals(b.shape());
    }

    /** A gradient buffer can be accumulated into in place if it has no broadcast dims. */
    private static boolean writable(Buffer b) {
        Shape s = b.shape();
        for (int i = 0; i < s.rank(); i++) {
            if (s.stride(i) == 0 && s.dim(i) > 1) {
                return false;
            }
        }
        return true;
    }

    /** The reduced dims of the most common broadcast: a bias, summed over the batch dim. */
    private static final int[] DIM_0 = {0};

    /** Sums g over broadcast dims down to {@code to}'s dims; returns g itself when they agree. */
    static Buffer sumToShape(Buffer g, Shape to) {
        Shape gs = g.shape();
        if (gs.sameDims(to)) {
            return g;
        }
        int lead = gs.rank() - to.rank();
        boolean onlyLead = true; // no size-1 dim of `to` is broadcast: reduce without keepdim, no view
        for (int i = lead; i < gs.rank(); i++) {
            onlyLead &= to.dim(i - lead) != 1 || gs.dim(i) == 1;
        }
        if (onlyLead && lead == 1) {
            return Kernels.get().sum(g, DIM_0, false, Pool.ws().take(g.dtype(), to));
        }
        int[] red = new int[gs.rank()];
        int nr = 0;
        for (int i = 0; i < gs.rank(); i++) {
            if (i < lead || (to.dim(i - lead) == 1 && gs.dim(i) != 1)) {
                red[nr++] = i;
            }
        }
        int[] keptDims = Kernels.reducedDims("backward", gs, Arrays.copyOf(red, nr), true);
        Buffer out = Pool.take(g.dtype(), keptDims);
        Kernels.get().sum(g, Arrays.copyOf(red, nr), true, out);
        return out.view(to.dims());
    }

    /**
     * {@link #sumToShape} for a gradient that is added into a leaf's and then dropped (a bias
     * summed over the batch): the common reduction writes into the walk's scratch buffer for
     * that shape, reused every pass, instead of a pool buffer (a Buffer and Storage per pass).
     */
    private static Buffer sumToLeafShape(Buffer g, Shape to, Walk w) {
        Shape gs = g.shape();
        if (gs.sameDims(to) || gs.rank() != to.rank() + 1) {
            return sumToShape(g, to);
        }
        for (int i = 1; i < gs.rank(); i++) {
            if (to.dim(i - 1) == 1 && gs.dim(i) != 1) {
                return sumToShape(g, to); // a kept size-1 dim is broadcast too
            }
        }
        Buffer s = w.scratch(g.dtype(), to);
        return s == null ? sumToShape(g, to) : Kernels.get().sum(g, DIM_0, false, s);
    }

    /**
     * Counts, for every leaf with an {@link Tensor#onGradReady} hook, the edges of this graph
     * that lead into it (the contributions the pass will make), and lists those leaves in
     * {@code w.hooked}; returns how many. Costs one look at every edge when no leaf has a hook.
     */
    private static int countHooked(Node[] order, int nodes, Walk w) {
        int count = 0;
        for (int i = nodes - 1; i >= 0; i--) {
            for (Tensor in : order[i].inputs) {
                if (in.node == null && in.gradReady != null && in.requiresGrad()) {
                    if (in.pendingGrads++ == 0) {
                        if (count == w.hooked.length) {
                            w.hooked = Arrays.copyOf(w.hooked, count * 2);
                        }
                        w.hooked[count++] = in;
                    }
                }
            }
        }
        return count;
    }

    /** Per-thread scratch for the depth-first walk (reused: backward allocates no lists). */
    private static final ThreadLocal<Walk> WALK = ThreadLocal.withInitial(Walk::new);
    /** At most this many scratch buffers per thread, of at most this many elements each. */
    private static final int SCRATCH_BUFFERS = 16;
    private static final long SCRATCH_ELEMENTS = 1 << 14;

    private static final class Walk {
        Node[] stack = new Node[64];
        int[] next = new int[64];
        /** The nodes in topological order, children first (cleared after each pass). */
        Node[] order = new Node[64];
        boolean busy;
        /** Per-arity arrays a rule fills with its input gradients (used one node at a time). */
        private Buffer[][] grads = new Buffer[4][];

        Buffer[] grads(int arity) {
            if (arity >= grads.length) {
                grads = Arrays.copyOf(grads, arity + 1);
            }
            Buffer[] r = grads[arity];
            if (r == null) {
                r = grads[arity] = new Buffer[arity];
            } else {
                Arrays.fill(r, null);
            }
            return r;
        }
        /** The leaves with a grad-ready hook in the running pass. */
        Tensor[] hooked = new Tensor[16];

        /** The 0-d seeds of the passes (per dtype, made on first use). */
        Buffer seedF32;
        Buffer seedF64;

        Buffer seed(DType dt) {
            if (dt == DType.F32) {
                return seedF32 != null ? seedF32 : (seedF32 = Buffer.zeros(dt, Shape.scalar()));
            }
            return seedF64 != null ? seedF64 : (seedF64 = Buffer.zeros(dt, Shape.scalar()));
        }

        /** Scratch buffers for leaf gradient reductions, one per dtype and dims (see sumToLeafShape). */
        private final Buffer[] scratch = new Buffer[SCRATCH_BUFFERS];
        private int scratchCount;

        /** The scratch buffer with these dims (made on first use), or null when too big or too many. */
        Buffer scratch(DType dt, Shape to) {
            if (to.size() > SCRATCH_ELEMENTS) {
                return null;
            }
            for (int i = 0; i < scratchCount; i++) {
                Buffer b = scratch[i];
                if (b.dtype() == dt && b.shape().sameDims(to)) {
                    return b;
                }
            }
            if (scratchCount == scratch.length) {
                return null;
            }
            Buffer b = Buffer.zeros(dt, to);
            scratch[scratchCount++] = b;
            return b;
        }

        boolean isScratch(Buffer b) {
            for (int i = 0; i < scratchCount; i++) {
                if (scratch[i] == b) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Fills {@code w.order} with the graph's nodes, children before parents (the root last); returns their count. */
    private static int topoOrder(Node root, Walk w) {
        int epoch = EPOCH.incrementAndGet();
        int count = 0;
        int sp = 0;
        checkNotFreed(root);
        root.visit = epoch;
        w.stack[0] = root;
        w.next[0] = 0;
        sp = 1;
        while (sp > 0) {
            Node n = w.stack[sp - 1];
            int i = w.next[sp - 1];
            if (i < n.inputs.length) {
                w.next[sp - 1] = i + 1;
                Tensor in = n.inputs[i];
                Node c = in.node;
                if (c != null && in.requiresGrad() && c.visit != epoch) {
                    checkNotFreed(c);
                    c.visit = epoch;
                    if (sp == w.stack.length) {
                        w.stack = Arrays.copyOf(w.stack, sp * 2);
                        w.next = Arrays.copyOf(w.next, sp * 2);
                    }
                    w.stack[sp] = c;
                    w.next[sp] = 0;
                    sp++;
                }
            } else {
                if (count == w.order.length) {
                    w.order = Arrays.copyOf(w.order, count * 2);
                }
                w.order[count++] = n;
                w.stack[--sp] = null;
            }
        }
        return count;
    }

    private static void checkNotFreed(Node n) {
        if (n.freed) {
            throw new IllegalStateException("backward: trying to backward through the graph a second time: "
                    + n.name() + " was freed by an earlier backward; pass retainGraph=true to the first backward "
                    + "if you need to backward twice");
        }
    }

    /**
     * Frees the not yet freed part of the graph that produced {@code root}, as a backward without
     * {@code retainGraph} would have done, but later: for callers that keep the graph through
     * backward because results are read afterwards, and know when they are done with them.
     * Unlike backward, the root is not pinned (pin what should stay readable first).
     */
    static void release(Tensor root) {
        Node top = root.node;
        if (top == null || top.freed) {
            return;
        }
        int epoch = EPOCH.incrementAndGet();
        ArrayList<Node> nodes = new ArrayList<>(64);
        ArrayList<Node> stack = new ArrayList<>(64);
        top.visit = epoch;
        stack.add(top);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            nodes.add(n);
            for (Tensor in : n.inputs) {
                Node c = in.node;
                if (c != null && !c.freed && c.visit != epoch) {
                    c.visit = epoch;
                    stack.add(c);
                }
            }
        }
        free(nodes.toArray(new Node[0]), nodes.size(), null);
    }

    /** Releases intermediates and saved buffers; marks nodes freed. */
    private static void free(Node[] order, int count, Tensor root) {
        // The root stays fully usable: its storage is pinned, so the pool moves its values to a
        // heap copy and reuses only the native block (no native allocation per step).
        if (root != null) {
            root.buffer().storage().pin();
        }
        for (int i = 0; i < count; i++) {
            Node n = order[i];
            n.freed = true;
            Tensor out = n.output;
            if (out != null && out.pooled && out.buffer().storage().isAlive()) {
                out.pooled = false; // given back exactly once (a pinned storage stays alive)
                Pool.give(out.buffer());
            }
            n.releaseSaved();
        }
    }

}
