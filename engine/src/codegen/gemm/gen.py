import sys, os
HERE = os.path.dirname(os.path.abspath(__file__))
MR = {'F': 12, 'D': 6}
NRV = {'F': 2, 'D': 4}
if len(sys.argv) > 2:
    MR['F'], NRV['F'] = int(sys.argv[1]), int(sys.argv[2])
if len(sys.argv) > 4:
    MR['D'], NRV['D'] = int(sys.argv[3]), int(sys.argv[4])

def edge_shapes(X):
    """The smaller tiles for the edges of C: a third and two thirds of MR rows, and half of NRV
    vectors, so a partial panel (64 = 5 x 12 + 4 rows, or 10 columns of a 32-wide panel) does not
    multiply the packing's zero rows and columns."""
    mr, nrv = MR[X], NRV[X]
    rows = sorted({max(1, mr // 3), max(1, 2 * mr // 3), mr})
    vecs = sorted({max(1, nrv // 2), nrv})
    return rows, vecs

def kernel(X, mr=None, nrv=None, suffix=''):
    V = 'FloatVector' if X == 'F' else 'DoubleVector'
    t = 'float' if X == 'F' else 'double'
    L = 'VectorConfig.FL' if X == 'F' else 'VectorConfig.DL'
    S = 'VectorConfig.' + X
    full = mr is None
    if full:
        mr, nrv = MR[X], NRV[X]
    o = []
    if full:
        o.append(f"""
    /**
     * The {t} micro-kernel: an {mr} x {nrv}-vector tile of C held in {mr*nrv} accumulators,
     * updated by one broadcast of A and {nrv} vector loads of B per k step, then spilled to
     * {{@code tile}} (row-major, row stride NR_{X}). Written out for MR_{X} = {mr}, NRV_{X} = {nrv}
     * because the JIT keeps locals in registers but not array elements.
     */
    private static void kernel{X}(int kc, {t}[] ap, int ai, {t}[] bp, int bi, {t}[] tile) {{""")
    else:
        o.append(f"""
    /** Edge tile of {{@link #kernel{X}}}: the first {mr} rows and {nrv} vector(s) of columns of the panels. */
    private static void kernel{X}{suffix}(int kc, {t}[] ap, int ai, {t}[] bp, int bi, {t}[] tile) {{""")
    for r in range(mr):
        o.append("        " + " ".join(f"{V} c{r}{v} = {V}.zero({S});" for v in range(nrv)))
    o.append(f"        for (int p = 0; p < kc; p++) {{")
    o.append(f"            int ia = ai + p * MR_{X};")
    o.append(f"            int ib = bi + p * NR_{X};")
    for v in range(nrv):
        off = "" if v == 0 else (f" + {L}" if v == 1 else f" + {v} * {L}")
        o.append(f"            {V} b{v} = {V}.fromArray({S}, bp, ib{off});")
    for r in range(mr):
        off = "" if r == 0 else f" + {r}"
        o.append(f"            {V} a{r} = {V}.broadcast({S}, ap[ia{off}]);")
        o.append("            " + " ".join(f"c{r}{v} = a{r}.fma(b{v}, c{r}{v});" for v in range(nrv)))
    o.append("        }")
    o.append("        // Spill the tile; merging into C happens in a separate method so this one stays small")
    o.append("        // enough for C2 to keep every vector in a register (a bigger method hits the inlining")
    o.append("        // node cutoff, and a vector passed to a call that is not inlined is boxed).")
    for r in range(mr):
        o.append("        " + " ".join(f"c{r}{v}.intoArray(tile, {r} * NR_{X}" + ("" if v == 0 else f" + {v} * {L}") + ");" for v in range(nrv)))
    o.append("    }")
    # Row-panel variant: A packed as MR rows of kc contiguous elements (a plain copy for a
    # non-transposed A), broadcast from MR streams.
    if full:
        o.append(f"""
    /**
     * The {t} micro-kernel for a row-panel A: like {{@link #kernel{X}}}, but the packed A panel holds
     * its {mr} rows one after another ({{@code kc}} elements each, at a stride of KC_{X}), so packing a
     * non-transposed A is a plain copy; the broadcasts read {mr} sequential streams.
     */
    private static void kernel{X}R(int kc, {t}[] ap, int ai, {t}[] bp, int bi, {t}[] tile) {{""")
    else:
        o.append(f"""
    /** Edge tile of {{@link #kernel{X}R}}: the first {mr} rows and {nrv} vector(s) of columns of the panels. */
    private static void kernel{X}R{suffix}(int kc, {t}[] ap, int ai, {t}[] bp, int bi, {t}[] tile) {{""")
    for r in range(mr):
        o.append("        " + " ".join(f"{V} c{r}{v} = {V}.zero({S});" for v in range(nrv)))
    for r in range(mr):
        o.append(f"        int a{r}i = ai" + ("" if r == 0 else (f" + KC_{X}" if r == 1 else f" + {r} * KC_{X}")) + ";")
    o.append(f"        for (int p = 0; p < kc; p++) {{")
    o.append(f"            int ib = bi + p * NR_{X};")
    for v in range(nrv):
        off = "" if v == 0 else (f" + {L}" if v == 1 else f" + {v} * {L}")
        o.append(f"            {V} b{v} = {V}.fromArray({S}, bp, ib{off});")
    for r in range(mr):
        o.append(f"            {V} a{r} = {V}.broadcast({S}, ap[a{r}i + p]);")
        o.append("            " + " ".join(f"c{r}{v} = a{r}.fma(b{v}, c{r}{v});" for v in range(nrv)))
    o.append("        }")
    for r in range(mr):
        o.append("        " + " ".join(f"c{r}{v}.intoArray(tile, {r} * NR_{X}" + ("" if v == 0 else f" + {v} * {L}") + ");" for v in range(nrv)))
    o.append("    }")
    return "\n".join(o)

def edges(X):
    """The edge kernels and the dispatcher that picks the smallest one covering an mr x nr tile."""
    t = 'float' if X == 'F' else 'double'
    L = 'VectorConfig.FL' if X == 'F' else 'VectorConfig.DL'
    rows, vecs = edge_shapes(X)
    o = []
    for r in rows:
        for v in vecs:
            if (r, v) != (MR[X], NRV[X]):
                o.append(kernel(X, r, v, f'_{r}x{v}'))
    o.append(f"""
    /**
     * Runs the smallest kernel whose tile covers {{@code mr x nr}} (a partial tile at an edge of C)
     * into {{@code tile}}; rows and columns it skips are the packing's zeros, never merged.
     */
    private static void edge{X}(boolean transA, int kc, {t}[] ap, int ai, {t}[] bp, int bi, {t}[] tile,
                              int mr, int nr) {{""")
    first = True
    for r in rows:
        for v in vecs:
            cond = f"mr <= {r} && nr <= {v if v > 1 else ''}{' * ' if v > 1 else ''}{L}"
            if (r, v) == (MR[X], NRV[X]):
                call_t, call_r = f'kernel{X}', f'kernel{X}R'
                cond = 'true'
            else:
                call_t, call_r = f'kernel{X}_{r}x{v}', f'kernel{X}R_{r}x{v}'
            kw = 'if' if first else '} else if'
            if cond == 'true':
                o.append(f"        }} else {{")
            else:
                o.append(f"        {kw} ({cond}) {{")
            o.append(f"            if (transA) {{")
            o.append(f"                {call_t}(kc, ap, ai, bp, bi, tile);")
            o.append(f"            }} else {{")
            o.append(f"                {call_r}(kc, ap, ai, bp, bi, tile);")
            o.append(f"            }}")
            first = False
    o.append("        }")
    o.append("    }")
    return "\n".join(o)

def small_blocks(X):
    """The unpacked path's blocks (rows x vectors of C): A broadcast from the segment, B rows
    loaded from it, the accumulators spilled to the tile (row-major, rows * vecs vectors)."""
    V = 'FloatVector' if X == 'F' else 'DoubleVector'
    t = 'float' if X == 'F' else 'double'
    L = 'VectorConfig.FL' if X == 'F' else 'VectorConfig.DL'
    S = 'VectorConfig.' + X
    lay = 'LF' if X == 'F' else 'LD'
    box = 'Float' if X == 'F' else 'Double'
    o = []
    for rows, vecs in ((4, 4), (4, 1), (1, 8), (1, 4), (1, 1)):
        o.append(f"""
    /** {rows} row(s) x {vecs} vector(s) of a small product into {{@code tile}} (see {{@link #small{X}}}). */
    private static void smallBlock{X}_{rows}x{vecs}(int k, MemorySegment a, long ai, long aRow, long aCol,
                                            MemorySegment b, long bAt, long ldb, {t}[] tile) {{""")
        for r in range(rows):
            o.append("        " + " ".join(f"{V} s{r}{v} = {V}.zero({S});" for v in range(vecs)))
        o.append("        for (int p = 0; p < k; p++) {")
        o.append(f"            long o = (bAt + p * ldb) * {box}.BYTES;")
        for v in range(vecs):
            off = "o" if v == 0 else (f"o + (long) {L} * {box}.BYTES" if v == 1 else f"o + {v}L * {L} * {box}.BYTES")
            o.append(f"            {V} b{v} = {V}.fromMemorySegment({S}, b, {off}, NATIVE);")
        o.append("            long q = ai + p * aCol;")
        for r in range(rows):
            idx = "q" if r == 0 else ("q + aRow" if r == 1 else f"q + {r} * aRow")
            o.append(f"            {V} a{r} = {V}.broadcast({S}, a.getAtIndex({lay}, {idx}));")
            o.append("            " + " ".join(f"s{r}{v} = a{r}.fma(b{v}, s{r}{v});" for v in range(vecs)))
        o.append("        }")
        for r in range(rows):
            o.append("        " + " ".join(f"s{r}{v}.intoArray(tile, {r * vecs + v} * {L});" for v in range(vecs)))
        o.append("    }")
    return "\n".join(o)

LANES = {'F': 16, 'D': 8}   # the widest species (512 bits); other widths use the scalar transpose

def transpose(X):
    """An L x L in-register transpose for packing a transposed B (4 or 3 two-source shuffle stages)."""
    V = 'FloatVector' if X == 'F' else 'DoubleVector'
    t = 'float' if X == 'F' else 'double'
    B = 'Float' if X == 'F' else 'Double'
    S = 'VectorConfig.' + X
    L = LANES[X]
    stages = L.bit_length() - 1
    o = []
    o.append(f"""
    /**
     * Shuffle indices of the {L} x {L} transpose ({{@link #transpose{X}}}): stage {{@code b}} swaps bit
     * {{@code b}} of the row index with bit {{@code b}} of the column index; for a row pair
     * {{@code (r, r | 1 << b)}}, {{@code T{X}_LO[b]}} builds the new row {{@code r}} and {{@code T{X}_HI[b]}}
     * the new row {{@code r | 1 << b}} (indices past {L} select from the second row). Null when
     * the species is not {L} lanes wide.
     */
    private static final {V}[] T{X}_LO = transposeIndices{X}(false);
    private static final {V}[] T{X}_HI = transposeIndices{X}(true);
    private static final {V} T{X}_LO0 = T{X}_LO == null ? null : T{X}_LO[0];""")
    for b in range(stages):
        if b > 0:
            o.append(f"    private static final {V} T{X}_LO{b} = T{X}_LO == null ? null : T{X}_LO[{b}];")
        o.append(f"    private static final {V} T{X}_HI{b} = T{X}_HI == null ? null : T{X}_HI[{b}];")
    o.append(f"""
    private static {V}[] transposeIndices{X}(boolean hi) {{
        if ({S}.length() != {L}) {{
            return null;
        }}
        {V}[] out = new {V}[{stages}];
        for (int b = 0; b < {stages}; b++) {{
            {t}[] idx = new {t}[{L}];
            int d = 1 << b;
            for (int c = 0; c < {L}; c++) {{
                boolean bit = (c & d) != 0;
                idx[c] = hi ? (bit ? {L} + c : c + d) : (bit ? {L} + c - d : c);
            }}
            out[b] = {V}.fromArray({S}, idx, 0);
        }}
        return out;
    }}

    /**
     * Transposes the {L} x {L} block of B at byte offset {{@code off}} (row stride {{@code ldBytes}})
     * into {{@code bp}}: row {{@code q}} of the result ({L} elements) goes to {{@code dst + q * NR_{X}}}.
     * Only for a {L}-lane species ({{@code T{X}_LO != null}}).
     */
    private static void transpose{X}(MemorySegment b, long off, long ldBytes, {t}[] bp, int dst) {{""")
    for r in range(L):
        o.append(f"        {V} r{r}s0 = {V}.fromMemorySegment({S}, b, off" + ("" if r == 0 else f" + {r} * ldBytes") + ", NATIVE);")
    for b in range(stages):
        d = 1 << b
        for r in range(L):
            if r & d:
                continue
            r2 = r | d
            o.append(f"        {V} r{r}s{b+1} = T{X}_LO{b}.selectFrom(r{r}s{b}, r{r2}s{b});")
            o.append(f"        {V} r{r2}s{b+1} = T{X}_HI{b}.selectFrom(r{r}s{b}, r{r2}s{b});")
    for r in range(L):
        o.append(f"        r{r}s{stages}.intoArray(bp, dst" + ("" if r == 0 else f" + {r} * NR_{X}") + ");")
    o.append("    }")
    return "\n".join(o)

tmpl = open(os.path.join(HERE, 'template.java')).read()
parts = {}
for X in 'FD':
    body = open(os.path.join(HERE, 'dtype.java')).read()
    V = 'FloatVector' if X == 'F' else 'DoubleVector'
    rep = {
        '$V': V, '$t': 'float' if X == 'F' else 'double', '$S': 'VectorConfig.' + X,
        '$L': 'VectorConfig.FL' if X == 'F' else 'VectorConfig.DL', '$X': X,
        '$LAY': 'LF' if X == 'F' else 'LD', '$BOX': 'Float' if X == 'F' else 'Double',
        '$KERNEL': kernel(X) + "\n" + edges(X) + "\n" + transpose(X) + "\n" + small_blocks(X),
    }
    for key in sorted(rep, key=len, reverse=True):
        body = body.replace(key, rep[key])
    parts[X] = body
out = tmpl.replace('$FLOAT_PART', parts['F']).replace('$DOUBLE_PART', parts['D'])
out = out.replace('$MRF', str(MR['F'])).replace('$NRVF', str(NRV['F'])).replace('$MRD', str(MR['D'])).replace('$NRVD', str(NRV['D']))
assert len(out) > 10000
sys.stdout.write(out)
