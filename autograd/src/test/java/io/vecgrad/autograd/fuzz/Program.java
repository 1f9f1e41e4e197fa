package io.vecgrad.autograd.fuzz;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One random op program, built and run at the same time on vecgrad tensors and on the
 * {@link Ref} reference: leaves, then unary/binary ops with broadcasting, views (narrow,
 * transpose, expand, reshape of non-contiguous data, squeeze/unsqueeze, size-0 and size-1
 * dims), reductions, softmax, matmul, concat, copies, steps under {@code noGrad}, detach, and
 * in-place updates of fresh no-grad values; finally a weighted sum of one result is
 * backpropagated (with or without retainGraph) and every leaf gradient is compared with central
 * differences of the reference (when the program is smooth). Every value is compared after its
 * step, and all again before backward (catches a later write into shared memory).
 */
final class Program {
    /** How a program ended. */
    enum Outcome { OK, WRONG_VALUE, RAW_JDK_EXCEPTION, INTERNAL_ERROR }

    /** The result of one run, with the program's text for a failure report. */
    record Result(Outcome outcome, String detail, int ops, int gradients) {}

    /** One step: the reference function of its argument values (null for a leaf). */
    private record Step(String text, int[] args, Function<Ref[], Ref> ref, boolean frozen, int leaf) {}

    private final SplittableRandom r;
    private final DType dt;
    private final List<Tensor> ts = new ArrayList<>();
    private final List<Ref> base = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    /** Values that must not be used any more (modified in place) or aliased by a view/detach. */
    private final List<Boolean> dead = new ArrayList<>();
    private final List<Boolean> used = new ArrayList<>();
    private final List<double[]> leafValues = new ArrayList<>();
    private final List<Integer> leafIndex = new ArrayList<>();
    private boolean smooth = true;
    private final StringBuilder text = new StringBuilder();
    private int gradientsCompared;

    Program(long seed) {
        this.r = new SplittableRandom(seed);
        this.dt = r.nextBoolean() ? DType.F64 : DType.F32;
        text.append("seed ").append(seed).append(", ").append(dt).append('\n');
    }

    private double tol(double want) {
        return (dt == DType.F64 ? 1e-9 : 2e-5) * (1 + Math.abs(want)) * 8;
    }

    // -------------------------------------------------------------------------- building

    private int add(String t, int[] args, Tensor value, Ref ref, Function<Ref[], Ref> f, boolean frozen, int leaf) {
        ts.add(value);
        base.add(ref);
        steps.add(new Step(t, args, f, frozen, leaf));
        dead.add(false);
        used.add(false);
        for (int a : args) {
            used.set(a, true);
        }
        text.append("  v").append(ts.size() - 1).append(" = ").append(t).append("  ").append(Arrays.toString(ref.dims))
                .append(frozen ? " (no grad)" : "").append('\n');
        check(ts.size() - 1);
        return ts.size() - 1;
    }

