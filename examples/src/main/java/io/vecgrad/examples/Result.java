package io.vecgrad.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The numbers an example computed (by key, in the order they were put), and the files it wrote. */
public final class Result {
    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final List<Path> files = new ArrayList<>();

    /** Records one number or an array under {@code key}. */
    public Result put(String key, double... v) {
        values.put(key, v.clone());
        return this;
    }

    /** Records a text (an error message, a verdict). */
    public Result text(String key, String v) {
        texts.put(key, v);
        return this;
    }

    /** Records a file the example wrote. */
    public Result file(Path p) {
        files.add(p);
        return this;
    }

    /** The single number under {@code key}. */
    public double value(String key) {
        double[] v = values(key);
        if (v.length != 1) {
            throw new IllegalArgumentException(key + " holds " + v.length + " values, not one");
        }
        return v[0];
    }

    /** The numbers under {@code key}. */
    public double[] values(String key) {
        double[] v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no value '" + key + "'; have " + values.keySet());
        }
        return v.clone();
    }

    /** The text under {@code key}. */
    public String text(String key) {
        String v = texts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no text '" + key + "'; have " + texts.keySet());
        }
        return v;
    }

    /** True if a number or text was recorded under {@code key}. */
    public boolean has(String key) {
        return values.containsKey(key) || texts.containsKey(key);
    }

    /** The files written, in order. */
    public List<Path> files() {
        return Collections.unmodifiableList(files);
    }
}
