package io.vecgrad.it.consumer;

import io.vecgrad.autograd.Indices;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.engine.spi.KernelProvider;
import io.vecgrad.nn.*;
import io.vecgrad.optim.Adam;
import io.vecgrad.train.DataLoader;
import io.vecgrad.train.DataSet;
import io.vecgrad.train.Datasets;
import io.vecgrad.train.Model;
import io.vecgrad.train.Trainer;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * What a library user's program does, on the module path: trains a small MLP on the bundled
 * digits, saves a model bundle, loads it back with {@link Model#load} and predicts. Along the way
 * it checks that vecgrad arrived as named modules exporting exactly their public packages, and
 * which kernels the engine chose.
 *
 * <p>Usage: {@code Main OUT_DIR vector|scalar}, the kernels expected (vector with
 * {@code --add-modules jdk.incubator.vector}, scalar without). Prints one line per check; exits 1
 * on the first failed one.
 */
public final class Main {
    private Main() {}

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("consumer: FAILED " + what);
            System.exit(1);
        }
        System.out.println("consumer: ok " + what);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !Set.of("vector", "scalar").contains(args[1])) {
            System.err.println("usage: Main OUT_DIR vector|scalar");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[0]));

        // java.lang.Module, unqualified, next to `import io.vecgrad.nn.*;`
        Module self = Main.class.getModule();
        Module nn = Layer.class.getModule();
        check(self.isNamed() && nn.isNamed() && nn.getName().equals("io.vecgrad.autograd"),
                "vecgrad is on the module path as named modules (" + self.getName() + " reads " + nn.getName() + ")");

        for (String[] m : new String[][] {
                {"io.vecgrad.engine", "io.vecgrad.engine", "io.vecgrad.engine.spi"},
                {"io.vecgrad.autograd", "io.vecgrad.autograd", "io.vecgrad.nn"},
                {"io.vecgrad.optim", "io.vecgrad.optim", "io.vecgrad.train", "io.vecgrad.train.cli"}}) {
            ModuleDescriptor d = ModuleLayer.boot().findModule(m[0]).orElseThrow().getDescriptor();
            Set<String> exported = new TreeSet<>();
            d.exports().forEach(e -> exported.add(e.source() + (e.isQualified() ? " to " + e.targets() : "")));
            check(exported.equals(new TreeSet<>(List.of(m).subList(1, m.length))),
                    m[0] + " exports exactly " + exported);
        }
        try {
            Class<?> internal = Class.forName("io.vecgrad.engine.internal.scalar.ScalarKernelProvider");
            internal.getConstructor().newInstance();
            check(false, "engine internals are encapsulated (an internal class was instantiated from outside)");
        } catch (IllegalAccessException expected) {
            check(true, "engine internals are encapsulated (" + expected.getClass().getSimpleName() + ")");
        }

        KernelProvider provider = Kernels.get().provider();
        check(provider.name().startsWith(args[1]), "kernels " + Kernels.providerInfo() + ", expected " + args[1]);

        DataSet.Split split = Datasets.digits().scaleFeatures(1.0 / 16).split(0.2, 7);
        SplittableRandom gen = new SplittableRandom(42);
        Layer net = new Sequential(new Linear(64, 32, true, gen, DType.F32), new ReLU(),
                new Linear(32, 10, true, gen, DType.F32));
        Trainer<Indices> trainer = Trainer.builder(net, new CrossEntropyLoss(), Adam.builder(net.parameters()).lr(0.01).build(),
                        DataLoader.builder(split.train()).batchSize(32).shuffle(42).build(), DataLoader.Batch::labels)
                .epochs(4).seed(42).build();
        trainer.fit();
        Trainer.Evaluation eval = trainer.evaluate(split.test(), 256);
        check(eval.accuracy() >= 0.85, String.format("trained 64-32-10 on Datasets.digits(): test accuracy %.4f", eval.accuracy()));

        Model model = new Model(net.eval(), DataSet.Task.CLASSIFICATION, split.train().labelNames(),
                split.train().featureNames(), null, null);
        Path bundle = out.resolve("digits.safetensors");
        model.save(bundle);
        Model loaded = Model.load(bundle);
        float[][] rows = Model.rows(split.test());
        float[][] before = model.predict(rows);
        float[][] after = loaded.predict(rows);
        boolean same = before.length == after.length;
        for (int i = 0; same && i < before.length; i++) {
            same = java.util.Arrays.equals(before[i], after[i]);
        }
        check(same, "Model.load(" + bundle.getFileName() + ") predicts bit-identically (" + rows.length + " rows)");
        int[] cls = loaded.classify(rows);
        int right = 0;
        for (int i = 0; i < cls.length; i++) {
            right += cls[i] == (int) split.test().target(i) ? 1 : 0;
        }
        check(Math.abs((double) right / cls.length - eval.accuracy()) < 1e-9,
                String.format("the loaded bundle reproduces the test accuracy (%d/%d)", right, cls.length));
        String[] labels = loaded.predictLabels(new float[][] {rows[0]});
        check(labels.length == 1 && labels[0].equals(loaded.labelName(cls[0])),
                "first test row predicted as '" + labels[0] + "'");
        System.out.println("consumer: PASSED");
    }
}
