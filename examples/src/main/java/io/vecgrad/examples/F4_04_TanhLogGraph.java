package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F4-04 and F4-05: the computational graph of f(x,y,z) = tanh(ln(1 + z·2x/sin y)): a = 2x,
 * b = sin y, c = a/b, d = z·c, e = ln(1 + d), f = tanh(e); ∂f/∂x and ∂f/∂y by the graph's edge
 * rules vs autograd.
 */
final class F4_04_TanhLogGraph extends BaseExample {
    F4_04_TanhLogGraph() {
        super("f4-04-tanh-log-graph", "004",
                "f = tanh(ln(1 + z·2x/sin y)): forward nodes a..f, ∂f/∂x, ∂f/∂y, ∂f/∂z by hand and by autograd");
    }

    /** {f, fx, fy, fz, fx by formula, fy by formula, a, b, c, d, e}. */
    static double[] at(double x0, double y0, double z0, boolean zTimesTwoFirst) {
        Tensor x = Tensor.scalar(F64, x0).requiresGrad(true);
        Tensor y = Tensor.scalar(F64, y0).requiresGrad(true);
        Tensor z = Tensor.scalar(F64, z0).requiresGrad(true);
        Tensor a = x.mul(2).retain();
        Tensor b = y.sin().retain();
        Tensor d;
        Tensor c = a.div(b).retain();
        if (zTimesTwoFirst) {                   // the acceptance cases evaluate ((z*2)*x)/sin(y)
            d = z.mul(2).mul(x).div(b).retain();
        } else {
            d = z.mul(c).retain();
        }
        Tensor e = d.add(1).log().retain();
        Tensor f = e.tanh();
        f.backward();
        double ev = e.item();
        double df = 1 - Math.tanh(ev) * Math.tanh(ev);
        double fx = df * 1 / (d.item() + 1) * z0 * 1 / b.item() * 2;             // the notes' ∂f/∂x line
        double fy = df * 1 / (d.item() + 1) * z0 * (-a.item() / (b.item() * b.item())) * Math.cos(y0); // ∂f/∂y
        return new double[] {f.item(), x.grad().item(), y.grad().item(), z.grad().item(), fx, fy, a.item(), b.item(),
            c.item(), d.item(), ev};
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Result r = new Result();
        double[] p1 = at(0.5, 2.0, -0.3, false);
        out.println("P1 = (x, y, z) = (0.5, 2.0, -0.3):");
        Fmt.kv(out, "a, b, c, d, e", Fmt.arr(p1[6], p1[7], p1[8], p1[9], p1[10]));
        Fmt.kv(out, "f", Fmt.num(p1[0]));
        Fmt.kv(out, "autograd ∂f/∂x, ∂f/∂y, ∂f/∂z", Fmt.arr(p1[1], p1[2], p1[3]));
        Fmt.kv(out, "graph rules ∂f/∂x, ∂f/∂y", Fmt.arr(p1[4], p1[5]));
        double[] p2 = at(1, 1, 1, false);
        out.println("P2 = (1, 1, 1): f = " + Fmt.num(p2[0]) + ", grads " + Fmt.arr(p2[1], p2[2], p2[3]));
        r.put("P1", p1).put("P2", p2);
        double[][] seeds = {{0.5, 1, 0.3}, {1, 2, -0.2}, {-0.3, 0.5, 0.4}, {2, 3, 0.1}};
        for (int i = 0; i < seeds.length; i++) {
            double[] s = at(seeds[i][0], seeds[i][1], seeds[i][2], true);
            out.println(Fmt.f("(%s, %s, %s): f = %.10f, grads %s", Fmt.num(seeds[i][0]), Fmt.num(seeds[i][1]),
                    Fmt.num(seeds[i][2]), s[0], Fmt.arr(s[1], s[2], s[3])));
            r.put("seed" + (i + 1), s[0], s[1], s[2], s[3]);
        }
        Fmt.notesClaim(out, "the edge labels are garbled (\"∂c/∂a = 1/b\" three times, \"f = tanh²(e)\");"
                + " the ∂f/∂x line (1 - tanh²(e))·1/(d+1)·z·1/b·2 is right");
        return r;
    }
}
