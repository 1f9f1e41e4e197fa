package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The facade's broadcasting, strided views, reductions and matmul semantics against plain
 * float64 loops over logical indices, on random shapes (seed printed in every message), plus
 * its error messages.
 */
class KernelsFacadeTest {
    private static final Kernels K = Kernels.get();

    /** A random buffer of the given dims, possibly as a transposed or narrowed view. */
    private static Buffer randomView(SplittableRandom r, DType dt, int[] dims) {
        Buffer b;
        int mode = dims.length >= 2 ? r.nextInt(3) : r.nextInt(2);
        if (mode == 2) {
            int[] t = dims.clone();
            int last = t.length - 1;
            t[last - 1] = dims[last];
            t[last] = dims[last - 1];
            b = Buffer.zeros(dt, t).transpose(last - 1, last);
        } else if (mode == 1 && dims.length >= 1) {
            int[] wide = dims.clone();
            wide[wide.length - 1] += 3;
            b = Buffer.zeros(dt, wide).narrow(-1, 1, dims[dims.length - 1]);
        } else {
            b = Buffer.zeros(dt, dims);
        }
        for (long i = 0; i < b.size(); i++) {
            b.setFlat(i, r.nextDouble(-2, 2));
        }
        return b;
    }

    private static int[] randomDims(SplittableRandom r, int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + r.nextInt(5);
        }
        return d;
    }

    /** Reference broadcast read: element of x at the out-multi-index idx. */
    private static double at(Buffer x, int[] idx) {
        int lead = idx.length - x.rank();
        int[] own = new int[x.rank()];
        for (int i = 0; i < own.length; i++) {
            own[i] = x.shape().dim(i) == 1 ? 0 : idx[i + lead];
        }
        return x.get(own);
    }

    private static boolean step(int[] idx, int[] dims) {
        for (int d = dims.length - 1; d >= 0; d--) {
            if (++idx[d] < dims[d]) {
                return true;
            }
            idx[d] = 0;
        }
        return false;
    }

    @Test
    void broadcastingBinaryOpsMatchFloat64Loops() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        DoubleBinaryOperator[] refs = {Double::sum, (a, b) -> a - b, (a, b) -> a * b, (a, b) -> a / b};
        for (int trial = 0; trial < 200; trial++) {
            DType dt = r.nextBoolean() ? DType.F32 : DType.F64;
            int rank = r.nextInt(4);
            int[] dims = randomDims(r, rank);
            int[] da = dims.clone();
            int[] db = Arrays.copyOfRange(dims, r.nextInt(rank + 1), rank);
            for (int i = 0; i < da.length; i++) {
                if (r.nextInt(3) == 0) {
                    da[i] = 1;
                }
            }
            for (int i = 0; i < db.length; i++) {
                if (r.nextInt(3) == 0) {
                    db[i] = 1;
                }
            }
            Buffer a = randomView(r, dt, da);
            Buffer b = randomView(r, dt, db);
            int[] od = Shape.broadcastDims("t", a.shape(), b.shape());
            int which = r.nextInt(4);
            Buffer out = Buffer.zeros(dt, od);
            switch (which) {
                case 0 -> K.add(a, b, out);
                case 1 -> K.sub(a, b, out);
                case 2 -> K.mul(a, b, out);
                default -> K.div(a, b, out);
            }
            int[] idx = new int[od.length];
            if (out.size() == 0) {
                continue;
            }
            do {
                double want = refs[which].applyAsDouble(at(a, idx), at(b, idx));
                double got = out.get(idx);
                double tol = dt == DType.F32 ? 1e-6 * Math.max(1, Math.abs(want)) : 1e-15 * Math.max(1, Math.abs(want));
                assertEquals(want, got, tol, "seed " + seed + " trial " + trial + " op " + which + " "
                        + a.shape().describe() + " with " + b.shape().describe() + " at " + Arrays.toString(idx));
            } while (step(idx, od));
        }
    }

    @Test
    void reductionsMatchFloat64Loops() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 200; trial++) {
            DType dt = r.nextBoolean() ? DType.F32 : DType.F64;
            int rank = 1 + r.nextInt(4);
            int[] dims = randomDims(r, rank);
            Buffer x = randomView(r, dt, dims);
            int nd = 1 + r.nextInt(rank);
            int[] red = r.ints(0, rank).distinct().limit(nd).toArray();
            boolean keep = r.nextBoolean();
            int kind = r.nextInt(4);
            int[] od = Kernels.reducedDims("t", x.shape(), red, keep);
            Buffer out = Buffer.zeros(dt, od);
            switch (kind) {
                case 0 -> K.sum(x, red, keep, out);
                case 1 -> K.mean(x, red, keep, out);
                case 2 -> K.max(x, red, keep, out);
                default -> K.logsumexp(x, red, keep, out);
            }
            // reference: for every x index accumulate into the out index
            boolean[] isRed = new boolean[rank];
            for (int d : red) {
                isRed[d] = true;
            }
            double[] acc = new double[(int) out.size()];
            double[] mx = new double[acc.length];
            Arrays.fill(mx, Double.NEGATIVE_INFINITY);
            int[] idx = new int[rank];
            long count = x.size() / Math.max(1, out.size());
            do {
                int flat = 0;
                for (int i = 0; i < rank; i++) {
                    if (!isRed[i]) {
                        flat = flat * dims[i] + idx[i];
                    }
                }
                double v = x.get(idx);
                acc[flat] += v;
                mx[flat] = Math.max(mx[flat], v);
            } while (step(idx, dims));
            double[] lse = new double[acc.length];
            if (kind == 3) {
                Arrays.fill(idx, 0);
                do {
                    int flat = 0;
                    for (int i = 0; i < rank; i++) {
                        if (!isRed[i]) {
                            flat = flat * dims[i] + idx[i];
                        }
                    }
                    lse[flat] += Math.exp(x.get(idx) - mx[flat]);
                } while (step(idx, dims));
            }
            for (int i = 0; i < acc.length; i++) {
                double want = switch (kind) {
                    case 0 -> acc[i];
                    case 1 -> acc[i] / count;
                    case 2 -> mx[i];
                    default -> mx[i] + Math.log(lse[i]);
                };
                double tol = (dt == DType.F32 ? 1e-5 : 1e-13) * Math.max(1, count);
                assertEquals(want, out.getFlat(i), tol, "seed " + seed + " trial " + trial + " kind " + kind
                        + " x " + x.shape().describe() + " dims " + Arrays.toString(red) + " keepdim " + keep);
            }
        }
    }

    @Test
    void softmaxAlongAnyDimSumsToOneAndIsStable() {
        Buffer x = Buffer.of(new double[] {1000, 0, -1000, 1, 2, 3}, 2, 3);
        Buffer out = Buffer.zeros(DType.F64, 2, 3);
        K.softmax(x, 1, out);
        assertArrayEquals(new double[] {1, 0, 0}, Arrays.copyOf(out.toDoubleArray(), 3), 1e-12);
        K.softmax(x, 0, out);
        double[] o = out.toDoubleArray();
        for (int j = 0; j < 3; j++) {
            assertEquals(1.0, o[j] + o[3 + j], 1e-12);
        }
        K.logSoftmax(x, -1, out);
        assertEquals(-1000, out.get(0, 1), 1e-9);
        assertEquals(-2000, out.get(0, 2), 1e-9);
    }

    @Test
    void argmaxTakesFirstOfTies() {
        Buffer x = Buffer.of(new float[] {1, 3, 3, 0, 5, 5, 5, 1}, 2, 4);
        assertArrayEquals(new long[] {1, 0}, K.argmax(x, 1, new long[2]));
        assertArrayEquals(new long[] {1, 1, 1, 1}, K.argmax(x, 0, new long[4]));
        Buffer y = Buffer.of(new float[] {2, 2, 1, 2}, 4);
        assertArrayEquals(new long[] {0}, K.argmax(y, 0, new long[1]));
    }

    @Test
    void matmulHasTorchSemantics() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        int[][][] cases = {
            {{3}, {3}}, {{2, 3}, {3, 4}}, {{3}, {3, 4}}, {{2, 3}, {3}}, {{2, 3, 4}, {4}},
            {{2, 3, 4}, {1, 4, 2}}, {{2, 3, 4}, {4, 5}}, {{4}, {2, 4, 3}}, {{2, 1, 3, 4}, {5, 4, 2}},
        };
        for (int[][] c : cases) {
            for (DType dt : DType.values()) {
                Buffer a = randomView(r, dt, c[0]);
                Buffer b = randomView(r, dt, c[1]);
                int[] od = Kernels.matmulDims(a.shape(), b.shape());
                Buffer out = Buffer.zeros(dt, od);
                K.matmul(a, b, out);
                double[] want = referenceMatmul(a, b, od);
                double[] got = out.toDoubleArray();
                assertArrayEquals(want, got, dt == DType.F32 ? 1e-5 : 1e-13, "seed " + seed + " "
                        + a.shape().describe() + " @ " + b.shape().describe());
            }
        }
    }

    /** torch.matmul by promotion to [batch..., m, k] x [batch..., k, n] with logical loops. */
    private static double[] referenceMatmul(Buffer a, Buffer b, int[] od) {
        int[] ad = a.rank() == 1 ? new int[] {1, a.dims()[0]} : a.dims();
        int[] bd = b.rank() == 1 ? new int[] {b.dims()[0], 1} : b.dims();
        int m = ad[ad.length - 2];
        int k = ad[ad.length - 1];
        int n = bd[bd.length - 1];
        int[] batch = Shape.broadcastDims("ref", Shape.of(Arrays.copyOf(ad, ad.length - 2)),
                Shape.of(Arrays.copyOf(bd, bd.length - 2)));
        int nb = 1;
        for (int d : batch) {
            nb *= d;
        }
        double[] out = new double[nb * m * n];
        int[] bi = new int[batch.length];
        for (int q = 0; q < nb; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += elem(a, ad, bi, i, p) * elem(b, bd, bi, p, j);
                    }
                    out[(q * m + i) * n + j] = s;
                }
            }
            if (batch.length > 0) {
                step(bi, batch);
            }
        }
        return out;
    }

    private static double elem(Buffer x, int[] xd, int[] bi, int i, int j) {
        if (x.rank() == 1) {
            return x.get(xd[0] == 1 ? j : i);
        }
        int[] idx = new int[x.rank()];
        int lead = bi.length - (x.rank() - 2);
        for (int d = 0; d < x.rank() - 2; d++) {
            idx[d] = x.dims()[d] == 1 ? 0 : bi[d + lead];
        }
        idx[x.rank() - 2] = i;
        idx[x.rank() - 1] = j;
        return x.get(idx);
    }

    @Test
    void gemmTransposeFlagsAndViews() {
        Buffer a = Buffer.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Buffer b = Buffer.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Buffer c = Buffer.of(new double[] {1, 1, 1, 1}, 2, 2);
        K.gemm(false, false, 2, a, b, 1, c);
        assertArrayEquals(new double[] {9, 11, 21, 23}, c.toDoubleArray());
        Buffer ct = Buffer.zeros(DType.F64, 2, 2);
        // (Aᵀ)ᵀ Bᵀᵀ via transposed views and flags
        K.gemm(true, true, 1, a.transpose(0, 1), b.transpose(0, 1), 0, ct);
        assertArrayEquals(new double[] {4, 5, 10, 11}, ct.toDoubleArray());
        // column-major output
        Buffer cc = Buffer.zeros(DType.F64, 2, 2).transpose(0, 1);
        K.gemm(false, false, 1, a, b, 0, cc);
        assertArrayEquals(new double[] {4, 5, 10, 11}, cc.toDoubleArray());
    }

    @Test
    void errorsNameOperationAndShapesAndLeaveOutUntouched() {
        Buffer out = Buffer.of(new float[] {7, 7, 7, 7, 7, 7}, 2, 3);
        float[] before = out.toFloatArray();
        var e = assertThrows(IllegalArgumentException.class,
                () -> K.matmul(Buffer.zeros(DType.F32, 3, 4), Buffer.zeros(DType.F32, 5, 2), out));
        assertEquals("matmul: [3, 4] x [5, 2]: inner dims differ (4 != 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> K.gemm(false, false, 1, Buffer.zeros(DType.F32, 3, 4), Buffer.zeros(DType.F32, 5, 2), 0, out));
        assertEquals("gemm: [3, 4] x [5, 2]: inner dims differ (4 != 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> K.add(Buffer.zeros(DType.F32, 2, 3), Buffer.zeros(DType.F32, 4, 3), out));
        assertEquals("add: shapes [2, 3] and [4, 3] cannot be broadcast (dim -2: 2 vs 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> K.add(Buffer.zeros(DType.F32, 2, 3), Buffer.zeros(DType.F64, 2, 3), out));
        assertTrue(e.getMessage().startsWith("add: dtypes differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> K.mul(Buffer.zeros(DType.F32, 3), Buffer.zeros(DType.F32, 3), out));
        assertEquals("mul: output shape [2, 3] does not match the broadcast shape [3] of [3] and [3]", e.getMessage());
        var ie = assertThrows(IndexOutOfBoundsException.class,
                () -> K.softmax(Buffer.zeros(DType.F32, 2, 3), 2, out));
        assertTrue(ie.getMessage().startsWith("softmax: dim 2 out of range for shape [2, 3]"), ie.getMessage());
        ie = assertThrows(IndexOutOfBoundsException.class,
                () -> K.sum(Buffer.zeros(DType.F32, 2, 3), new int[] {-3}, false, out));
        assertTrue(ie.getMessage().startsWith("sum: dim -3 out of range"), ie.getMessage());
        // partial overlap of out with an input
        e = assertThrows(IllegalArgumentException.class, () -> K.exp(out.narrow(1, 0, 2), out.narrow(1, 1, 2)));
        assertTrue(e.getMessage().contains("partially overlaps"), e.getMessage());
        // writing into a broadcast view
        e = assertThrows(IllegalArgumentException.class,
                () -> K.exp(Buffer.zeros(DType.F32, 2, 3), Buffer.zeros(DType.F32, 1, 3).expand(2, 3)));
        assertTrue(e.getMessage().contains("broadcast (stride 0) view"), e.getMessage());
        // gemm output overlapping an input
        Buffer sq = Buffer.zeros(DType.F32, 3, 3);
        e = assertThrows(IllegalArgumentException.class, () -> K.gemm(false, false, 1, sq, sq, 0, sq));
        assertTrue(e.getMessage().startsWith("gemm: output [3, 3] overlaps input [3, 3]"), e.getMessage());
        assertArrayEquals(before, out.toFloatArray());
    }

    @Test
    void inPlaceElementwiseIsAllowed() {
        Buffer x = Buffer.of(new float[] {1, 2, 3}, 3);
        K.mul(x, x, x);
        assertArrayEquals(new float[] {1, 4, 9}, x.toFloatArray());
        K.binaryScalar(io.vecgrad.engine.spi.BinaryOp.DIV, x, 2, false, x);
        assertArrayEquals(new float[] {0.5f, 2, 4.5f}, x.toFloatArray());
        K.binaryScalar(io.vecgrad.engine.spi.BinaryOp.SUB, x, 10, true, x);
        assertArrayEquals(new float[] {9.5f, 8, 5.5f}, x.toFloatArray());
    }

    @Test
    void rankSumAddsInRankOrderAndNamesBadInput() {
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofAuto();
        java.lang.foreign.MemorySegment a = arena.allocate(4 * 5, 4);
        java.lang.foreign.MemorySegment b = arena.allocate(4 * 5, 4);
        for (int i = 0; i < 5; i++) {
            a.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, i);
            b.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, 10 * i);
        }
        Buffer out = Buffer.zeros(DType.F32, 2, 2);
        long v0 = out.storage().version();
        K.rankSum(new java.lang.foreign.MemorySegment[] {a, b}, 1, new double[] {0.5, 0.25}, out);
        // out[i] = 0.5 * a[1 + i] + 0.25 * b[1 + i]
        assertArrayEquals(new float[] {3, 6, 9, 12}, out.toFloatArray());
        assertTrue(out.storage().version() > v0, "rankSum bumps out's version");
        var ins = new java.lang.foreign.MemorySegment[] {a, b};
        var e = assertThrows(IllegalArgumentException.class, () -> K.rankSum(ins, 2, new double[] {1, 1}, out));
        assertEquals("rankSum: input 0 holds 20 bytes, fewer than the 24 needed for 4 f32 elements of out [2, 2]"
                + " from element 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> K.rankSum(ins, 0, new double[] {1}, out));
        assertEquals("rankSum: 1 weights for 2 inputs (expected one per input)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> K.rankSum(new java.lang.foreign.MemorySegment[0], 0, new double[0], out));
        assertEquals("rankSum: no inputs (expected one segment per rank)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> K.rankSum(ins, 0, new double[] {1, 1}, Buffer.zeros(DType.F32, 2, 2).transpose(0, 1)));
        assertTrue(e.getMessage().startsWith("rankSum: output") && e.getMessage().endsWith("is not contiguous"),
                e.getMessage());
        Buffer self = Buffer.zeros(DType.F32, 4);
        java.lang.foreign.MemorySegment seg = self.segment("test");
        e = assertThrows(IllegalArgumentException.class, () -> K.rankSum(
                new java.lang.foreign.MemorySegment[] {seg, a}, 1, new double[] {1, 1}, self.narrow(0, 0, 3)));
        assertTrue(e.getMessage().contains("partially overlaps input 0"), e.getMessage());
    }
}
