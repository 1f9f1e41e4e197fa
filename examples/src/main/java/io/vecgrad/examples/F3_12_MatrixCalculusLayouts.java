package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F3-12 matrix calculus: the chain rule with dimensions [1×4] = [1×2]·[2×4] for z(u(x)), the
 * Jacobian of u = Ax row by row, and the scalar-by-matrix layout (PyTorch-style grad has the
 * parameter's shape; the notes' numerator layout is its transpose).
 */
final class F3_12_MatrixCalculusLayouts extends BaseExample {
    F3_12_MatrixCalculusLayouts() {
        super("f3-12-matrix-calculus-layouts", "003",
                "z = u1² + 3u2, u = Ax: h'(x) = [6, 3] · A = [6, 3, 9, 3]; grad of aᵀXb is abᵀ (2x3), the notes' layout its 3x2 transpose");
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        double[] av = {1, 0, 2, -1, 0, 1, -1, 3};
        Tensor a = Tensor.fromArray(F64, av, 2, 4);
        Tensor x = Tensor.fromArray(F64, new double[] {1, 2, 1, 0}, 4, 1).requiresGrad(true);
        Tensor u = a.matmul(x).retain();
        Tensor z = u.slice(0, 0, 1).square().add(u.slice(0, 1, 2).mul(3)).sum();
        z.backward();
        double[] uv = u.toDoubleArray();
        out.println("A = [[1, 0, 2, -1], [0, 1, -1, 3]], x = [1, 2, 1, 0], u = Ax, z = u1^2 + 3 u2 (|z| = 1, |u| = 2, |x| = 4):");
        Fmt.kv(out, "u, z", Fmt.arr(uv) + ", " + Fmt.num(z.item()));
        Fmt.kv(out, "∂z/∂u  [1x2]", Fmt.arr(2 * uv[0], 3));
        // the Jacobian ∂u/∂x [2x4], one backward per output row
        double[] jac = new double[8];
        for (int i = 0; i < 2; i++) {
            Tensor xi = Tensor.fromArray(F64, new double[] {1, 2, 1, 0}, 4, 1).requiresGrad(true);
            a.matmul(xi).slice(0, i, i + 1).sum().backward();
            System.arraycopy(xi.grad().toDoubleArray(), 0, jac, 4 * i, 4);
        }
        Fmt.kv(out, "∂u/∂x  [2x4]", Fmt.mat(jac, 2, 4) + " = A");
        double[] chain = new double[4];
        for (int j = 0; j < 4; j++) {
            chain[j] = 2 * uv[0] * jac[j] + 3 * jac[4 + j];
        }
        Fmt.kv(out, "[1x2]·[2x4] = h'(x) [1x4]", Fmt.arr(chain));
        Fmt.kv(out, "autograd x.grad", Fmt.arr(x.grad().toDoubleArray()) + " (stored with x's shape, 4x1)");
        r.put("u", uv).put("z", z.item()).put("jacobian", jac).put("chain", chain).put("grad", x.grad().toDoubleArray());

        Tensor av2 = Tensor.of(1.0, 2.0).reshape(2, 1);
        Tensor b = Tensor.of(3.0, -1.0, 0.5).reshape(3, 1);
        Tensor xm = Tensor.ones(F64, 2, 3).requiresGrad(true);
        Tensor yv = av2.t().matmul(xm).matmul(b).sum();
        yv.backward();
        double[] g = xm.grad().toDoubleArray();
        out.println("scalar by matrix: y = aᵀXb, a = [1, 2], b = [3, -1, 0.5], X = ones(2, 3):");
        Fmt.kv(out, "y", Fmt.num(yv.item()));
        Fmt.kv(out, "X.grad (2x3, X's shape)", Fmt.mat(g, 2, 3) + " = abᵀ");
        double[] gt = {g[0], g[3], g[1], g[4], g[2], g[5]};
        Fmt.kv(out, "notes' layout (3x2)", Fmt.mat(gt, 3, 2) + " = (abᵀ)ᵀ");
        out.println("  the notes write scalar-by-matrix derivatives transposed (numerator layout): their W updates carry ᵀ.");
        r.put("y", yv.item()).put("gradX", g);
        return r;
    }
}
