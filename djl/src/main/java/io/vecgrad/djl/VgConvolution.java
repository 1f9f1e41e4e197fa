package io.vecgrad.djl;

import ai.djl.ndarray.types.Shape;
import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * Convolution and transposed convolution. One and two spatial axes run on vecgrad's fused
 * {@code conv2d}/{@code conv_transpose2d} kernels (im2col + GEMM, one autograd node; 1-D as a
 * height-1 2-D convolution). Three or more spatial axes, and transposed convolutions whose output
 * padding PyTorch's rule rejects, are composed of vecgrad primitives (hence differentiable): for
 * every kernel offset the strided, dilated input window is gathered with {@code indexSelect} and
 * multiplied with that offset's (Cout x Cin) weight slice by one GEMM; groups are handled slice by
 * slice. A composed transposed convolution is the convolution of the stride-dilated, padded input
 * with the flipped, channel-swapped kernel.
 */
final class VgConvolution {
    private VgConvolution() {}

    /** The {@code n} values of {@code s} (stride, padding, ...), or {@code fill} for each when s is empty or null. */
    static int[] ints(String op, Shape s, int n, int fill) {
        long[] v = s == null ? new long[0] : s.getShape();
        int[] r = new int[n];
        if (v.length == 0) {
            Arrays.fill(r, fill);
            return r;
        }
        if (v.length != n) {
            throw new IllegalArgumentException(op + ": expected " + n + " values for " + n + " spatial axes, got " + s);
        }
        for (int i = 0; i < n; i++) {
            r[i] = Math.toIntExact(v[i]);
        }
        return r;
    }

