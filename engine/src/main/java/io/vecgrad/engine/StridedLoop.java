package io.vecgrad.engine;

import java.util.Arrays;

/**
 * Walks up to four operands of one output shape as a sequence of 1-D strided rows, the unit the
 * kernels work on. Operands are aligned to the output dims on the right (missing and size-1
 * dims get stride 0: broadcasting), then adjacent dims that are laid out consecutively in every
 * operand are merged, so a contiguous (or contiguous-but-broadcast) problem becomes one long row.
 *
 * <p>Mutable and reused: {@link Kernels} keeps one per thread so that a call allocates nothing.
 * Operand 0 is the output.
 */
final class StridedLoop {
    static final int MAX_OPS = 4;

    private int rank;
    private int[] dims = new int[8];
    private final long[][] strides = new long[MAX_OPS][8];
    private final long[] base = new long[MAX_OPS];
    private int nops;
    private int[] idx = new int[8];

    /** Current element offsets of each operand's row. */
    final long[] off = new long[MAX_OPS];
    /** Element increments of each operand along the row. */
    final long[] inc = new long[MAX_OPS];
    /** Row length. */
    long n;

    /** Starts a loop over {@code out}'s dims with operand 0 = out. */
    StridedLoop begin(Buffer out) {
        Shape s = out.shape();
        rank = s.rank();
        if (dims.length < rank) {
            dims = new int[rank];
            idx = new int[rank];
            for (int k = 0; k < MAX_OPS; k++) {
                strides[k] = new long[rank];
            }
        }
        for (int i = 0; i < rank; i++) {
            dims[i] = s.dim(i);
        }
        nops = 0;
        return add(out);
    }

    /** Adds an operand that broadcasts to the output dims (checked by the caller). */
    StridedLoop add(Buffer b) {
        Shape s = b.shape();
        int lead = rank - s.rank();
        long[] st = strides[nops];
        for (int i = 0; i < rank; i++) {
            int j = i - lead;
            st[i] = (j < 0 || s.dim(j) == 1) ? 0 : s.stride(j);
        }
        base[nops] = b.offset();
        nops++;
        return this;
    }

    /** Merges dims and positions at the first row. Returns false if there are no elements. */
    boolean start() {
        for (int i = 0; i < rank; i++) {
            if (dims[i] == 0) {
                return false;
            }
        }
        // drop size-1 dims and merge consecutive ones (compacting in place)
        int r = 0;
        for (int i = 0; i < rank; i++) {
            if (dims[i] == 1) {
                continue;
            }
            if (r > 0 && mergeable(r - 1, i)) {
                for (int k = 0; k < nops; k++) {
                    strides[k][r - 1] = strides[k][i];
                }
                dims[r - 1] *= dims[i];
                continue;
            }
            dims[r] = dims[i];
            for (int k = 0; k < nops; k++) {
                strides[k][r] = strides[k][i];
            }
            r++;
        }
        rank = r;
        if (rank == 0) {
            n = 1;
            for (int k = 0; k < nops; k++) {
                inc[k] = 0;
                off[k] = base[k];
            }
            return true;
        }
        n = dims[rank - 1];
        for (int k = 0; k < nops; k++) {
            inc[k] = strides[k][rank - 1];
            off[k] = base[k];
        }
        Arrays.fill(idx, 0, rank, 0);
        return true;
    }

    /** True if outer dim {@code o} can merge into inner dim {@code i} for every operand. */
    private boolean mergeable(int o, int i) {
        // dims[o] is the (possibly merged) outer run; strides[k][o] its stride, which must equal
        // the inner stride times the inner size for every operand.
        for (int k = 0; k < nops; k++) {
            if (strides[k][o] != strides[k][i] * dims[i]) {
                return false;
            }
        }
        return true;
    }

    /** Advances to the next row; false when done. */
    boolean next() {
        for (int d = rank - 2; d >= 0; d--) {
            if (++idx[d] < dims[d]) {
                for (int k = 0; k < nops; k++) {
                    off[k] += strides[k][d];
                }
                return true;
            }
            idx[d] = 0;
            for (int k = 0; k < nops; k++) {
                off[k] -= strides[k][d] * (dims[d] - 1);
            }
        }
        return false;
    }
}
