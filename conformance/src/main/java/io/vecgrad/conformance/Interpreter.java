package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgrad.autograd.Attention;
import io.vecgrad.autograd.GradMode;
import io.vecgrad.autograd.Indices;
import io.vecgrad.autograd.Losses;
import io.vecgrad.autograd.RecurrentOps;
import io.vecgrad.autograd.Reduction;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a case's statements through the public {@link Tensor} API in one precision, over an
 * environment of named values: tensors, index tensors ({@link Indices}) and snapshots.
 *
 * <p><b>Reading values after backward.</b> Expected values are compared at the end of the
 * program, but a backward pass without {@code retain_graph} frees its graph and releases the
 * intermediates. Every tensor a program statement names is therefore marked with
 * {@link Tensor#retain()} as soon as it is created, which keeps it readable; unnamed internals
 * of composite ops are still released as usual. Leaves are read at the end (after any
 * {@code sgd_step}), as PyTorch would.
 *
 * <p>Close the interpreter (try-with-resources) to leave any {@code no_grad} scope a program
 * left open, also when a statement threw.
 */
public final class Interpreter implements AutoCloseable {
    private final Precision precision;
    private final DType dt;
    private final Map<String, Object> env = new LinkedHashMap<>();
    private final Map<String, Value> snapshots = new LinkedHashMap<>();
    private final Deque<GradMode> noGrad = new ArrayDeque<>();

    /** An empty environment computing in this precision. */
    public Interpreter(Precision precision) {
        this.precision = precision;
        this.dt = precision.dtype();
    }

    /** The precision. */
    public Precision precision() {
        return precision;
    }

    // ================================================================================ inputs

    /**
     * Creates a case's {@code inputs}: float tensors in the engine dtype (leaves, with
     * requires_grad where marked), {@code int64} inputs as {@link Indices}, {@code bool} inputs
     * as 1/0 masks of the engine dtype.
     */
    public void createInputs(JsonNode inputs) {
        for (JsonNode in : inputs) {
            String name = in.path("name").asText();
            int[] shape = ints(in.get("shape"));
            JsonNode data = in.get("data");
            String dtype = in.path("dtype").asText("float");
            Object v = switch (dtype) {
                case "int64", "int32", "long" -> {
                    long[] d = new long[data.size()];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = data.get(i).asLong();
                    }
                    yield Indices.of(d, shape);
                }
                case "bool" -> {
                    boolean[] d = new boolean[data.size()];
                    for (int i = 0; i < d.length; i++) {
                        JsonNode e = data.get(i);
                        d[i] = e.isBoolean() ? e.asBoolean() : e.asDouble() != 0;
                    }
                    yield Tensor.mask(dt, d, shape);
                }
                default -> {
                    Tensor t = Tensor.fromArray(dt, numbers(data, dt), shape);
                    yield in.path("requires_grad").asBoolean(false) ? t.requiresGrad(true) : t;
                }
            };
            env.put(name, v);
        }
    }

    // ============================================================================ statements

    /** Runs every statement of a program in order. */
    public void run(JsonNode program) {
        for (JsonNode s : program) {
            execute(s);
        }
    }

    /**
     * Runs one statement (an op node or a {@code stmt}). Engine exceptions propagate
     * unchanged; an unknown op or statement throws {@link UnsupportedOperationException}.
     */
    public void execute(JsonNode s) {
        if (s.has("op")) {
            Object out = op(s.get("op").asText(), s.path("in"), s.path("args"));
            if (out instanceof Tensor t) {
                t.retain();
            }
            if (s.hasNonNull("out")) {
                env.put(s.get("out").asText(), out);
            }
            return;
        }
        String stmt = s.path("stmt").asText();
        switch (stmt) {
            case "backward" -> {
                Tensor of = tensor(s.path("of").asText());
                Tensor g = s.hasNonNull("grad") ? tensor(s.get("grad").asText()) : null;
                boolean retain = s.path("retain_graph").asBoolean(false);
                if (g == null && !retain) {
                    of.backward();
                } else {
                    of.backward(g, retain);
                }
            }
            case "zero_grad" -> {
                for (JsonNode p : s.path("params")) {
                    tensor(p.asText()).zeroGrad();
                }
            }
            case "snapshot" -> snapshots.put(s.path("as").asText(), read(s.path("of").asText()));
            case "sgd_step" -> {
                double lr = s.path("lr").asDouble();
                try (var _ = Tensor.noGrad()) {
                    for (JsonNode pn : s.path("params")) {
                        Tensor p = tensor(pn.asText());
                        Tensor g = p.grad();
                        if (g == null) {
                            throw new IllegalStateException("sgd_step: parameter '" + pn.asText()
                                    + "' has no gradient (no backward reached it)");
                        }
                        p.add_(g, -lr);
                    }
                }
            }
            case "no_grad_enter" -> noGrad.push(Tensor.noGrad());
            case "no_grad_exit" -> {
                if (noGrad.isEmpty()) {
                    throw new IllegalStateException("no_grad_exit: no matching no_grad_enter");
                }
                noGrad.pop().close();
            }
            default -> throw new UnsupportedOperationException("accept: unknown statement '" + stmt + "'");
        }
    }

    private Object op(String op, JsonNode in, JsonNode args) {
        return switch (op) {
            case "add" -> t(in, 0).add(t(in, 1));
            case "sub" -> t(in, 0).sub(t(in, 1));
            case "mul" -> t(in, 0).mul(t(in, 1));
            case "div" -> t(in, 0).div(t(in, 1));
            case "maximum" -> t(in, 0).maximum(t(in, 1));
            case "minimum" -> t(in, 0).minimum(t(in, 1));
            case "neg" -> t(in, 0).neg();
            case "exp" -> t(in, 0).exp();
            case "log" -> t(in, 0).log();
            case "sqrt" -> t(in, 0).sqrt();
            case "abs" -> t(in, 0).abs();
            case "sin" -> t(in, 0).sin();
            case "cos" -> t(in, 0).cos();
            case "tanh" -> t(in, 0).tanh();
            case "sigmoid" -> t(in, 0).sigmoid();
            case "relu" -> t(in, 0).relu();
            case "leaky_relu" -> t(in, 0).leakyRelu(args.path("negative_slope").asDouble(0.01));
            case "gelu" -> t(in, 0).gelu(args.path("approximate").asText("none"));
            case "pow" -> t(in, 0).pow(number(args.get("exponent"), DType.F64));
            case "softmax" -> t(in, 0).softmax(args.path("dim").asInt());
            case "log_softmax" -> t(in, 0).logSoftmax(args.path("dim").asInt());
            // ---- norm/embedding/activations ----
            case "batch_norm" -> t(in, 0).batchNorm(
                    in.path(1).isTextual() ? t(in, 1) : null, in.path(2).isTextual() ? t(in, 2) : null,
                    in.path(3).isTextual() ? t(in, 3) : null, in.path(4).isTextual() ? t(in, 4) : null,
                    args.path("training").asBoolean(false), args.path("momentum").asDouble(0.1),
                    args.path("eps").asDouble(1e-5));
            case "layer_norm" -> t(in, 0).layerNorm(ints(args.get("normalized_shape")),
                    in.path(1).isTextual() ? t(in, 1) : null, in.path(2).isTextual() ? t(in, 2) : null,
                    args.path("eps").asDouble(1e-5));
            case "group_norm" -> t(in, 0).groupNorm(args.path("num_groups").asInt(),
                    in.path(1).isTextual() ? t(in, 1) : null, in.path(2).isTextual() ? t(in, 2) : null,
                    args.path("eps").asDouble(1e-5));
            case "embedding" -> Tensor.embedding(indices(in, 0), t(in, 1),
                    args.hasNonNull("padding_idx") ? args.get("padding_idx").asLong() : -1);
            case "elu" -> t(in, 0).elu(args.path("alpha").asDouble(1.0));
            case "selu" -> t(in, 0).selu();
            case "softplus" -> t(in, 0).softplus(args.path("beta").asDouble(1.0), args.path("threshold").asDouble(20.0));
            case "silu" -> t(in, 0).silu();
            case "softsign" -> t(in, 0).softsign();
            case "mish" -> t(in, 0).mish();
            case "hardtanh" -> t(in, 0).hardtanh(args.path("min_val").asDouble(-1.0), args.path("max_val").asDouble(1.0));
            case "prelu" -> t(in, 0).prelu(t(in, 1));
            case "flatten" -> t(in, 0).flatten(args.path("start_dim").asInt(0), args.path("end_dim").asInt(-1));
            case "concat", "cat" -> Tensor.concat(args.path("dim").asInt(0),
                    java.util.stream.IntStream.range(0, in.size()).mapToObj(i -> t(in, i)).toArray(Tensor[]::new));
            case "stack" -> Tensor.stack(args.path("dim").asInt(0),
                    java.util.stream.IntStream.range(0, in.size()).mapToObj(i -> t(in, i)).toArray(Tensor[]::new));
            case "index_select" -> t(in, 0).indexSelect(args.path("dim").asInt(), indices(in, 1));
            case "gather" -> t(in, 0).gather(args.path("dim").asInt(), indices(in, 1));
            case "logsumexp" -> t(in, 0).logsumexp(dims(args.get("dim")), keepdim(args));
            case "sum" -> args.hasNonNull("dim") ? t(in, 0).sum(dims(args.get("dim")), keepdim(args)) : t(in, 0).sum();
            case "mean" -> args.hasNonNull("dim") ? t(in, 0).mean(dims(args.get("dim")), keepdim(args))
                    : t(in, 0).mean();
            case "max" -> args.hasNonNull("dim") ? t(in, 0).max(args.get("dim").asInt(), keepdim(args)) : t(in, 0).max();
            case "argmax" -> t(in, 0).argmax(args.path("dim").asInt(), keepdim(args));
            case "matmul" -> t(in, 0).matmul(t(in, 1));
            case "dot" -> t(in, 0).dot(t(in, 1));
            // ---- conv/pool ----
            case "conv1d", "conv2d", "conv_transpose2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
                 "adaptive_avg_pool2d", "adaptive_max_pool2d" -> ConvPoolOps.apply(op, t(in, 0),
                    in.size() > 1 ? t(in, 1) : null, in.size() > 2 ? t(in, 2) : null, args);
            case "transpose" -> t(in, 0).transpose(args.path("dim0").asInt(), args.path("dim1").asInt());
            case "reshape" -> t(in, 0).reshape(ints(args.get("shape")));
            case "clamp" -> t(in, 0).clamp(
                    args.hasNonNull("min") ? number(args.get("min"), dt) : Double.NEGATIVE_INFINITY,
                    args.hasNonNull("max") ? number(args.get("max"), dt) : Double.POSITIVE_INFINITY);
            case "where" -> Tensor.where(t(in, 0), t(in, 1), t(in, 2));
            case "detach" -> t(in, 0).detach();
            case "mse_loss" -> Losses.mse(t(in, 0), t(in, 1), reduction(args));
            case "l1_loss" -> Losses.l1(t(in, 0), t(in, 1), reduction(args));
            case "cross_entropy" -> Losses.crossEntropy(t(in, 0), indices(in, 1), reduction(args));
            case "nll_loss" -> Losses.nll(t(in, 0), indices(in, 1), reduction(args));
            case "bce_with_logits" -> Losses.bceWithLogits(t(in, 0), t(in, 1), reduction(args));
            // ---- recurrent/attention ----
            case "rnn_tanh" -> RecurrentOps.rnnTanh(t(in, 0), t(in, 1), t(in, 2), t(in, 3),
                    in.path(4).isTextual() ? t(in, 4) : null, in.path(5).isTextual() ? t(in, 5) : null).output();
            case "gru" -> RecurrentOps.gru(t(in, 0), t(in, 1), t(in, 2), t(in, 3),
                    in.path(4).isTextual() ? t(in, 4) : null, in.path(5).isTextual() ? t(in, 5) : null).output();
            case "lstm" -> RecurrentOps.lstm(t(in, 0), t(in, 1), t(in, 2), t(in, 3), t(in, 4),
                    in.path(5).isTextual() ? t(in, 5) : null, in.path(6).isTextual() ? t(in, 6) : null).output();
            case "scaled_dot_product_attention" -> Attention.scaledDotProductAttention(t(in, 0), t(in, 1), t(in, 2),
                    args.path("causal").asBoolean(false));
            case "add_" -> t(in, 0).add_(t(in, 1));
            default -> throw new UnsupportedOperationException("accept: unknown op '" + op + "'");
        };
    }

    private static boolean keepdim(JsonNode args) {
        return args.path("keepdim").asBoolean(false);
    }

    private static Reduction reduction(JsonNode args) {
        return Reduction.parse(args.path("reduction").asText("mean"));
    }

    /** Operand {@code i}: a named tensor, or a number as a 0-d constant of the engine dtype. */
    private Tensor t(JsonNode in, int i) {
        JsonNode a = in.get(i);
        if (a == null) {
            throw new IllegalArgumentException("accept: missing operand " + i);
        }
        if (a.isNumber() || (a.isTextual() && isNonFinite(a.asText()))) {
            return Tensor.scalar(dt, number(a, dt));
        }
        return tensor(a.asText());
    }

    private Indices indices(JsonNode in, int i) {
        String name = in.get(i).asText();
        if (env.get(name) instanceof Indices x) {
            return x;
        }
        throw new IllegalArgumentException("accept: '" + name + "' is not an int64 tensor");
    }

    // ================================================================================ values

    /** The tensor bound to a name. */
    public Tensor tensor(String name) {
        Object v = env.get(name);
        if (v instanceof Tensor t) {
            return t;
        }
        throw new IllegalArgumentException("accept: no tensor named '" + name + "'"
                + (v == null ? "" : " (it is " + v.getClass().getSimpleName() + ")"));
    }

    /** The value bound to a name (a {@link Tensor} or {@link Indices}), or null. */
    public Object get(String name) {
        return env.get(name);
    }

    /** Binds a name. */
    public void put(String name, Object value) {
        env.put(name, value);
    }

    /**
     * The current value of an expected name: a snapshot, {@code "<leaf>.grad"} (null if the
     * leaf has no gradient), or a program value.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException if the engine cannot read the tensor (e.g. released)
     */
    public Value read(String name) {
        if (snapshots.containsKey(name)) {
            return snapshots.get(name);
        }
        Object v = env.get(name);
        if (v == null && name.endsWith(".grad")) {
            Tensor g = tensor(name.substring(0, name.length() - ".grad".length())).grad();
            return g == null ? null : Value.of(g);
        }
        if (v instanceof Tensor t) {
            return Value.of(t);
        }
        if (v instanceof Indices x) {
            return Value.of(x);
        }
        throw new IllegalArgumentException("accept: no value named '" + name + "'");
    }

    /** Leaves any no_grad scopes the program left open. */
    @Override
    public void close() {
        while (!noGrad.isEmpty()) {
            noGrad.pop().close();
        }
    }

    // =============================================================================== parsing

    /**
     * A JSON number in the dtype: a decimal is parsed directly to a float in f32 (not via the
     * double), {@code "nan"}, {@code "inf"}, {@code "-inf"} are the non-finite values.
     */
    public static double number(JsonNode n, DType dtype) {
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("accept: missing number");
        }
        if (n.isTextual()) {
            return switch (n.asText().toLowerCase()) {
                case "nan" -> Double.NaN;
                case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException("accept: not a number: '" + n.asText() + "'");
            };
        }
        String s = n.isBigDecimal() ? n.decimalValue().toString() : n.asText();
        return dtype == DType.F32 ? Float.parseFloat(s) : Double.parseDouble(s);
    }

    /** A JSON array of numbers in the dtype. */
    public static double[] numbers(JsonNode a, DType dtype) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = number(a.get(i), dtype);
        }
        return v;
    }

    private static boolean isNonFinite(String s) {
        return switch (s.toLowerCase()) {
            case "nan", "inf", "+inf", "-inf", "infinity", "-infinity" -> true;
            default -> false;
        };
    }

    /** A JSON int or int array as an int array. */
    static int[] dims(JsonNode n) {
        if (n == null || n.isNull()) {
            return new int[0];
        }
        return n.isArray() ? ints(n) : new int[] {n.asInt()};
    }

    static int[] ints(JsonNode a) {
        if (a == null || a.isNull()) {
            return new int[0];
        }
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    /** A short rendering of a statement for messages, e.g. {@code y = matmul(a, b)}. */
    public static String describe(JsonNode s) {
        if (s.has("op")) {
            List<String> in = new ArrayList<>();
            for (JsonNode a : s.path("in")) {
                in.add(a.asText());
            }
            String args = s.path("args").isObject() && !s.path("args").isEmpty() ? ", " + s.get("args") : "";
            return (s.hasNonNull("out") ? s.get("out").asText() + " = " : "") + s.get("op").asText() + "("
                    + String.join(", ", in) + args + ")";
        }
        String st = s.path("stmt").asText();
        return switch (st) {
            case "backward" -> "backward(" + s.path("of").asText()
                    + (s.hasNonNull("grad") ? ", grad=" + s.get("grad").asText() : "")
                    + (s.path("retain_graph").asBoolean(false) ? ", retain_graph=true" : "") + ")";
            default -> st;
        };
    }
}
