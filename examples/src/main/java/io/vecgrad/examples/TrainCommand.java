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

    @Option(names = "--hidden", defaultValue = "128,64", split = ",",
            description = "Hidden layer widths (default: ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "relu",
            description = "relu, leaky_relu, tanh, sigmoid or gelu (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--loss", description = "cross_entropy (classification); mse or l1 (regression).")
    String loss;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 0.001 for adam/adamw/rmsprop, 0.05 otherwise).")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum for momentum/nesterov/rmsprop (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "40", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--schedule", defaultValue = "none",
            description = "none, step (x0.5 every third of the run), exp (x0.95 per epoch) or cosine (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--clip-norm", defaultValue = "0", description = "Clip the global gradient norm (0 = off).")
    double clipNorm;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, init, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Engine threads (default: all cores).")
    Integer threads;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32 or f64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run whose output folder is DIR.")
    Path resume;

    @Option(names = "--quiet", description = "Print only the summary.")
    boolean quiet;

    private static final List<String> MODELS = List.of("mlp", "cnn");

    @Spec
    CommandSpec spec;

    /** Set on the command that runs a resumed run with its saved options merged in. */
    boolean merged;

    /** The run folder's record of the command line that started it (read back by --resume). */
    static final String OPTIONS_FILE = "options.txt";

    private static final List<String> ACTIVATIONS = List.of("relu", "leaky_relu", "tanh", "sigmoid", "gelu");
    private static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");
    private static final List<String> SCHEDULES = List.of("none", "step", "exp", "cosine");

    /** A bad option or input: printed as one line, exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

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

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }

    private static String oneOf(String option, String value, List<String> allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        check(allowed.contains(v), "option " + option + ": '" + value + "' is not one of " + String.join(", ", allowed));
        return v;
    }

    private int run(PrintStream o) throws IOException {
        // ---- validate everything before touching the output folder
        String kind = oneOf("--model", modelKind, MODELS);
        String act = oneOf("--activation", activation, ACTIVATIONS);
        String opt = oneOf("--optimizer", optimizer, OPTIMIZERS);
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
        DType dt;
        try {
            dt = DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --dtype: '" + dtype + "' is not one of f32, f64");
        }
        for (int h : hidden) {
            check(h >= 1, "option --hidden: widths must be >= 1, got " + Arrays.toString(hidden));
        }
        check(batchSize >= 1, "option --batch-size: must be >= 1, got " + batchSize);
        check(epochs >= 1, "option --epochs: must be >= 1, got " + epochs);
        double learningRate = lr != null ? lr : (opt.startsWith("adam") || opt.equals("rmsprop") ? 1e-3 : 0.05);
        check(learningRate > 0 && Double.isFinite(learningRate), "option --lr: must be > 0, got " + learningRate);
        check(momentum >= 0 && momentum < 1, "option --momentum: must be in [0, 1), got " + momentum);
        check(weightDecay >= 0, "option --weight-decay: must be >= 0, got " + weightDecay);
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
        Layer model = kind.equals("cnn") ? cnn(side, outputs, act, gen, dt) : mlp(all.features(), hidden, outputs, act, gen, dt);
        Optimizer optim = optimizer(opt, model.parameters(), learningRate);
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
                    : String.format(Locale.ROOT, "%d-%s-%d %s", all.features(), joined(hidden), outputs, act);
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
        String targetName = target != null && !target.trim().matches("-?\\d+") ? target : null;
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

    private static String joined(int[] h) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < h.length; i++) {
            sb.append(i > 0 ? "-" : "").append(h[i]);
        }
        return sb.toString();
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
        if (!Files.exists(data) && data.getParent() == null && Datasets.NAMES.contains(data.toString())) {
            try (InputStream in = Datasets.open(data.toString())) { // a bundled data set by name
                return reader.read(in, data.toString());
            }
        }
        return reader.read(data);
    }

    static Layer mlp(int in, int[] hidden, int out, String act, SplittableRandom gen, DType dt) {
        List<Layer> layers = new ArrayList<>();
        int prev = in;
        for (int h : hidden) {
            layers.add(new Linear(prev, h, true, gen, dt));
            layers.add(switch (act) {
                case "relu" -> new ReLU();
                case "leaky_relu" -> new LeakyReLU(0.01);
                case "tanh" -> new Tanh();
                case "sigmoid" -> new Sigmoid();
                default -> new GELU("none");
            });
            prev = h;
        }
        layers.add(new Linear(prev, out, true, gen, dt));
        return new Sequential(layers.toArray(new Layer[0]));
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
                activation(act), new MaxPool2d(2),
                new Conv2d(16, 32, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, gen, dt),
                activation(act), new MaxPool2d(2),
                new Flatten(),
                new Linear(32 * s2 * s2, out, true, gen, dt));
    }

    private static Layer activation(String act) {
        return switch (act) {
            case "relu" -> new ReLU();
            case "leaky_relu" -> new LeakyReLU(0.01);
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            default -> new GELU("none");
        };
    }

    private Optimizer optimizer(String name, List<Tensor> params, double learningRate) {
        return switch (name) {
            case "sgd" -> SGD.builder(params).lr(learningRate).weightDecay(weightDecay).build();
            case "momentum" -> SGD.builder(params).lr(learningRate).momentum(momentum).weightDecay(weightDecay).build();
            case "nesterov" -> SGD.builder(params).lr(learningRate).momentum(momentum).nesterov(true)
                    .weightDecay(weightDecay).build();
            case "adagrad" -> Adagrad.builder(params).lr(learningRate).weightDecay(weightDecay).build();
            case "rmsprop" -> RMSprop.builder(params).lr(learningRate).weightDecay(weightDecay).build();
            case "adamw" -> AdamW.builder(params).lr(learningRate).weightDecay(weightDecay == 0 ? 0.01 : weightDecay).build();
            default -> Adam.builder(params).lr(learningRate).weightDecay(weightDecay).build();
        };
    }
}
