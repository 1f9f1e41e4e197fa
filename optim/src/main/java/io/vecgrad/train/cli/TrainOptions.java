package io.vecgrad.train.cli;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import io.vecgrad.nn.GELU;
import io.vecgrad.nn.Layer;
import io.vecgrad.nn.LeakyReLU;
import io.vecgrad.nn.Linear;
import io.vecgrad.nn.ReLU;
import io.vecgrad.nn.Sequential;
import io.vecgrad.nn.Sigmoid;
import io.vecgrad.nn.Tanh;
import io.vecgrad.optim.Adagrad;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.AdamW;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.RMSprop;
import io.vecgrad.optim.SGD;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine.Option;

/**
 * The options every training command shares (a picocli mixin: {@code @Mixin TrainOptions}):
 * the MLP's hidden widths and activation, the optimizer and its settings, batch size, epochs,
 * seed, dtype and {@code --quiet}; with their checks, each failing as a {@link UsageException}
 * that names the option. {@code ./vecgrad train} and {@code ./vecgrad train --spark} both use it,
 * so the two parse, default and check these options the same way.
 */
public final class TrainOptions {
    /** The names {@code --activation} takes. */
    public static final List<String> ACTIVATIONS = List.of("relu", "leaky_relu", "tanh", "sigmoid", "gelu");
    /** The names {@code --optimizer} takes. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    /** An option set with no values yet: picocli fills it when it parses a command line. */
    public TrainOptions() {}

    @Option(names = "--hidden", defaultValue = "128,64", split = ",",
            description = "Hidden layer widths (default: ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "relu",
            description = "relu, leaky_relu, tanh, sigmoid or gelu (default: ${DEFAULT-VALUE}).")
    String activation;

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

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, init, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32 or f64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--quiet", description = "Print only the summary.")
    boolean quiet;

    /** A bad option or input: the command prints it as one line and exits with code 2. */
    public static class UsageException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        /** @param message the line to print, naming the option and the value */
        public UsageException(String message) {
            super(message);
        }
    }

    /** Throws a {@link UsageException} with {@code message} unless {@code ok}. */
    public static void check(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }

    /** {@code value} lower-cased if it is one of {@code allowed}, else a {@link UsageException} naming {@code option}. */
    public static String oneOf(String option, String value, List<String> allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        check(allowed.contains(v), "option " + option + ": '" + value + "' is not one of " + String.join(", ", allowed));
        return v;
    }

    /**
     * The options checked, with the defaults that depend on others filled in.
     *
     * @throws UsageException naming the first bad option
     */
    public Checked check() {
        String act = oneOf("--activation", activation, ACTIVATIONS);
        String opt = oneOf("--optimizer", optimizer, OPTIMIZERS);
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
        double rate = lr != null ? lr : (opt.startsWith("adam") || opt.equals("rmsprop") ? 1e-3 : 0.05);
        check(rate > 0 && Double.isFinite(rate), "option --lr: must be > 0, got " + rate);
        check(momentum >= 0 && momentum < 1, "option --momentum: must be in [0, 1), got " + momentum);
        check(weightDecay >= 0, "option --weight-decay: must be >= 0, got " + weightDecay);
        return new Checked(hidden.clone(), act, new OptimizerSpec(opt, rate, momentum, weightDecay), batchSize, epochs,
                seed, dt, quiet);
    }

    /** The checked shared options; serializable, so a distributed trainer can build the model on every worker. */
    public record Checked(int[] hidden, String activation, OptimizerSpec optimizer, int batchSize, int epochs,
                          long seed, DType dtype, boolean quiet) implements Serializable {
        /** The MLP: Linear + activation per hidden width, then a Linear to {@code out}, initialised from {@code gen}. */
        public Layer mlp(int in, int out, SplittableRandom gen) {
            List<Layer> layers = new ArrayList<>();
            int prev = in;
            for (int h : hidden) {
                layers.add(new Linear(prev, h, true, gen, dtype));
                layers.add(TrainOptions.activation(activation));
                prev = h;
            }
            layers.add(new Linear(prev, out, true, gen, dtype));
            return new Sequential(layers.toArray(new Layer[0]));
        }

        /** The hidden widths joined by '-' ({@code 128-64}). */
        public String hiddenText() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < hidden.length; i++) {
                sb.append(i > 0 ? "-" : "").append(hidden[i]);
            }
            return sb.toString();
        }
    }

    /** The activation layer of a checked {@code --activation} name. */
    public static Layer activation(String name) {
        return switch (name) {
            case "relu" -> new ReLU();
            case "leaky_relu" -> new LeakyReLU(0.01);
            case "tanh" -> new Tanh();
            case "sigmoid" -> new Sigmoid();
            default -> new GELU("none");
        };
    }

    /**
     * A checked optimizer choice; serializable, so a distributed trainer can build the same
     * optimizer on every worker.
     */
    public record OptimizerSpec(String name, double lr, double momentum, double weightDecay) implements Serializable {
        /** The optimizer over {@code params}. AdamW's decay defaults to 0.01 when {@code --weight-decay} is 0. */
        public Optimizer create(List<Tensor> params) {
            return switch (name) {
                case "sgd" -> SGD.builder(params).lr(lr).weightDecay(weightDecay).build();
                case "momentum" -> SGD.builder(params).lr(lr).momentum(momentum).weightDecay(weightDecay).build();
                case "nesterov" -> SGD.builder(params).lr(lr).momentum(momentum).nesterov(true).weightDecay(weightDecay).build();
                case "adagrad" -> Adagrad.builder(params).lr(lr).weightDecay(weightDecay).build();
                case "rmsprop" -> RMSprop.builder(params).lr(lr).weightDecay(weightDecay).build();
                case "adamw" -> AdamW.builder(params).lr(lr).weightDecay(weightDecay == 0 ? 0.01 : weightDecay).build();
                default -> Adam.builder(params).lr(lr).weightDecay(weightDecay).build();
            };
        }
    }
}
