package io.vecgrad.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The data sets shipped inside the vecgrad-optim jar, readable from any classpath (a library
 * user has no {@code digits.csv.gz} file to open; the data is a resource). Credits and licences:
 * {@code io/vecgrad/train/README.md} next to the files.
 */
public final class Datasets {
    private Datasets() {}

    /** Names accepted by {@link #bundled(String)}. */
    public static final java.util.List<String> NAMES = java.util.List.of("digits.csv.gz", "wine.csv");

    /**
     * The UCI optical handwritten digits: 1797 rows of 64 pixels (8x8, values 0..16; divide by
     * 16 for [0, 1]) and a digit class 0..9.
     */
    public static DataSet digits() {
        return read("digits.csv.gz", CsvReader.builder().header(false).classes(10));
    }

    /**
     * The UCI wine recognition data: 178 rows of 13 chemical measurements (unscaled: standardize
     * them, e.g. with {@link Standardizer}) and a cultivar {@code class_0..class_2}.
     */
    public static DataSet wine() {
        return read("wine.csv", CsvReader.builder().header(true).target("class"));
    }

    /**
     * A bundled data set by file name, one of {@link #NAMES}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static DataSet bundled(String name) {
        return switch (name) {
            case "digits.csv.gz" -> digits();
            case "wine.csv" -> wine();
            default -> throw new IllegalArgumentException("datasets: no bundled data set '" + name + "'; bundled: " + NAMES);
        };
    }

    /** The raw bytes of a bundled file (for readers with their own options), or null. */
    public static InputStream open(String name) {
        return NAMES.contains(name) ? Datasets.class.getResourceAsStream(name) : null;
    }

    private static DataSet read(String name, CsvReader.Builder options) {
        try (InputStream in = Datasets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("datasets: " + name + " is missing from the classpath");
            }
            return options.build().read(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("datasets: cannot read bundled " + name, e);
        }
    }
}
