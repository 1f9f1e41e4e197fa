package io.vecgrad.engine;

import java.lang.foreign.ValueLayout;

/** Element types of engine storage. Both are first-class in every kernel. */
public enum DType {
    /** IEEE 754 binary32, the default for training. */
    F32(4, ValueLayout.JAVA_FLOAT_UNALIGNED),
    /** IEEE 754 binary64, for gradient checks and references. */
    F64(8, ValueLayout.JAVA_DOUBLE_UNALIGNED);

    private final int byteSize;
    private final ValueLayout layout;

    DType(int byteSize, ValueLayout layout) {
        this.byteSize = byteSize;
        this.layout = layout;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The (unaligned, native-order) value layout of one element. */
    public ValueLayout layout() {
        return layout;
    }

    /** Rounds {@code v} to this type's precision and back (identity for F64). */
    public double round(double v) {
        return this == F32 ? (float) v : v;
    }

    /** {@code "f32"} or {@code "f64"}. */
    @Override
    public String toString() {
        return this == F32 ? "f32" : "f64";
    }

    /** Parses {@code f32|float32|float|f64|float64|double}, case-insensitively. */
    public static DType parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "float32", "float" -> F32;
            case "f64", "float64", "double" -> F64;
            default -> throw new IllegalArgumentException(
                    "dtype: unknown '" + s + "', expected one of f32, f64");
        };
    }
}
