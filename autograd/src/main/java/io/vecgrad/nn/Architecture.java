package io.vecgrad.nn;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * <p>Built in: Linear, ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Dropout, Identity, Softmax,
 * LogSoftmax, Flatten and nested Sequential. A new layer type joins with {@link #register}:
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
