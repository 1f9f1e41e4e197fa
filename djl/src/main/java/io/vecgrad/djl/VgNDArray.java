package io.vecgrad.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.vecgrad.autograd.GradMode;
import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * A DJL {@link NDArray} on a vecgrad {@link Tensor}.
 *
 * <p>Float32/float64 arrays compute with vecgrad's kernels and record their graph for
 * {@link VgGradientCollector} when they depend on an array that requires a gradient; integer and
 * boolean arrays are held exactly in f64 tensors (see {@link Types}). Operations vecgrad has no
 * kernel for (sorting, rounding, comparisons, special functions, ...) run on the heap over the
 * array's values and are not differentiable: those with a non-zero derivative throw
 * {@link UnsupportedOperationException} when called on an array that is being differentiated,
 * so no gradient is ever silently wrong. Everything else vecgrad cannot do throws
 * {@link UnsupportedOperationException} naming the method.
 *
 * <p>Lifetime: the array belongs to its manager; {@link #close()} (or closing the manager) drops
 * its tensor, after which any use throws {@link IllegalStateException}.
 */
public final class VgNDArray implements NDArray {
    private VgNDManager manager;
    private Tensor t;
    private DataType dataType;
    private Shape shape;
    private String name;
    private final String uid;
    private VgNDArrayEx ex;
    private SparseFormat sparseFormat = SparseFormat.DENSE;
    /** Graphs kept by backward calls on this array, released when it is closed. */
    private List<VgGradientCollector.KeptGraph> kept;
    /** Pooled native storage this array owns and gives back when closed (see {@link NativePool}), or null. */
    private io.vecgrad.engine.Buffer pooled;
    private NativePool pool;
    /** The gradient buffer as last zeroed and its storage version then: unchanged since means still zero. */
    private io.vecgrad.engine.Buffer zeroedGrad;
    private int zeroedVersion;

    /** Wraps {@code tensor} (storage type {@code Types.storage(dataType)}) and attaches it to {@code manager}. */
    VgNDArray(VgNDManager manager, Tensor tensor, DataType dataType) {
        this.manager = manager;
        this.dataType = dataType;
        DType st = Types.storage(dataType);
        this.t = as(tensor, st);
        this.shape = Types.shape(tensor.dims());
        this.uid = NDManager.nextUid();
        manager.attachInternal(uid, this);
        if (!t.isLeaf() && VgGradientCollector.isRecording()) {
            VgGradientCollector.recorded(this);
        }
    }

    // ============================================================== plumbing

    /** The array as a VecGrad array. @throws IllegalArgumentException for another engine's array */
    static VgNDArray of(String op, NDArray a) {
        if (a instanceof VgNDArray v) {
            return v;
        }
        throw new IllegalArgumentException(op + ": expected a VecGrad array, got "
                + (a == null ? "null" : a.getClass().getName()));
    }

    /** {@code other} as a VecGrad array of this array's manager (copied if from another engine). */
    private VgNDArray peer(NDArray other) {
        return other instanceof VgNDArray v ? v : manager.from(other);
    }

    /**
     * The tensor, for any use (operations, views, graphs). Pins pooled storage, whose values then
     * outlive this array (see {@link NativePool}). @throws IllegalStateException once closed
     */
    Tensor tensor() {
        Tensor x = peek();
        if (pooled != null) {
            pooled.storage().pin();
        }
        return x;
    }

    /**
     * The tensor for a read that keeps no reference to its storage (shape, type, a copy of the
     * values). @throws IllegalStateException once closed
     */
    private Tensor peek() {
        if (t == null) {
            throw new IllegalStateException("VecGrad: this NDArray was closed (its manager was closed or close() "
                    + "was called); attach it to a longer-lived manager to keep it");
        }
        return t;
    }

    /**
     * The storage view for an update kernel that reads or writes it in place and keeps no
     * reference (DJL's optimizer updates): does not pin pooled storage.
     */
    io.vecgrad.engine.Buffer kernelBuffer() {
        return peek().buffer();
    }

    /** A new array of {@code manager} owning a pooled native copy of {@code src}'s values (contiguous). */
    private static VgNDArray pooledCopy(VgNDManager manager, Tensor src, DataType dataType) {
        NativePool p = NativePool.get();
        io.vecgrad.engine.Buffer b = p.take(src.dtype(), src.dims());
        Kernels.get().copy(src.buffer(), b);
        return owning(manager, Tensor.fromBuffer(b), dataType, p);
    }

    /**
     * A new array on {@code x}, a leaf whose storage was just taken from {@code pool} (in the
     * storage type of {@code dataType}): the array owns it and gives it back when closed (unless
     * the pool made it on the heap, being too large).
     */
    static VgNDArray owning(VgNDManager manager, Tensor x, DataType dataType, NativePool pool) {
        VgNDArray r = new VgNDArray(manager, x, dataType);
        if (r.t != x) {
            throw new IllegalStateException("owning: storage type " + x.dtype() + " does not match " + dataType);
        }
        if (NativePool.isPooled(x.buffer())) {
            r.pooled = x.buffer();
            r.pool = pool;
        }
        return r;
    }

    /** The tensor as an operation input: recorded only inside a gradient collector. */
    Tensor in() {
        Tensor x = tensor();
        return x.requiresGrad() && !VgGradientCollector.isRecording() ? x.detach() : x;
    }

    /** True if an operation on this array would be recorded for backward. */
    boolean tracking() {
        return VgGradientCollector.isRecording() && peek().requiresGrad();
    }

    /** Throws when a heap operation with a non-zero derivative meets a differentiated array. */
    private void noGrad(String op) {
        if (tracking()) {
            throw new UnsupportedOperationException(op + ": VecGrad has no gradient for this operation; call it on "
                    + "stopGradient() or outside a GradientCollector");
        }
    }

    static UnsupportedOperationException unsupported(String op) {
        return new UnsupportedOperationException(op + ": not supported by the VecGrad engine");
    }

    /** A new array of this manager on {@code r}, rounded to {@code dt} for integer types. */
    VgNDArray wrap(Tensor r, DataType dt) {
        if (!Types.isFloat(dt)) {
            double[] v = r.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = Types.cast(dt, v[i]);
            }
            r = Types.heap(DType.F64, v, r.dims());
        }
        return new VgNDArray(manager, r, dt);
    }

    /** A new array of these (already typed) values. */
    VgNDArray heap(double[] v, int[] dims, DataType dt) {
        return manager.fromValues(v, dims, dt);
    }

    /** Row-major values. */
    double[] values() {
        return peek().toDoubleArray();
    }

    int[] dims() {
        return peek().dims();
    }

    private static Tensor as(Tensor x, DataType dt) {
        return as(x, Types.storage(dt));
    }

    /** x in storage type {@code st}: itself, or a (heap, not differentiable) converted copy. */
    private static Tensor as(Tensor x, DType st) {
        return x.dtype() == st ? x : Types.heap(st, x.toDoubleArray(), x.dims());
    }

    private static int[] normAxes(int[] axes, int rank) {
        int[] r = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= Math.max(rank, 1)) {
                throw new IllegalArgumentException("axis " + axes[i] + " is out of range for rank " + rank);
            }
            r[i] = a;
        }
        return r;
    }

    private int axis(int a) {
        int r = dims().length;
        int x = a < 0 ? a + r : a;
        if (x < 0 || x >= Math.max(r, 1)) {
            throw new IllegalArgumentException("axis " + a + " is out of range for shape " + shape);
        }
        return x;
    }

    // ============================================================== identity

    /** {@inheritDoc} */
    @Override
    public NDManager getManager() {
        return manager;
    }

    /** {@inheritDoc} */
    @Override
    public List<NDArray> getResourceNDArrays() {
        return List.of(this);
    }

    /** {@inheritDoc} */
    @Override
    public void attach(NDManager m) {
        detach();
        manager = (VgNDManager) m;
        m.attachInternal(uid, this);
    }

    /** {@inheritDoc} */
    @Override
    public void returnResource(NDManager m) {
        detach();
        manager = (VgNDManager) m;
        m.attachUncappedInternal(uid, this);
    }

    /** {@inheritDoc} */
    @Override
    public void tempAttach(NDManager m) {
        NDManager original = manager;
        detach();
        manager = (VgNDManager) m;
        m.tempAttachInternal(original, uid, this);
    }

    /** {@inheritDoc} */
    @Override
    public void detach() {
        manager.detachInternal(uid);
        manager = VgNDManager.system();
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return name;
    }

    /** {@inheritDoc} */
    @Override
    public void setName(String name) {
        this.name = name;
    }

    /** {@inheritDoc} */
    @Override
    public String getUid() {
        return uid;
    }

    /** {@inheritDoc} */
    @Override
    public DataType getDataType() {
        peek();
        return dataType;
    }

    /** {@inheritDoc} */
    @Override
    public Device getDevice() {
        return Device.cpu();
    }

    /** {@inheritDoc} */
    @Override
    public Shape getShape() {
        peek();
        return shape;
    }

    /** DENSE, unless this array came from {@link #toSparse} (which keeps dense storage). */
    @Override
    public SparseFormat getSparseFormat() {
        return sparseFormat;
    }

    /** The same array for the CPU. @throws UnsupportedOperationException for any other device */
    @Override
    public NDArray toDevice(Device device, boolean copy) {
        if (!device.isGpu()) {
            return copy ? duplicate() : this;
        }
        throw unsupported("toDevice(" + device + ")");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray toType(DataType dt, boolean copy) {
        if (dt == dataType) {
            return copy ? duplicate() : this;
        }
        Types.storage(dt);
        if (Types.isFloat(dt) && Types.isFloat(dataType)) {
            return new VgNDArray(manager, as(in(), dt), dt);
        }
        return wrap(as(tensor(), dt), dt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray duplicate() {
        // recorded inside a collector, as a clone; else a pooled native copy (DJL's optimizer path
        // duplicates every gradient each step and closes the copy after the update)
        VgNDArray r = tracking() ? new VgNDArray(manager, in().copy(), dataType)
                : pooledCopy(manager, peek(), dataType);
        r.setName(name);
        return r;
    }

    // ============================================================== gradients

    /**
     * Marks (or unmarks) this array as a leaf that collects a gradient. An array computed by a
     * recorded operation is first cut from its graph.
     */
    @Override
    public void setRequiresGradient(boolean requiresGrad) {
        if (!Types.isFloat(dataType) && requiresGrad) {
            throw new IllegalArgumentException("setRequiresGradient: only float32/float64 arrays can have a gradient, "
                    + "this one is " + dataType);
        }
        Tensor x = tensor();
        if (!x.isLeaf()) {
            x = x.detach();
        }
        if (requiresGrad && !x.requiresGrad() && !x.buffer().segment("setRequiresGradient").isNative()) {
            // A parameter (or a user's leaf) lives as long as its model: it moves to native memory
            // once, so the kernels that read it every step see only native segments.
            io.vecgrad.engine.Buffer b = io.vecgrad.engine.Buffer.zeros(x.dtype(), x.dims());
            Kernels.get().copy(x.buffer(), b);
            x = Tensor.fromBuffer(b);
        }
        t = x.requiresGrad(requiresGrad);
    }

    /**
     * The gradient accumulated by backward (zeros before the first one). The returned array
     * shares the gradient's storage: in-place changes to it change the gradient.
     *
     * @throws IllegalStateException if this array does not require a gradient
     */
    @Override
    public NDArray getGradient() {
        Tensor x = tensor();
        if (!x.requiresGrad()) {
            throw new IllegalStateException("getGradient: no gradient is attached to this NDArray; call "
                    + "setRequiresGradient(true) on it (or initialize its Block) before the forward pass");
        }
        Tensor g = x.grad();
        if (g == null) {
            x.setGrad(Tensor.zeros(x.dtype(), x.dims()));
            g = x.grad();
        }
        return new VgNDArray(manager, g, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasGradient() {
        return peek().requiresGrad();
    }

    /**
     * Sets the gradient to zeros (keeping its storage), if it has one. Skips the fill when the
     * gradient's storage is unchanged since this method last zeroed it (every write through
     * vecgrad's kernels bumps the storage version), as when DJL's optimizer update and the next
     * gradient collector both zero it.
     */
    void zeroGradient() {
        if (t != null && t.requiresGrad()) {
            Tensor g = t.grad();
            if (g == null) {
                return;
            }
            io.vecgrad.engine.Buffer gb = g.buffer();
            if (gb == zeroedGrad && gb.storage().version() == zeroedVersion) {
                return;
            }
            t.zeroGrad();
            zeroedGrad = gb;
            zeroedVersion = gb.storage().version();
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDArray stopGradient() {
        return new VgNDArray(manager, tensor().detach(), dataType);
    }

    // ============================================================== data in and out

    /** {@inheritDoc} */
    @Override
    public ByteBuffer toByteBuffer(boolean tryDirect) {
        return Types.write(peek(), dataType, tryDirect);
    }

    /** @throws UnsupportedOperationException always: VecGrad has no string arrays */
    @Override
    public String[] toStringArray(Charset charset) {
        throw unsupported("toStringArray");
    }

    /** Overwrites the values from a buffer of this array's type (or bytes in its encoding). */
    @Override
    public void set(Buffer buffer) {
        int n = Math.toIntExact(shape.size());
        VgNDManager.validateBuffer(buffer, dataType, n);
        writeInPlace(Types.read(buffer, dataType, n, dims()));
    }

    /** Copies {@code src} (same dims) into this array's storage, or rebinds a differentiated array. */
    @SuppressWarnings("try") // the scope object only restores grad mode
    private void writeInPlace(Tensor src) {
        Tensor x = tensor();
        if (!Arrays.equals(src.dims(), x.dims())) {
            throw new IllegalArgumentException("in-place update: the result shape " + Types.shape(src.dims())
                    + " differs from this array's shape " + shape + " (broadcasting cannot grow an in-place target)");
        }
        if (tracking() || !x.isLeaf()) {
            // A recorded value cannot change under its graph: the array takes the new tensor instead.
            t = as(src, dataType);
            return;
        }
        try (GradMode g = Tensor.noGrad()) {
            x.copy_(src.detach());
        }
    }

    /** {@inheritDoc} */
    @Override
    public void intern(NDArray replaced) {
        VgNDArray r = of("intern", replaced);
        Tensor nt = r.peek();
        releasePooled();
        // this array takes over r's tensor, and its pooled storage with it
        pooled = r.pooled;
        pool = r.pool;
        r.pooled = null;
        t = nt;
        dataType = r.dataType;
        shape = r.shape;
        r.close();
    }

    /** Gives owned pooled storage back (see {@link NativePool}). */
    private void releasePooled() {
        if (pooled != null) {
            io.vecgrad.engine.Buffer b = pooled;
            pooled = null;
            pool.give(b);
            pool = null;
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean isReleased() {
        return t == null;
    }

    /**
     * Drops the tensor (its storage is reclaimed once no other array shares it) and leaves the
     * manager; releases the graph a backward on this array kept (see {@link VgGradientCollector}).
     */
    @Override
    public void close() {
        if (t != null) {
            t = null;
            releasePooled();
            manager.detachInternal(uid);
            if (kept != null) {
                List<VgGradientCollector.KeptGraph> g = kept;
                kept = null;
                manager.releaseGraphs(g);
            }
        }
    }

    /** Keeps {@code g} until this array is closed. */
    void keepGraph(VgGradientCollector.KeptGraph g) {
        if (kept == null) {
            kept = new ArrayList<>(1);
        }
        kept.add(g);
    }

    /** Keeps this array's values readable after its graph is released (they move to the heap). */
    void pinIfOpen() {
        if (t != null) {
            t.retain();
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDArrayEx getNDArrayInternal() {
        if (ex == null) {
            ex = new VgNDArrayEx(this);
        }
        return ex;
    }

    /** Equal to another array with the same type, shape and values (as DJL's engines define it). */
    @Override
    public boolean equals(Object obj) {
        return obj instanceof NDArray a && t != null && !a.isReleased() && contentEquals(a);
    }

    /** Consistent with {@link #equals}: the shape's hash. */
    @Override
    public int hashCode() {
        return shape.hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        if (t == null) {
            return "This array is already closed";
        }
        return toDebugString(true);
    }

    // ============================================================== indexing-like

    /** {@inheritDoc} */
    @Override
    public NDArray gather(NDArray index, int axis) {
        VgNDArray idx = peer(index);
        return new VgNDArray(manager, in().gather(axis(axis), indices(idx, -1)), dataType);
    }

    /** Integer indices of an index array, negative ones counted from the end of dim {@code size} (if >= 0). */
    static Indices indices(VgNDArray idx, int size) {
        double[] v = idx.values();
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            long x = (long) v[i];
            l[i] = x < 0 && size >= 0 ? x + size : x;
        }
        return Indices.of(l, idx.dims());
    }

    /**
     * MXNet's gather_nd: {@code index} of shape (M, Y...) addresses the first M axes;
     * the result has shape (Y..., remaining axes); differentiable.
     */
    @Override
    public NDArray gatherNd(NDArray index) {
        VgNDArray idx = peer(index);
        int[] id = idx.dims();
        int[] d = dims();
        int m = id[0];
        if (m > d.length) {
            throw new IllegalArgumentException("gatherNd: index " + idx.shape + " addresses more axes than " + shape);
        }
        int count = 1;
        for (int i = 1; i < id.length; i++) {
            count *= id[i];
        }
        double[] iv = idx.values();
        long[] rows = new long[count];
        for (int y = 0; y < count; y++) {
            long r = 0;
            for (int k = 0; k < m; k++) {
                long c = (long) iv[k * count + y];
                if (c < 0) {
                    c += d[k];
                }
                if (c < 0 || c >= d[k]) {
                    throw new IndexOutOfBoundsException("gatherNd: index " + c + " out of range for axis " + k
                            + " of shape " + shape);
                }
                r = r * d[k] + c;
            }
            rows[y] = r;
        }
        int[] flat = new int[d.length - m + 1];
        flat[0] = -1;
        System.arraycopy(d, m, flat, 1, d.length - m);
        int[] od = new int[id.length - 1 + d.length - m];
        System.arraycopy(id, 1, od, 0, id.length - 1);
        System.arraycopy(d, m, od, id.length - 1, d.length - m);
        Tensor r = in().reshape(flat).indexSelect(0, Indices.of(rows)).reshape(od);
        return new VgNDArray(manager, r, dataType);
    }

    /** The elements at flat (row-major) positions {@code index}, in the index's shape; differentiable. */
    @Override
    public NDArray take(NDManager m, NDArray index) {
        VgNDArray idx = peer(index);
        int n = Math.toIntExact(shape.size());
        Tensor flat = in().reshape(-1).indexSelect(0, indices(idx, n).reshape(Math.toIntExact(idx.shape.size())));
        VgNDArray r = new VgNDArray((VgNDManager) m, flat.reshape(idx.dims()), dataType);
        return r;
    }

    /** A copy with the elements at flat positions {@code index} replaced by {@code value}. */
    @Override
    public NDArray put(NDArray index, NDArray value) {
        noGrad("put");
        double[] v = values();
        double[] idx = peer(index).values();
        double[] val = peer(value).values();
        if (val.length != idx.length && val.length != 1) {
            throw new IllegalArgumentException("put: " + idx.length + " indices but " + val.length + " values");
        }
        for (int i = 0; i < idx.length; i++) {
            long k = (long) idx[i];
            if (k < 0) {
                k += v.length;
            }
            if (k < 0 || k >= v.length) {
                throw new IndexOutOfBoundsException("put: index " + (long) idx[i] + " out of range for " + v.length
                        + " elements");
            }
            v[(int) k] = Types.cast(dataType, val[val.length == 1 ? 0 : i]);
        }
        return heap(v, dims(), dataType);
    }

    /** A copy with {@code value} written at {@code index} along {@code axis} (PyTorch's scatter). */
    @Override
    public NDArray scatter(NDArray index, NDArray value, int axis) {
        noGrad("scatter");
        int ax = axis(axis);
        int[] d = dims();
        VgNDArray idx = peer(index);
        VgNDArray val = peer(value);
        int[] id = idx.dims();
        double[] iv = idx.values();
        double[] vv = val.values();
        int[] vd = val.dims();
        double[] out = values();
        int[] pos = new int[id.length];
        for (int e = 0; e < iv.length; e++) {
            long f = 0;
            long vf = 0;
            for (int i = 0; i < id.length; i++) {
                long c = i == ax ? (long) iv[e] : pos[i];
                if (c < 0 || c >= d[i]) {
                    throw new IndexOutOfBoundsException("scatter: index " + c + " out of range for dim " + i
                            + " of shape " + shape);
                }
                f = f * d[i] + c;
                vf = vf * vd[i] + pos[i];
            }
            out[(int) f] = Types.cast(dataType, vv[(int) vf]);
            for (int i = id.length - 1; i >= 0; i--) {
                if (++pos[i] < id[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        return heap(out, d, dataType);
    }

    /**
     * The slices along {@code axis} where the boolean {@code index} (covering dims
     * {@code axis..axis+k}) is true; differentiable.
     */
    @Override
    public NDArray booleanMask(NDArray index, int axis) {
        VgNDArray mask = peer(index);
        int ax = axis(axis);
        int[] d = dims();
        int[] md = mask.dims();
        for (int i = 0; i < md.length; i++) {
            if (ax + i >= d.length || md[i] != d[ax + i]) {
                throw new IllegalArgumentException("booleanMask: mask shape " + mask.shape
                        + " does not match shape " + shape + " from axis " + ax);
            }
        }
        int[] flatDims = new int[d.length - md.length + 1];
        int p = 0;
        for (int i = 0; i < ax; i++) {
            flatDims[p++] = d[i];
        }
        flatDims[p++] = -1;
        for (int i = ax + md.length; i < d.length; i++) {
            flatDims[p++] = d[i];
        }
        double[] m = mask.values();
        long[] sel = new long[m.length];
        int k = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0) {
                sel[k++] = i;
            }
        }
        Tensor x = in();
        if (md.length == 0) {
            x = x.unsqueeze(ax);
            flatDims[ax] = 1;
        }
        Tensor r = x.reshape(flatDims).indexSelect(ax, Indices.of(Arrays.copyOf(sel, k)));
        return new VgNDArray(manager, r, dataType);
    }

    /** Positions {@code t >= sequenceLength[b]} along axis 1 set to {@code value}; differentiable. */
    @Override
    public NDArray sequenceMask(NDArray sequenceLength, float value) {
        int[] d = dims();
        if (d.length < 2) {
            throw new IllegalArgumentException("sequenceMask: expected an array of rank >= 2, got " + shape);
        }
        double[] len = peer(sequenceLength).values();
        if (len.length != d[0]) {
            throw new IllegalArgumentException("sequenceMask: " + len.length + " lengths for batch size " + d[0]);
        }
        int[] cd = new int[d.length];
        Arrays.fill(cd, 1);
        cd[0] = d[0];
        cd[1] = d[1];
        double[] c = new double[d[0] * d[1]];
        for (int b = 0; b < d[0]; b++) {
            for (int s = 0; s < d[1]; s++) {
                c[b * d[1] + s] = s < len[b] ? 1 : 0;
            }
        }
        Tensor x = in();
        Tensor cond = Types.heap(x.dtype(), c, cd);
        return wrap(Tensor.where(cond, x, Tensor.scalar(x.dtype(), value)), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sequenceMask(NDArray sequenceLength) {
        return sequenceMask(sequenceLength, 0);
    }

    // ============================================================== comparisons

    /** {@inheritDoc} */
    @Override
    public boolean contentEquals(Number number) {
        if (number == null || dataType == DataType.BOOLEAN) {
            return false;
        }
        double n = Types.cast(dataType, number.doubleValue());
        for (double v : values()) {
            if (v != n) {
                return false;
            }
        }
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public boolean contentEquals(NDArray other) {
        if (other == null || !shape.equals(other.getShape()) || dataType != other.getDataType()) {
            return false;
        }
        double[] a = values();
        double[] b = peer(other).values();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Values of {@code x} broadcast to {@code out} dims, row-major. */
    private static double[] broadcastValues(Tensor x, int[] out) {
        int[] xd = x.dims();
        if (Arrays.equals(xd, out)) {
            return x.toDoubleArray();
        }
        return x.detach().expand(out).toDoubleArray();
    }

    private static int[] broadcastDims(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("shapes " + Types.shape(a) + " and " + Types.shape(b)
                        + " cannot be broadcast together");
            }
            r[i] = x == 1 ? y : x;
        }
        return r;
    }

    /** An elementwise heap operation over two broadcast arrays. */
    private VgNDArray heapBinary(NDArray other, DoubleBinaryOperator f, DataType out) {
        VgNDArray o = peer(other);
        int[] od = broadcastDims(dims(), o.dims());
        double[] a = broadcastValues(tensor(), od);
        double[] b = broadcastValues(o.tensor(), od);
        for (int i = 0; i < a.length; i++) {
            a[i] = Types.cast(out, f.applyAsDouble(a[i], b[i]));
        }
        return heap(a, od, out);
    }

    private VgNDArray compare(NDArray other, DoubleBinaryOperator f) {
        return heapBinary(other, f, DataType.BOOLEAN);
    }

    private VgNDArray compare(Number n, DoubleBinaryOperator f) {
        double b = n.doubleValue();
        double[] a = values();
        for (int i = 0; i < a.length; i++) {
            a[i] = f.applyAsDouble(a[i], b) != 0 ? 1 : 0;
        }
        return heap(a, dims(), DataType.BOOLEAN);
    }

    private static double b(boolean x) {
        return x ? 1 : 0;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray eq(Number n) {
        return compare(n, (x, y) -> b(x == y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray eq(NDArray other) {
        return compare(other, (x, y) -> b(x == y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray neq(Number n) {
        return compare(n, (x, y) -> b(x != y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray neq(NDArray other) {
        return compare(other, (x, y) -> b(x != y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gt(Number n) {
        return compare(n, (x, y) -> b(x > y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gt(NDArray other) {
        return compare(other, (x, y) -> b(x > y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gte(Number n) {
        return compare(n, (x, y) -> b(x >= y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gte(NDArray other) {
        return compare(other, (x, y) -> b(x >= y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lt(Number n) {
        return compare(n, (x, y) -> b(x < y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lt(NDArray other) {
        return compare(other, (x, y) -> b(x < y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lte(Number n) {
        return compare(n, (x, y) -> b(x <= y));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lte(NDArray other) {
        return compare(other, (x, y) -> b(x <= y));
    }

    // ============================================================== arithmetic

    /** The type of {@code this op n}: this array's type, or float32 for a boolean array and a number. */
    private DataType scalarType(Number n) {
        if (dataType == DataType.BOOLEAN) {
            return n instanceof Float || n instanceof Double ? DataType.FLOAT32 : DataType.INT32;
        }
        return dataType;
    }

    private VgNDArray arith(NDArray other, BinaryOperator<Tensor> f) {
        VgNDArray o = peer(other);
        DataType rt = Types.promote(dataType, o.dataType);
        return wrap(f.apply(as(in(), rt), as(o.in(), rt)), rt);
    }

    private VgNDArray arith(Number n, BinaryOperator<Tensor> f) {
        DataType rt = scalarType(n);
        Tensor x = as(in(), rt);
        return wrap(f.apply(x, Tensor.scalar(x.dtype(), n.doubleValue())), rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray add(Number n) {
        return arith(n, (a, b) -> a.add(b));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray add(NDArray other) {
        return arith(other, (a, b) -> a.add(b));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sub(Number n) {
        return arith(n, (a, b) -> a.sub(b));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sub(NDArray other) {
        return arith(other, (a, b) -> a.sub(b));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mul(Number n) {
        return arith(n, (a, b) -> a.mul(b));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mul(NDArray other) {
        return arith(other, (a, b) -> a.mul(b));
    }

    /** Division; integer arrays truncate toward zero. */
    @Override
    public NDArray div(Number n) {
        return arith(n, (a, b) -> a.div(b));
    }

    /** Division; integer arrays truncate toward zero. */
    @Override
    public NDArray div(NDArray other) {
        return arith(other, (a, b) -> a.div(b));
    }

    private static double fmod(double x, double y) {
        // The sign follows the divisor, as NumPy's mod.
        double r = x % y;
        return r != 0 && (r < 0) != (y < 0) ? r + y : r;
    }

    /** Remainder with the sign of the divisor (not differentiable). */
    @Override
    public NDArray mod(Number n) {
        noGrad("mod");
        DataType rt = scalarType(n);
        double y = n.doubleValue();
        double[] v = values();
        for (int i = 0; i < v.length; i++) {
            v[i] = Types.cast(rt, fmod(v[i], y));
        }
        return heap(v, dims(), rt);
    }

    /** Remainder with the sign of the divisor (not differentiable). */
    @Override
    public NDArray mod(NDArray other) {
        noGrad("mod");
        return heapBinary(other, VgNDArray::fmod, Types.promote(dataType, other.getDataType()));
    }

    /** Power; differentiable for a number exponent. */
    @Override
    public NDArray pow(Number n) {
        DataType rt = scalarType(n);
        return wrap(as(in(), rt).pow(n.doubleValue()), rt);
    }

    /** Elementwise power; differentiable when the base is positive (computed as exp(b·log a)) and on the heap otherwise. */
    @Override
    public NDArray pow(NDArray other) {
        VgNDArray o = peer(other);
        DataType rt = Types.promote(dataType, o.dataType);
        if ((tracking() || o.tracking()) && Types.isFloat(rt)) {
            for (double v : values()) {
                if (!(v > 0)) {
                    throw new UnsupportedOperationException("pow: VecGrad differentiates pow(NDArray) only for "
                            + "positive bases");
                }
            }
            return wrap(as(o.in(), rt).mul(as(in(), rt).log()).exp(), rt);
        }
        return heapBinary(other, Math::pow, rt);
    }

    /** {@code x * log(y)}, 0 where x == 0. */
    @Override
    public NDArray xlogy(NDArray other) {
        noGrad("xlogy");
        VgNDArray o = peer(other);
        o.noGrad("xlogy");
        return heapBinary(other, (x, y) -> x == 0 ? 0 : x * Math.log(y), Types.promote(dataType, o.dataType));
    }

    NDArray inplace(NDArray r) {
        VgNDArray v = of("in-place", r);
        writeInPlace(as(v.tensor(), dataType));
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray addi(Number n) {
        return inplace(add(n));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray addi(NDArray other) {
        return inplace(add(other));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray subi(Number n) {
        return inplace(sub(n));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray subi(NDArray other) {
        return inplace(sub(other));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray muli(Number n) {
        return inplace(mul(n));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray muli(NDArray other) {
        return inplace(mul(other));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray divi(Number n) {
        return inplace(div(n));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray divi(NDArray other) {
        return inplace(div(other));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray modi(Number n) {
        return inplace(mod(n));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray modi(NDArray other) {
        return inplace(mod(other));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray powi(Number n) {
        return inplace(pow(n));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray powi(NDArray other) {
        return inplace(pow(other));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sign() {
        return heapUnary(Math::signum, true, false, "sign");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray signi() {
        return inplace(sign());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray maximum(Number n) {
        return arith(n, Tensor::maximum);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray maximum(NDArray other) {
        return arith(other, Tensor::maximum);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray minimum(Number n) {
        return arith(n, Tensor::minimum);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray minimum(NDArray other) {
        return arith(other, Tensor::minimum);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray neg() {
        return wrap(in().neg(), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray negi() {
        return inplace(neg());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray abs() {
        return wrap(in().abs(), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray square() {
        return wrap(in().mul(in()), dataType);
    }

    // ============================================================== unary math

    /** A differentiable unary op; integer inputs become float32. */
    private VgNDArray floatUnary(UnaryOperator<Tensor> f) {
        DataType rt = Types.isFloat(dataType) ? dataType : DataType.FLOAT32;
        return wrap(f.apply(as(in(), rt)), rt);
    }

    /**
     * A heap unary op. {@code keepType}: integer inputs keep their type (else become float32);
     * {@code hasGrad}: the op has a non-zero derivative, so differentiated inputs are refused.
     */
    private VgNDArray heapUnary(DoubleUnaryOperator f, boolean keepType, boolean hasGrad, String op) {
        if (hasGrad) {
            noGrad(op);
        }
        DataType rt = keepType || Types.isFloat(dataType) ? dataType : DataType.FLOAT32;
        double[] v = values();
        for (int i = 0; i < v.length; i++) {
            v[i] = Types.cast(rt, f.applyAsDouble(v[i]));
        }
        return heap(v, dims(), rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sqrt() {
        return floatUnary(Tensor::sqrt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray cbrt() {
        return heapUnary(Math::cbrt, false, true, "cbrt");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray floor() {
        return heapUnary(Math::floor, true, false, "floor");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray ceil() {
        return heapUnary(Math::ceil, true, false, "ceil");
    }

    /** Rounds half to even, as NumPy. */
    @Override
    public NDArray round() {
        return heapUnary(Math::rint, true, false, "round");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray trunc() {
        return heapUnary(x -> x < 0 ? Math.ceil(x) : Math.floor(x), true, false, "trunc");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray exp() {
        return floatUnary(Tensor::exp);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gammaln() {
        return heapUnary(SpecialFunctions::lgamma, false, true, "gammaln");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray log() {
        return floatUnary(Tensor::log);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray log10() {
        return floatUnary(x -> x.log().mul(1 / Math.log(10)));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray log2() {
        return floatUnary(x -> x.log().mul(1 / Math.log(2)));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sin() {
        return floatUnary(Tensor::sin);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray cos() {
        return floatUnary(Tensor::cos);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tan() {
        return floatUnary(x -> x.sin().div(x.cos()));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray asin() {
        return heapUnary(Math::asin, false, true, "asin");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray acos() {
        return heapUnary(Math::acos, false, true, "acos");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray atan() {
        return heapUnary(Math::atan, false, true, "atan");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray atan2(NDArray other) {
        noGrad("atan2");
        DataType rt = Types.promote(dataType, other.getDataType());
        return heapBinary(other, Math::atan2, Types.isFloat(rt) ? rt : DataType.FLOAT32);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sinh() {
        return floatUnary(x -> x.exp().sub(x.neg().exp()).mul(0.5));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray cosh() {
        return floatUnary(x -> x.exp().add(x.neg().exp()).mul(0.5));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tanh() {
        return floatUnary(Tensor::tanh);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray asinh() {
        return heapUnary(x -> Math.log(x + Math.sqrt(x * x + 1)), false, true, "asinh");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray acosh() {
        return heapUnary(x -> Math.log(x + Math.sqrt(x * x - 1)), false, true, "acosh");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray atanh() {
        return heapUnary(x -> 0.5 * Math.log((1 + x) / (1 - x)), false, true, "atanh");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray toDegrees() {
        return floatUnary(x -> x.mul(180 / Math.PI));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray toRadians() {
        return floatUnary(x -> x.mul(Math.PI / 180));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray erf() {
        return heapUnary(SpecialFunctions::erf, false, true, "erf");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray erfinv() {
        return heapUnary(SpecialFunctions::erfinv, false, true, "erfinv");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray isInfinite() {
        return heapUnary(x -> b(Double.isInfinite(x)), false, false, "isInfinite").toBool();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray isNaN() {
        return heapUnary(x -> b(Double.isNaN(x)), false, false, "isNaN").toBool();
    }

    private VgNDArray toBool() {
        double[] v = values();
        return heap(v, dims(), DataType.BOOLEAN);
    }

    // ============================================================== reductions

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    /** The type of a sum or product: integers and booleans accumulate in int64. */
    private DataType accType() {
        return Types.isFloat(dataType) ? dataType : DataType.INT64;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray max() {
        return max(allAxes(dims().length), false);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray max(int[] axes, boolean keepDims) {
        checkNonEmptyReduce("max");
        if (dims().length == 0) {
            return wrap(in().copy(), dataType);
        }
        return wrap(in().max(normAxes(axes, dims().length), keepDims), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray min() {
        return min(allAxes(dims().length), false);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray min(int[] axes, boolean keepDims) {
        checkNonEmptyReduce("min");
        if (dims().length == 0) {
            return wrap(in().copy(), dataType);
        }
        return wrap(in().neg().max(normAxes(axes, dims().length), keepDims).neg(), dataType);
    }

    private void checkNonEmptyReduce(String op) {
        if (shape.size() == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce an empty array of shape " + shape);
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sum() {
        return sum(allAxes(dims().length), false);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sum(int[] axes, boolean keepDims) {
        DataType rt = accType();
        if (dims().length == 0) {
            return wrap(as(in(), rt).copy(), rt);
        }
        if (shape.size() == 0) {
            return heapReduce(axes, keepDims, 0, Double::sum, rt);
        }
        return wrap(as(in(), rt).sum(normAxes(axes, dims().length), keepDims), rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray cumProd(int axis) {
        return cumulative(axis, true, accType(), "cumProd");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray cumProd(int axis, DataType dt) {
        return ((VgNDArray) toType(dt, false)).cumulative(axis, true, dt, "cumProd");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray cumSum() {
        return ((VgNDArray) flatten()).cumulative(0, false, accType(), "cumSum");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray cumSum(int axis) {
        return cumulative(axis, false, accType(), "cumSum");
    }

    private VgNDArray cumulative(int axis, boolean product, DataType rt, String op) {
        noGrad(op);
        int[] d = dims();
        if (d.length == 0) {
            return heap(values(), d, rt);
        }
        int ax = axis(axis);
        double[] v = values();
        Lanes.forEach(d, ax, (base, stride, len) -> {
            double acc = product ? 1 : 0;
            for (int k = 0; k < len; k++) {
                int i = base + k * stride;
                acc = product ? acc * v[i] : acc + v[i];
                v[i] = Types.cast(rt, acc);
            }
        });
        return heap(v, d, rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray prod() {
        return prod(allAxes(dims().length), false);
    }

    /** Product over {@code axes} (not differentiable). */
    @Override
    public NDArray prod(int[] axes, boolean keepDims) {
        noGrad("prod");
        return heapReduce(axes, keepDims, 1, (a, x) -> a * x, accType());
    }

    /** A heap reduction {@code acc = f(acc, x)} from {@code init} over {@code axes}. */
    private VgNDArray heapReduce(int[] axes, boolean keepDims, double init, DoubleBinaryOperator f, DataType rt) {
        int[] d = dims();
        int[] ax = normAxes(axes, d.length);
        boolean[] red = new boolean[d.length];
        for (int a : ax) {
            red[a] = true;
        }
        List<Integer> od = new ArrayList<>();
        int[] outStride = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (!red[i]) {
                od.add(d[i]);
            } else if (keepDims) {
                od.add(1);
            }
        }
        int[] kept = new int[d.length];
        int s = 1;
        for (int i = d.length - 1; i >= 0; i--) {
            kept[i] = red[i] ? 1 : d[i];
        }
        for (int i = d.length - 1; i >= 0; i--) {
            outStride[i] = red[i] ? 0 : s;
            s *= kept[i];
        }
        double[] out = new double[s];
        Arrays.fill(out, init);
        double[] v = values();
        int[] pos = new int[d.length];
        for (int e = 0; e < v.length; e++) {
            int o = 0;
            for (int i = 0; i < d.length; i++) {
                o += pos[i] * outStride[i];
            }
            out[o] = f.applyAsDouble(out[o], v[e]);
            for (int i = d.length - 1; i >= 0; i--) {
                if (++pos[i] < d[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Types.cast(rt, out[i]);
        }
        return heap(out, od.stream().mapToInt(Integer::intValue).toArray(), rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mean() {
        return mean(allAxes(dims().length), false);
    }

    /** Mean over {@code axes}; integer arrays give float32. */
    @Override
    public NDArray mean(int[] axes, boolean keepDims) {
        DataType rt = Types.isFloat(dataType) ? dataType : DataType.FLOAT32;
        if (dims().length == 0) {
            return wrap(as(in(), rt).copy(), rt);
        }
        if (shape.size() == 0) {
            return heapReduce(axes, keepDims, Double.NaN, Double::sum, rt);
        }
        return wrap(as(in(), rt).mean(normAxes(axes, dims().length), keepDims), rt);
    }

    /** {@code x / max(||x||_p, eps)} along {@code dim}; differentiable for p = 2. */
    @Override
    public NDArray normalize(double exponent, long dim, double eps) {
        Tensor x = in();
        int ax = axis((int) dim);
        Tensor norm;
        if (exponent == 2) {
            norm = x.mul(x).sum(new int[] {ax}, true).sqrt();
        } else if (exponent == 1) {
            norm = x.abs().sum(new int[] {ax}, true);
        } else {
            noGrad("normalize(p=" + exponent + ")");
            norm = x.abs().pow(exponent).sum(new int[] {ax}, true).pow(1 / exponent);
        }
        return wrap(x.div(norm.clampMin(eps)), dataType);
    }

    /** Rotates by 90 degrees {@code times} times in the plane of {@code axes} (NumPy's rot90); differentiable. */
    @Override
    public NDArray rotate90(int times, int[] axes) {
        if (axes.length != 2) {
            throw new IllegalArgumentException("rotate90: expected 2 axes, got " + Arrays.toString(axes));
        }
        int a0 = axis(axes[0]);
        int a1 = axis(axes[1]);
        if (a0 == a1) {
            throw new IllegalArgumentException("rotate90: the axes must differ, got " + Arrays.toString(axes));
        }
        int k = Math.floorMod(times, 4);
        int[] perm = allAxes(dims().length);
        perm[a0] = a1;
        perm[a1] = a0;
        return switch (k) {
            case 0 -> duplicate();
            case 1 -> flip(a1).transpose(perm);
            case 2 -> flip(a0, a1);
            default -> transpose(perm).flip(a1);
        };
    }

    /** Sum of the diagonal of a 2-D array (or of the {@code axis1, axis2} planes). */
    @Override
    public NDArray trace(int offset, int axis1, int axis2) {
        return ((VgNDArray) diagonal(offset, axis1, axis2)).sum(new int[] {-1}, false);
    }

    // ============================================================== shapes

    /** {@inheritDoc} */
    @Override
    public NDList split(long[] indices, int axis) {
        int ax = axis(axis);
        int size = dims()[ax];
        NDList out = new NDList();
        if (indices.length > 0 && indices[0] == 0) {
            // DJL's split(sections) passes the section starts, beginning with 0
            indices = Arrays.copyOfRange(indices, 1, indices.length);
        }
        long start = 0;
        Tensor x = in();
        for (int i = 0; i <= indices.length; i++) {
            long end = i < indices.length ? Math.min(indices[i], size) : size;
            long len = Math.max(0, end - start);
            out.add(new VgNDArray(manager, x.narrow(ax, (int) start, (int) len).copy(), dataType));
            start = Math.max(start, end);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray flatten() {
        return reshape(new Shape(shape.size()));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray flatten(int startDim, int endDim) {
        int[] d = dims();
        int s = axis(startDim);
        int e = axis(endDim);
        List<Long> nd = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            nd.add((long) d[i]);
        }
        long p = 1;
        for (int i = s; i <= e; i++) {
            p *= d[i];
        }
        nd.add(p);
        for (int i = e + 1; i < d.length; i++) {
            nd.add((long) d[i]);
        }
        return reshape(new Shape(nd));
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray fft(long length, long axis) {
        throw unsupported("fft");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray ifft(long length, long axis) {
        throw unsupported("ifft");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray rfft(long length, long axis) {
        throw unsupported("rfft");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray irfft(long length, long axis) {
        throw unsupported("irfft");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray stft(long nFft, long hopLength, boolean center, NDArray window, boolean normalize,
                        boolean returnComplex) {
        throw unsupported("stft");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray fft2(long[] sizes, long[] axes) {
        throw unsupported("fft2");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray ifft2(long[] sizes, long[] axes) {
        throw unsupported("ifft2");
    }

    /**
     * Constant padding: {@code padding} lists (before, after) pairs starting from the last axis,
     * as PyTorch's {@code pad}; differentiable.
     */
    @Override
    public NDArray pad(Shape padding, double value) {
        long[] p = padding.getShape();
        Tensor x = in();
        int[] d = x.dims();
        for (int i = 0; i + 1 < p.length; i += 2) {
            int ax = d.length - 1 - i / 2;
            if (ax < 0) {
                throw new IllegalArgumentException("pad: padding " + padding + " has more pairs than shape " + shape);
            }
            int before = (int) p[i];
            int after = (int) p[i + 1];
            List<Tensor> parts = new ArrayList<>();
            int[] cur = x.dims();
            if (before > 0) {
                int[] pd = cur.clone();
                pd[ax] = before;
                parts.add(Tensor.full(x.dtype(), value, pd));
            }
            parts.add(x);
            if (after > 0) {
                int[] pd = cur.clone();
                pd[ax] = after;
                parts.add(Tensor.full(x.dtype(), value, pd));
            }
            x = Tensor.concat(ax, parts.toArray(new Tensor[0]));
        }
        return wrap(x, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray reshape(Shape newShape) {
        long[] s = newShape.getShape();
        int[] d = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = (int) s[i];
        }
        Tensor x = in();
        if (x.isLeaf() && !tracking()) {
            // a fresh view would share storage; DJL arrays are independent values
            return new VgNDArray(manager, x.reshape(d).copy(), dataType);
        }
        return new VgNDArray(manager, x.reshape(d), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray expandDims(int axis) {
        int r = dims().length;
        int a = axis < 0 ? axis + r + 1 : axis;
        return new VgNDArray(manager, in().unsqueeze(a).copy(), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray squeeze(int[] axes) {
        int[] d = dims();
        if (d.length == 0) {
            return duplicate();
        }
        boolean[] drop = new boolean[d.length];
        for (int a : normAxes(axes, d.length)) {
            if (d[a] != 1) {
                throw new IllegalArgumentException("squeeze: axis " + a + " of shape " + shape + " is not 1");
            }
            drop[a] = true;
        }
        List<Long> nd = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            if (!drop[i]) {
                nd.add((long) d[i]);
            }
        }
        return reshape(new Shape(nd));
    }

    /**
     * Distinct values (or distinct slices along {@code dim}), sorted, with the int64 inverse
     * indices and counts (empty int64 arrays when not requested).
     */
    @Override
    public NDList unique(Integer dim, boolean sorted, boolean returnInverse, boolean returnCounts) {
        noGrad("unique");
        int[] d = dims();
        double[][] rows;
        int ax = dim == null ? 0 : axis(dim);
        Tensor x = dim == null ? tensor().reshape(-1) : tensor();
        int n = dim == null ? Math.toIntExact(shape.size()) : d[ax];
        rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = x.narrow(ax, i, 1).toDoubleArray();
        }
        java.util.TreeMap<double[], Integer> firstSeen = new java.util.TreeMap<>(Arrays::compare);
        java.util.LinkedHashMap<String, double[]> order = new java.util.LinkedHashMap<>();
        for (double[] r : rows) {
            firstSeen.putIfAbsent(r, firstSeen.size());
            order.putIfAbsent(Arrays.toString(r), r);
        }
        List<double[]> uniq = sorted ? new ArrayList<>(firstSeen.keySet()) : new ArrayList<>(order.values());
        int m = uniq.size();
        int rowLen = n == 0 ? 0 : rows[0].length;
        double[] inv = new double[n];
        double[] counts = new double[m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                if (Arrays.equals(uniq.get(k), rows[i])) {
                    inv[i] = k;
                    counts[k]++;
                    break;
                }
            }
        }
        VgNDArray values;
        if (dim == null) {
            double[] v = new double[m];
            for (int k = 0; k < m; k++) {
                v[k] = uniq.get(k)[0];
            }
            values = heap(v, new int[] {m}, dataType);
        } else {
            // slices are stacked back along dim: build as [m, rest] then move the axis
            double[] v = new double[m * rowLen];
            for (int k = 0; k < m; k++) {
                System.arraycopy(uniq.get(k), 0, v, k * rowLen, rowLen);
            }
            int[] sd = new int[d.length];
            sd[0] = m;
            for (int i = 0, p = 1; i < d.length; i++) {
                if (i != ax) {
                    sd[p++] = d[i];
                }
            }
            int[] perm = new int[d.length];
            for (int i = 0, p = 1; i < d.length; i++) {
                perm[i] = i == ax ? 0 : p++;
            }
            Tensor t0 = Types.heap(Types.storage(dataType), v, sd).permute(perm).contiguous();
            values = new VgNDArray(manager, t0, dataType);
        }
        NDList out = new NDList(values);
        out.add(returnInverse ? heap(inv, dim == null ? d : new int[] {n}, DataType.INT64)
                : heap(new double[0], new int[] {0}, DataType.INT64));
        out.add(returnCounts ? heap(counts, new int[] {m}, DataType.INT64)
                : heap(new double[0], new int[] {0}, DataType.INT64));
        return out;
    }

    private static int indexOf(double[] u, double x) {
        for (int i = 0; i < u.length; i++) {
            if (Double.compare(u[i], x) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logicalAnd(NDArray other) {
        return heapBinary(other, (x, y) -> b(x != 0 && y != 0), DataType.BOOLEAN);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logicalOr(NDArray other) {
        return heapBinary(other, (x, y) -> b(x != 0 || y != 0), DataType.BOOLEAN);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logicalXor(NDArray other) {
        return heapBinary(other, (x, y) -> b((x != 0) != (y != 0)), DataType.BOOLEAN);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logicalNot() {
        double[] v = values();
        for (int i = 0; i < v.length; i++) {
            v[i] = b(v[i] == 0);
        }
        return heap(v, dims(), DataType.BOOLEAN);
    }

    /** Stable sort order along {@code axis} (int64 indices). */
    @Override
    public NDArray argSort(int axis, boolean ascending) {
        int[] d = dims();
        double[] v = values();
        double[] out = new double[v.length];
        if (d.length == 0) {
            return heap(new double[] {0}, d, DataType.INT64);
        }
        Lanes.forEach(d, axis(axis), (base, stride, len) -> {
            Integer[] order = new Integer[len];
            for (int k = 0; k < len; k++) {
                order[k] = k;
            }
            Comparator<Integer> c = (p, q) -> Double.compare(v[base + p * stride], v[base + q * stride]);
            Arrays.sort(order, ascending ? c : c.reversed());
            for (int k = 0; k < len; k++) {
                out[base + k * stride] = order[k];
            }
        });
        return heap(out, d, DataType.INT64);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sort() {
        return sort(-1);
    }

    /** Ascending sort along {@code axis} (not differentiable). */
    @Override
    public NDArray sort(int axis) {
        noGrad("sort");
        int[] d = dims();
        double[] v = values();
        if (d.length == 0) {
            return duplicate();
        }
        Lanes.forEach(d, axis(axis), (base, stride, len) -> {
            double[] lane = new double[len];
            for (int k = 0; k < len; k++) {
                lane[k] = v[base + k * stride];
            }
            Arrays.sort(lane);
            for (int k = 0; k < len; k++) {
                v[base + k * stride] = lane[k];
            }
        });
        return heap(v, d, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray softmax(int axis) {
        return floatUnary(x -> x.softmax(axis));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logSoftmax(int axis) {
        return floatUnary(x -> x.logSoftmax(axis));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray diagonal() {
        return diagonal(0, 0, 1);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray diagonal(int offset) {
        return diagonal(offset, 0, 1);
    }

    /** The diagonal of the {@code (axis1, axis2)} planes, as a new last axis (not differentiable). */
    @Override
    public NDArray diagonal(int offset, int axis1, int axis2) {
        noGrad("diagonal");
        int[] d = dims();
        int a1 = axis(axis1);
        int a2 = axis(axis2);
        if (a1 == a2) {
            throw new IllegalArgumentException("diagonal: axis1 and axis2 must differ, got " + axis1);
        }
        int n1 = d[a1];
        int n2 = d[a2];
        int len = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
        int[] rest = new int[d.length - 2];
        int p = 0;
        for (int i = 0; i < d.length; i++) {
            if (i != a1 && i != a2) {
                rest[p++] = d[i];
            }
        }
        int[] od = Arrays.copyOf(rest, rest.length + 1);
        od[rest.length] = len;
        int outer = 1;
        for (int r : rest) {
            outer *= r;
        }
        double[] v = values();
        long[] strides = new long[d.length];
        long s = 1;
        for (int i = d.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= d[i];
        }
        double[] out = new double[outer * len];
        int[] pos = new int[rest.length];
        for (int o = 0; o < outer; o++) {
            long base = 0;
            int q = 0;
            for (int i = 0; i < d.length; i++) {
                if (i != a1 && i != a2) {
                    base += pos[q++] * strides[i];
                }
            }
            for (int k = 0; k < len; k++) {
                int i1 = offset >= 0 ? k : k - offset;
                int i2 = offset >= 0 ? k + offset : k;
                out[o * len + k] = v[(int) (base + i1 * strides[a1] + i2 * strides[a2])];
            }
            for (int i = rest.length - 1; i >= 0; i--) {
                if (++pos[i] < rest[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        return heap(out, od, dataType);
    }

    /** The inverse of each square matrix in the last two axes (Gauss-Jordan, partial pivoting; not differentiable). */
    @Override
    public NDArray inverse() {
        noGrad("inverse");
        int[] d = dims();
        int n = d.length < 2 ? -1 : d[d.length - 1];
        if (n < 0 || d[d.length - 2] != n) {
            throw new IllegalArgumentException("inverse: expected square matrices in the last two axes, got " + shape);
        }
        double[] v = values();
        int mats = n == 0 ? 0 : v.length / (n * n);
        for (int b = 0; b < mats; b++) {
            invertInPlace(v, b * n * n, n);
        }
        DataType rt = Types.isFloat(dataType) ? dataType : DataType.FLOAT32;
        for (int i = 0; i < v.length; i++) {
            v[i] = Types.cast(rt, v[i]);
        }
        return heap(v, d, rt);
    }

    private static void invertInPlace(double[] a, int off, int n) {
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[off + r * n + c]) > Math.abs(a[off + p * n + c])) {
                    p = r;
                }
            }
            if (a[off + p * n + c] == 0) {
                throw new IllegalArgumentException("inverse: the matrix is singular");
            }
            for (int j = 0; j < n; j++) {
                double t = a[off + c * n + j];
                a[off + c * n + j] = a[off + p * n + j];
                a[off + p * n + j] = t;
                t = inv[c * n + j];
                inv[c * n + j] = inv[p * n + j];
                inv[p * n + j] = t;
            }
            double piv = a[off + c * n + c];
            for (int j = 0; j < n; j++) {
                a[off + c * n + j] /= piv;
                inv[c * n + j] /= piv;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = a[off + r * n + c];
                    if (f != 0) {
                        for (int j = 0; j < n; j++) {
                            a[off + r * n + j] -= f * a[off + c * n + j];
                            inv[r * n + j] -= f * inv[c * n + j];
                        }
                    }
                }
            }
        }
        System.arraycopy(inv, 0, a, off, n * n);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tile(long repeats) {
        int r = Math.max(1, dims().length);
        long[] reps = new long[r];
        Arrays.fill(reps, repeats);
        return tile(reps);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tile(int axis, long repeats) {
        long[] reps = new long[dims().length];
        Arrays.fill(reps, 1);
        reps[axis(axis)] = repeats;
        return tile(reps);
    }

    /** Repeats the whole array {@code repeats[i]} times along each axis (NumPy's tile); differentiable. */
    @Override
    public NDArray tile(long[] repeats) {
        Tensor x = in();
        int[] d = x.dims();
        int r = Math.max(d.length, repeats.length);
        int[] xd = new int[r];
        Arrays.fill(xd, 1);
        System.arraycopy(d, 0, xd, r - d.length, d.length);
        x = x.reshape(xd);
        for (int i = 0; i < r; i++) {
            int k = i - (r - repeats.length);
            long rep = k >= 0 ? repeats[k] : 1;
            if (rep != 1) {
                Tensor[] parts = new Tensor[(int) rep];
                Arrays.fill(parts, x);
                x = rep == 0 ? x.narrow(i, 0, 0) : Tensor.concat(i, parts);
            }
        }
        return wrap(x.contiguous(), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tile(Shape desiredShape) {
        int[] d = dims();
        long[] s = desiredShape.getShape();
        long[] reps = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            int k = i - (s.length - d.length);
            long have = k >= 0 ? d[k] : 1;
            if (s[i] % have != 0) {
                throw new IllegalArgumentException("tile: shape " + shape + " does not tile to " + desiredShape);
            }
            reps[i] = s[i] / have;
        }
        return tile(reps);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray repeat(long repeats) {
        int r = Math.max(1, dims().length);
        long[] reps = new long[r];
        Arrays.fill(reps, repeats);
        return repeat(reps);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray repeat(int axis, long repeats) {
        long[] reps = new long[dims().length];
        Arrays.fill(reps, 1);
        reps[axis(axis)] = repeats;
        return repeat(reps);
    }

    /** Repeats each element {@code repeats[i]} times along each axis; differentiable. */
    @Override
    public NDArray repeat(long[] repeats) {
        Tensor x = in();
        int[] d = x.dims();
        int r = Math.max(d.length, repeats.length);
        int[] xd = new int[r];
        Arrays.fill(xd, 1);
        System.arraycopy(d, 0, xd, r - d.length, d.length);
        x = x.reshape(xd);
        for (int i = 0; i < r; i++) {
            int k = i - (r - repeats.length);
            long rep = k >= 0 ? repeats[k] : 1;
            if (rep != 1) {
                long[] idx = new long[(int) (xd[i] * rep)];
                for (int j = 0; j < idx.length; j++) {
                    idx[j] = j / rep;
                }
                x = x.indexSelect(i, Indices.of(idx));
                xd = x.dims();
            }
        }
        return wrap(x.contiguous(), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray repeat(Shape desiredShape) {
        int[] d = dims();
        long[] s = desiredShape.getShape();
        long[] reps = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            int k = i - (s.length - d.length);
            long have = k >= 0 ? d[k] : 1;
            reps[i] = s[i] / have;
        }
        return repeat(reps);
    }

    // ============================================================== linear algebra

    /**
     * NumPy's dot: scalar·array, 1-D·1-D inner product, 2-D matrix product, N-D·1-D sum over the
     * last axis, N-D·M-D sum over the last axis of this and the second-to-last of other.
     */
    @Override
    public NDArray dot(NDArray other) {
        VgNDArray o = peer(other);
        DataType rt = Types.promote(dataType, o.dataType);
        Tensor a = as(in(), rt);
        Tensor b = as(o.in(), rt);
        int ra = a.ndim();
        int rb = b.ndim();
        if (ra == 0 || rb == 0) {
            return wrap(a.mul(b), rt);
        }
        if (ra == 1 && rb == 1) {
            return wrap(a.mul(b).sum(), rt);
        }
        if (rb == 1) {
            return wrap(a.matmul(b.unsqueeze(1)).reshape(Arrays.copyOf(a.dims(), ra - 1)), rt);
        }
        if (rb == 2 || ra == 1) {
            return wrap(a.matmul(b), rt);
        }
        // N-D . M-D: sum over the last axis of a and the second-to-last of b
        int[] ad = a.dims();
        int[] bd = b.dims();
        int k = ad[ra - 1];
        int[] perm = new int[rb];
        perm[0] = rb - 2;
        for (int i = 0, p = 1; i < rb; i++) {
            if (i != rb - 2) {
                perm[p++] = i;
            }
        }
        Tensor prod = a.reshape(-1, k).matmul(b.permute(perm).reshape(k, -1));
        int[] od = new int[ra - 1 + rb - 1];
        System.arraycopy(ad, 0, od, 0, ra - 1);
        System.arraycopy(bd, 0, od, ra - 1, rb - 2);
        od[od.length - 1] = bd[rb - 1];
        return wrap(prod.reshape(od), rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray matMul(NDArray other) {
        VgNDArray o = peer(other);
        DataType rt = Types.promote(dataType, o.dataType);
        if (shape.isScalar() || o.shape.isScalar()) {
            throw new IllegalArgumentException("matMul: scalar operands are not allowed (shapes " + shape + ", "
                    + o.shape + ")");
        }
        return wrap(as(in(), rt).matmul(as(o.in(), rt)), rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray batchMatMul(NDArray other) {
        if (dims().length != 3 || other.getShape().dimension() != 3) {
            throw new IllegalArgumentException("batchMatMul: expected two 3-D arrays, got " + shape + " and "
                    + other.getShape());
        }
        return matMul(other);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray batchDot(NDArray other) {
        return batchMatMul(other);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray clip(Number min, Number max) {
        return wrap(in().clamp(min.doubleValue(), max.doubleValue()), dataType);
    }

    /** Reverses the order along {@code axes}; differentiable. */
    @Override
    public NDArray flip(int... axes) {
        Tensor x = in();
        for (int a : normAxes(axes, x.ndim())) {
            int n = x.dim(a);
            long[] idx = new long[n];
            for (int i = 0; i < n; i++) {
                idx[i] = n - 1 - i;
            }
            x = x.indexSelect(a, Indices.of(idx));
        }
        return wrap(x, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray transpose() {
        int r = dims().length;
        int[] order = new int[r];
        for (int i = 0; i < r; i++) {
            order[i] = r - 1 - i;
        }
        return transpose(order);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray transpose(int... axes) {
        int r = dims().length;
        if (axes.length != r) {
            throw new IllegalArgumentException("transpose: " + axes.length + " axes given for shape " + shape);
        }
        int[] a = normAxes(axes, r);
        if (Arrays.stream(a).distinct().count() != r) {
            throw new IllegalArgumentException("transpose: repeated axes " + Arrays.toString(axes));
        }
        return wrap(in().permute(a).contiguous(), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray broadcast(Shape target) {
        return wrap(in().expand(Types.dims(target)).contiguous(), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMax() {
        if (shape.size() == 0) {
            throw new IllegalArgumentException("argMax: empty array of shape " + shape);
        }
        return heap(new double[] {tensor().argmax()}, new int[0], DataType.INT64);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMax(int axis) {
        return argExtreme(axis, true);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMin() {
        if (shape.size() == 0) {
            throw new IllegalArgumentException("argMin: empty array of shape " + shape);
        }
        return ((VgNDArray) flatten()).argExtreme(0, false);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray argMin(int axis) {
        return argExtreme(axis, false);
    }

    private VgNDArray argExtreme(int axis, boolean max) {
        int[] d = dims();
        if (d.length == 0) {
            return heap(new double[] {0}, d, DataType.INT64);
        }
        int ax = axis(axis);
        if (d[ax] == 0) {
            throw new IllegalArgumentException("argMax/argMin: axis " + ax + " of shape " + shape + " is empty");
        }
        double[] v = values();
        int[] od = new int[d.length - 1];
        for (int i = 0, p = 0; i < d.length; i++) {
            if (i != ax) {
                od[p++] = d[i];
            }
        }
        double[] out = new double[v.length / d[ax]];
        int[] k = {0};
        int inner = 1;
        for (int i = ax + 1; i < d.length; i++) {
            inner *= d[i];
        }
        final int in = inner;
        Lanes.forEach(d, ax, (base, stride, len) -> {
            int best = 0;
            for (int j = 1; j < len; j++) {
                double a = v[base + j * stride];
                double bst = v[base + best * stride];
                if (max ? a > bst : a < bst) {
                    best = j;
                }
            }
            int outer = base / (len * in);
            int rem = base % in;
            out[outer * in + rem] = best;
            k[0]++;
        });
        return heap(out, od, DataType.INT64);
    }

    /** The k largest (or smallest) values along {@code axis} and their int64 indices. */
    @Override
    public NDList topK(int k, int axis, boolean largest, boolean sorted) {
        noGrad("topK");
        VgNDArray order = (VgNDArray) argSort(axis, !largest);
        int ax = axis(axis);
        long[] idx = new long[k];
        for (int i = 0; i < k; i++) {
            idx[i] = i;
        }
        Tensor oi = order.tensor().indexSelect(ax, Indices.of(idx));
        VgNDArray ind = new VgNDArray(manager, oi, DataType.INT64);
        NDArray vals = gather(ind, ax);
        return new NDList(vals, ind);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray percentile(Number percentile) {
        return percentile(percentile, allAxes(dims().length));
    }

    /** Linear-interpolated percentile over {@code axes} (a single axis or all). */
    @Override
    public NDArray percentile(Number percentile, int[] axes) {
        noGrad("percentile");
        double q = percentile.doubleValue() / 100;
        int[] d = dims();
        if (axes.length == d.length) {
            double[] v = values();
            Arrays.sort(v);
            return heap(new double[] {quantile(v, q)}, new int[0], dataType);
        }
        if (axes.length != 1) {
            throw unsupported("percentile over " + axes.length + " of " + d.length + " axes");
        }
        VgNDArray sorted = (VgNDArray) sort(axes[0]);
        int ax = axis(axes[0]);
        double[] v = sorted.values();
        int[] od = new int[d.length - 1];
        for (int i = 0, p = 0; i < d.length; i++) {
            if (i != ax) {
                od[p++] = d[i];
            }
        }
        int inner = 1;
        for (int i = ax + 1; i < d.length; i++) {
            inner *= d[i];
        }
        final int in = inner;
        double[] out = new double[d[ax] == 0 ? 0 : v.length / d[ax]];
        Lanes.forEach(d, ax, (base, stride, len) -> {
            double[] lane = new double[len];
            for (int j = 0; j < len; j++) {
                lane[j] = v[base + j * stride];
            }
            out[(base / (len * in)) * in + base % in] = Types.cast(dataType, quantile(lane, q));
        });
        return heap(out, od, dataType);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray median() {
        return percentile(50);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray median(int[] axes) {
        return percentile(50, axes);
    }

    /** This array if it is dense, else a dense copy. */
    @Override
    public NDArray toDense() {
        return sparseFormat == SparseFormat.DENSE ? this : duplicate();
    }

    /**
     * A copy tagged with {@code fmt}: VecGrad stores every array dense, so a "sparse" array holds
     * the same values in dense storage and only reports its format ({@link #getSparseFormat()}).
     * Every operation treats it as the dense array it is. DJL's Adagrad calls this on gradients.
     */
    @Override
    public NDArray toSparse(SparseFormat fmt) {
        VgNDArray r = new VgNDArray(manager, tensor(), dataType);
        r.sparseFormat = fmt;
        return r;
    }

    /** The int64 coordinates (one row per non-zero element) of the non-zero elements. */
    @Override
    public NDArray nonzero() {
        int[] d = dims();
        if (d.length == 0) {
            // a scalar counts as a 1-element vector
            return ((VgNDArray) reshape(new Shape(1))).nonzero();
        }
        double[] v = values();
        List<int[]> hits = new ArrayList<>();
        int[] pos = new int[d.length];
        for (int e = 0; e < v.length; e++) {
            if (v[e] != 0) {
                hits.add(pos.clone());
            }
            for (int i = d.length - 1; i >= 0; i--) {
                if (++pos[i] < d[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        double[] out = new double[hits.size() * d.length];
        for (int h = 0; h < hits.size(); h++) {
            for (int i = 0; i < d.length; i++) {
                out[h * d.length + i] = hits.get(h)[i];
            }
        }
        return heap(out, new int[] {hits.size(), d.length}, DataType.INT64);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray norm(boolean keepDims) {
        return norm(2, allAxes(dims().length), keepDims);
    }

    /** The p-norm over {@code axes} (p = 2 differentiable; p = 1 too). */
    @Override
    public NDArray norm(int ord, int[] axes, boolean keepDims) {
        DataType rt = Types.isFloat(dataType) ? dataType : DataType.FLOAT32;
        Tensor x = as(in(), rt);
        int[] a = normAxes(axes, x.ndim());
        if (shape.size() == 0) {
            return heapReduce(axes, keepDims, 0, Double::sum, rt);
        }
        Tensor r = switch (ord) {
            case 2 -> x.mul(x).sum(a, keepDims).sqrt();
            case 1 -> x.abs().sum(a, keepDims);
            default -> {
                noGrad("norm(ord=" + ord + ")");
                yield x.abs().pow(ord).sum(a, keepDims).pow(1.0 / ord);
            }
        };
        return wrap(r, rt);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray oneHot(int depth, float onValue, float offValue, DataType dt) {
        int[] d = dims();
        double[] v = values();
        int[] od = Arrays.copyOf(d, d.length + 1);
        od[d.length] = depth;
        double[] out = new double[v.length * depth];
        Arrays.fill(out, offValue);
        for (int i = 0; i < v.length; i++) {
            int k = (int) v[i];
            if (k >= 0 && k < depth) {
                out[i * depth + k] = onValue;
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Types.cast(dt, out[i]);
        }
        return heap(out, od, dt);
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray complex() {
        throw unsupported("complex");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray real() {
        throw unsupported("real");
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public NDArray conj() {
        throw unsupported("conj");
    }

    /** The n-th discrete difference along {@code dim}; differentiable. */
    @Override
    public NDArray diff(int n, int dim) {
        Tensor x = in();
        int ax = axis(dim);
        for (int i = 0; i < n; i++) {
            int len = x.dim(ax);
            if (len == 0) {
                break;
            }
            x = x.narrow(ax, 1, len - 1).sub(x.narrow(ax, 0, len - 1));
        }
        return wrap(x.contiguous(), dataType);
    }

    /** Iterates the 1-D lanes along one axis of a contiguous row-major array. */
    static final class Lanes {
        private Lanes() {}

        /** One lane: element k is at {@code base + k * stride}, {@code len} elements. */
        interface Lane {
            void apply(int base, int stride, int len);
        }

        static void forEach(int[] d, int axis, Lane f) {
            int inner = 1;
            for (int i = axis + 1; i < d.length; i++) {
                inner *= d[i];
            }
            int outer = 1;
            for (int i = 0; i < axis; i++) {
                outer *= d[i];
            }
            int len = d[axis];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    f.apply(o * len * inner + i, inner, len);
                }
            }
        }
    }
}
