package io.vecgrad.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import io.vecgrad.autograd.GradMode;
import io.vecgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL's gradient scope on vecgrad's autograd. While a collector is open on a thread, operations
 * on arrays that require a gradient are recorded; {@link #backward} accumulates ({@code +=}) the
 * gradients of the target into every such leaf array. Outside a collector nothing is recorded,
 * as in DJL's native engines. Opening a collector zeroes every gradient (DJL's contract; gradients
 * accumulate across backward calls within one collector). One collector per thread at a time.
 *
 * <p>Memory: backward keeps the graph, because DJL code reads predictions (and other results of
 * the forward pass) after backward. The graph is released when the array backward was called on
 * is closed (with its manager, as DJL's Trainer closes each batch): its intermediates go back to
 * vecgrad's buffer pool, so a warm training step allocates no native memory. Arrays recorded
 * before that backward that are still open then keep their values (moved to the heap).
 */
public final class VgGradientCollector implements GradientCollector {
    private static final ThreadLocal<VgGradientCollector> ACTIVE = new ThreadLocal<>();

    private final GradMode mode;
    private boolean closed;
    /** Arrays recorded in this collector since its last backward (the graph's open results). */
    private final List<VgNDArray> recorded = new ArrayList<>();

    /** Opens a collector on this thread. @throws IllegalStateException if one is already open */
    VgGradientCollector() {
        if (ACTIVE.get() != null) {
            throw new IllegalStateException("newGradientCollector: a VgGradientCollector is already open on thread "
                    + Thread.currentThread().getName() + "; close it first (only one can collect at a time)");
        }
        mode = Tensor.enableGrad();
        ACTIVE.set(this);
        // DJL's contract: a new collector starts from zero gradients; they accumulate within it
        VgNDManager.system().zeroGradients();
    }

    /** True while a collector is open on this thread: operations then record their graph. */
    static boolean isRecording() {
        return ACTIVE.get() != null;
    }

    /** Notes a recorded result (an array on a graph intermediate), made on this thread. */
    static void recorded(VgNDArray a) {
        VgGradientCollector c = ACTIVE.get();
        if (c != null) {
            c.recorded.add(a);
        }
    }

    /**
     * The graph a backward kept: released (see the class comment) once its target array is
     * closed, after pinning the recorded arrays that are still open.
     */
    static final class KeptGraph {
        private final Tensor root;
        private final List<VgNDArray> arrays;

        KeptGraph(Tensor root, List<VgNDArray> arrays) {
            this.root = root;
            this.arrays = arrays;
        }

        void release() {
            for (VgNDArray a : arrays) {
                a.pinIfOpen();
            }
            arrays.clear();
            root.releaseGraph();
        }
    }

    /**
     * Back-propagates from {@code target}, seeding with ones of its shape, and accumulates into the
     * gradients of the leaves that require one. The graph is kept (DJL code reads predictions and
     * intermediates after backward) until {@code target} is closed; see the class comment.
     *
     * @throws IllegalArgumentException if target is not a VecGrad array
     * @throws IllegalStateException if target does not depend on any array that requires a gradient
     */
    @Override
    public void backward(NDArray target) {
        VgNDArray t = VgNDArray.of("backward", target);
        Tensor x = t.tensor();
        if (!x.requiresGrad()) {
            throw new IllegalStateException("backward: the target " + target.getShape() + " was not computed from an "
                    + "array that requires a gradient inside this collector (call setRequiresGradient(true) on the "
                    + "parameters before the forward pass)");
        }
        // a one-element target (a loss) is seeded by backward itself, without a new tensor
        x.backward(x.numel() == 1 ? null : Tensor.full(x.dtype(), 1, x.dims()), true);
        t.keepGraph(new KeptGraph(x, new ArrayList<>(recorded)));
        recorded.clear();
    }

    /** Zeroes the gradient of every array of the system manager's tree that has one. */
    @Override
    public void zeroGradients() {
        VgNDManager.system().zeroGradients();
    }

    /** Stops recording on this thread. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mode.close();
            ACTIVE.remove();
            recorded.clear();
        }
    }
}
