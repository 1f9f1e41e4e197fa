package io.vecgrad.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDArrayIndexer;
import ai.djl.ndarray.index.full.NDIndexFullPick;
import ai.djl.ndarray.index.full.NDIndexFullSlice;
import ai.djl.ndarray.index.full.NDIndexFullTake;
import ai.djl.ndarray.types.Shape;
import io.vecgrad.autograd.GradMode;
import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * DJL's indexing ({@code array.get("1:3, ::2")}, pick, take, and {@code set}) on vecgrad views.
 * Reads are differentiable (narrow/index-select/gather) and return new arrays; writes change the
 * array's values in place (recorded arrays take a new tensor instead, see {@link VgNDArray}).
 */
final class VgNDArrayIndexer extends NDArrayIndexer {
    private final VgNDManager manager;

    VgNDArrayIndexer(VgNDManager manager) {
        this.manager = manager;
    }

    /** Elements of {@code array} at the pick indices along the pick axis (gather); differentiable. */
    @Override
    public NDArray get(NDArray array, NDIndexFullPick fullPick) {
        VgNDArray a = VgNDArray.of("get(pick)", array);
        VgNDArray idx = (VgNDArray) a.getManager().from(fullPick.getIndices());
        int axis = fullPick.getAxis();
        int[] ad = a.dims();
        int[] id = idx.dims();
        Indices ix = VgNDArray.indices(idx, ad[axis]);
        if (id.length != ad.length) {
            // Align the index's dims with a run of the array's dims, padding with 1s.
            int[] nd = null;
            for (int i = 0; i + id.length <= ad.length; i++) {
                if (Arrays.equals(id, Arrays.copyOfRange(ad, i, i + id.length))) {
                    nd = new int[ad.length];
                    Arrays.fill(nd, 1);
                    System.arraycopy(id, 0, nd, i, id.length);
                    break;
                }
            }
            if (nd == null) {
                throw new IllegalArgumentException("get(pick): index shape " + idx.getShape()
                        + " cannot be aligned with array shape " + array.getShape());
            }
            ix = ix.reshape(nd);
        }
        return new VgNDArray(manager, a.in().gather(axis, ix), a.getDataType());
    }

    /** Slices of {@code array} at the (rank-1) take indices along the take axis; differentiable. */
    @Override
    public NDArray get(NDArray array, NDIndexFullTake fullTake) {
        VgNDArray a = VgNDArray.of("get(take)", array);
        VgNDArray idx = (VgNDArray) a.getManager().from(fullTake.getIndices());
        int axis = fullTake.getAxis();
        Indices ix = VgNDArray.indices(idx, a.dims()[axis]);
        return new VgNDArray(manager, a.in().indexSelect(axis, ix), a.getDataType());
    }

    /** The slice (min/max/step per axis, fixed axes squeezed); differentiable; a new array. */
    @Override
    public NDArray get(NDArray array, NDIndexFullSlice fullSlice) {
        VgNDArray a = VgNDArray.of("get(slice)", array);
        Tensor x = slice(a.in(), fullSlice);
        // squeeze the fixed axes of the actual slice (DJL's shapes are not clamped to the array)
        int[] xd = x.dims();
        boolean[] drop = new boolean[xd.length];
        for (int i : fullSlice.getToSqueeze()) {
            drop[i] = true;
        }
        int[] sq = new int[xd.length - fullSlice.getToSqueeze().length];
        for (int i = 0, p = 0; i < xd.length; i++) {
            if (!drop[i]) {
                sq[p++] = xd[i];
            }
        }
        return new VgNDArray(manager, x.reshape(sq).copy(), a.getDataType());
    }

