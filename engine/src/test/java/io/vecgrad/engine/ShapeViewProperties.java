package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link Shape#view} against an independent reference: a view is right exactly when its i-th
 * element (row-major over the new dims) sits at the same offset as the i-th element of the old
 * view. Hardening issue D1: merging dims across a size-1 dim used that dim's stride.
 */
class ShapeViewProperties {

    /** Element offsets of {@code s} in row-major order of its dims. */
    static long[] offsets(Shape s) {
        int[] d = s.dims();
        long[] st = s.strides();
        long[] out = new long[Math.toIntExact(s.size())];
        int[] idx = new int[d.length];
        for (int i = 0; i < out.length; i++) {
            long off = 0;
            for (int k = 0; k < d.length; k++) {
                off += idx[k] * st[k];
            }
            out[i] = off;
            for (int k = d.length - 1; k >= 0; k--) {
                if (++idx[k] < d[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return out;
    }

    /** A random view of a random base: narrow, transpose, expand and unsqueeze steps. */
    static Shape randomView(Random r) {
        int rank = 1 + r.nextInt(4);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = r.nextInt(5) == 0 ? 1 : 1 + r.nextInt(4);
        }
        Shape s = Shape.of(dims);
        for (int step = r.nextInt(4); step > 0; step--) {
            int k = s.rank() == 0 ? 3 : r.nextInt(4);
            switch (k) {
                case 0 -> {
                    int d = r.nextInt(s.rank());
                    int n = s.dims()[d];
                    int start = r.nextInt(n);
                    s = s.narrow(d, start, 1 + r.nextInt(n - start));
                }
                case 1 -> s = s.transpose(r.nextInt(s.rank()), r.nextInt(s.rank()));
                case 2 -> { // expand a size-1 dim (or a new leading one)
                    int[] t = s.dims().clone();
                    for (int i = 0; i < t.length; i++) {
                        if (t[i] == 1 && r.nextBoolean()) {
                            t[i] = 1 + r.nextInt(3);
                        }
                    }
                    if (r.nextBoolean() && t.length < 5) {
                        int[] u = new int[t.length + 1];
                        u[0] = 1 + r.nextInt(3);
                        System.arraycopy(t, 0, u, 1, t.length);
                        t = u;
                    }
                    s = s.expand(t);
                }
                default -> { // unsqueeze at a random position, with an arbitrary stride
                    int at = r.nextInt(s.rank() + 1);
                    int[] d = new int[s.rank() + 1];
                    long[] st = new long[s.rank() + 1];
                    for (int i = 0, j = 0; i < d.length; i++) {
                        if (i == at) {
                            d[i] = 1;
                            st[i] = r.nextInt(7);
                        } else {
                            d[i] = s.dims()[j];
                            st[i] = s.strides()[j];
                            j++;
                        }
                    }
                    s = Shape.strided(d, st);
                }
            }
        }
        return s;
    }

    /** A random factorisation of {@code n} into dims, with size-1 dims sprinkled in. */
    static int[] randomDims(Random r, int[] source) {
        List<Integer> f = new ArrayList<>();
        for (int d : source) {
            int x = d;
            for (int p = 2; p <= x; p++) {
                while (x % p == 0) {
                    f.add(p);
                    x /= p;
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < f.size()) {
            int take = 1 + r.nextInt(2);
            int prod = 1;
            for (int k = 0; k < take && i < f.size(); k++) {
                prod *= f.get(i++);
            }
            out.add(prod);
            if (r.nextInt(4) == 0) {
                out.add(1);
            }
        }
        if (r.nextInt(3) == 0) {
            out.add(r.nextInt(out.size() + 1), 1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Property(tries = 3000)
    void viewKeepsRowMajorElementOrder(@ForAll long seed) {
        Random r = new Random(seed);
        Shape s = randomView(r);
        int[] want = randomDims(r, s.dims());
        Shape v = s.view(want);
        if (v == null) {
            return; // a copy is needed: allowed, never wrong
        }
        String why = "seed " + seed + ": " + s.describe() + " viewed as " + Arrays.toString(want);
        assertArrayEquals(want, v.dims(), why);
        assertArrayEquals(offsets(s), offsets(v), why);
    }

    @Test
    void sizeOneDimDoesNotBridgeANarrowedDim() {
        // arange(12).reshape(4,1,3).narrow(2,1,2).reshape(4,2): PyTorch [1,2,4,5,7,8,10,11]
        Shape s = Shape.of(4, 1, 3).narrow(2, 1, 2);
        Shape v = s.view(4, 2);
        if (v != null) {
            assertArrayEquals(offsets(s), offsets(v));
        }
        assertNull(s.view(8), "a narrowed row cannot be flattened without a copy");
    }

    @Test
    void sizeOneDimDoesNotBridgeAnExpandedDim() {
        // ones(4,2).expand(2,1,4,2).unsqueeze(-1): the leading dim has stride 0
        Shape s = Shape.strided(new int[] {2, 1, 4, 2, 1}, new long[] {0, 0, 2, 1, 1});
        Shape v = s.view(16);
        assertNull(v, "a broadcast dim cannot merge with the contiguous ones");
        assertEquals(16, s.size());
    }

    @Test
    void viewOfAnEmptyShapeIsAlwaysPossible() {
        Shape s = Shape.of(2, 0, 3).transpose(0, 2);
        assertArrayEquals(new int[] {0, 6}, s.view(0, 6).dims());
    }
}
