package io.vecgrad.train;

import java.util.Arrays;

/**
 * Per-feature standardization {@code (x - mean) / std}, fitted on one data set (the training
 * split: fitting on all rows would leak the test rows' statistics into training) and applied
 * unchanged to others and to prediction inputs. A constant feature (std 0) is only centred.
 *
 * @param mean the mean of each feature
 * @param std  the population standard deviation of each feature (1 where it was 0)
 */
public record Standardizer(double[] mean, double[] std) {

    /**
     * @throws IllegalArgumentException if the lengths differ or a std is not positive and finite
     */
    public Standardizer {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("Standardizer: " + mean.length + " means but " + std.length + " stds");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0 && Double.isFinite(std[j]) && Double.isFinite(mean[j]))) {
                throw new IllegalArgumentException("Standardizer: feature " + j + " has mean " + mean[j] + ", std " + std[j]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Fits mean and std of every feature of {@code data}. */
    public static Standardizer fit(DataSet data) {
        int n = data.size();
        int f = data.features();
        if (n == 0) {
            throw new IllegalArgumentException("Standardizer.fit: the data set has no rows");
        }
        double[] x = data.rawFeatures();
        double[] mean = new double[f];
        double[] m2 = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                mean[j] += x[i * f + j];
            }
        }
        for (int j = 0; j < f; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double d = x[i * f + j] - mean[j];
                m2[j] += d * d;
            }
        }
        double[] std = new double[f];
        for (int j = 0; j < f; j++) {
            double s = Math.sqrt(m2[j] / n);
            std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
        }
        return new Standardizer(mean, std);
    }

    /** Number of features. */
    public int features() {
        return mean.length;
    }

    /**
     * A copy of {@code data} with standardized features.
     *
     * @throws IllegalArgumentException if the feature count differs
     */
    public DataSet apply(DataSet data) {
        check(data.features(), "apply");
        double[] x = data.rawFeatures().clone();
        int f = mean.length;
        for (int i = 0; i < x.length; i++) {
            int j = i % f;
            x[i] = (x[i] - mean[j]) / std[j];
        }
        return data.withFeatures(x);
    }

    /** Standardizes one row in place (a prediction input); returns it. */
    public float[] applyInPlace(float[] row) {
        check(row.length, "applyInPlace");
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) ((row[j] - mean[j]) / std[j]);
        }
        return row;
    }

    private void check(int f, String op) {
        if (f != mean.length) {
            throw new IllegalArgumentException("Standardizer." + op + ": fitted on " + mean.length
                    + " features, got " + f);
        }
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
