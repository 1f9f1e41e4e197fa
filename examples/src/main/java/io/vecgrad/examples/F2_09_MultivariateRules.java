package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** F2-09: ∇x Ax = Aᵀ, ∇x xᵀA = A, ∇x xᵀAx = (A + Aᵀ)x, ∇x ‖x‖² = 2x, with Jacobians row by row. */
final class F2_09_MultivariateRules extends BaseExample {
    F2_09_MultivariateRules() {
        super("f2-09-multivariate-rules", "002",
                "A = [[1,2],[3,4]], x = [1,-1]: Jacobians of Ax and xᵀA, gradients of xᵀAx and |x|^2 (layouts explained)");
    }

    static final Tensor A = Tensor.fromArray(new double[] {1, 2, 3, 4}, 2, 2);

    /** The Jacobian (rows = outputs, numerator layout) by one backward per output with a one-hot seed. */
    static double[] jacobian(UnaryOperator<Tensor> f, double[] at, int outputs) {
        double[] j = new double[outputs * at.length];
        for (int o = 0; o < outputs; o++) {
            Tensor x = Tensor.fromArray(F64, at, at.length).requiresGrad(true);
            double[] seed = new double[outputs];
            seed[o] = 1;
            f.apply(x).backward(Tensor.fromArray(F64, seed, outputs));
            System.arraycopy(x.grad().toDoubleArray(), 0, j, o * at.length, at.length);
        }
        return j;
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        double[] x0 = {1, -1};
        double[] jAx = jacobian(A::matmul, x0, 2);
        double[] jxA = jacobian(x -> x.matmul(A), x0, 2);
        Tensor x = Tensor.of(x0.clone()).requiresGrad(true);
        A.matmul(x).backward(Tensor.ones(F64, 2));
        double[] vjp = x.grad().toDoubleArray();
        Tensor x2 = Tensor.of(x0.clone()).requiresGrad(true);
        Tensor quad = x2.matmul(A).dot(x2);
        quad.backward();
        Tensor x3 = Tensor.of(x0.clone()).requiresGrad(true);
        Tensor sq = x3.dot(x3);
        sq.backward();
        Fmt.kv(out, "Jacobian of Ax (rows = outputs)", Fmt.mat(jAx, 2, 2) + " = A; the notes' ∇x Ax = Aᵀ is its transpose");
        Fmt.kv(out, "(A@x).backward(ones) = Aᵀ·1", Fmt.arr(vjp));
        Fmt.kv(out, "Jacobian of xᵀA (rows = outputs)", Fmt.mat(jxA, 2, 2) + " = Aᵀ; in the notes' layout \"A\"");
        Fmt.kv(out, "xᵀAx and its gradient", Fmt.num(quad.item()) + ", " + Fmt.arr(x2.grad().toDoubleArray())
                + " = (A + Aᵀ)x");
        Fmt.kv(out, "|x|^2 and its gradient", Fmt.num(sq.item()) + ", " + Fmt.arr(x3.grad().toDoubleArray()) + " = 2x");
        out.println("  layout: .grad has the parameter's shape (denominator layout, as these rules); note 003 uses"
                + " numerator layout, hence its transposes");
        return new Result().put("jacAx", jAx).put("jacxA", jxA).put("vjp", vjp).put("quad", quad.item())
                .put("quadGrad", x2.grad().toDoubleArray()).put("sq", sq.item())
                .put("sqGrad", x3.grad().toDoubleArray());
    }
}