    /** The view of {@code x} a full slice selects (before squeezing). */
    static Tensor slice(Tensor x, NDIndexFullSlice s) {
        long[] min = s.getMin();
        long[] max = s.getMax();
        long[] step = s.getStep();
        int[] d = x.dims();
        for (int i = 0; i < min.length; i++) {
            int lo = (int) Math.min(Math.max(min[i], 0), d[i]);
            int hi = (int) Math.min(Math.max(max[i], 0), d[i]);
            long st = step[i];
            if (st == 1) {
                x = x.narrow(i, lo, Math.max(0, hi - lo));
            } else if (st > 1) {
                int n = hi > lo ? (int) ((hi - lo + st - 1) / st) : 0;
                long[] idx = new long[n];
                for (int k = 0; k < n; k++) {
                    idx[k] = lo + k * st;
                }
                x = x.indexSelect(i, Indices.of(idx));
            } else {
                throw new UnsupportedOperationException("get: slice step " + st + " is not supported by VecGrad "
                        + "(steps must be positive)");
            }
        }
        return x;
    }

    /** Writes {@code value} (broadcast to the slice) into the slice of {@code array}, in place. */
    @Override
    public void set(NDArray array, NDIndexFullSlice fullSlice, NDArray value) {
        VgNDArray a = VgNDArray.of("set", array);
        VgNDArray v = (VgNDArray) a.getManager().from(value);
        Tensor vt = v.tensor();
        Shape target = fullSlice.getShape();
        Shape squeezed = fullSlice.getSqueezedShape();
        int[] td = Types.dims(target);
        if (vt.numel() == squeezed.size() && vt.numel() == target.size()) {
            vt = vt.reshape(td);
        } else {
            int[] vd = vt.dims();
            int[] sd = Types.dims(squeezed);
            if (Arrays.equals(vd, sd) || broadcastable(vd, sd)) {
                vt = vt.detach().expand(sd).contiguous().reshape(td);
            } else {
                vt = vt.detach().expand(td);
            }
        }
        write(a, fullSlice, vt);
    }

    private static boolean broadcastable(int[] from, int[] to) {
        if (from.length > to.length) {
            return false;
        }
        for (int i = 0; i < from.length; i++) {
            int f = from[from.length - 1 - i];
            int t = to[to.length - 1 - i];
            if (f != t && f != 1) {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code value} into every element of the slice of {@code array}, in place. */
    @Override
    public void set(NDArray array, NDIndexFullSlice fullSlice, Number value) {
        VgNDArray a = VgNDArray.of("set", array);
        Tensor x = a.tensor();
        write(a, fullSlice, Tensor.full(x.dtype(), Types.cast(a.getDataType(), value.doubleValue()),
                Types.dims(fullSlice.getShape())));
    }

    @SuppressWarnings("try") // the scope object only restores grad mode
    private static void write(VgNDArray a, NDIndexFullSlice s, Tensor value) {
        if (a.tracking()) {
            throw new UnsupportedOperationException("set: VecGrad cannot assign into an array that is being "
                    + "differentiated; build the result out of place");
        }
        for (long st : s.getStep()) {
            if (st < 1) {
                throw new UnsupportedOperationException("set: slice step " + st + " is not supported by VecGrad");
            }
        }
        Tensor x = a.tensor().detach();
        if (!x.buffer().isContiguous() || Arrays.stream(s.getStep()).anyMatch(st -> st != 1)) {
            writeStrided(x, s, value);
            return;
        }
        Tensor view = slice(x, s);
        Tensor v = value.dtype() == x.dtype() ? value : value.to(x.dtype());
        try (GradMode g = Tensor.noGrad()) {
            view.copy_(v.detach());
        }
    }

    /** Element-wise write of {@code value} (slice-shaped) into a stepped slice of {@code x}. */
    private static void writeStrided(Tensor x, NDIndexFullSlice s, Tensor value) {
        int[] d = x.dims();
        long[] min = s.getMin();
        long[] step = s.getStep();
        int[] vd = value.dims();
        double[] v = value.contiguous().toDoubleArray();
        double[] all = x.toDoubleArray();
        int[] pos = new int[vd.length];
        for (int e = 0; e < v.length; e++) {
            long f = 0;
            boolean inside = true;
            for (int i = 0; i < d.length; i++) {
                long c = min[i] + pos[i] * step[i];
                inside &= c < d[i];
                f = f * d[i] + c;
            }
            if (inside) {
                all[(int) f] = v[e];
            }
            for (int i = vd.length - 1; i >= 0; i--) {
                if (++pos[i] < vd[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        x.buffer().copyFrom(all);
    }
}
