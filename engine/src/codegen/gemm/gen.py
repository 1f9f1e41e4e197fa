import sys, os
HERE = os.path.dirname(os.path.abspath(__file__))
MR = {'F': 6, 'D': 6}
NRV = {'F': 4, 'D': 4}
if len(sys.argv) > 2:
    MR['F'], NRV['F'] = int(sys.argv[1]), int(sys.argv[2])
if len(sys.argv) > 4:
    MR['D'], NRV['D'] = int(sys.argv[3]), int(sys.argv[4])

def kernel(X):
    V = 'FloatVector' if X == 'F' else 'DoubleVector'
    t = 'float' if X == 'F' else 'double'
    L = 'VectorConfig.FL' if X == 'F' else 'VectorConfig.DL'
    S = 'VectorConfig.' + X
    mr, nrv = MR[X], NRV[X]
    o = []
    o.append(f"""
    /**
     * The {t} micro-kernel: an {mr} x {nrv}-vector tile of C held in {mr*nrv} accumulators,
     * updated by one broadcast of A and {nrv} vector loads of B per k step, then spilled to
     * {{@code tile}} (row-major, row stride NR_{X}). Written out for MR_{X} = {mr}, NRV_{X} = {nrv}
     * because the JIT keeps locals in registers but not array elements.
     */
    private static void kernel{X}(int kc, {t}[] ap, int ai, {t}[] bp, int bi, {t}[] tile) {{""")
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
        '$KERNEL': kernel(X),
    }
    for key in sorted(rep, key=len, reverse=True):
        body = body.replace(key, rep[key])
    parts[X] = body
out = tmpl.replace('$FLOAT_PART', parts['F']).replace('$DOUBLE_PART', parts['D'])
assert len(out) > 10000
sys.stdout.write(out)
