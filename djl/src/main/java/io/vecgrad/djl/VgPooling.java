package io.vecgrad.djl;

import ai.djl.ndarray.types.Shape;
import io.vecgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * Max, average and Lp pooling over any number of spatial axes (input {@code (N, C, spatial...)}).
 * Max and average pooling over one or two spatial axes, and the global max/average pools of those
 * ranks, run on vecgrad's fused pooling kernels (one autograd node each). Lp pooling and three or
 * more spatial axes are written over vecgrad tensor primitives so they are differentiable: the
 * input is padded, and for every kernel offset the strided window elements are gathered with
 * {@code indexSelect} and combined with {@code maximum} or {@code add}. Output sizes follow PyTorch
 * (floor, or ceil mode where the last window must start inside the input or its left padding).
 */
final class VgPooling {
    private VgPooling() {}

    enum Mode { MAX, AVG, LP }

    /**
     * Pools {@code x} (N, C, spatial...).
     *
     * @throws IllegalArgumentException for a rank below 3, a kernel larger than the padded input,
     *     or padding above half the kernel (PyTorch's rule)
     */
    static Tensor pool(String op, Tensor x, Mode mode, double p, Shape kernel, Shape stride, Shape padding,
                       boolean ceilMode, boolean countIncludePad) {
        int r = x.ndim();
        if (r < 3) {
            throw new IllegalArgumentException(op + ": expected (N, C, spatial...) input, got shape "
                    + Types.shape(x.dims()));
        }
        int sd = r - 2;
        int[] k = VgConvolution.ints(op, kernel, sd, 1);
        int[] s = stride == null || stride.dimension() == 0 ? k.clone() : VgConvolution.ints(op, stride, sd, 1);
        int[] pad = VgConvolution.ints(op, padding, sd, 0);
        int[] n = Arrays.copyOfRange(x.dims(), 2, r);
        int[] out = new int[sd];
        for (int i = 0; i < sd; i++) {
            if (k[i] <= 0 || s[i] <= 0 || pad[i] < 0 || pad[i] * 2 > k[i]) {
                throw new IllegalArgumentException(op + ": invalid kernel " + kernel + ", stride " + stride
                        + " or padding " + padding + " (padding must be at most half the kernel)");
            }
            int span = n[i] + 2 * pad[i] - k[i];
            if (span < 0) {
                throw new IllegalArgumentException(op + ": kernel " + kernel + " is larger than the padded input "
                        + Types.shape(x.dims()));
            }
            out[i] = (ceilMode ? (span + s[i] - 1) / s[i] : span / s[i]) + 1;
            if (ceilMode && (out[i] - 1) * s[i] >= n[i] + pad[i]) {
                out[i]--;
            }
        }
        if (mode != Mode.LP && sd <= 2) { // vecgrad's pooling kernels, one autograd node
            return fused(mode == Mode.MAX, x, k, s, pad, ceilMode, countIncludePad);
        }
        double fill = mode == Mode.MAX ? Double.NEGATIVE_INFINITY : 0;
        Tensor xp = padded(x, pad, out, k, s, n, fill);
        Tensor acc = null;
        int windows = 1;
        for (int kk : k) {
            windows *= kk;
        }
        Tensor base = mode == Mode.LP ? power(xp, p) : xp;
        for (int w = 0; w < windows; w++) {
            int[] off = offset(w, k);
            Tensor win = window(base, off, s, out);
            acc = acc == null ? win : mode == Mode.MAX ? acc.maximum(win) : acc.add(win);
        }
        if (mode == Mode.MAX) {
            return acc;
        }
        if (mode == Mode.LP) {
            return p == 1 ? acc : acc.pow(1 / p);
        }
        // average: divide by the number of counted positions of each window
        double[] mask = countMask(n, pad, out, k, s, countIncludePad);
        int[] md = new int[r];
        Arrays.fill(md, 1);
        System.arraycopy(n, 0, md, 2, sd);
        for (int i = 0; i < sd; i++) {
            md[2 + i] = xp.dim(2 + i);
        }
        Tensor m = Types.heap(x.dtype(), mask, md);
        Tensor count = null;
        for (int w = 0; w < windows; w++) {
            Tensor win = window(m, offset(w, k), s, out);
            count = count == null ? win : count.add(win);
        }
        return acc.div(count);
    }

