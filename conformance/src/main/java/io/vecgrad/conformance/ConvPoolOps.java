package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgrad.autograd.Tensor;

/**
 * The case-file vocabulary of the convolution and pooling ops ({@code conv1d}, {@code conv2d},
 * {@code conv_transpose2d}, {@code max_pool1d/2d}, {@code avg_pool1d/2d},
 * {@code adaptive_avg_pool2d}, {@code adaptive_max_pool2d}) mapped onto {@link Tensor}, with
 * PyTorch's defaults for missing {@code args} (stride 1 for convolutions, stride = kernel for
 * pools, no padding, dilation 1, one group, count_include_pad true). Tuple arguments may be an
 * int (repeated) or a list.
 */
final class ConvPoolOps {
    private ConvPoolOps() {}

    /** Applies {@code op} to x (and weight and bias for convolutions; either may be null). */
    static Tensor apply(String op, Tensor x, Tensor w, Tensor b, JsonNode args) {
        int groups = args.path("groups").asInt(1);
        boolean ceil = args.path("ceil_mode").asBoolean(false);
        return switch (op) {
            case "conv1d" -> x.conv1d(w, b, one(args, "stride", 1), one(args, "padding", 0), one(args, "dilation", 1), groups);
            case "conv2d" -> x.conv2d(w, b, two(args, "stride", 1), two(args, "padding", 0), two(args, "dilation", 1), groups);
            case "conv_transpose2d" -> x.convTranspose2d(w, b, two(args, "stride", 1), two(args, "padding", 0),
                    two(args, "output_padding", 0), groups, two(args, "dilation", 1));
            case "max_pool1d" -> {
                int k = one(args, "kernel_size", -1);
                yield x.maxPool1d(k, one(args, "stride", k), one(args, "padding", 0), one(args, "dilation", 1), ceil);
            }
            case "max_pool2d" -> {
                int[] k = two(args, "kernel_size", -1);
                yield x.maxPool2d(k, has(args, "stride") ? two(args, "stride", 1) : k, two(args, "padding", 0),
                        two(args, "dilation", 1), ceil);
            }
            case "avg_pool1d" -> {
                int k = one(args, "kernel_size", -1);
                yield x.avgPool1d(k, one(args, "stride", k), one(args, "padding", 0), ceil,
                        args.path("count_include_pad").asBoolean(true));
            }
            case "avg_pool2d" -> {
                int[] k = two(args, "kernel_size", -1);
                yield x.avgPool2d(k, has(args, "stride") ? two(args, "stride", 1) : k, two(args, "padding", 0), ceil,
                        args.path("count_include_pad").asBoolean(true));
            }
            case "adaptive_avg_pool2d" -> {
                int[] s = two(args, "output_size", -1);
                yield x.adaptiveAvgPool2d(s[0], s[1]);
            }
            case "adaptive_max_pool2d" -> {
                int[] s = two(args, "output_size", -1);
                yield x.adaptiveMaxPool2d(s[0], s[1]);
            }
            default -> throw new UnsupportedOperationException("accept: unknown op '" + op + "'");
        };
    }

    private static boolean has(JsonNode args, String name) {
        return args.hasNonNull(name);
    }

    private static int one(JsonNode args, String name, int dflt) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        return v.isArray() ? v.get(0).asInt() : v.asInt();
    }

    private static int[] two(JsonNode args, String name, int dflt) {
        JsonNode v = args.get(name);
        if (v == null || v.isNull()) {
            return new int[] {dflt, dflt};
        }
        if (v.isArray()) {
            return v.size() == 1 ? new int[] {v.get(0).asInt(), v.get(0).asInt()}
                    : new int[] {v.get(0).asInt(), v.get(1).asInt()};
        }
        return new int[] {v.asInt(), v.asInt()};
    }
}
