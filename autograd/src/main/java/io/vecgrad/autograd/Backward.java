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
            return;
        }
        ArrayList<Node> order = topoOrder(root.node);
        Node top = root.node;
        Buffer g0 = Pool.take(dt, root.dims());
        fillSeed(g0, seedBuf);
        top.grad = g0;
        try {
            for (int i = order.size() - 1; i >= 0; i--) {
                Node n = order.get(i);
                Buffer g = n.grad;
                if (g == null) {
                    continue;
                }
                n.grad = null;
                // Contract of Derivatives: each returned buffer is a view of g or a fresh pool
                // buffer that the walker now owns.
                Buffer[] gin = Derivatives.backward(n, g);
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
                        continue;
                    }
                    Buffer r = sumToShape(gi, in.dims());
                    boolean alias = r.storage() == g.storage();
                    if (r != gi && gi.storage() != g.storage()) {
                        Pool.give(gi);
                    }
                    if (in.node == null) {
                        in.accumulateGrad(r);
                        if (!alias) {
                            Pool.give(r);
                        }
                        continue;
                    }
                    Node src = in.node;
                    if (src.grad == null) {
                        if ((alias && gAdopted) || !writable(r)) {
                            Buffer c = Pool.take(dt, in.dims());
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
                        Buffer c = Pool.take(dt, in.dims());
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
                if (!gAdopted) {
                    Pool.give(g);
                }
            }
        } catch (RuntimeException e) {
            for (Node n : order) { // leave no half-accumulated node gradients behind
                n.grad = null;
            }
            throw e;
        }
        if (!retainGraph) {
            free(order, root);
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

    /** Sums g over broadcast dims down to {@code dims}; returns g itself when shapes agree. */
    static Buffer sumToShape(Buffer g, int[] dims) {
        int[] gd = g.dims();
        if (Arrays.equals(gd, dims)) {
            return g;
        }
        int lead = gd.length - dims.length;
        int[] red = new int[gd.length];
        int nr = 0;
        for (int i = 0; i < gd.length; i++) {
            if (i < lead || (dims[i - lead] == 1 && gd[i] != 1)) {
                red[nr++] = i;
            }
        }
        int[] keptDims = Kernels.reducedDims("backward", g.shape(), Arrays.copyOf(red, nr), true);
        Buffer out = Pool.take(g.dtype(), keptDims);
        Kernels.get().sum(g, Arrays.copyOf(red, nr), true, out);
        return out.view(dims);
    }

    /** Per-thread scratch for the depth-first walk (reused: backward allocates no lists). */
    private static final ThreadLocal<Walk> WALK = ThreadLocal.withInitial(Walk::new);

    private static final class Walk {
        Node[] stack = new Node[64];
        int[] next = new int[64];
    }

    private static ArrayList<Node> topoOrder(Node root) {
        int epoch = EPOCH.incrementAndGet();
        ArrayList<Node> order = new ArrayList<>(64);
        Walk w = WALK.get();
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
                        w.stack = java.util.Arrays.copyOf(w.stack, sp * 2);
                        w.next = java.util.Arrays.copyOf(w.next, sp * 2);
                    }
                    w.stack[sp] = c;
                    w.next[sp] = 0;
                    sp++;
                }
            } else {
                order.add(n);
                w.stack[--sp] = null;
            }
        }
        return order; // children before parents; the root is last
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
        free(nodes, null);
    }

    /** Releases intermediates and saved buffers; marks nodes freed. */
    private static void free(ArrayList<Node> order, Tensor root) {
        // The root stays fully usable: its storage is pinned, so the pool moves its values to a
        // heap copy and reuses only the native block (no native allocation per step).
        if (root != null) {
            root.buffer().storage().pin();
        }
        for (Node n : order) {
            n.freed = true;
            Tensor out = n.output;
            if (out != null && out.pooled && out.buffer().storage().isAlive()) {
                out.pooled = false; // given back exactly once (a pinned storage stays alive)
                Pool.give(out.buffer());
            }
            for (Buffer b : n.owned) {
                if (b.storage().isAlive()) {
                    Pool.give(b);
                }
            }
            n.owned = Node.NO_BUFFERS;
            n.saved = Node.NO_BUFFERS;
            n.ctx = null;
        }
    }

}