    private int[] randomDims(int maxRank) {
        int rank = r.nextInt(maxRank + 1);
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            int p = r.nextInt(20);
            d[i] = p == 0 ? 0 : p < 6 ? 1 : 2 + r.nextInt(3);
        }
        return d;
    }

    private int leaf(int[] dims, boolean grad) {
        int n = Ref.size(dims);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = -2 + 4 * r.nextDouble();
        }
        Tensor t = Tensor.fromArray(dt, v, dims).requiresGrad(grad);
        double[] rounded = t.toDoubleArray(); // the reference starts from the dtype's values
        int k = leafValues.size();
        leafValues.add(rounded);
        int idx = add("leaf" + (grad ? "(grad)" : ""), new int[0], t, new Ref(dims, rounded.clone()), null, !grad, k);
        leafIndex.add(idx);
        return idx;
    }

    /** A recent live value (more likely the newest). */
    private int pick() {
        for (int tries = 0; tries < 20; tries++) {
            int n = ts.size();
            int i = r.nextInt(3) == 0 ? r.nextInt(n) : Math.max(0, n - 1 - r.nextInt(Math.min(n, 3)));
            if (!dead.get(i)) {
                return i;
            }
        }
        return leaf(randomDims(3), true);
    }

    private int unary(String name, int x, Function<Tensor, Tensor> op, Ref.Op1 f) {
        return add(name + "(v" + x + ")", new int[] {x}, op.apply(ts.get(x)), base.get(x).map(f),
                a -> a[0].map(f), false, -1);
    }

    private int view(String name, int x, Function<Tensor, Tensor> op, Function<Ref, Ref> f) {
        return add("v" + x + "." + name, new int[] {x}, op.apply(ts.get(x)), f.apply(base.get(x)), a -> f.apply(a[0]),
                false, -1);
    }

    /** A partner that broadcasts with x: an existing value, or a new leaf of x's dims with some set to 1. */
    private int partner(int x) {
        int[] xd = base.get(x).dims;
        for (int tries = 0; tries < 4; tries++) {
            int j = r.nextInt(ts.size());
            if (!dead.get(j) && Ref.broadcast(xd, base.get(j).dims) != null && r.nextBoolean()) {
                return j;
            }
        }
        int drop = xd.length == 0 ? 0 : r.nextInt(xd.length + 1) / 2;
        int[] d = Arrays.copyOfRange(xd, drop, xd.length);
        for (int i = 0; i < d.length; i++) {
            if (r.nextInt(3) == 0) {
                d[i] = 1;
            }
        }
        return leaf(d, r.nextInt(4) > 0);
    }

    private void step() {
        int x = pick();
        Ref xr = base.get(x);
        int[] xd = xr.dims;
        int rank = xd.length;
        double maxAbs = 0;
        for (double v : xr.v) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        switch (r.nextInt(17)) {
            case 0 -> {
                switch (r.nextInt(6)) {
                    case 0 -> unary("neg", x, Tensor::neg, a -> -a);
                    case 1 -> unary("tanh", x, Tensor::tanh, Math::tanh);
                    case 2 -> unary("sigmoid", x, Tensor::sigmoid, a -> 1 / (1 + Math.exp(-a)));
                    case 3 -> unary("sin", x, Tensor::sin, Math::sin);
                    case 4 -> {
                        if (maxAbs < 3) {
                            unary("exp", x, Tensor::exp, Math::exp);
                        } else {
                            unary("tanh", x, Tensor::tanh, Math::tanh);
                        }
                    }
                    default -> {
                        if (maxAbs < 20) {
                            unary("square", x, Tensor::square, a -> a * a);
                        } else {
                            unary("neg", x, Tensor::neg, a -> -a);
                        }
                    }
                }
            }
            case 1 -> {
                double s = Math.rint((-2 + 4 * r.nextDouble()) * 4) / 4; // exact in f32 too
                double c = Math.rint((-2 + 4 * r.nextDouble()) * 4) / 4;
                if (r.nextBoolean()) {
                    unary("mul(" + s + ")", x, t -> t.mul(s), a -> a * s);
                } else {
                    unary("add(" + c + ")", x, t -> t.add(c), a -> a + c);
                }
            }
            case 2 -> {
                smooth = false;
                if (r.nextBoolean()) {
                    unary("relu", x, Tensor::relu, a -> Math.max(a, 0));
                } else {
                    unary("abs", x, Tensor::abs, Math::abs);
                }
            }
            case 3, 4 -> {
                int y = partner(x);
                int op = r.nextInt(4);
                String[] names = {"add", "sub", "mul", "maximum"};
                Ref.Op2[] fs = {(a, b) -> a + b, (a, b) -> a - b, (a, b) -> a * b, Math::max};
                if (op == 3) {
                    smooth = false;
                }
                Ref.Op2 f = fs[op];
                Tensor a = ts.get(x);
                Tensor b = ts.get(y);
                Tensor out = switch (op) {
                    case 0 -> a.add(b);
                    case 1 -> a.sub(b);
                    case 2 -> a.mul(b);
                    default -> a.maximum(b);
                };
                add(names[op] + "(v" + x + ", v" + y + ")", new int[] {x, y}, out, Ref.zip(xr, base.get(y), f),
                        v -> Ref.zip(v[0], v[1], f), false, -1);
            }
            case 5 -> {
                if (rank == 0) {
                    return;
                }
                int d = r.nextInt(rank);
                int start = r.nextInt(xd[d] + 1);
                int len = r.nextInt(xd[d] - start + 1);
                view("narrow(" + d + ", " + start + ", " + len + ")", x, t -> t.narrow(d, start, len),
                        a -> a.narrow(d, start, len));
            }
            case 6 -> {
                if (rank < 2) {
                    return;
                }
                int d0 = r.nextInt(rank);
                int d1 = r.nextInt(rank);
                int[] order = new int[rank];
                for (int i = 0; i < rank; i++) {
                    order[i] = i;
                }
                order[d0] = d1;
                order[d1] = d0;
                view("transpose(" + d0 + ", " + d1 + ")", x, t -> t.transpose(d0, d1), a -> a.permute(order));
            }
            case 7 -> {
                if (rank >= 4) {
                    return;
                }
                int lead = r.nextInt(2);
                int[] to = new int[rank + lead];
                for (int i = 0; i < lead; i++) {
                    to[i] = 1 + r.nextInt(3);
                }
                for (int i = 0; i < rank; i++) {
                    to[lead + i] = xd[i] == 1 ? 1 + r.nextInt(3) : xd[i];
                }
                view("expand" + Arrays.toString(to), x, t -> t.expand(to), a -> a.expand(to));
            }
            case 8 -> {
                int[] to = reshapeTarget(xd);
                view("reshape" + Arrays.toString(to), x, t -> t.reshape(to), a -> a.reshape(to));
            }
            case 9 -> {
                if (rank == 0 || r.nextInt(4) == 0) {
                    view("sum()", x, Tensor::sum, a -> a.reshape(new int[] {Ref.size(a.dims)}).reduce(0, false, false));
                } else {
                    int d = r.nextInt(rank);
                    boolean keep = r.nextBoolean();
                    view("sum(" + d + ", " + keep + ")", x, t -> t.sum(d, keep), a -> a.reduce(d, keep, false));
                }
            }
            case 10 -> {
                if (rank == 0) {
                    return;
                }
                int d = r.nextInt(rank);
                if (xd[d] == 0) {
                    return; // max over an empty dim is an error, correctly
                }
                boolean keep = r.nextBoolean();
                smooth = false;
                view("max(" + d + ", " + keep + ")", x, t -> t.max(d, keep), a -> a.reduce(d, keep, true));
            }
            case 11 -> {
                int d = rank == 0 ? 0 : r.nextInt(rank);
                if (r.nextBoolean()) {
                    view("softmax(" + d + ")", x, t -> t.softmax(d), a -> a.softmax(d));
                } else {
                    view("logSoftmax(" + d + ")", x, t -> t.logSoftmax(d), a -> a.softmax(d).map(Math::log));
                }
            }
            case 12 -> {
                if (rank != 2) {
                    return;
                }
                int y = leaf(new int[] {xd[1], r.nextInt(4)}, r.nextBoolean());
                add("matmul(v" + x + ", v" + y + ")", new int[] {x, y}, ts.get(x).matmul(ts.get(y)),
                        Ref.matmul(xr, base.get(y)), v -> Ref.matmul(v[0], v[1]), false, -1);
            }
            case 13 -> {
                if (rank == 0) {
                    return;
                }
                int d = r.nextInt(rank);
                int[] od = xd.clone();
                od[d] = r.nextInt(3);
                int y = r.nextBoolean() ? x : leaf(od, r.nextBoolean());
                add("concat(" + d + ", v" + x + ", v" + y + ", v" + x + ")", new int[] {x, y},
                        Tensor.concat(d, ts.get(x), ts.get(y), ts.get(x)),
                        Ref.concat(d, xr, base.get(y), xr), v -> Ref.concat(d, v[0], v[1], v[0]), false, -1);
            }
            case 14 -> view("copy()", x, Tensor::copy, Ref::copy);
            case 15 -> { // a frozen value: under noGrad, or detached (shares storage: mark x aliased)
                if (r.nextBoolean()) {
                    Tensor out;
                    try (var _ = Tensor.noGrad()) {
                        out = ts.get(x).mul(1.5).add(0.5);
                    }
                    Ref v = xr.map(a -> a * 1.5 + 0.5);
                    int k = add("noGrad(v" + x + " * 1.5 + 0.5)", new int[] {x}, out, v, null, true, -1);
                    inPlace(k);
                } else {
                    add("v" + x + ".detach()", new int[] {x}, ts.get(x).detach(), xr.copy(), null, true, -1);
                }
            }
            default -> leaf(randomDims(3), r.nextInt(3) > 0);
        }
    }

    /** Sometimes updates a fresh no-grad value in place (it has no views and no readers yet). */
    private void inPlace(int k) {
        if (r.nextBoolean()) {
            return;
        }
        Tensor t = ts.get(k);
        Ref v = base.get(k);
        double c = Math.rint((-2 + 4 * r.nextDouble()) * 4) / 4;
        Ref after;
        String what;
        try (var _ = Tensor.noGrad()) {
            if (v.rank() > 0 && r.nextBoolean()) { // through a narrow view: the write lands in t's memory
                int d = r.nextInt(v.rank());
                int start = r.nextInt(v.dims[d] + 1);
                int len = r.nextInt(v.dims[d] - start + 1);
                t.narrow(d, start, len).add_(Tensor.scalar(dt, c));
                after = v.mapSlice(d, start, len, a -> a + c);
                what = "narrow(" + d + ", " + start + ", " + len + ").add_(" + c + ")";
            } else if (r.nextBoolean()) {
                t.add_(c);
                after = v.map(a -> a + c);
                what = "add_(" + c + ")";
            } else {
                t.mul_(c);
                after = v.map(a -> a * c);
                what = "mul_(" + c + ")";
            }
        }
        dead.set(k, true);
        add("v" + k + "." + what, new int[] {k}, t, after, null, true, -1);
    }

    private int[] reshapeTarget(int[] xd) {
        int n = Ref.size(xd);
        switch (r.nextInt(5)) {
            case 0 -> {
                return new int[] {n};
            }
            case 1 -> { // unsqueeze
                int at = r.nextInt(xd.length + 1);
                int[] o = new int[xd.length + 1];
                for (int i = 0, j = 0; i < o.length; i++) {
                    o[i] = i == at ? 1 : xd[j++];
                }
                return o;
            }
            case 2 -> { // squeeze
                return Arrays.stream(xd).filter(d -> d != 1).toArray();
            }
            case 3 -> { // merge the first two dims
                if (xd.length < 2) {
                    return xd.clone();
                }
                int[] o = new int[xd.length - 1];
                o[0] = xd[0] * xd[1];
                System.arraycopy(xd, 2, o, 1, xd.length - 2);
                return o;
            }
            default -> { // split the last dim
                if (xd.length == 0 || xd.length >= 4 || xd[xd.length - 1] % 2 != 0 || xd[xd.length - 1] == 0) {
                    return xd.clone();
                }
                int[] o = Arrays.copyOf(xd, xd.length + 1);
                o[xd.length - 1] = 2;
                o[xd.length] = xd[xd.length - 1] / 2;
                return o;
            }
        }
    }

    // --------------------------------------------------------------------------- checking

    /** A mismatch between vecgrad and the reference. */
    static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String m) {
            super(m);
        }
    }

    private void check(int i) {
        Tensor t = ts.get(i);
        Ref want = base.get(i);
        if (!Arrays.equals(t.dims(), want.dims)) {
            throw new Mismatch("v" + i + ": dims " + Arrays.toString(t.dims()) + ", reference "
                    + Arrays.toString(want.dims));
        }
        double[] got = t.toDoubleArray();
        for (int k = 0; k < got.length; k++) {
            double w = want.v[k];
            if (!(Math.abs(got[k] - w) <= tol(w)) && !(Double.isNaN(w) && Double.isNaN(got[k]))) {
                throw new Mismatch("v" + i + "[" + k + "] = " + got[k] + ", reference " + w);
            }
        }
    }

    /** The reference values with the leaves replaced (frozen steps keep their base values). */
    private List<Ref> replay(double[][] leaves) {
        List<Ref> vals = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.leaf() >= 0) {
                vals.add(new Ref(base.get(i).dims, leaves[s.leaf()].clone()));
            } else if (s.frozen()) {
                vals.add(base.get(i));
            } else {
                Ref[] a = new Ref[s.args().length];
                for (int j = 0; j < a.length; j++) {
                    a[j] = vals.get(s.args()[j]);
                }
                vals.add(s.ref().apply(a));
            }
        }
        return vals;
    }

    private static double weighted(Ref v, double[] w) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * v.v[i];
        }
        return s;
    }

    /** Builds and runs a program of {@code ops} steps; classifies how it ended. */
    Result run(int ops) {
        int done = 0;
        try {
            int leaves = 1 + r.nextInt(2);
            for (int i = 0; i < leaves; i++) {
                leaf(randomDims(3), true);
            }
            for (int i = 0; i < ops; i++) {
                step();
                done++;
            }
            for (int i = 0; i < ts.size(); i++) {
                if (!dead.get(i)) {
                    check(i); // nothing written since into memory a value reads
                }
            }
            backward();
            return new Result(Outcome.OK, "", done, gradientsCompared);
        } catch (Mismatch m) {
            return new Result(Outcome.WRONG_VALUE, m.getMessage() + "\n" + text, done, gradientsCompared);
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            StackTraceElement[] st = e.getStackTrace();
            boolean ours = st.length > 0 && st[0].getClassName().startsWith("io.vecgrad.");
            return new Result(ours ? Outcome.INTERNAL_ERROR : Outcome.RAW_JDK_EXCEPTION, e + "\n" + text, done,
                    gradientsCompared);
        } catch (RuntimeException | StackOverflowError e) {
            return new Result(Outcome.RAW_JDK_EXCEPTION, e + "\n" + text, done, gradientsCompared);
        }
    }

    private void backward() {
        int root = -1;
        for (int i = ts.size() - 1; i >= 0; i--) {
            if (!dead.get(i) && ts.get(i).requiresGrad()) {
                root = i;
                break;
            }
        }
        if (root < 0) {
            return;
        }
        Ref rr = base.get(root);
        double[] w = new double[rr.v.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.rint((-1 + 2 * r.nextDouble()) * 8) / 8;
        }
        Tensor loss = ts.get(root).mul(Tensor.fromArray(dt, w, rr.dims)).sum();
        double want = weighted(rr, w);
        boolean retain = r.nextBoolean();
        text.append("  backward of sum(v").append(root).append(" * w), retainGraph ").append(retain).append('\n');
        loss.backward(null, retain);
        int times = 1;
        if (retain) {
            loss.backward(null, false);
            times = 2;
        }
        if (!(Math.abs(loss.item() - want) <= tol(want) * Math.max(1, w.length))) {
            throw new Mismatch("loss after backward = " + loss.item() + ", reference " + want);
        }
        try {
            loss.backward();
            throw new Mismatch("a second backward through a freed graph did not fail");
        } catch (IllegalStateException expected) {
            if (!expected.getMessage().contains("second time")) {
                throw expected;
            }
        }
        if (Math.abs(loss.add(1).item() - (want + 1)) > tol(want) * Math.max(1, w.length) + 1e-6) {
            throw new Mismatch("the root is not usable after backward");
        }
        if (!smooth) {
            return;
        }
        double[][] lv = leafValues.toArray(new double[0][]);
        for (int k = 0; k < lv.length; k++) {
            Tensor leaf = ts.get(leafIndex.get(k));
            if (!leaf.requiresGrad()) {
                continue;
            }
            double[] g = leaf.grad() == null ? new double[lv[k].length] : leaf.grad().toDoubleArray();
            for (int e = 0; e < lv[k].length; e++) {
                double h = 1e-6;
                double keep = lv[k][e];
                lv[k][e] = keep + h;
                double up = weighted(replay(lv).get(root), w);
                lv[k][e] = keep - h;
                double down = weighted(replay(lv).get(root), w);
                lv[k][e] = keep;
                double fd = times * (up - down) / (2 * h);
                double tol = (dt == DType.F64 ? 1e-5 : 2e-3) * (1 + Math.abs(fd));
                if (!(Math.abs(g[e] - fd) <= tol)) {
                    throw new Mismatch("grad of leaf v" + leafIndex.get(k) + "[" + e + "] = " + g[e]
                            + ", central difference " + fd);
                }
                gradientsCompared++;
            }
        }
    }
}
