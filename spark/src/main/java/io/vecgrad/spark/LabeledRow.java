package io.vecgrad.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training example as Spark ships it: a feature vector and a label (a class index
 * {@code 0..C-1} stored as a double for classification, the target value for regression).
 *
 * @param features the feature vector; every row of a training job must have the same width
 * @param label    the class index or regression target
 */
public record LabeledRow(double[] features, double label) implements Serializable {
    /** Creates a row; {@code features} is used as given (not copied). */
    public LabeledRow {
        if (features == null) {
            throw new IllegalArgumentException("LabeledRow: features must not be null");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledRow r && Double.compare(r.label, label) == 0 && Arrays.equals(r.features, features);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Double.hashCode(label);
    }

    @Override
    public String toString() {
        return "LabeledRow[" + features.length + " features, label " + label + "]";
    }
}
