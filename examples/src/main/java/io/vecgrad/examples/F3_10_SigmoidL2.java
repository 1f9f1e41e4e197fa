package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F3-10: the hand-derived gradient of a sigmoid unit with squared error and L2 regularisation vs autograd. */
final class F3_10_SigmoidL2 extends BaseExample {
    F3_10_SigmoidL2() {
        super("f3-10-sigmoid-l2", "003",
                "z = wx + b, y = σ(z), L = ½(y-t)^2 + λ·½w^2: the notes' formulas for ∂w, ∂b equal autograd");
    }

    /** {z, y, L_reg, dw, db} by autograd, and {dw, db} by the notes' formulas. */
    static double[] point(double w0, double b0, double x, double t, double lambda) {
        Tensor w = Tensor.scalar(F64, w0).requiresGrad(true);
        Tensor b = Tensor.scalar(F64, b0).requiresGrad(true);
        Tensor z = w.mul(x).add(b).retain();
        Tensor y = z.sigmoid().retain();
        Tensor loss = y.sub(t).square().mul(0.5);
        Tensor reg = w.square().mul(0.5);
        Tensor lReg = loss.add(reg.mul(lambda));
        lReg.backward();
        double s = 1 / (1 + Math.exp(-(w0 * x + b0)));
        double dwFormula = (s - t) * s * (1 - s) * x + lambda * w0;
        double dbFormula = (s - t) * s * (1 - s);
        return new double[] {z.item(), y.item(), lReg.item(), w.grad().item(), b.grad().item(), dwFormula, dbFormula};
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Result r = new Result();
        double[][] cases = {{0.5, -0.5, 2, 1, 0.1}, {1, 0, 1, 0, 0},
            // acceptance cases seeds/i_regularized_logistic_1..4
            {0.5, -0.2, 1.5, 1, 0.1}, {-1.2, 0.3, 0.7, 0, 0.01}, {2, 0.5, -1, 1, 1}, {0.25, -1, 3, 0, 0.5}};
        for (int i = 0; i < cases.length; i++) {
            double[] c = cases[i];
            double[] p = point(c[0], c[1], c[2], c[3], c[4]);
            out.println(Fmt.f("w=%s b=%s x=%s t=%s λ=%s: z=%s y=%.10f L_reg=%.10f", Fmt.num(c[0]), Fmt.num(c[1]),
                    Fmt.num(c[2]), Fmt.num(c[3]), Fmt.num(c[4]), Fmt.num(p[0]), p[1], p[2]));
            out.println(Fmt.f("    autograd ∂w=%.10f ∂b=%.10f   formula ∂w=%.10f ∂b=%.10f", p[3], p[4], p[5], p[6]));
            r.put("case" + i, p);
        }
        return r;
    }
}
