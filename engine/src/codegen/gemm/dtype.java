    /** Single-threaded blocked {@code $t} GEMM on the calling thread's packing buffers. */
    private static void serial$X(boolean transA, boolean transB, int m, int n, int k, $t alpha,
                                MemorySegment a, long aOff, long lda,
                                MemorySegment b, long bOff, long ldb,
                                $t beta, MemorySegment c, long cOff, long ldc) {
        Workspace ws = WORKSPACE.get();
        $t[] ap = ws.ap$X();
        $t[] bp = ws.bp$X();
        $t[] tile = ws.tile$X();
        $t[] stage = transB ? ws.stage$X() : null;
        for (int jc = 0; jc < n; jc += NC_$X) {
            int nc = Math.min(NC_$X, n - jc);
            for (int pc = 0; pc < k; pc += KC_$X) {
                int kc = Math.min(KC_$X, k - pc);
                // Only the first k block applies the caller's beta; later blocks add to it.
                $t betaEff = pc == 0 ? beta : 1;
                packB$X(transB, b, bOff, ldb, pc, kc, jc, nc, bp, stage);
                for (int ic = 0; ic < m; ic += MC_$X) {
                    int mc = Math.min(MC_$X, m - ic);
                    packA$X(transA, a, aOff, lda, ic, mc, pc, kc, ap);
                    // B's micro-panel (kc x NR) is reused across the A panels of the block; the
                    // opposite order (A's panel reused across B's) measured the same (0.70-0.89 vs
                    // 0.73-0.84 of OpenBLAS in one run, 2026-12-02, load 27).
                    for (int jr = 0; jr < nc; jr += NR_$X) {
                        int nr = Math.min(NR_$X, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR_$X) {
                            int mr = Math.min(MR_$X, mc - ir);
                            tile$X(transA, kc, ap, ir, bp, jr, tile, mr, nr, c,
                                    cOff + (long) (ic + ir) * ldc + jc + jr, ldc, alpha, betaEff);
                        }
                    }
                }
            }
        }
    }

    /**
     * One micro-tile: the kernel for A's packed layout, then the merge into C. A partial tile at
     * an edge of C takes the smallest edge kernel that covers it ({@link #edge$X}): with m = 64
     * the sixth 12-row panel holds 4 rows, and with n = 10 a 32-wide panel holds 10 columns, so
     * the full kernel would spend two thirds of that tile's work on the packing's zeros.
     */
    private static void tile$X(boolean transA, int kc, $t[] ap, int ir, $t[] bp, int jr, $t[] tile,
                              int mr, int nr, MemorySegment c, long cTile, long ldc, $t alpha, $t beta) {
        if (mr == MR_$X && nr == NR_$X) {
            if (transA) {
                kernel$X(kc, ap, ir * kc, bp, jr * kc, tile);
            } else {
                kernel$XR(kc, ap, ir * KC_$X, bp, jr * kc, tile);
            }
            mergeFull$X(tile, c, cTile, ldc, alpha, beta);
        } else {
            edge$X(transA, kc, ap, transA ? ir * kc : ir * KC_$X, bp, jr * kc, tile, mr, nr);
            mergeTile$X(tile, mr, nr, c, cTile, ldc, alpha, beta);
        }
    }

    /**
     * Packs {@code op(A)[ic..ic+mc, pc..pc+kc]} into MR-row panels of {@code MR * kc} elements;
     * rows past {@code mc} are zero so the kernel never needs a row tail. A transposed A is packed
     * k-step-major (for each {@code p}, the MR elements of column {@code p}, read contiguously;
     * {@link #kernel$X}); a non-transposed A keeps its rows ({@link #kernel$XR}), so both packs are
     * contiguous copies and neither transposes.
     */
    private static void packA$X(boolean transA, MemorySegment a, long aOff, long lda,
                               int ic, int mc, int pc, int kc, $t[] ap) {
        for (int ir = 0; ir < mc; ir += MR_$X) {
            int mr = Math.min(MR_$X, mc - ir);
            int base = ir * kc;
            if (!transA) {
                // op(A)[i, p] = A[i * lda + p]: the panel keeps A's rows (kernel$XR's layout), so
                // packing is one bulk copy per row; rows past mc are zero. Row i of the block
                // starts at i * KC_$X whatever kc is: a constant stride, so the kernel reads all
                // MR rows at constant displacements from one index (with kc, the MR row indices
                // did not fit the integer registers and C2 reloaded some from the stack every k step).
                for (int r = 0; r < mr; r++) {
                    long src = aOff + (long) (ic + ir + r) * lda + pc;
                    MemorySegment.copy(a, $LAY, src * $BOX.BYTES, ap, (ir + r) * KC_$X, kc);
                }
                for (int r = mr; r < MR_$X; r++) {
                    java.util.Arrays.fill(ap, (ir + r) * KC_$X, (ir + r) * KC_$X + kc, ($t) 0);
                }
                continue;
            } else {
                // op(A)[i, p] = A[p * lda + i]: the MR elements of a k step are adjacent already.
                // Masked vector copies: a scalar loop of only MR elements per k step costs more in
                // loop overhead than in data movement (measured 50 vs 85 GFLOP/s at 784x64x256).
                for (int p = 0; p < kc; p++) {
                    long src = aOff + (long) (pc + p) * lda + ic + ir;
                    int dst = base + p * MR_$X;
                    int r = 0;
                    for (; r <= mr - $L; r += $L) {
                        $V.fromMemorySegment($S, a, (src + r) * $BOX.BYTES, NATIVE).intoArray(ap, dst + r);
                    }
                    if (mr - r == 1) {
                        // A one-lane remainder only occurs with 2-lane species, whose masked
                        // loads C2 does not intrinsify (f64 at 128 bits boxed 120 KB per call).
                        ap[dst + r] = a.getAtIndex($LAY, src + r);
                    } else if (r < mr) {
                        VectorMask<$BOX> mask = $S.indexInRange(r, mr);
                        $V.fromMemorySegment($S, a, (src + r) * $BOX.BYTES, NATIVE, mask)
                                .intoArray(ap, dst + r, mask);
                    }
                }
            }
            if (mr < MR_$X) {
                for (int p = 0; p < kc; p++) {
                    for (int r = mr; r < MR_$X; r++) {
                        ap[base + p * MR_$X + r] = 0;
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc..pc+kc, jc..jc+nc]} into NR-column panels: panel {@code jr / NR}
     * holds, for each k step, NR contiguous elements of row {@code p}; columns past {@code nc}
     * are zero so the kernel never needs a column tail.
     */
    private static void packB$X(boolean transB, MemorySegment b, long bOff, long ldb,
                               int pc, int kc, int jc, int nc, $t[] bp, $t[] stage) {
        for (int jr = 0; jr < nc; jr += NR_$X) {
            int nr = Math.min(NR_$X, nc - jr);
            int base = jr * kc;
            if (!transB) {
                // op(B)[p, j] = B[p * ldb + j]: rows are contiguous, so full panels copy by vector.
                long src = bOff + (long) pc * ldb + jc + jr;
                if (nr == NR_$X) {
                    for (int p = 0; p < kc; p++) {
                        long byteOff = (src + p * ldb) * $BOX.BYTES;
                        int dst = base + p * NR_$X;
                        for (int v = 0; v < NRV_$X; v++) {
                            $V.fromMemorySegment($S, b, byteOff + (long) v * $L * $BOX.BYTES, NATIVE)
                                    .intoArray(bp, dst + v * $L);
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        long row = src + p * ldb;
                        int dst = base + p * NR_$X;
                        for (int j = 0; j < nr; j++) {
                            bp[dst + j] = b.getAtIndex($LAY, row + j);
                        }
                        for (int j = nr; j < NR_$X; j++) {
                            bp[dst + j] = 0;
                        }
                    }
                }
            } else if (T$X_LO != null && nr == NR_$X && kc >= $L) {
                // op(B)[p, j] = B[j * ldb + p]: a transpose, done in registers L x L at a time
                // (two-source shuffles); the last kc % L steps element by element.
                int pFull = kc - kc % $L;
                long ldBytes = ldb * $BOX.BYTES;
                for (int pb = 0; pb < pFull; pb += $L) {
                    for (int jb = 0; jb < NR_$X; jb += $L) {
                        long off = (bOff + (long) (jc + jr + jb) * ldb + pc + pb) * $BOX.BYTES;
                        transpose$X(b, off, ldBytes, bp, base + pb * NR_$X + jb);
                    }
                }
                for (int j = 0; j < NR_$X; j++) {
                    long src = bOff + (long) (jc + jr + j) * ldb + pc;
                    for (int p = pFull; p < kc; p++) {
                        bp[base + p * NR_$X + j] = b.getAtIndex($LAY, src + p);
                    }
                }
            } else {
                // op(B)[p, j] = B[j * ldb + p]: a transpose. The panel's stored rows are first
                // bulk-copied to a heap staging array (row stride KC), then transposed array to
                // array in TB x TB squares so the lines read and written stay in L1 (a whole
                // panel, KC * NR elements, does not fit). A vector scatter down the panel is
                // not intrinsified for every species (f64 at 256 bits boxed: 60 KB per call).
                for (int j = 0; j < nr; j++) {
                    long src = bOff + (long) (jc + jr + j) * ldb + pc;
                    MemorySegment.copy(b, $LAY, src * $BOX.BYTES, stage, j * KC_$X, kc);
                }
                for (int jb = 0; jb < nr; jb += TRANSPOSE_BLOCK) {
                    int je = Math.min(nr, jb + TRANSPOSE_BLOCK);
                    for (int pb = 0; pb < kc; pb += TRANSPOSE_BLOCK) {
                        int pe = Math.min(kc, pb + TRANSPOSE_BLOCK);
                        for (int j = jb; j < je; j++) {
                            int row = j * KC_$X;
                            for (int p = pb; p < pe; p++) {
                                bp[base + p * NR_$X + j] = stage[row + p];
                            }
                        }
                    }
                }
                if (nr < NR_$X) {
                    for (int p = 0; p < kc; p++) {
                        for (int j = nr; j < NR_$X; j++) {
                            bp[base + p * NR_$X + j] = 0;
                        }
                    }
                }
            }
        }
    }
$KERNEL

    /** Merges a full spilled tile into C: {@code C = alpha * tile + beta * C}, by vector. */
    private static void mergeFull$X($t[] tile, MemorySegment c, long cOff, long ldc, $t alpha, $t beta) {
        for (int r = 0; r < MR_$X; r++) {
            long byteOff = (cOff + r * ldc) * $BOX.BYTES;
            for (int v = 0; v < NRV_$X; v++) {
                storeVec$X($V.fromArray($S, tile, r * NR_$X + v * $L), c,
                        byteOff + (long) v * $L * $BOX.BYTES, alpha, beta);
            }
        }
    }

    /**
     * Merges {@code rows} rows of {@code vecs} vectors each, spilled row-major to {@code tile}, into
     * C at element {@code cAt} (row stride {@code ldc}).
     */
    private static void mergeRows$X($t[] tile, int rows, int vecs, MemorySegment c, long cAt, long ldc,
                                   $t alpha, $t beta) {
        for (int r = 0; r < rows; r++) {
            long byteOff = (cAt + r * ldc) * $BOX.BYTES;
            for (int v = 0; v < vecs; v++) {
                storeVec$X($V.fromArray($S, tile, (r * vecs + v) * $L), c, byteOff + (long) v * $L * $BOX.BYTES,
                        alpha, beta);
            }
        }
    }

    /** {@code C = alpha * acc + beta * C} for one vector at a byte offset; beta == 0 never reads C. */
    private static void storeVec$X($V acc, MemorySegment c, long byteOff, $t alpha, $t beta) {
        $V out = acc.mul(alpha);
        if (beta != 0) {
            out = $V.fromMemorySegment($S, c, byteOff, NATIVE).fma($V.broadcast($S, beta), out);
        }
        out.intoMemorySegment(c, byteOff, NATIVE);
    }

    /**
     * Merges the valid {@code mr x nr} corner of a spilled tile into C, by vector as
     * {@link #mergeFull$X} (the same operations per element): whole vectors of each row, then
     * the row's last {@code nr % L} columns by a masked vector, or element by element where that
     * vector would reach past the end of C's segment (a masked access there leaves the
     * intrinsic).
     */
    private static void mergeTile$X($t[] tile, int mr, int nr, MemorySegment c, long cOff, long ldc,
                                   $t alpha, $t beta) {
        int whole = nr / $L;
        int rest = nr - whole * $L;
        VectorMask<$BOX> tail = $S.indexInRange(0, rest);
        long limit = c.byteSize();
        for (int r = 0; r < mr; r++) {
            long row = cOff + r * ldc;
            long byteOff = row * $BOX.BYTES;
            for (int v = 0; v < whole; v++) {
                storeVec$X($V.fromArray($S, tile, r * NR_$X + v * $L), c, byteOff + (long) v * $L * $BOX.BYTES,
                        alpha, beta);
            }
            if (rest == 0) {
                continue;
            }
            int j0 = whole * $L;
            long tailOff = byteOff + (long) j0 * $BOX.BYTES;
            if (tailOff + (long) $L * $BOX.BYTES <= limit) {
                $V out = $V.fromArray($S, tile, r * NR_$X + j0).mul(alpha);
                if (beta != 0) {
                    out = $V.fromMemorySegment($S, c, tailOff, NATIVE, tail).fma($V.broadcast($S, beta), out);
                }
                out.intoMemorySegment(c, tailOff, NATIVE, tail);
            } else {
                for (int j = j0; j < nr; j++) {
                    $t out = tile[r * NR_$X + j] * alpha;
                    if (beta != 0) {
                        out = Math.fma(c.getAtIndex($LAY, row + j), beta, out);
                    }
                    c.setAtIndex($LAY, row + j, out);
                }
            }
        }
    }

    /** {@code C = beta * C} (k == 0: the product is empty); beta == 0 writes zeros without reading. */
    private static void scale$X(int m, int n, $t beta, MemorySegment c, long cOff, long ldc) {
        for (int i = 0; i < m; i++) {
            long row = cOff + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                c.setAtIndex($LAY, row + j, beta == 0 ? 0 : beta * c.getAtIndex($LAY, row + j));
            }
        }
    }

    /**
     * Matrix-vector shapes ({@code m == 1} or {@code n == 1}), where packing would cost as much as
     * the product: the vector operand is gathered into a contiguous buffer, then either each
     * contiguous row of the matrix is dotted with it, or contiguous rows are accumulated
     * (axpy) into a row buffer.
     */
    private static void gemv$X(boolean transA, boolean transB, int m, int n, int k, $t alpha,
                              MemorySegment a, long aOff, long lda,
                              MemorySegment b, long bOff, long ldb,
                              $t beta, MemorySegment c, long cOff, long ldc) {
        Workspace ws = WORKSPACE.get();
        $t[] x = ws.x$X(k);
        if (n == 1) {
            // C[:, 0] = op(A) * x with x = op(B)[:, 0].
            gather$X(b, bOff, transB ? 1 : ldb, k, x);
            if (!transA) {
                for (int i = 0; i < m; i++) {
                    $t dot = dot$X(a, aOff + (long) i * lda, x, k);
                    put$X(c, cOff + (long) i * ldc, dot, alpha, beta);
                }
            } else {
                $t[] y = ws.y$X(m);
                axpyRows$X(a, aOff, lda, x, k, m, y);
                for (int i = 0; i < m; i++) {
                    put$X(c, cOff + (long) i * ldc, y[i], alpha, beta);
                }
            }
        } else {
            // C[0, :] = x * op(B) with x = op(A)[0, :].
            gather$X(a, aOff, transA ? lda : 1, k, x);
            if (transB) {
                for (int j = 0; j < n; j++) {
                    $t dot = dot$X(b, bOff + (long) j * ldb, x, k);
                    put$X(c, cOff + j, dot, alpha, beta);
                }
            } else {
                $t[] y = ws.y$X(n);
                axpyRows$X(b, bOff, ldb, x, k, n, y);
                for (int j = 0; j < n; j++) {
                    put$X(c, cOff + j, y[j], alpha, beta);
                }
            }
        }
    }

    private static void put$X(MemorySegment c, long idx, $t acc, $t alpha, $t beta) {
        $t out = beta == 0 ? alpha * acc : alpha * acc + beta * c.getAtIndex($LAY, idx);
        c.setAtIndex($LAY, idx, out);
    }

    private static void gather$X(MemorySegment s, long off, long inc, int k, $t[] x) {
        for (int p = 0; p < k; p++) {
            x[p] = s.getAtIndex($LAY, off + p * inc);
        }
    }

    /** Dot of {@code k} contiguous elements at {@code off} with {@code x}, four vector partial sums. */
    private static $t dot$X(MemorySegment s, long off, $t[] x, int k) {
        $V s0 = $V.zero($S);
        $V s1 = $V.zero($S);
        $V s2 = $V.zero($S);
        $V s3 = $V.zero($S);
        long byteOff = off * $BOX.BYTES;
        int p = 0;
        for (; p <= k - 4 * $L; p += 4 * $L) {
            long o = byteOff + (long) p * $BOX.BYTES;
            s0 = $V.fromMemorySegment($S, s, o, NATIVE).fma($V.fromArray($S, x, p), s0);
            s1 = $V.fromMemorySegment($S, s, o + (long) $L * $BOX.BYTES, NATIVE)
                    .fma($V.fromArray($S, x, p + $L), s1);
            s2 = $V.fromMemorySegment($S, s, o + 2L * $L * $BOX.BYTES, NATIVE)
                    .fma($V.fromArray($S, x, p + 2 * $L), s2);
            s3 = $V.fromMemorySegment($S, s, o + 3L * $L * $BOX.BYTES, NATIVE)
                    .fma($V.fromArray($S, x, p + 3 * $L), s3);
        }
        for (; p <= k - $L; p += $L) {
            s0 = $V.fromMemorySegment($S, s, byteOff + (long) p * $BOX.BYTES, NATIVE)
                    .fma($V.fromArray($S, x, p), s0);
        }
        $V lanes = s0.add(s1).add(s2.add(s3)); // lanes summed by a fixed tree (see Lanes)
        if ($L >= 16) {
            lanes = lanes.add(lanes.rearrange(Lanes.$X8));
        }
        if ($L >= 8) {
            lanes = lanes.add(lanes.rearrange(Lanes.$X4));
        }
        if ($L >= 4) {
            lanes = lanes.add(lanes.rearrange(Lanes.$X2));
        }
        $t sum = lanes.lane(0) + lanes.lane(1);
        for (; p < k; p++) {
            sum += s.getAtIndex($LAY, off + p) * x[p];
        }
        return sum;
    }

    /**
     * {@code y[0..len) = sum_p x[p] * row_p} where row {@code p} is {@code len} contiguous elements
     * at {@code off + p * ld}; four rows per pass so y is loaded and stored a quarter as often.
     */
    private static void axpyRows$X(MemorySegment s, long off, long ld, $t[] x, int k, int len, $t[] y) {
        java.util.Arrays.fill(y, 0, len, ($t) 0);
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            $V x0 = $V.broadcast($S, x[p]);
            $V x1 = $V.broadcast($S, x[p + 1]);
            $V x2 = $V.broadcast($S, x[p + 2]);
            $V x3 = $V.broadcast($S, x[p + 3]);
            long r0 = (off + p * ld) * $BOX.BYTES;
            long r1 = r0 + ld * $BOX.BYTES;
            long r2 = r1 + ld * $BOX.BYTES;
            long r3 = r2 + ld * $BOX.BYTES;
            int j = 0;
            for (; j <= len - $L; j += $L) {
                long o = (long) j * $BOX.BYTES;
                $V acc = $V.fromArray($S, y, j);
                acc = $V.fromMemorySegment($S, s, r0 + o, NATIVE).fma(x0, acc);
                acc = $V.fromMemorySegment($S, s, r1 + o, NATIVE).fma(x1, acc);
                acc = $V.fromMemorySegment($S, s, r2 + o, NATIVE).fma(x2, acc);
                acc = $V.fromMemorySegment($S, s, r3 + o, NATIVE).fma(x3, acc);
                acc.intoArray(y, j);
            }
            long e0 = off + p * ld;
            for (; j < len; j++) {
                y[j] += x[p] * s.getAtIndex($LAY, e0 + j)
                        + x[p + 1] * s.getAtIndex($LAY, e0 + ld + j)
                        + x[p + 2] * s.getAtIndex($LAY, e0 + 2 * ld + j)
                        + x[p + 3] * s.getAtIndex($LAY, e0 + 3 * ld + j);
            }
        }
        for (; p < k; p++) {
            $V xv = $V.broadcast($S, x[p]);
            long e0 = off + p * ld;
            long r0 = e0 * $BOX.BYTES;
            int j = 0;
            for (; j <= len - $L; j += $L) {
                $V.fromMemorySegment($S, s, r0 + (long) j * $BOX.BYTES, NATIVE)
                        .fma(xv, $V.fromArray($S, y, j)).intoArray(y, j);
            }
            for (; j < len; j++) {
                y[j] += x[p] * s.getAtIndex($LAY, e0 + j);
            }
        }
    }

    /**
     * Small products without packing ({@code op(B)} not transposed, so its rows are contiguous):
     * C is computed in blocks read straight from the segments, each block's accumulators spilled
     * to {@code tile} by a small method of its own ({@code smallBlock*}) and merged by
     * {@link #mergeRows$X}, so no vector crosses a call (C2 boxes a vector passed to a call it
     * does not inline, and one method holding every block shape outgrew its inlining budget:
     * 4-55 KB per call). With a k above SMALL_DIM, four rows at a time share each B vector (16
     * accumulators, so a B larger than L1 is read from L2 a quarter as often); with a short k (a
     * layer of 10 units) one row at a time runs eight FMA chains (94 vs 54 GFLOP/s at 64x256x10).
     * Scalar columns last (a masked tail would read past the end of a small B, which takes the
     * Vector API's slow, allocating path).
     */
    private static void small$X(boolean transA, int m, int n, int k, $t alpha,
                               MemorySegment a, long aOff, long lda,
                               MemorySegment b, long bOff, long ldb,
                               $t beta, MemorySegment c, long cOff, long ldc) {
        long aRow = transA ? 1 : lda;
        long aCol = transA ? lda : 1;
        $t[] tile = WORKSPACE.get().tile$X();
        int i = 0;
        for (; k > SMALL_DIM && i + 4 <= m; i += 4) {
            long ai = aOff + i * aRow;
            long ci = cOff + (long) i * ldc;
            int j = 0;
            for (; j <= n - 4 * $L; j += 4 * $L) {
                smallBlock$X_4x4(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRows$X(tile, 4, 4, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - $L; j += $L) {
                smallBlock$X_4x1(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRows$X(tile, 4, 1, c, ci + j, ldc, alpha, beta);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) {
                    put$X(c, ci + (long) r * ldc + j, column$X(k, a, ai + r * aRow, aCol, b, bOff + j, ldb), alpha, beta);
                }
            }
        }
        for (; i < m; i++) {
            long ai = aOff + i * aRow;
            long ci = cOff + (long) i * ldc;
            int j = 0;
            for (; j <= n - 8 * $L; j += 8 * $L) {
                smallBlock$X_1x8(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRows$X(tile, 1, 8, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - 4 * $L; j += 4 * $L) {
                smallBlock$X_1x4(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRows$X(tile, 1, 4, c, ci + j, ldc, alpha, beta);
            }
            for (; j <= n - $L; j += $L) {
                smallBlock$X_1x1(k, a, ai, aRow, aCol, b, bOff + j, ldb, tile);
                mergeRows$X(tile, 1, 1, c, ci + j, ldc, alpha, beta);
            }
            for (; j < n; j++) {
                put$X(c, ci + j, column$X(k, a, ai, aCol, b, bOff + j, ldb), alpha, beta);
            }
        }
    }

    /** One element of a small product: {@code sum_p A[ai + p aCol] * B[bAt + p ldb]}, in order. */
    private static $t column$X(int k, MemorySegment a, long ai, long aCol, MemorySegment b, long bAt, long ldb) {
        $t sum = 0;
        for (int p = 0; p < k; p++) {
            sum += a.getAtIndex($LAY, ai + p * aCol) * b.getAtIndex($LAY, bAt + p * ldb);
        }
        return sum;
    }
