package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.optim.Adam;
import io.vecgrad.train.DataSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;

/**
 * F3-16 "Unit visualization via backprop": the gradient with respect to the input instead of the
 * weights — a saliency ∂out/∂x, gradient ascent on wᵀx − λ‖x‖², and an 8×8 image that maximises
 * one class of a small digits model trained here.
 */
final class F3_16_UnitVisualization extends BaseExample {
    F3_16_UnitVisualization() {
        super("f3-16-unit-visualization", "003",
                "gradient w.r.t. the input: saliency, ascent on wᵀx - λ|x|², and the 8x8 image that maximises a digits class");
    }

    static final int CLASS = 3;

    @Override
    public Result run(Path outDir, PrintStream out) throws IOException {
        Result r = new Result();
        // (a) saliency of out = W2 tanh(W1 x0)
        Tensor w1 = Tensor.fromArray(F64, new double[] {1, -1, 0.5, 2}, 2, 2);
        Tensor w2 = Tensor.fromArray(F64, new double[] {2, -1}, 1, 2);
        Tensor x0 = Tensor.fromArray(F64, new double[] {0.3, -0.2}, 2, 1).requiresGrad(true);
        Tensor o = w2.matmul(w1.matmul(x0).tanh()).sum();
        o.backward();
        out.println("(a) saliency: out = W2·tanh(W1·x0), W1 = [[1, -1], [0.5, 2]], W2 = [[2, -1]], x0 = [0.3, -0.2]:");
        Fmt.kv(out, "out", Fmt.num(o.item()));
        Fmt.kv(out, "∂out/∂x0", Fmt.arr(x0.grad().toDoubleArray()));
        r.put("saliency", o.item(), x0.grad().get(0, 0), x0.grad().get(1, 0));

        // (b) gradient ascent x <- x + η ∂(wᵀx - λ‖x‖²)/∂x
        Tensor w = Tensor.of(1.0, -2.0, 0.5);
        Tensor x = Tensor.zeros(F64, 3).requiresGrad(true);
        for (int k = 0; k < 200; k++) {
            Tensor objective = w.dot(x).sub(x.square().sum().mul(0.5));
            objective.backward();
            try (var _ = Tensor.noGrad()) {
                x.add_(x.grad().mul(0.1));                      // ascent: +η
            }
            x.zeroGrad();
        }
        out.println("(b) ascent on wᵀx - λ|x|^2, w = [1, -2, 0.5], λ 0.5, η 0.1, x0 = 0, 200 steps:");
        Fmt.kv(out, "x", Fmt.arr(x.toDoubleArray()) + "  (closed form w/(2λ) = [1, -2, 0.5])");
        r.put("ascent", x.toDoubleArray());
        Fmt.notesClaim(out, "argmax x_j + λR(x) with R unsigned — a norm penalty needs λ < 0 (here: - λ|x|^2, λ > 0)");

        // (c) the digits: train briefly, then optimise an input for one class
        DataSet digits = DataSet.readCsv(DataSet.class.getResourceAsStream("digits.csv.gz"), "digits",
                DataSet.Task.CLASSIFICATION, 10).scaleFeatures(1 / 16.0);
        SplittableRandom gen = new SplittableRandom(7);
        Sequential model = new Sequential(new Linear(64, 32, true, gen, F64), new ReLU(), new Linear(32, 10, true, gen, F64));
        Tensor images = digits.featureTensor(F64);
        Indices labels = digits.labelIndices();
        Adam opt = Adam.builder(model.parameters()).lr(0.01).build();
        CrossEntropyLoss ce = new CrossEntropyLoss();
        for (int epoch = 0; epoch < 150; epoch++) {
            opt.zeroGrad();
            ce.apply(model.forward(images), labels).backward();
            opt.step();
        }
        double acc;
        try (var _ = Tensor.noGrad()) {
            acc = (double) Losses.correct(model.forward(images), labels) / digits.size();
        }
        out.println("(c) digits model Sequential(Linear(64, 32), ReLU(), Linear(32, 10)), Adam 0.01, 150 epochs:");
        Fmt.kv(out, "training accuracy", Fmt.f("%.2f%%", 100 * acc));
        for (Tensor p : model.parameters()) {
            p.requiresGrad(false);                              // the weights stay fixed: only the input learns
        }
        Tensor img;
        try (var _ = Tensor.noGrad()) {
            img = images.mean(0, true).copy();                  // start from the average digit
        }
        img.requiresGrad(true);
        double before = probability(model, img);
        int steps = 300;
        double[] prob = new double[steps + 1];
        prob[0] = before;
        for (int k = 0; k < steps; k++) {
            Tensor logit = model.forward(img).slice(1, CLASS, CLASS + 1).sum();
            Tensor objective = logit.sub(img.square().sum().mul(0.05));   // x_j - λ|x|^2, λ = 0.05
            objective.backward();
            try (var _ = Tensor.noGrad()) {
                img.add_(img.grad().mul(0.05));                 // x <- x + η ∂/∂x
                img.clamp_(0, 1);                               // stay a valid image
            }
            img.zeroGrad();
            prob[k + 1] = probability(model, img);
        }
        double after = prob[steps];
        Fmt.kv(out, "p(class " + CLASS + ") of the mean digit", Fmt.f("%.4f", before));
        Fmt.kv(out, "after 300 ascent steps", Fmt.f("%.4f (x_3 - 0.05|x|^2, η 0.05, pixels clamped to [0, 1])", after));
        r.put("digitsAccuracy", acc).put("probability", before, after);
        Path image = saveImage(img.toDoubleArray(), outDir, "class" + CLASS + "_maximised.png");
        out.println("  image: " + image + " (8x8, scaled x32)");
        r.text("image", image.toString());
        XYChart c = Charts.chart("p(class " + CLASS + ") during gradient ascent on the input", "step", "probability");
        Charts.curve(c, "p(class " + CLASS + ")", F4_09_CanonicalLoop.epochs(steps + 1), prob);
        Path png = Charts.save(c, outDir, "class" + CLASS + "_ascent.png");
        out.println("  plot: " + png);
        return r.file(png);
    }

    static double probability(Sequential model, Tensor img) {
        try (var _ = Tensor.noGrad()) {
            return model.forward(img).softmax(1).get(0, CLASS);
        }
    }

    /** Writes 64 pixel values in [0, 1] as an 8×8 grey image (white = 1), each pixel 32×32. */
    static Path saveImage(double[] px, Path outDir, String name) throws IOException {
        int s = 32;
        BufferedImage im = new BufferedImage(8 * s, 8 * s, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8 * s; y++) {
            for (int x = 0; x < 8 * s; x++) {
                int v = (int) Math.round(255 * Math.max(0, Math.min(1, px[(y / s) * 8 + x / s])));
                im.getRaster().setSample(x, y, 0, v);
            }
        }
        Files.createDirectories(outDir);
        Path p = outDir.resolve(name);
        ImageIO.write(im, "png", p.toFile());
        return p;
    }
}
