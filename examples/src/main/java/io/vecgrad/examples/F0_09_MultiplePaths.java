package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * F0-09 (also F2-10, F4-06): when several paths link two nodes, their contributions are summed.
 * The notes of 004 say "find the unique path"; the diamond shows why that is wrong.
 */
final class F0_09_MultiplePaths extends BaseExample {
    F0_09_MultiplePaths() {
        super("f0-09-multiple-paths", "000",
                "gradients over several paths are summed: x·x + x at 3 gives 7; diamond u1·u2 gives 21 and 16");
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        // (a) fan-out: x is used three times.
        Tensor x = Tensor.scalar(F64, 3).requiresGrad(true);
        Tensor f = x.mul(x).add(x);
        f.backward();
        out.println("(a) f = x*x + x at x = 3: three uses of x, one backward");
        Fmt.kv(out, "f", Fmt.num(f.item()));
        Fmt.kv(out, "df/dx = 2x + 1", Fmt.num(x.grad().item()));

        // (b) the diamond: x1 and x2 reach y through u1 and through u2.
        Tensor x1 = Tensor.scalar(F64, 2).requiresGrad(true);
        Tensor x2 = Tensor.scalar(F64, 3).requiresGrad(true);
        Tensor u1 = x1.add(x2).retain();
        Tensor u2 = x1.mul(x2).retain();
        Tensor y = u1.mul(u2);
        y.backward();
        double viaU1 = u2.item() * 1;             // dy/du1 · du1/dx1
        double viaU2 = u1.item() * x2.item();     // dy/du2 · du2/dx1
        out.println("(b) u1 = x1 + x2, u2 = x1·x2, y = u1·u2 at (x1, x2) = (2, 3)");
        Fmt.kv(out, "y", Fmt.num(y.item()));
        Fmt.kv(out, "dy/dx1 (autograd)", Fmt.num(x1.grad().item()));
        Fmt.kv(out, "  path via u1: u2·1", Fmt.num(viaU1));
        Fmt.kv(out, "  path via u2: u1·x2", Fmt.num(viaU2));
        Fmt.kv(out, "  sum of the paths", Fmt.num(viaU1 + viaU2));
        Fmt.kv(out, "dy/dx2 (autograd)", Fmt.num(x2.grad().item()));
        Fmt.notesClaim(out, "(note 004) \"find the unique path from L to v and multiply the edge weights\" —"
                + " there are two paths here; either alone gives " + Fmt.num(viaU1) + " or " + Fmt.num(viaU2));
        return new Result().put("fanOut", f.item(), x.grad().item())
                .put("y", y.item()).put("dx1", x1.grad().item()).put("dx2", x2.grad().item())
                .put("paths", viaU1, viaU2);
    }
}
