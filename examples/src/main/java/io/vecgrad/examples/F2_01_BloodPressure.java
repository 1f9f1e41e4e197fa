package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;

/** F2-01: estimate blood pressure from height, weight, age, exercise hours with a linear model. */
final class F2_01_BloodPressure extends BaseExample {
    F2_01_BloodPressure() {
        super("f2-01-blood-pressure", "002",
                "linear model w·x on 3 patients: y0_hat = 121.2, loss 1505.4399999999998, and the mean-loss gradient");
    }

    static final double[][] X = {{180, 89, 35, 1}, {160, 49, 40, 4}, {179, 69, 20, 2}};
    static final double[] Y = {160, 130, 110};
    static final double[] W = {0.3, 0.8, -0.4, 10};

    /** model(w, x) = w0·x0 + w1·x1 + w2·x2 + w3·x3, summed left to right as in the notes. */
    static Tensor model(Tensor w, double[] x) {
        Tensor yHat = w.slice(0, 0, 1).mul(x[0]);
        for (int i = 1; i < x.length; i++) {
            yHat = yHat.add(w.slice(0, i, i + 1).mul(x[i]));
        }
        return yHat.sum();
    }

    static Tensor loss(Tensor y, Tensor yHat) {
        return y.sub(yHat).square();
    }

    @Override
    public Result run(Path outDir, PrintStream out) {
        Result r = new Result();
        Tensor w = Tensor.of(W.clone()).requiresGrad(true);
        double[] yHats = new double[3];
        double[] losses = new double[3];
        for (int i = 0; i < 3; i++) {
            Tensor yHat = model(w, X[i]);
            Tensor l = loss(Tensor.scalar(F64, Y[i]), yHat);
            yHats[i] = yHat.item();
            losses[i] = l.item();
            if (i == 0) {
                l.backward();
                r.put("grad0", w.grad().toDoubleArray());
            }
        }
        out.println("X = [[180,89,35,1],[160,49,40,4],[179,69,20,2]], Y = [160,130,110], w = [0.3,0.8,-0.4,10]");
        out.println("print(y0_hat)              -> " + yHats[0]);
        out.println("print(loss(y0, y0_hat))    -> " + losses[0]);
        out.println("other samples: y_hat = " + yHats[1] + ", " + yHats[2] + "; loss = " + losses[1] + ", " + losses[2]);
        Fmt.kv(out, "d loss0 / dw", Fmt.arr(r.values("grad0")));

        // all three rows at once, as a matrix-vector product, L = mean((X·w - Y)^2)
        Tensor w2 = Tensor.of(W.clone()).requiresGrad(true);
        Tensor xm = Tensor.fromArray(new double[] {180, 89, 35, 1, 160, 49, 40, 4, 179, 69, 20, 2}, 3, 4);
        Tensor ym = Tensor.fromArray(Y.clone(), 3, 1).reshape(3);
        Tensor mse = Losses.mse(xm.matmul(w2), ym, Reduction.MEAN);
        mse.backward();
        Fmt.kv(out, "mean loss over the 3 rows", Double.toString(mse.item()));
        Fmt.kv(out, "its gradient", Fmt.arr(w2.grad().toDoubleArray()));
        return r.put("yHat", yHats).put("loss", losses).put("meanLoss", mse.item())
                .put("meanGrad", w2.grad().toDoubleArray());
    }
}
