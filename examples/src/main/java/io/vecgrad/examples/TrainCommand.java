package io.vecgrad.examples;

import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.engine.Kernels;
import io.vecgrad.nn.Conv2d;
import io.vecgrad.nn.CrossEntropyLoss;
import io.vecgrad.nn.Flatten;
import io.vecgrad.nn.GELU;
import io.vecgrad.nn.L1Loss;
import io.vecgrad.nn.LeakyReLU;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.Loss;
import io.vecgrad.nn.MSELoss;
import io.vecgrad.nn.MaxPool2d;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.nn.Sigmoid;
import io.vecgrad.nn.Tanh;
import io.vecgrad.nn.Unflatten;
import io.vecgrad.optim.Adagrad;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.AdamW;
import io.vecgrad.optim.CosineAnnealingLR;
import io.vecgrad.optim.ExponentialLR;
import io.vecgrad.optim.LrScheduler;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.RMSprop;
import io.vecgrad.optim.SGD;
import io.vecgrad.optim.StepLR;
import io.vecgrad.train.DataLoader;
import io.vecgrad.train.CsvReader;
import io.vecgrad.train.DataSet;
import io.vecgrad.train.Datasets;
import io.vecgrad.train.Model;
import io.vecgrad.train.Standardizer;
import io.vecgrad.train.Trainer;
import io.vecgrad.train.cli.TrainOptions;
import static io.vecgrad.train.cli.TrainOptions.check;
import static io.vecgrad.train.cli.TrainOptions.oneOf;
import io.vecgrad.train.cli.TrainOptions.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vecgrad train}: trains an MLP (or, with {@code --model cnn}, a small CNN) on a CSV data set (by default the bundled UCI digits,
 * features scaled to [0, 1]) with a seeded 80/20 split, shows a progress bar per epoch, and
 * writes curves.png, metrics.csv, model.safetensors and checkpoint.safetensors to the output
 * folder. Every option is validated and the data read before anything is written.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train an MLP (default: on the bundled handwritten-digits data) and report held-out accuracy.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "FILE.csv[.gz]",
            description = "CSV with numeric features and a target column (--target; default: the last); a bundled name "
                    + "(wine.csv, digits.csv.gz) works from anywhere (default: bundled digits).")
    Path data;

    @Option(names = "--task",
            description = "classification or regression (default: inferred from the target column; a mismatch is an error).")
    String task;

    @Option(names = "--model", defaultValue = "mlp",
            description = "mlp, or cnn (conv-relu-pool x2 -> linear over the rows as square 1-channel images; "
                    + "needs a square feature count such as the digits' 8x8) (default: ${DEFAULT-VALUE}).")
    String modelKind;

    @Option(names = "--target", paramLabel = "NAME|INDEX",
            description = "The target column: a header name or a 0-based index, negative from the end (default: the last).")
    String target;

    @Option(names = "--header", negatable = true,
            description = "The first row is (--header) or is not (--no-header) a header (default: detected).")
    Boolean header;

    @Option(names = "--standardize", negatable = true,
            description = "Standardize features with mean/std of the training split (default: on for --data, "
                    + "off for the bundled digits, which are scaled to [0, 1]).")
    Boolean standardize;

    @Option(names = "--loss", description = "cross_entropy (classification); mse or l1 (regression).")
    String loss;

    @Option(names = "--schedule", defaultValue = "none",
            description = "none, step (x0.5 every third of the run), exp (x0.95 per epoch) or cosine (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--clip-norm", defaultValue = "0", description = "Clip the global gradient norm (0 = off).")
    double clipNorm;

    @Option(names = "--threads", description = "Engine threads (default: all cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run whose output folder is DIR.")
    Path resume;

    @Mixin
    TrainOptions opts;

    private static final List<String> MODELS = List.of("mlp", "cnn");

    @Spec
    CommandSpec spec;

    /** Set on the command that runs a resumed run with its saved options merged in. */
    boolean merged;

    /** The run folder's record of the command line that started it (read back by --resume). */
    static final String OPTIONS_FILE = "options.txt";

    private static final List<String> SCHEDULES = List.of("none", "step", "exp", "cosine");


    @Override
    public Integer call() {
        PrintStream o = System.out;
        try {
            Path saved = resume == null ? null : resume.resolve(OPTIONS_FILE);
            if (!merged && saved != null && Files.isRegularFile(saved)) {
                // the run's own options, except those this command line gives again, then this one's
                List<String> now = ownArgs();
                java.util.Map<String, List<String>> current = groups(now);
                List<String> args = new ArrayList<>();
                groups(Files.readAllLines(saved)).forEach((k, v) -> {
                    if (!current.containsKey(k)) {
                        args.addAll(v);
                    }
                });
                args.addAll(now);
                TrainCommand again = new TrainCommand();
                again.merged = true;
                return Main.oneLineErrors(new CommandLine(again).setCommandName("vecgrad train")
                                .setOverwrittenOptionsAllowed(true))
                        .execute(args.toArray(new String[0]));
            }
            return run(o);
        } catch (UsageException | io.vecgrad.train.DataFormatException | java.io.FileNotFoundException e) {
            System.err.println("vecgrad train: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("vecgrad train: " + e.getMessage());
            return 1;
        }
    }

    /** Arguments grouped by option (canonical name -> its tokens), for merging command lines. */
    private java.util.Map<String, List<String>> groups(List<String> args) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String tok = args.get(i);
            int eq = tok.indexOf('=');
            String name = eq > 0 ? tok.substring(0, eq) : tok;
            CommandLine.Model.OptionSpec os = spec.findOption(name);
            if (os == null && name.startsWith("--no-")) {
                os = spec.findOption("--" + name.substring(5)); // --no-header is --header negated
            }
            String key = os != null ? os.longestName() : tok;
            List<String> g = new ArrayList<>(List.of(tok));
            if (os != null && eq < 0 && os.arity().max() > 0 && i + 1 < args.size()) {
                g.add(args.get(++i));
            }
            out.put(key, g);
        }
        return out;
    }

    /** This command's own arguments (the parse result also holds the parent's, up to "train"). */
    private List<String> ownArgs() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int i = merged ? -1 : all.indexOf("train");
        return new ArrayList<>(all.subList(i + 1, all.size()));
    }

    private int run(PrintStream o) throws IOException {
        // ---- validate everything before touching the output folder
        String kind = oneOf("--model", modelKind, MODELS);
        TrainOptions.Checked c = opts.check();
        String act = c.activation();
        String opt = c.optimizer().name();
        int batchSize = c.batchSize();
        int epochs = c.epochs();
        long seed = c.seed();
        boolean quiet = c.quiet();
        int[] hidden = c.hidden();
        DType dt = c.dtype();
        double learningRate = c.optimizer().lr();
        String sched = oneOf("--schedule", schedule, SCHEDULES);
        DataSet.Task requested = task == null ? null : switch (task.toLowerCase(Locale.ROOT)) {
            case "classification" -> DataSet.Task.CLASSIFICATION;
            case "regression" -> DataSet.Task.REGRESSION;
            default -> throw new UsageException("option --task: '" + task + "' is not one of classification, regression");
        };
        DataSet all = load(requested);
        DataSet.Task t = all.task();
        String lossName = loss == null ? (t == DataSet.Task.CLASSIFICATION ? "cross_entropy" : "mse")
                : loss.toLowerCase(Locale.ROOT);
        check(t == DataSet.Task.CLASSIFICATION ? lossName.equals("cross_entropy") : List.of("mse", "l1").contains(lossName),
                "option --loss: '" + loss + "' is not one of " + (t == DataSet.Task.CLASSIFICATION ? "cross_entropy" : "mse, l1")
                        + " for " + t.name().toLowerCase(Locale.ROOT));
        check(clipNorm >= 0, "option --clip-norm: must be >= 0, got " + clipNorm);
        if (threads != null) {
            check(threads >= 1, "option --threads: must be >= 1, got " + threads);
            // the CLI is an application: it may configure the engine before first use
            System.setProperty("vecgrad.threads", Integer.toString(threads));
        }
        check(resume == null || Files.isRegularFile(resume.resolve("checkpoint.safetensors")),
                "option --resume: " + resume + " holds no checkpoint.safetensors"
                        + (resume != null && isAbandoned(resume) ? " (the run stopped before its first epoch "
                        + "ended, so there is nothing to resume: start it again with --out " + resume + ")" : ""));
        check(all.size() >= 5, "data: " + all.size() + " rows are too few for an 80/20 split");
        int side = (int) Math.round(Math.sqrt(all.features()));
        check(!kind.equals("cnn") || (side * side == all.features() && side >= 4),
                "option --model cnn: the rows must be square images of at least 4x4, got " + all.features() + " features");
        check(!kind.equals("cnn") || t == DataSet.Task.CLASSIFICATION, "option --model cnn: classification only");
        DataSet.Split raw = all.split(0.2, seed);
        boolean scale = standardize != null ? standardize : data != null;
        // fitted on the training rows only: the test rows must not leak into training
        Standardizer scaler = scale ? Standardizer.fit(raw.train()) : null;
        DataSet.Split split = scaler == null ? raw : new DataSet.Split(scaler.apply(raw.train()), scaler.apply(raw.test()));
        Path dir = resume != null ? resume : out != null ? out
                : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        check(resume != null || !Files.exists(dir) || isEmptyDir(dir) || isAbandoned(dir),
                "option --out: " + dir + " exists and is not empty");

        // ---- build the run
        SplittableRandom gen = new SplittableRandom(seed);
        int outputs = t == DataSet.Task.CLASSIFICATION ? all.classes() : 1;
        Layer model = kind.equals("cnn") ? cnn(side, outputs, act, gen, dt) : c.mlp(all.features(), outputs, gen);
        Optimizer optim = c.optimizer().create(model.parameters());
        LrScheduler scheduler = switch (sched) {
            case "step" -> new StepLR(optim, Math.max(1, epochs / 3), 0.5);
            case "exp" -> new ExponentialLR(optim, 0.95);
            case "cosine" -> new CosineAnnealingLR(optim, epochs);
            default -> null;
        };
        DataLoader loader = DataLoader.builder(split.train()).batchSize(batchSize).shuffle(seed).dtype(dt).build();
        long params = model.parameters().stream().mapToLong(Tensor::numel).sum();
        Files.createDirectories(dir);
        if (spec != null) { // the run's options as of now (a resumed run records what it resumed with)
            List<String> keep = new ArrayList<>();
            groups(ownArgs()).forEach((k, v) -> {
                if (!k.equals("--resume")) {
                    keep.addAll(v);
                }
            });
            Files.write(dir.resolve(OPTIONS_FILE), keep);
        }
        Path ckpt = dir.resolve("checkpoint.safetensors");
        RunLog log = new RunLog(dir, resume != null);
        int totalBatches = loader.batchesPerEpoch();
        ProgressBar[] bar = new ProgressBar[1];
        // a progress bar only on a terminal: in a log or a pipe, one plain line per epoch
        boolean plain = System.console() == null || !System.console().isTerminal();
        long[] epochStart = {System.nanoTime()};
        double[] running = {0, 0};
        Trainer.Callback progress = new Trainer.Callback() {
            @Override
            public void onStep(long step, int epoch, int batch, double l) {
                if (bar[0] == null) {
                    return;
                }
                running[0] += l;
                running[1]++;
                double secs = (System.nanoTime() - epochStart[0]) / 1e9;
                bar[0].step();
                bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.4f  %.0f steps/s",
                        running[0] / running[1], (batch + 1) / Math.max(secs, 1e-9)));
            }

            @Override
            public void onEpochEnd(Trainer.EpochMetrics m) {
                if (plain && !quiet) {
                    o.printf(Locale.ROOT, "epoch %d/%d: loss %.4f%s%s  %.2f s%n", m.epoch(), epochs, m.trainLoss(),
                            Double.isNaN(m.trainAccuracy()) ? "" : String.format(Locale.ROOT, "  acc %.4f", m.trainAccuracy()),
                            Double.isNaN(m.testLoss()) ? "" : String.format(Locale.ROOT, "  test loss %.4f", m.testLoss())
                                    + (Double.isNaN(m.testAccuracy()) ? "" : String.format(Locale.ROOT, "  test acc %.4f",
                                    m.testAccuracy())), m.seconds());
                }
                if (bar[0] != null) {
                    bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.4f  acc %.4f  test %.4f",
                            m.trainLoss(), m.trainAccuracy(), m.testAccuracy()));
                    bar[0].close();
                }
                try {
                    log.append(m);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (m.epoch() < epochs && !quiet && !plain) {
                    bar[0] = newBar(m.epoch() + 1, totalBatches);
                    epochStart[0] = System.nanoTime();
                    running[0] = 0;
                    running[1] = 0;
                }
            }
        };
        Trainer<?> trainer;
        if (t == DataSet.Task.CLASSIFICATION) {
            trainer = Trainer.<Indices>builder(model, new CrossEntropyLoss(), optim, loader, DataLoader.Batch::labels)
                    .epochs(epochs).scheduler(scheduler).clipNorm(clipNorm).evaluateOn(split.test()).checkpoint(ckpt)
                    .seed(seed).callback(progress).build();
        } else {
            Loss<Tensor> l = lossName.equals("mse") ? new MSELoss() : new L1Loss();
            trainer = Trainer.<Tensor>builder(model, l, optim, loader, DataLoader.Batch::targets)
                    .epochs(epochs).scheduler(scheduler).clipNorm(clipNorm).evaluateOn(split.test()).checkpoint(ckpt)
                    .seed(seed).callback(progress).build();
        }
        if (resume != null) {
            trainer.resume(ckpt);
        }
        if (!quiet) {
            o.printf(Locale.ROOT, "vecgrad train: %s, %d train / %d test rows, %d features, %s%n",
                    data == null ? "digits (bundled)" : data, split.train().size(), split.test().size(),
                    all.features(), t == DataSet.Task.CLASSIFICATION ? all.classes() + " classes" : "regression");
            String arch = kind.equals("cnn")
                    ? String.format(Locale.ROOT, "cnn [1, %d, %d] conv3x3(16)-%s-pool2 conv3x3(32)-%s-pool2 linear(%d)",
                            side, side, act, act, outputs)
                    : String.format(Locale.ROOT, "%d-%s-%d %s", all.features(), c.hiddenText(), outputs, act);
            o.printf(Locale.ROOT, "model: %s, %d parameters, %s; optimizer %s lr %g; kernels %s%n",
                    arch, params, dt, opt, learningRate, Kernels.providerInfo());
            if (trainer.startEpoch() < epochs && !plain) {
                bar[0] = newBar(trainer.startEpoch() + 1, totalBatches);
            }
        }
        if (trainer.startEpoch() >= epochs) {
            System.err.printf(Locale.ROOT, "vecgrad train: warning: the run in %s already completed %d epochs and "
                    + "--epochs is %d: nothing more to train (pass a larger --epochs to continue)%n", dir,
                    trainer.startEpoch(), epochs);
        }
        // the vector kernels are compiled by a background warm-up started with the engine (see
        // io.vecgrad.engine.Warmup): start the first step once it is done rather than run cold
        long w0 = System.nanoTime();
        try {
            io.vecgrad.engine.Warmup.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double waited = (System.nanoTime() - w0) / 1e9;
        long jvmUptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        long steps0 = trainer.steps();
        List<Trainer.EpochMetrics> history = trainer.fit();
        double wall = (System.nanoTime() - t0) / 1e9;
        long steps = trainer.steps() - steps0;
        Trainer.Evaluation trainEval = trainer.evaluate(split.train(), batchSize);
        Trainer.Evaluation testEval = trainer.evaluate(split.test(), batchSize);
        String targetName = target != null && !target.trim().matches("-?\\d+") ? target : headerTargetName();
        Model bundle = new Model(model, t, all.labelNames(), all.featureNames(), scaler, targetName);
        bundle.save(dir.resolve("model.safetensors"));
        Reports.writeCsv(raw.test(), targetName, dir.resolve("test.csv"));
        log.writeChart(t == DataSet.Task.CLASSIFICATION, t == DataSet.Task.CLASSIFICATION ? "cross-entropy"
                : lossName.equals("mse") ? "MSE" : "L1 (mean absolute error)");
        o.println();
        o.printf(Locale.ROOT, "train: loss %.4f%s%n", trainEval.loss(),
                Double.isNaN(trainEval.accuracy()) ? "" : String.format(Locale.ROOT, "  accuracy %.2f%%", 100 * trainEval.accuracy()));
        o.printf(Locale.ROOT, "test:  loss %.4f%s%n", testEval.loss(),
                Double.isNaN(testEval.accuracy()) ? "" : String.format(Locale.ROOT, "  accuracy %.2f%% (%d/%d)",
                        100 * testEval.accuracy(), Math.round(testEval.accuracy() * split.test().size()), split.test().size()));
        String report = Reports.metrics(bundle, raw.test());
        Files.writeString(dir.resolve("test-metrics.txt"), report);
        if (t == DataSet.Task.CLASSIFICATION) {
            Reports.confusionPng(Reports.classification(bundle, raw.test()), bundle.labelNames(),
                    dir.resolve("confusion.png"));
        }
        if (!quiet) {
            o.print(report);
        }
        o.printf(Locale.ROOT, "time:  %.2f s for %d epochs, %d steps, %.1f µs/step; %d parameters%n",
                wall, history.size(), steps, steps == 0 ? 0 : wall * 1e6 / steps, params);
        if (!history.isEmpty()) {
            double[] late = history.stream().skip(history.size() / 2).mapToDouble(Trainer.EpochMetrics::seconds).sorted().toArray();
            o.printf(Locale.ROOT, "       epoch 1 %.1f ms, later epochs median %.1f ms; JVM start to first step %.2f s "
                            + "(of it %.2f s waiting for the kernel warm-up: %s)%n",
                    history.get(0).seconds() * 1e3, late[late.length / 2] * 1e3,
                    jvmUptime / 1e3, waited, io.vecgrad.engine.Warmup.summary());
        }
        o.println("wrote: " + dir.resolve("curves.png") + ", metrics.csv, test-metrics.txt, confusion.png, model.safetensors (bundle), "
                + "test.csv, checkpoint.safetensors");
        return 0;
    }

    private static ProgressBar newBar(int epoch, int total) {
        return new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %3d", epoch))
                .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
                .continuousUpdate().build();
    }

    /**
     * True for the folder of a run killed before its first checkpoint: no checkpoint, and nothing
     * but the metrics header and temporary files of an unfinished save. {@code --out} starts over
     * in it (the metrics file is rewritten, stale temporaries are removed by the next save).
     */
    static boolean isAbandoned(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve("checkpoint.safetensors"))) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .allMatch(n -> n.equals("metrics.csv") || n.contains(".safetensors.tmp"));
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private DataSet load(DataSet.Task t) throws IOException {
        if (data == null) {
            check(t != DataSet.Task.REGRESSION, "option --task: the bundled digits data is for classification");
            // 4-bit pixels: scale to [0, 1] as the acceptance train cases do
            return Datasets.digits().scaleFeatures(1.0 / 16);
        }
        CsvReader.Builder b = CsvReader.builder().task(t)
                .warnings(w -> System.err.println("vecgrad train: warning: " + w));
        if (header != null) {
            b.header(header);
        }
        if (target != null) {
            try {
                b.targetIndex(Integer.parseInt(target.trim()));
            } catch (NumberFormatException e) {
                b.target(target);
            }
        }
        CsvReader reader = b.build();
        if (bundled()) {
            try (InputStream in = Datasets.open(data.toString())) { // a bundled data set by name
                return reader.read(in, data.toString());
            }
        }
        return reader.read(data);
    }

    private boolean bundled() {
        return !Files.exists(data) && data.getParent() == null && Datasets.NAMES.contains(data.toString());
    }

    /**
     * The header name of the target column chosen by position (--target INDEX or the default,
     * the last column), or null without a header: the bundle and test.csv keep the data's own
     * name for it, so predict can tell a labelled file from new data by name.
     */
    private String headerTargetName() throws IOException {
        if (data == null) {
            return null;
        }
        CsvReader.Builder b = CsvReader.builder();
        if (header != null) {
            b.header(header);
        }
        CsvReader.Columns cols;
        if (bundled()) {
            try (InputStream in = Datasets.open(data.toString())) {
                cols = b.build().columns(in, data.toString());
            }
        } else {
            cols = b.build().columns(data);
        }
        if (cols.names().isEmpty()) {
            return null;
        }
        int t = target == null ? -1 : Integer.parseInt(target.trim());
        return cols.names().get(t < 0 ? cols.count() + t : t);
    }

    /**
     * The small CNN of {@code --model cnn}: the rows viewed as {@code [N, 1, side, side]} images,
     * then twice {@code conv 3x3 (padding 1) -> activation -> max-pool 2}, 16 then 32 channels,
     * flattened into one linear layer. PyTorch's default initialisation throughout.
     */
    static Layer cnn(int side, int out, String act, SplittableRandom gen, DType dt) {
        int s2 = side / 2 / 2;
        return new Sequential(
                new Unflatten(1, 1, side, side),
                new Conv2d(1, 16, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, gen, dt),
                TrainOptions.activation(act), new MaxPool2d(2),
                new Conv2d(16, 32, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, gen, dt),
                TrainOptions.activation(act), new MaxPool2d(2),
                new Flatten(),
                new Linear(32 * s2 * s2, out, true, gen, dt));
    }
}
