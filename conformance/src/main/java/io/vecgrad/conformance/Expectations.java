package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgrad.engine.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Compares a case's {@code expected} map with what an {@link Interpreter} computed. */
public final class Expectations {
    private Expectations() {}

    /**
     * One expected name that did not match.
     *
     * @param name the expected name ({@code y}, {@code x.grad}, a snapshot)
     * @param detail e.g. {@code x.grad[3]: expected 1.2345, got 1.2399, tolerance 1.3e-4}
     */
    public record Mismatch(String name, String detail) {}

    /**
     * Checks every expected tensor: float tensors against {@code f64} with {@code tol}, integer
     * tensors exactly, shapes exactly. Reading a value may fail (e.g. a released tensor); that is
     * reported as a mismatch, not thrown.
     *
     * @return the mismatches, in the order of {@code expected}; empty if all match
     */
    public static List<Mismatch> compare(Interpreter in, JsonNode expected, Tolerance tol) {
        List<Mismatch> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            String name = e.getKey();
            Value got;
            try {
                got = in.read(name);
            } catch (RuntimeException ex) {
                out.add(new Mismatch(name, name + ": cannot read: " + ex.getClass().getSimpleName() + ": "
                        + ex.getMessage()));
                continue;
            }
            String d = compare(name, got, e.getValue(), tol, in.precision());
            if (d != null) {
                out.add(new Mismatch(name, d));
            }
        }
        return out;
    }

    /**
     * Compares one value with one expected tensor.
     *
     * @return null on a match, else a one-line description of the worst element
     */
    public static String compare(String name, Value got, JsonNode want, Tolerance tol, Precision p) {
        int[] shape = Interpreter.ints(want.get("shape"));
        if (got == null) {
            return name + ": expected a tensor of shape " + Arrays.toString(shape) + ", got none"
                    + (name.endsWith(".grad") ? " (no gradient reached the leaf)" : "");
        }
        if (!Arrays.equals(shape, got.shape())) {
            return name + ": expected shape " + Arrays.toString(shape) + ", got " + Arrays.toString(got.shape());
        }
        boolean intWant = want.has("data") && !want.has("f64");
        if (intWant) {
            JsonNode data = want.get("data");
            for (int i = 0; i < data.size(); i++) {
                double g = got.isInt() ? got.ints()[i] : got.floats()[i];
                long w = data.get(i).isBoolean() ? (data.get(i).asBoolean() ? 1 : 0) : data.get(i).asLong();
                if (g != w) {
                    return name + index(shape, i) + ": expected " + w + ", got "
                            + (got.isInt() ? Long.toString(got.ints()[i]) : Double.toString(g)) + " (exact)";
                }
            }
            return null;
        }
        if (got.isInt()) {
            return name + ": expected a float tensor, got an int64 tensor";
        }
        double[] w = Interpreter.numbers(want.get("f64"), DType.F64);
        Tolerance.Outcome o = tol.compare(got.floats(), w);
        if (o.ok()) {
            return null;
        }
        String gs = p == Precision.F32 ? Float.toString((float) o.got()) : Double.toString(o.got());
        return name + index(shape, o.index()) + ": expected " + o.want() + ", got " + gs
                + (Double.isNaN(o.bound()) ? " (non-finite values must match exactly)"
                        : ", tolerance " + sci(o.bound()));
    }

    /** {@code 1.3e-4}: two significant digits, no exponent padding. */
    static String sci(double v) {
        return String.format(java.util.Locale.ROOT, "%.1e", v).replaceAll("e([+-])0*(\\d)", "e$1$2").replace("e+", "e");
    }

    /** {@code [i]}, {@code [i,j]}, ... for a flat row-major index; empty for 0-d. */
    static String index(int[] shape, int flat) {
        if (shape.length == 0) {
            return "";
        }
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < idx.length; d++) {
            sb.append(d > 0 ? "," : "").append(idx[d]);
        }
        return sb.append(']').toString();
    }
}
