package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vecgrad.engine.DType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsPlainAndGzipCsv() throws IOException {
        String csv = "1,2,0\n3,4,1\n\n5,6,2\n";
        DataSet a = DataSet.readCsv(write("a.csv", csv), DataSet.Task.CLASSIFICATION, 0);
        Path gz = dir.resolve("a.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(csv.getBytes(StandardCharsets.UTF_8));
        }
        DataSet b = DataSet.readCsv(gz, DataSet.Task.CLASSIFICATION, 0);
        for (DataSet d : List.of(a, b)) {
            assertEquals(3, d.size());
            assertEquals(2, d.features());
            assertEquals(3, d.classes());
            assertEquals(6, d.feature(2, 1));
            assertEquals(1, d.target(1));
        }
    }

    @Test
    void badInputNamesFileLineAndColumn() throws IOException {
        Path p = write("bad.csv", "1,2,0\n3,x,1\n");
        var e = assertThrows(DataFormatException.class, () -> DataSet.readCsv(p, DataSet.Task.CLASSIFICATION, 0));
        assertEquals(p + ":2:2: 'x' is not a number", e.getMessage());
        Path cols = write("cols.csv", "1,2,0\n3,1\n");
        e = assertThrows(DataFormatException.class, () -> DataSet.readCsv(cols, DataSet.Task.CLASSIFICATION, 0));
        assertEquals(cols + ":2:3: expected 3 columns like line 1, found 2", e.getMessage());
        Path nan = write("nan.csv", "1,NaN,0\n");
        e = assertThrows(DataFormatException.class, () -> DataSet.readCsv(nan, DataSet.Task.REGRESSION, 0));
        assertEquals(nan + ":1:2: missing value 'NaN'; vecgrad does not impute: fill or drop the row first", e.getMessage());
        Path label = write("label.csv", "1,2,0\n1,2,10\n");
        e = assertThrows(DataFormatException.class, () -> DataSet.readCsv(label, DataSet.Task.CLASSIFICATION, 10));
        assertEquals(label + ":2:3: label 10 is not a class index in [0, 10)", e.getMessage());
        Path frac = write("frac.csv", "1,2,0.5\n");
        assertThrows(DataFormatException.class, () -> DataSet.readCsv(frac, DataSet.Task.CLASSIFICATION, 0));
        Path empty = write("empty.csv", "\n\n");
        e = assertThrows(DataFormatException.class, () -> DataSet.readCsv(empty, DataSet.Task.REGRESSION, 0));
        assertEquals(empty + ":2:1: the file holds no data rows", e.getMessage());
        assertThrows(java.io.FileNotFoundException.class,
                () -> DataSet.readCsv(dir.resolve("missing.csv"), DataSet.Task.REGRESSION, 0));
    }

    @Test
    void splitIsSeededAndDisjoint() {
        double[][] x = new double[100][1];
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            x[i][0] = i;
            y[i] = i % 3;
        }
        DataSet d = DataSet.classification(x, y, 3);
        DataSet.Split s1 = d.split(0.2, 7);
        DataSet.Split s2 = d.split(0.2, 7);
        assertEquals(80, s1.train().size());
        assertEquals(20, s1.test().size());
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            assertEquals(s1.test().feature(i, 0), s2.test().feature(i, 0));
            seen.add(s1.test().feature(i, 0));
        }
        for (int i = 0; i < 80; i++) {
            assertEquals(false, seen.contains(s1.train().feature(i, 0)));
        }
        assertNotEquals(s1.test().feature(0, 0), d.split(0.2, 8).test().feature(0, 0));
    }

    @Test
    void loaderOrderDependsOnSeedAndEpochOnly() {
        double[][] x = new double[10][2];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[i][0] = i;
            y[i] = i % 2;
        }
        DataSet d = DataSet.classification(x, y, 2);
        DataLoader a = DataLoader.builder(d).batchSize(4).shuffle(3).build();
        DataLoader b = DataLoader.builder(d).batchSize(4).shuffle(3).dtype(DType.F32).build();
        assertArrayEquals(a.order(5), b.order(5));
        assertNotEquals(java.util.Arrays.toString(a.order(0)), java.util.Arrays.toString(a.order(1)));
        assertEquals(3, a.batchesPerEpoch());
        int rows = 0;
        for (DataLoader.Batch batch : a.epoch(0)) {
            rows += batch.size();
            assertEquals(batch.size(), batch.labels().numel());
            for (int i = 0; i < batch.size(); i++) {
                assertEquals((long) batch.x().get(i, 0) % 2, batch.labels().get(i));
            }
        }
        assertEquals(10, rows);
        assertEquals(2, DataLoader.builder(d).batchSize(4).dropLast(true).dtype(DType.F64).build().batchesPerEpoch());
        DataLoader built = DataLoader.builder(d).batchSize(4).shuffle(3).build();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.order(5), built.order(5), "builder = positional form");
        assertEquals(2, DataLoader.builder(d).batchSize(4).dropLast(true).dtype(DType.F64).build().batchesPerEpoch());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).batchSize(0).build());
    }

    @Test
    void f32BatchesAreTheF64BatchesRounded() {
        long seed = 77;
        System.out.println("f32BatchesAreTheF64BatchesRounded seed " + seed);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[][] x = new double[23][7];
        int[] y = new int[23];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = r.nextDouble(-3, 3);
            }
            y[i] = i % 3;
        }
        DataSet d = DataSet.classification(x, y, 3);
        DataLoader f32 = DataLoader.builder(d).batchSize(5).shuffle(9).dtype(DType.F32).build();
        DataLoader f64 = DataLoader.builder(d).batchSize(5).shuffle(9).dtype(DType.F64).build();
        var a = f32.epoch(2).iterator();
        var b = f64.epoch(2).iterator();
        int batches = 0;
        while (a.hasNext()) {
            DataLoader.Batch fa = a.next();
            DataLoader.Batch fb = b.next();
            assertEquals(fb.size(), fa.size());
            double[] wide = fb.x().toDoubleArray();
            float[] narrow = fa.x().toFloatArray();
            for (int i = 0; i < wide.length; i++) {
                assertEquals(Float.floatToRawIntBits((float) wide[i]), Float.floatToRawIntBits(narrow[i]), "element " + i);
            }
            batches++;
        }
        assertEquals(5, batches); // 4 full batches and the last 3 rows
    }
}
