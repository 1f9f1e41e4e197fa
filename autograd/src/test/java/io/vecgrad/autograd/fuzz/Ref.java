package io.vecgrad.autograd.fuzz;

import java.util.Arrays;

/**
 * The fuzzer's independent float64 reference: a dense row-major array with dims, and every op
 * the programs use written as plain loops over indices (no vecgrad code, no strides, no views).
 */
final class Ref {
    final int[] dims;
    final double[] v;

    Ref(int[] dims, double[] v) {
        this.dims = dims.clone();
        this.v = v;
        if (v.length != size(dims)) {
            throw new IllegalArgumentException("ref: " + v.length + " values for " + Arrays.toString(dims));
        }
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    int rank() {
        return dims.length;
    }

    Ref copy() {
        return new Ref(dims, v.clone());
    }

    /** The multi-index of flat position {@code f} in {@code dims}. */
    static int[] unflatten(int[] dims, int f) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = f % dims[i];
            f /= dims[i];
        }
        return idx;
    }

    /** The element at {@code idx} of a shape broadcast against {@code idx}'s rank (right-aligned). */
    double at(int[] idx) {
        int lead = idx.length - dims.length;
        int f = 0;
        for (int i = 0; i < dims.length; i++) {
            int j = dims[i] == 1 ? 0 : idx[i + lead];
            f = f * dims[i] + j;
        }
        return v[f];
    }

    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                return null;
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    interface Op2 {
        double f(double a, double b);
    }

    interface Op1 {
        double f(double a);
    }

    Ref map(Op1 f) {
        double[] o = new double[v.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = f.f(v[i]);
        }
        return new Ref(dims, o);
    }

    static Ref zip(Ref a, Ref b, Op2 f) {
        int[] d = broadcast(a.dims, b.dims);
        double[] o = new double[size(d)];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unflatten(d, i);
            o[i] = f.f(a.at(idx), b.at(idx));
        }
        return new Ref(d, o);
    }

    Ref expand(int[] to) {
        double[] o = new double[size(to)];
        for (int i = 0; i < o.length; i++) {
            o[i] = at(unflatten(to, i));
        }
        return new Ref(to, o);
    }

    Ref reshape(int[] to) {
        return new Ref(to, v.clone());
    }

    Ref permute(int[] order) {
        int[] d = new int[order.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims[order[i]];
        }
        double[] o = new double[v.length];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unflatten(d, i);
            int[] src = new int[idx.length];
            for (int k = 0; k < idx.length; k++) {
                src[order[k]] = idx[k];
            }
            o[i] = get(src);
        }
        return new Ref(d, o);
    }

    double get(int[] idx) {
        int f = 0;
        for (int i = 0; i < dims.length; i++) {
            f = f * dims[i] + idx[i];
        }
        return v[f];
    }

    Ref narrow(int dim, int start, int len) {
        int[] d = dims.clone();
        d[dim] = len;
        double[] o = new double[size(d)];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unflatten(d, i);
            idx[dim] += start;
            o[i] = get(idx);
        }
        return new Ref(d, o);
    }

    /** A copy with {@code f} applied to the elements of {@code narrow(dim, start, len)} only. */
    Ref mapSlice(int dim, int start, int len, Op1 f) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) {
            int j = unflatten(dims, i)[dim];
            if (j >= start && j < start + len) {
                o[i] = f.f(o[i]);
            }
        }
        return new Ref(dims, o);
    }

    /** Reduces {@code dim} with sum (max when {@code max}); keeps it as size 1 when keepdim. */
    Ref reduce(int dim, boolean keepdim, boolean max) {
        int[] kd = dims.clone();
        kd[dim] = 1;
        double[] o = new double[size(kd)];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unflatten(kd, i);
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            for (int j = 0; j < dims[dim]; j++) {
                idx[dim] = j;
                double x = get(idx);
                acc = max ? (Double.isNaN(x) || x > acc ? x : acc) : acc + x;
            }
            o[i] = acc;
        }
        if (keepdim) {
            return new Ref(kd, o);
        }
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != dim) {
                d[j++] = dims[i];
            }
        }
        return new Ref(d, o);
    }

    Ref softmax(int dim) {
        if (rank() == 0) {
            return new Ref(dims, new double[] {1});
        }
        Ref m = reduce(dim, true, true);
        Ref e = zip(this, m, (a, b) -> Math.exp(a - b));
        Ref s = e.reduce(dim, true, false);
        return zip(e, s, (a, b) -> a / b);
    }

    static Ref matmul(Ref a, Ref b) { // 2-D only
        int m = a.dims[0];
        int k = a.dims[1];
        int n = b.dims[1];
        double[] o = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    s += a.v[i * k + q] * b.v[q * n + j];
                }
                o[i * n + j] = s;
            }
        }
        return new Ref(new int[] {m, n}, o);
    }

    static Ref concat(int dim, Ref... parts) {
        int[] d = parts[0].dims.clone();
        d[dim] = 0;
        for (Ref p : parts) {
            d[dim] += p.dims[dim];
        }
        double[] o = new double[size(d)];
        for (int i = 0; i < o.length; i++) {
            int[] idx = unflatten(d, i);
            int j = idx[dim];
            for (Ref p : parts) {
                if (j < p.dims[dim]) {
                    idx[dim] = j;
                    o[i] = p.get(idx);
                    break;
                }
                j -= p.dims[dim];
            }
        }
        return new Ref(d, o);
    }
}
