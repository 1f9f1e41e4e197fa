package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Loss;
import io.vecgrad.nn.MSELoss;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.nn.Tanh;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.SGD;
import io.vecgrad.train.DataSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.knowm.xchart.XYChart;

/**
 * F4-09 "The canonical train loop": {@code zeroGrad, forward, loss, backward, step}, written once
 * and used for NMA's WideNet (MSE + SGD with momentum) and for the bundled digits (cross entropy +
 * Adam); and what happens when {@code zeroGrad} is left out.
 */
final class F4_09_CanonicalLoop extends BaseExample {
    F4_09_CanonicalLoop() {
        super("f4-09-canonical-loop", "004",
                "zeroGrad, forward, loss, backward, step: WideNet sin(πx) by MSE+SGD momentum, digits by CE+Adam; no zeroGrad explodes");
    }

    /** The notes' loop; returns the loss of every epoch. */
    static <T> double[] train(Layer net, Loss<T> lossFunction, Optimizer optimizer, Tensor inputs, T targets,
            int epochs, boolean zeroGrad) {
        double[] losses = new double[epochs];
        for (int i = 0; i < epochs; i++) {
            if (zeroGrad) {
                optimizer.zeroGrad();                        // clear the gradients of the last step
            }
            Tensor prediction = net.forward(inputs);         // forward pass: this builds the graph
            Tensor loss = lossFunction.apply(prediction, targets);
            loss.backward();                                 // backward pass: walks the graph
            optimizer.step();                                // update the parameters
            losses[i] = loss.item();
        }
        return losses;
    }

    static Sequential wideNet(long seed) {
        SplittableRandom gen = new SplittableRandom(seed);
        return new Sequential(new Linear(1, 512, true, gen, F64), new Tanh(), new Linear(512, 1, true, gen, F64));
    }

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        double[] xs = Charts.linspace(-1, 1, 32);
        double[] ys = new double[32];
        for (int i = 0; i < 32; i++) {
            ys[i] = Math.sin(Math.PI * xs[i]);
        }
        Tensor inputs = Tensor.fromArray(F64, xs, 32, 1);
        Tensor targets = Tensor.fromArray(F64, ys, 32, 1);
        out.println("WideNet = Sequential(Linear(1, 512), Tanh(), Linear(512, 1)); MSELoss; SGD(lr 0.003, momentum 0.9);");
        out.println("inputs linspace(-1, 1, 32), targets sin(πx) (NMA adds noise; none here), 1847 epochs:");
        double[] finals = new double[2];
        double[] curve0 = null;
        Sequential net0 = null;
        for (int seed = 0; seed < 2; seed++) {
            Sequential net = wideNet(seed);
            SGD opt = SGD.builder(net.parameters()).lr(0.003).momentum(0.9).build();
            double[] l = train(net, new MSELoss(), opt, inputs, targets, 1847, true);
            finals[seed] = l[1846];
            Fmt.kv(out, "seed " + seed, Fmt.f("initial %.4f, epoch 100 %.4f, final %.3e", l[0], l[100], l[1846]));
            if (seed == 0) {
                curve0 = l;
                net0 = net;
            }
        }
        r.put("wideFinal", finals).put("wideEpoch100", curve0[100]);

        Sequential net = wideNet(0);
        SGD opt = SGD.builder(net.parameters()).lr(0.003).momentum(0.9).build();
        double[] noZero = train(net, new MSELoss(), opt, inputs, targets, 100, false);
        Fmt.kv(out, "without zeroGrad (seed 0)", Fmt.f("epoch 10 %.3e, epoch 50 %.3e, epoch 99 %s", noZero[10], noZero[50],
                Fmt.num(noZero[99])) + " — gradients accumulate");
        r.put("noZeroGrad", noZero[50], noZero[99]);
        Fmt.notesClaim(out, "loss.backward()  # Backward pass to build the graph — the forward pass builds it; backward walks it");

        DataSet digits = DataSet.readCsv(DataSet.class.getResourceAsStream("digits.csv.gz"), "digits",
                DataSet.Task.CLASSIFICATION, 10).scaleFeatures(1 / 16.0);
        SplittableRandom gen = new SplittableRandom(42);
        Sequential mlp = new Sequential(new Linear(64, 32, true, gen, F64), new ReLU(), new Linear(32, 10, true, gen, F64));
        Tensor dx = digits.featureTensor(F64);
        Indices dy = digits.labelIndices();
        Adam adam = Adam.builder(mlp.parameters()).lr(0.01).build();
        double[] ce = train(mlp, new CrossEntropyLoss(), adam, dx, dy, 150, true);
        int correct;
        try (var _ = Tensor.noGrad()) {
            correct = Losses.correct(mlp.forward(dx), dy);
        }
        double acc = (double) correct / digits.size();
        out.println("the same loop, digits (1797 8x8 images): Sequential(Linear(64, 32), ReLU(), Linear(32, 10)),");
        out.println("CrossEntropyLoss, Adam(lr 0.01), 150 full-batch epochs:");
        Fmt.kv(out, "cross entropy", Fmt.f("%.4f -> %.4f", ce[0], ce[149]));
        Fmt.kv(out, "training accuracy", Fmt.f("%.2f%% (%d/%d)", 100 * acc, correct, digits.size()));
        r.put("digitsLoss", ce[0], ce[149]).put("digitsAccuracy", acc);

        double[] pred;
        try (var _ = Tensor.noGrad()) {
            pred = net0.forward(inputs).toDoubleArray();
        }
        XYChart c1 = Charts.chart("Regression", "x", "y");
        Charts.path(c1, "targets", xs, ys).setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        Charts.curve(c1, "prediction", xs, pred);
        XYChart c2 = Charts.chart("Training loss", "epoch", "MSE");
        c2.getStyler().setYAxisLogarithmic(true);
        Charts.curve(c2, "with zeroGrad", epochs(curve0.length), curve0);
        Path png = Charts.saveGrid(java.util.List.of(c1, c2), 1, 2, outDir, "widenet.png");
        out.println("  plot: " + png);
        return r.file(png);
    }

    static double[] epochs(int n) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = i;
        }
        return e;
    }
}