    /**
     * {@code out[n, o, p] = bias[o] + sum_{c,k} w[o, c, k] * xpad[n, g*Cin/G + c, p*stride + k*dilation]}.
     *
     * @param x (N, Cin, spatial...)
     * @param w (Cout, Cin / groups, kernel...)
     * @param b (Cout) or null
     * @throws IllegalArgumentException on inconsistent shapes or arguments
     */
    static Tensor conv(String op, Tensor x, Tensor w, Tensor b, Shape stride, Shape padding, Shape dilation,
                       int groups) {
        int r = x.ndim();
        int sd = r - 2;
        if (sd < 1 || w.ndim() != r) {
            throw new IllegalArgumentException(op + ": input " + Types.shape(x.dims()) + " and weight "
                    + Types.shape(w.dims()) + " must both be (batch/out, channels, spatial...) of the same rank >= 3");
        }
        int cin = x.dim(1);
        int cout = w.dim(0);
        if (groups < 1 || cin % groups != 0 || cout % groups != 0 || w.dim(1) * groups != cin) {
            throw new IllegalArgumentException(op + ": " + cin + " input channels, weight " + Types.shape(w.dims())
                    + " and groups " + groups + " do not fit");
        }
        int[] s = ints(op, stride, sd, 1);
        int[] p = ints(op, padding, sd, 0);
        int[] d = ints(op, dilation, sd, 1);
        if (sd == 2) { // vecgrad's conv2d kernel (im2col + GEMM), one autograd node
            return x.conv2d(w, b, s, p, d, groups);
        }
        if (sd == 1) {
            return x.conv1d(w, b, s[0], p[0], d[0], groups);
        }
        int[] k = Arrays.copyOfRange(w.dims(), 2, r);
        int[] n = Arrays.copyOfRange(x.dims(), 2, r);
        int[] out = new int[sd];
        for (int i = 0; i < sd; i++) {
            if (s[i] < 1 || d[i] < 1 || p[i] < 0) {
                throw new IllegalArgumentException(op + ": stride " + stride + ", padding " + padding + " and dilation "
                        + dilation + " must be positive (padding >= 0)");
            }
            out[i] = (n[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i] + 1;
            if (out[i] < 1) {
                throw new IllegalArgumentException(op + ": kernel " + Types.shape(k) + " (dilation " + dilation
                        + ") does not fit the padded input " + Types.shape(x.dims()));
            }
        }
        Tensor xp = pad(x, p, p);
        int cg = cin / groups;
        int og = cout / groups;
        Tensor[] parts = new Tensor[groups];
        int windows = 1;
        for (int kk : k) {
            windows *= kk;
        }
        int batch = x.dim(0);
        for (int g = 0; g < groups; g++) {
            Tensor xg = groups == 1 ? xp : xp.narrow(1, g * cg, cg);
            Tensor wg = groups == 1 ? w : w.narrow(0, g * og, og);
            // (Cout_g, Cin_g, K) with the kernel offsets flattened
            Tensor wf = wg.reshape(og, cg, windows);
            Tensor acc = null;
            for (int wi = 0; wi < windows; wi++) {
                int[] off = offset(wi, k);
                Tensor win = xg;
                for (int i = 0; i < sd; i++) {
                    win = strided(win, 2 + i, off[i] * d[i], out[i], s[i]);
                }
                // (N, Cin_g, out...) -> (N*out, Cin_g) . (Cin_g, Cout_g)
                int[] perm = new int[r];
                perm[0] = 0;
                for (int i = 0; i < sd; i++) {
                    perm[1 + i] = 2 + i;
                }
                perm[r - 1] = 1;
                Tensor rows = win.permute(perm).reshape(-1, cg);
                Tensor wk = wf.narrow(2, wi, 1).reshape(og, cg);
                Tensor y = rows.matmul(wk.t());
                acc = acc == null ? y : acc.add(y);
            }
            parts[g] = acc;
        }
        Tensor y = groups == 1 ? parts[0] : Tensor.concat(1, parts);
        if (b != null) {
            y = y.add(b);
        }
        // (N*out, Cout) -> (N, out..., Cout) -> (N, Cout, out...)
        int[] od = new int[r];
        od[0] = batch;
        System.arraycopy(out, 0, od, 1, sd);
        od[r - 1] = cout;
        int[] back = new int[r];
        back[0] = 0;
        back[1] = r - 1;
        for (int i = 0; i < sd; i++) {
            back[2 + i] = 1 + i;
        }
        return y.reshape(od).permute(back).contiguous();
    }

    /** PyTorch's rule, which vecgrad's kernel follows: output padding below the stride or the dilation. */
    private static boolean fusedOutputPadding(int[] outPadding, int[] stride, int[] dilation) {
        for (int i = 0; i < outPadding.length; i++) {
            if (outPadding[i] >= Math.max(stride[i], dilation[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Transposed convolution (the gradient of {@link #conv} with respect to its input).
     *
     * @param x (N, Cin, spatial...)
     * @param w (Cin, Cout / groups, kernel...)
     */
    static Tensor deconv(String op, Tensor x, Tensor w, Tensor b, Shape stride, Shape padding, Shape outPadding,
                         Shape dilation, int groups) {
        int r = x.ndim();
        int sd = r - 2;
        if (sd < 1 || w.ndim() != r) {
            throw new IllegalArgumentException(op + ": input " + Types.shape(x.dims()) + " and weight "
                    + Types.shape(w.dims()) + " must both be (batch/in, channels, spatial...) of the same rank >= 3");
        }
        int cin = x.dim(1);
        if (groups < 1 || w.dim(0) != cin || cin % groups != 0) {
            throw new IllegalArgumentException(op + ": " + cin + " input channels do not fit weight "
                    + Types.shape(w.dims()) + " with groups " + groups);
        }
        int[] s = ints(op, stride, sd, 1);
        int[] p = ints(op, padding, sd, 0);
        int[] op2 = ints(op, outPadding, sd, 0);
        int[] d = ints(op, dilation, sd, 1);
        if (sd <= 2 && fusedOutputPadding(op2, s, d)) { // vecgrad's conv_transpose2d kernel
            if (sd == 2) {
                return x.convTranspose2d(w, b, s, p, op2, groups, d);
            }
            Tensor y = x.unsqueeze(2).convTranspose2d(w.unsqueeze(2), b, new int[] {1, s[0]}, new int[] {0, p[0]},
                    new int[] {0, op2[0]}, groups, new int[] {1, d[0]});
            return y.reshape(y.dim(0), y.dim(1), y.dim(3));
        }
        int[] k = Arrays.copyOfRange(w.dims(), 2, r);
        // 1. insert stride-1 zeros between input elements
        Tensor z = x;
        for (int i = 0; i < sd; i++) {
            if (s[i] > 1) {
                z = dilate(z, 2 + i, s[i]);
            }
        }
        // 2. pad by d(k-1)-p on both sides (+ output padding at the end); crop where negative
        int[] before = new int[sd];
        int[] after = new int[sd];
        for (int i = 0; i < sd; i++) {
            before[i] = d[i] * (k[i] - 1) - p[i];
            after[i] = before[i] + op2[i];
        }
        z = pad(z, before, after);
        // 3. the kernel flipped in space, channels swapped per group: (Cout, Cin/groups, k...)
        int cg = cin / groups;
        int og = w.dim(1);
        Tensor wf = w;
        for (int i = 0; i < sd; i++) {
            long[] idx = new long[k[i]];
            for (int j = 0; j < k[i]; j++) {
                idx[j] = k[i] - 1 - j;
            }
            wf = wf.indexSelect(2 + i, Indices.of(idx));
        }
        Tensor[] gw = new Tensor[groups];
        for (int g = 0; g < groups; g++) {
            gw[g] = wf.narrow(0, g * cg, cg).transpose(0, 1);
        }
        Tensor wt = groups == 1 ? gw[0] : Tensor.concat(0, gw);
        int[] ones = new int[sd];
        Arrays.fill(ones, 1);
        long[] dl = new long[sd];
        for (int i = 0; i < sd; i++) {
            dl[i] = d[i];
        }
        long[] onesL = new long[sd];
        Arrays.fill(onesL, 1);
        if (og * groups != wt.dim(0)) {
            throw new IllegalStateException(op + ": internal channel mismatch");
        }
        return conv(op, z, wt.contiguous(), b, new Shape(onesL), new Shape(new long[sd]), new Shape(dl), groups);
    }

    /**
     * Elements {@code start + j * step}, j < count, along {@code axis} as a view: narrow to
     * {@code count * step}, split the axis into (count, step), keep step offset 0 (when the last
     * stride would pass the end, that element is appended: one copy of the window).
     */
    static Tensor strided(Tensor x, int axis, int start, int count, int step) {
        if (step == 1 || count == 1) {
            return step == 1 ? x.narrow(axis, start, count) : x.narrow(axis, start, 1);
        }
        if (start + (long) count * step > x.dim(axis)) {
            // the last element's stride would pass the end: view the others, append the last
            Tensor head = strided(x, axis, start, count - 1, step);
            return Tensor.concat(axis, head, x.narrow(axis, start + (count - 1) * step, 1));
        }
        Tensor v = x.narrow(axis, start, count * step);
        int[] d = v.dims();
        int[] split = new int[d.length + 1];
        for (int i = 0, q = 0; i < d.length; i++) {
            if (i == axis) {
                split[q++] = count;
                split[q++] = step;
            } else {
                split[q++] = d[i];
            }
        }
        return v.reshape(split).narrow(axis + 1, 0, 1).reshape(withDim(d, axis, count));
    }

    private static int[] withDim(int[] d, int axis, int v) {
        int[] r = d.clone();
        r[axis] = v;
        return r;
    }

    /** Inserts {@code factor - 1} zeros between consecutive elements along {@code axis}. */
    private static Tensor dilate(Tensor x, int axis, int factor) {
        int len = x.dim(axis);
        Tensor u = x.unsqueeze(axis + 1);
        int[] zd = u.dims();
        zd[axis + 1] = factor - 1;
        Tensor zeros = Tensor.zeros(x.dtype(), zd);
        Tensor both = Tensor.concat(axis + 1, u, zeros);
        int[] md = x.dims();
        md[axis] = len * factor;
        return both.reshape(md).narrow(axis, 0, (len - 1) * factor + 1);
    }

    /** Zero padding (negative values crop) of every spatial axis. */
    private static Tensor pad(Tensor x, int[] before, int[] after) {
        for (int i = 0; i < before.length; i++) {
            int ax = 2 + i;
            if (before[i] < 0) {
                x = x.narrow(ax, -before[i], x.dim(ax) + before[i]);
            }
            if (after[i] < 0) {
                x = x.narrow(ax, 0, x.dim(ax) + after[i]);
            }
            int bp = Math.max(0, before[i]);
            int ap = Math.max(0, after[i]);
            if (bp == 0 && ap == 0) {
                continue;
            }
            int[] d = x.dims();
            Tensor[] parts = new Tensor[(bp > 0 ? 1 : 0) + 1 + (ap > 0 ? 1 : 0)];
            int q = 0;
            if (bp > 0) {
                d[ax] = bp;
                parts[q++] = Tensor.zeros(x.dtype(), d.clone());
            }
            parts[q++] = x;
            if (ap > 0) {
                d[ax] = ap;
                parts[q] = Tensor.zeros(x.dtype(), d.clone());
            }
            x = Tensor.concat(ax, parts);
        }
        return x;
    }

    private static int[] offset(int w, int[] k) {
        int[] off = new int[k.length];
        for (int i = k.length - 1; i >= 0; i--) {
            off[i] = w % k[i];
            w /= k[i];
        }
        return off;
    }
}
