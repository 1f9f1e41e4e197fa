package io.vecgrad.autograd;

import io.vecgrad.engine.Buffer;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.Workspace;

/**
 * Per-thread buffer pool for graph intermediates and backward temporaries. A graph's buffers
 * go back to the workspace of the thread that frees the graph (the one running backward).
 */
final class Pool {
    private Pool() {}

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);
    private static final Buffer ZERO_F32 = Buffer.scalar(DType.F32, 0);
    private static final Buffer ZERO_F64 = Buffer.scalar(DType.F64, 0);

    /** This thread's workspace. */
    static Workspace ws() {
        return WORKSPACE.get();
    }

    /** A workspace buffer with undefined contents. */
    static Buffer take(DType dt, int[] dims) {
        return WORKSPACE.get().take(dt, dims);
    }

    /** A zero-filled workspace buffer. */
    static Buffer takeZeroed(DType dt, int[] dims) {
        return WORKSPACE.get().takeZeroed(dt, dims);
    }

    /** Returns a workspace buffer. */
    static void give(Buffer b) {
        WORKSPACE.get().give(b);
    }

    /** A read-only 0-d zero of the dtype (broadcast it; never write to it). */
    static Buffer zero(DType dt) {
        return dt == DType.F32 ? ZERO_F32 : ZERO_F64;
    }

    static Kernels k() {
        return Kernels.get();
    }
}