    /** max_pool2d/avg_pool2d (1-D as the height-1 2-D pool) on vecgrad's kernels. */
    private static Tensor fused(boolean max, Tensor x, int[] k, int[] s, int[] pad, boolean ceilMode,
                                boolean countIncludePad) {
        if (k.length == 1) {
            return max ? x.maxPool1d(k[0], s[0], pad[0], 1, ceilMode)
                    : x.avgPool1d(k[0], s[0], pad[0], ceilMode, countIncludePad);
        }
        return max ? x.maxPool2d(k, s, pad, new int[] {1, 1}, ceilMode)
                : x.avgPool2d(k, s, pad, ceilMode, countIncludePad);
    }

    private static Tensor power(Tensor x, double p) {
        if (p == 1) {
            return x;
        }
        if (p == 2) {
            return x.mul(x);
        }
        return x.pow(p);
    }

    private static int[] offset(int w, int[] k) {
        int[] off = new int[k.length];
        for (int i = k.length - 1; i >= 0; i--) {
            off[i] = w % k[i];
            w /= k[i];
        }
        return off;
    }

    /** The input padded with {@code fill}: {@code pad} before, and after as far as the last window reaches. */
    private static Tensor padded(Tensor x, int[] pad, int[] out, int[] k, int[] s, int[] n, double fill) {
        for (int i = 0; i < pad.length; i++) {
            int ax = 2 + i;
            int after = Math.max(0, (out[i] - 1) * s[i] + k[i] - n[i] - pad[i]);
            if (pad[i] == 0 && after == 0) {
                continue;
            }
            int[] d = x.dims();
            Tensor[] parts = new Tensor[(pad[i] > 0 ? 1 : 0) + 1 + (after > 0 ? 1 : 0)];
            int q = 0;
            if (pad[i] > 0) {
                d[ax] = pad[i];
                parts[q++] = Tensor.full(x.dtype(), fill, d.clone());
            }
            parts[q++] = x;
            if (after > 0) {
                d[ax] = after;
                parts[q] = Tensor.full(x.dtype(), fill, d.clone());
            }
            x = Tensor.concat(ax, parts);
        }
        return x;
    }

    /** Elements {@code off[i] + j * s[i]}, j < out[i], along every spatial axis. */
    private static Tensor window(Tensor x, int[] off, int[] s, int[] out) {
        for (int i = 0; i < off.length; i++) {
            x = VgConvolution.strided(x, 2 + i, off[i], out[i], s[i]);
        }
        return x;
    }

    /**
     * 1 at padded positions that count toward an average (the input, plus the explicit padding
     * when {@code includePad}), 0 elsewhere (the overhang of ceil mode is never counted).
     */
    private static double[] countMask(int[] n, int[] pad, int[] out, int[] k, int[] s, boolean includePad) {
        int sd = n.length;
        int[] pd = new int[sd];
        int total = 1;
        for (int i = 0; i < sd; i++) {
            pd[i] = pad[i] + n[i] + Math.max(0, (out[i] - 1) * s[i] + k[i] - n[i] - pad[i]);
            total *= pd[i];
        }
        double[] m = new double[total];
        int[] pos = new int[sd];
        for (int e = 0; e < total; e++) {
            boolean counted = true;
            for (int i = 0; i < sd; i++) {
                int c = pos[i] - pad[i];
                counted &= includePad ? c < n[i] + pad[i] : c >= 0 && c < n[i];
            }
            m[e] = counted ? 1 : 0;
            for (int i = sd - 1; i >= 0; i--) {
                if (++pos[i] < pd[i]) {
                    break;
                }
                pos[i] = 0;
            }
        }
        return m;
    }

    /** Max, mean or Lp norm over all spatial axes: (N, C, spatial...) to (N, C). */
    static Tensor global(String op, Tensor x, Mode mode, double p) {
        int r = x.ndim();
        if (r < 3) {
            throw new IllegalArgumentException(op + ": expected (N, C, spatial...) input, got shape "
                    + Types.shape(x.dims()));
        }
        if (mode != Mode.LP && r <= 4) { // vecgrad's adaptive pooling kernel to 1x1
            Tensor x4 = r == 3 ? x.unsqueeze(2) : x;
            Tensor y = mode == Mode.MAX ? x4.globalMaxPool2d() : x4.globalAvgPool2d();
            return y.reshape(x.dim(0), x.dim(1));
        }
        int[] axes = new int[r - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = 2 + i;
        }
        return switch (mode) {
            case MAX -> x.max(axes, false);
            case AVG -> x.mean(axes, false);
            case LP -> p == 1 ? x.sum(axes, false) : power(x, p).sum(axes, false).pow(1 / p);
        };
    }
}
