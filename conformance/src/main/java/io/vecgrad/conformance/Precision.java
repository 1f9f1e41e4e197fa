package io.vecgrad.conformance;

import io.vecgrad.engine.DType;
import java.util.List;

/** The engine precision a case is run in; picks the dtype and the {@code tol} entry. */
public enum Precision {
    /** float32 inputs and arithmetic, judged against the f64 reference with the f32 tolerance. */
    F32(DType.F32, "f32"),
    /** float64 inputs and arithmetic, judged with the f64 tolerance. */
    F64(DType.F64, "f64");

    private final DType dtype;
    private final String key;

    Precision(DType dtype, String key) {
        this.dtype = dtype;
        this.key = key;
    }

    /** The engine dtype of inputs, constants and results. */
    public DType dtype() {
        return dtype;
    }

    /** The key in a case's {@code tol} object: {@code "f32"} or {@code "f64"}. */
    public String key() {
        return key;
    }

    /**
     * Parses the CLI's {@code --dtype}: {@code f32}, {@code f64} or {@code both}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static List<Precision> parseList(String s) {
        return switch (s.toLowerCase()) {
            case "f32", "float32" -> List.of(F32);
            case "f64", "float64" -> List.of(F64);
            case "both" -> List.of(F32, F64);
            default -> throw new IllegalArgumentException("dtype: '" + s + "' is not one of f32, f64, both");
        };
    }

    @Override
    public String toString() {
        return key;
    }
}
