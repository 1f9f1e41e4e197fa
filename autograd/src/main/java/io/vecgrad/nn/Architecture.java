package io.vecgrad.nn;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A small JSON description of a {@link Sequential}, so a saved model can be rebuilt without the
 * code that built it: {@code {"type":"Sequential","layers":[{"type":"Linear","in_features":13,
 * "out_features":128,"bias":true,"dtype":"f32"},{"type":"ReLU"},...]}}. Parameters are not part
 * of it (they are the tensors of the same file); rebuilt layers get placeholder values that
 * {@link Layer#loadStateDict} then overwrites.
 *
 * <p>Built in: Linear, Conv1d, Conv2d, ConvTranspose2d, the pools (MaxPool1d/2d, AvgPool1d/2d,
 * AdaptiveAvgPool2d, AdaptiveMaxPool2d), BatchNorm1d/2d, LayerNorm, GroupNorm, Embedding, RNN,
 * GRU, LSTM, MultiheadAttention (self-attention), every activation (ReLU, LeakyReLU, PReLU, Tanh,
 * Sigmoid, GELU, ELU, SELU, SiLU, Softplus, Softsign, Mish, Hardtanh, Softmax, LogSoftmax),
 * Dropout, Identity, Flatten, Unflatten and nested Sequential. Buffers (the norms' running
 * statistics) are tensors of the state dict, so a bundle holds them next to the parameters. A new layer type joins with {@link #register}:
 * how to write its fields and how to rebuild it from them.
 */
public final class Architecture {
    private Architecture() {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Entry<M extends Layer>(Class<M> type, BiConsumer<M, ObjectNode> write,
                                           Function<JsonNode, Layer> read) {}

    private static final Map<String, Entry<?>> TYPES = new LinkedHashMap<>();

    static {
        register("Linear", Linear.class, (m, o) -> {
            o.put("in_features", m.inFeatures());
            o.put("out_features", m.outFeatures());
            o.put("bias", m.bias() != null);
            o.put("dtype", m.weight().dtype().toString());
        }, j -> new Linear(j.get("in_features").asInt(), j.get("out_features").asInt(), j.get("bias").asBoolean(),
                new SplittableRandom(0), DType.parse(j.get("dtype").asText())));
        register("ReLU", ReLU.class, (m, o) -> { }, j -> new ReLU());
        register("Tanh", Tanh.class, (m, o) -> { }, j -> new Tanh());
        register("Sigmoid", Sigmoid.class, (m, o) -> { }, j -> new Sigmoid());
        register("Identity", Identity.class, (m, o) -> { }, j -> new Identity());
        register("LeakyReLU", LeakyReLU.class, (m, o) -> o.put("negative_slope", m.negativeSlope()),
                j -> new LeakyReLU(j.get("negative_slope").asDouble()));
        register("GELU", GELU.class, (m, o) -> o.put("approximate", between(m.extraRepr(), "'", "'")),
                j -> new GELU(j.get("approximate").asText()));
        register("Dropout", Dropout.class, (m, o) -> o.put("p", m.p()),
                j -> new Dropout(j.get("p").asDouble(), new SplittableRandom(0)));
        register("Softmax", Softmax.class, (m, o) -> o.put("dim", Integer.parseInt(m.extraRepr().substring(4))),
                j -> new Softmax(j.get("dim").asInt()));
        register("LogSoftmax", LogSoftmax.class, (m, o) -> o.put("dim", Integer.parseInt(m.extraRepr().substring(4))),
                j -> new LogSoftmax(j.get("dim").asInt()));
        register("Conv2d", Conv2d.class, (m, o) -> {
            int[][] c = m.config();
            o.put("in_channels", c[0][0]);
            o.put("out_channels", c[0][1]);
            o.put("groups", c[0][2]);
            putInts(o.putArray("kernel_size"), c[1]);
            putInts(o.putArray("stride"), c[2]);
            putInts(o.putArray("padding"), c[3]);
            putInts(o.putArray("dilation"), c[4]);
            o.put("bias", m.bias() != null);
            o.put("dtype", m.weight().dtype().toString());
        }, j -> new Conv2d(j.get("in_channels").asInt(), j.get("out_channels").asInt(), ints(j.get("kernel_size")),
                ints(j.get("stride")), ints(j.get("padding")), ints(j.get("dilation")), j.get("groups").asInt(),
                j.get("bias").asBoolean(), new SplittableRandom(0), DType.parse(j.get("dtype").asText())));
        register("MaxPool2d", MaxPool2d.class, (m, o) -> {
            int[][] c = m.config();
            putInts(o.putArray("kernel_size"), c[0]);
            putInts(o.putArray("stride"), c[1]);
            putInts(o.putArray("padding"), c[2]);
            putInts(o.putArray("dilation"), c[3]);
            o.put("ceil_mode", c[4][0] != 0);
        }, j -> new MaxPool2d(ints(j.get("kernel_size")), ints(j.get("stride")), ints(j.get("padding")),
                ints(j.get("dilation")), j.get("ceil_mode").asBoolean()));
        register("Flatten", Flatten.class, (m, o) -> {
            o.put("start_dim", m.config()[0]);
            o.put("end_dim", m.config()[1]);
        }, j -> new Flatten(j.get("start_dim").asInt(), j.get("end_dim").asInt()));
        register("Unflatten", Unflatten.class, (m, o) -> {
            int[] c = m.config();
            o.put("dim", c[0]);
            putInts(o.putArray("unflattened_size"), java.util.Arrays.copyOfRange(c, 1, c.length));
        }, j -> new Unflatten(j.get("dim").asInt(), ints(j.get("unflattened_size"))));
        register("ELU", ELU.class, (m, o) -> o.put("alpha", m.alpha()), j -> new ELU(j.get("alpha").asDouble()));
        register("SELU", SELU.class, (m, o) -> { }, j -> new SELU());
        register("SiLU", SiLU.class, (m, o) -> { }, j -> new SiLU());
        register("Softsign", Softsign.class, (m, o) -> { }, j -> new Softsign());
        register("Mish", Mish.class, (m, o) -> { }, j -> new Mish());
        register("Softplus", Softplus.class, (m, o) -> {
            o.put("beta", m.config()[0]);
            o.put("threshold", m.config()[1]);
        }, j -> new Softplus(j.get("beta").asDouble(), j.get("threshold").asDouble()));
        register("Hardtanh", Hardtanh.class, (m, o) -> {
            o.put("min_val", m.config()[0]);
            o.put("max_val", m.config()[1]);
        }, j -> new Hardtanh(j.get("min_val").asDouble(), j.get("max_val").asDouble()));
        register("AvgPool2d", AvgPool2d.class, (m, o) -> {
            int[][] c = m.config();
            putInts(o.putArray("kernel_size"), c[0]);
            putInts(o.putArray("stride"), c[1]);
            putInts(o.putArray("padding"), c[2]);
            o.put("ceil_mode", c[3][0] != 0);
            o.put("count_include_pad", c[3][1] != 0);
        }, j -> new AvgPool2d(ints(j.get("kernel_size")), ints(j.get("stride")), ints(j.get("padding")),
                j.get("ceil_mode").asBoolean(), j.get("count_include_pad").asBoolean()));
        registerNorms();
        registerSequenceLayers();
        registerConvAndPools();
        register("Sequential", Sequential.class, (m, o) -> {
            ArrayNode layers = o.putArray("layers");
            for (int i = 0; i < m.size(); i++) {
                layers.add(describe(m.get(i)));
            }
        }, j -> {
            Layer[] layers = new Layer[j.get("layers").size()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = build(j.get("layers").get(i));
            }
            return new Sequential(layers);
        });
    }

    /** The dtype a rebuilt layer needs: its first parameter's, else its first buffer's, else f32. */
    private static String dtypeOf(Layer m) {
        for (Tensor t : m.parameters()) {
            return t.dtype().toString();
        }
        for (Tensor t : m.namedBuffers().values()) {
            return t.dtype().toString();
        }
        return DType.F32.toString();
    }

    private static DType dtype(JsonNode j) {
        return DType.parse(j.get("dtype").asText());
    }

    private static boolean flag(JsonNode j, String name) {
        JsonNode v = j.get(name);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException("architecture: expected a boolean '" + name + "', got " + v);
        }
        return v.asBoolean();
    }

    /** BatchNorm1d/2d (running statistics are buffers, so in the bundle's tensors), LayerNorm, GroupNorm. */
    private static void registerNorms() {
        BiConsumer<BatchNorm, ObjectNode> bn = (m, o) -> {
            double[] c = m.config();
            o.put("num_features", (int) c[0]);
            o.put("eps", c[1]);
            o.put("momentum", c[2]);
            o.put("affine", c[3] != 0);
            o.put("track_running_stats", c[4] != 0);
            o.put("dtype", dtypeOf(m));
        };
        register("BatchNorm1d", BatchNorm1d.class, bn::accept, j -> new BatchNorm1d(j.get("num_features").asInt(),
                j.get("eps").asDouble(), j.get("momentum").asDouble(), flag(j, "affine"), flag(j, "track_running_stats"),
                dtype(j)));
        register("BatchNorm2d", BatchNorm2d.class, bn::accept, j -> new BatchNorm2d(j.get("num_features").asInt(),
                j.get("eps").asDouble(), j.get("momentum").asDouble(), flag(j, "affine"), flag(j, "track_running_stats"),
                dtype(j)));
        register("LayerNorm", LayerNorm.class, (m, o) -> {
            double[] c = m.config();
            ArrayNode shape = o.putArray("normalized_shape");
            for (int i = 2; i < c.length; i++) {
                shape.add((int) c[i]);
            }
            o.put("eps", c[0]);
            o.put("elementwise_affine", c[1] != 0);
            o.put("dtype", dtypeOf(m));
        }, j -> new LayerNorm(ints(j.get("normalized_shape")), j.get("eps").asDouble(), flag(j, "elementwise_affine"),
                dtype(j)));
        register("GroupNorm", GroupNorm.class, (m, o) -> {
            double[] c = m.config();
            o.put("num_groups", (int) c[0]);
            o.put("num_channels", (int) c[1]);
            o.put("eps", c[2]);
            o.put("affine", c[3] != 0);
            o.put("dtype", dtypeOf(m));
        }, j -> new GroupNorm(j.get("num_groups").asInt(), j.get("num_channels").asInt(), j.get("eps").asDouble(),
                flag(j, "affine"), dtype(j)));
    }

    /** Embedding, RNN, GRU, LSTM, MultiheadAttention (self-attention in a Sequential). */
    private static void registerSequenceLayers() {
        register("Embedding", Embedding.class, (m, o) -> {
            o.put("num_embeddings", m.weight().dim(0));
            o.put("embedding_dim", m.weight().dim(1));
            if (m.paddingIdx() >= 0) {
                o.put("padding_idx", m.paddingIdx());
            }
            o.put("dtype", dtypeOf(m));
        }, j -> new Embedding(j.get("num_embeddings").asInt(), j.get("embedding_dim").asInt(),
                j.has("padding_idx") ? Integer.valueOf(j.get("padding_idx").asInt()) : null, new SplittableRandom(0),
                dtype(j)));
        BiConsumer<RNNBase, ObjectNode> rnn = (m, o) -> {
            double[] c = m.config();
            o.put("input_size", (int) c[0]);
            o.put("hidden_size", (int) c[1]);
            o.put("num_layers", (int) c[2]);
            o.put("bias", c[3] != 0);
            o.put("batch_first", c[4] != 0);
            o.put("dropout", c[5]);
            o.put("bidirectional", c[6] != 0);
            if (m instanceof RNN) {
                o.put("nonlinearity", c[7] != 0 ? "relu" : "tanh");
            }
            o.put("dtype", dtypeOf(m));
        };
        register("RNN", RNN.class, rnn::accept, j -> new RNN(j.get("input_size").asInt(), j.get("hidden_size").asInt(),
                j.get("num_layers").asInt(), j.get("nonlinearity").asText(), flag(j, "bias"), flag(j, "batch_first"),
                j.get("dropout").asDouble(), flag(j, "bidirectional"), new SplittableRandom(0), dtype(j)));
        register("GRU", GRU.class, rnn::accept, j -> new GRU(j.get("input_size").asInt(), j.get("hidden_size").asInt(),
                j.get("num_layers").asInt(), flag(j, "bias"), flag(j, "batch_first"), j.get("dropout").asDouble(),
                flag(j, "bidirectional"), new SplittableRandom(0), dtype(j)));
        register("LSTM", LSTM.class, rnn::accept, j -> new LSTM(j.get("input_size").asInt(), j.get("hidden_size").asInt(),
                j.get("num_layers").asInt(), flag(j, "bias"), flag(j, "batch_first"), j.get("dropout").asDouble(),
                flag(j, "bidirectional"), new SplittableRandom(0), dtype(j)));
        register("MultiheadAttention", MultiheadAttention.class, (m, o) -> {
            int[] c = m.config();
            o.put("embed_dim", c[0]);
            o.put("num_heads", c[1]);
            o.put("bias", c[2] != 0);
            o.put("batch_first", c[3] != 0);
            o.put("dtype", dtypeOf(m));
        }, j -> new MultiheadAttention(j.get("embed_dim").asInt(), j.get("num_heads").asInt(), flag(j, "bias"),
                flag(j, "batch_first"), new SplittableRandom(0), dtype(j)));
        register("PReLU", PReLU.class, (m, o) -> {
            o.put("num_parameters", m.weight().numel());
            o.put("dtype", dtypeOf(m));
        }, j -> new PReLU(j.get("num_parameters").asInt(), 0.25, dtype(j)));
    }

    /** Conv1d, ConvTranspose2d and the pooling variants not registered above. */
    private static void registerConvAndPools() {
        register("Conv1d", Conv1d.class, (m, o) -> {
            int[] c = m.config();
            o.put("in_channels", c[0]);
            o.put("out_channels", c[1]);
            o.put("kernel_size", c[2]);
            o.put("stride", c[3]);
            o.put("padding", c[4]);
            o.put("dilation", c[5]);
            o.put("groups", c[6]);
            o.put("bias", m.bias() != null);
            o.put("dtype", dtypeOf(m));
        }, j -> new Conv1d(j.get("in_channels").asInt(), j.get("out_channels").asInt(), j.get("kernel_size").asInt(),
                j.get("stride").asInt(), j.get("padding").asInt(), j.get("dilation").asInt(), j.get("groups").asInt(),
                flag(j, "bias"), new SplittableRandom(0), dtype(j)));
        register("ConvTranspose2d", ConvTranspose2d.class, (m, o) -> {
            int[][] c = m.config();
            o.put("in_channels", c[0][0]);
            o.put("out_channels", c[0][1]);
            o.put("groups", c[0][2]);
            putInts(o.putArray("kernel_size"), c[1]);
            putInts(o.putArray("stride"), c[2]);
            putInts(o.putArray("padding"), c[3]);
            putInts(o.putArray("output_padding"), c[4]);
            putInts(o.putArray("dilation"), c[5]);
            o.put("bias", m.bias() != null);
            o.put("dtype", dtypeOf(m));
        }, j -> new ConvTranspose2d(j.get("in_channels").asInt(), j.get("out_channels").asInt(), ints(j.get("kernel_size")),
                ints(j.get("stride")), ints(j.get("padding")), ints(j.get("output_padding")), j.get("groups").asInt(),
                flag(j, "bias"), ints(j.get("dilation")), new SplittableRandom(0), dtype(j)));
        register("AdaptiveAvgPool2d", AdaptiveAvgPool2d.class, (m, o) -> putInts(o.putArray("output_size"), m.config()),
                j -> new AdaptiveAvgPool2d(ints(j.get("output_size"))[0], ints(j.get("output_size"))[1]));
        register("AdaptiveMaxPool2d", AdaptiveMaxPool2d.class, (m, o) -> putInts(o.putArray("output_size"), m.config()),
                j -> new AdaptiveMaxPool2d(ints(j.get("output_size"))[0], ints(j.get("output_size"))[1]));
        register("AvgPool1d", AvgPool1d.class, (m, o) -> {
            int[] c = m.config();
            o.put("kernel_size", c[0]);
            o.put("stride", c[1]);
            o.put("padding", c[2]);
            o.put("ceil_mode", c[3] != 0);
            o.put("count_include_pad", c[4] != 0);
        }, j -> new AvgPool1d(j.get("kernel_size").asInt(), j.get("stride").asInt(), j.get("padding").asInt(),
                flag(j, "ceil_mode"), flag(j, "count_include_pad")));
        register("MaxPool1d", MaxPool1d.class, (m, o) -> {
            int[] c = m.config();
            o.put("kernel_size", c[0]);
            o.put("stride", c[1]);
            o.put("padding", c[2]);
            o.put("dilation", c[3]);
            o.put("ceil_mode", c[4] != 0);
        }, j -> new MaxPool1d(j.get("kernel_size").asInt(), j.get("stride").asInt(), j.get("padding").asInt(),
                j.get("dilation").asInt(), flag(j, "ceil_mode")));
    }

    private static void putInts(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }

    private static int[] ints(JsonNode a) {
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("architecture: expected an int list, got " + a);
        }
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static String between(String s, String open, String close) {
        int a = s.indexOf(open);
        int b = s.indexOf(close, a + 1);
        return a < 0 || b < 0 ? "none" : s.substring(a + 1, b);
    }

    /**
     * Registers a layer type (replacing an earlier registration of the same name).
     *
     * @param name  the {@code "type"} written to the JSON
     * @param type  the module class (matched exactly)
     * @param write puts the constructor arguments into the JSON object
     * @param read  builds a module from that JSON object (parameters may be placeholders)
     */
    public static synchronized <M extends Layer> void register(String name, Class<M> type,
            BiConsumer<M, ObjectNode> write, Function<JsonNode, Layer> read) {
        TYPES.put(name, new Entry<>(type, write, read));
    }

    /**
     * The JSON description of a module tree.
     *
     * @throws IllegalArgumentException naming the first module whose type is not registered
     */
    public static String toJson(Layer m) {
        return describe(m).toString();
    }

    /**
     * Rebuilds a module tree from {@link #toJson} output (in evaluation mode is up to the caller).
     *
     * @throws IllegalArgumentException if the JSON is malformed or names an unregistered type
     */
    public static Layer fromJson(String json) {
        try {
            return build(JSON.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("architecture: not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static synchronized ObjectNode describe(Layer m) {
        for (Map.Entry<String, Entry<?>> e : TYPES.entrySet()) {
            if (e.getValue().type() == m.getClass()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("type", e.getKey());
                ((Entry<Layer>) e.getValue()).write().accept(m, o);
                return o;
            }
        }
        throw new IllegalArgumentException("architecture: no registered layer type for " + m.getClass().getName()
                + "; register it with Architecture.register");
    }

    private static synchronized Layer build(JsonNode j) {
        JsonNode type = j == null ? null : j.get("type");
        Entry<?> e = type == null ? null : TYPES.get(type.asText());
        if (e == null) {
            throw new IllegalArgumentException("architecture: unknown layer type " + type + " (registered: "
                    + TYPES.keySet() + ")");
        }
        try {
            return e.read().apply(j);
        } catch (NullPointerException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("architecture: bad " + type.asText() + " entry " + j, ex);
        }
    }
}
