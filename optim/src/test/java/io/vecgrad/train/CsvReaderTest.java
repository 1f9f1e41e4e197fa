package io.vecgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void headerBomQuotesAndStringLabels() throws IOException {
        Path p = dir.resolve("bom.csv");
        byte[] body = "a,\"b\",kind\n1,\"2.5\",cat\n\n3,4,dog\n5,\"6\",cat\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + 3];
        all[0] = (byte) 0xEF;
        all[1] = (byte) 0xBB;
        all[2] = (byte) 0xBF;
        System.arraycopy(body, 0, all, 3, body.length);
        Files.write(p, all);
        DataSet d = CsvReader.builder().build().read(p);
        assertEquals(3, d.size());
        assertEquals(DataSet.Task.CLASSIFICATION, d.task());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(List.of("cat", "dog"), d.labelNames());
        assertEquals(2.5, d.feature(0, 1));
        assertEquals(1, d.target(1));
        assertEquals(0, d.target(2));
    }

    @Test
    void targetByNameOrIndexAndNoHeaderDetected() throws IOException {
        Path p = write("t.csv", "y,x1,x2\n1.5,2,3\n2.5,4,5\n");
        DataSet d = CsvReader.builder().target("y").build().read(p);
        assertEquals(DataSet.Task.REGRESSION, d.task());
        assertEquals(List.of("x1", "x2"), d.featureNames());
        assertEquals(2.5, d.target(1));
        assertEquals(4, d.feature(1, 0));
        DataSet e = CsvReader.builder().targetIndex(0).build().read(write("n.csv", "1.5,2,3\n2.5,4,5\n"));
        assertEquals(2, e.size(), "no header detected in an all-numeric file");
        var ex = assertThrows(DataFormatException.class, () -> CsvReader.builder().target("z").build().read(p));
        assertTrue(ex.getMessage().contains("no column named 'z'"), ex.getMessage());
    }

    @Test
    void missingValuesNameFileLineAndColumn() throws IOException {
        Path p = write("m.csv", "a,b,c\n1,2,x\n3,,y\n");
        var e = assertThrows(DataFormatException.class, () -> CsvReader.builder().build().read(p));
        assertEquals(p + ":3:2: missing value in column 'b'; vecgrad does not impute: fill or drop the row first",
                e.getMessage());
        Path q = write("q.csv", "a,b,c\n1,2,x\n\n\"3\",NA,y\n");
        e = assertThrows(DataFormatException.class, () -> CsvReader.builder().build().read(q));
        assertEquals(4, e.line());
        assertEquals(2, e.column());
    }

    @Test
    void taskIsInferredAndAMismatchIsAnError() throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) {
            sb.append(i).append(',').append(25 + (i * 7) % 300).append('\n');
        }
        Path many = write("many.csv", sb.toString());
        assertEquals(DataSet.Task.REGRESSION, CsvReader.builder().build().read(many).task(), "many distinct integers");
        var e = assertThrows(DataFormatException.class,
                () -> CsvReader.builder().task(DataSet.Task.CLASSIFICATION).build().read(many));
        assertTrue(e.getMessage().contains("the task is classification but target 'y' looks like regression"),
                e.getMessage());
        Path text = write("text.csv", "x,y\n1,a\n2,b\n");
        e = assertThrows(DataFormatException.class,
                () -> CsvReader.builder().task(DataSet.Task.REGRESSION).build().read(text));
        assertEquals(text + ":2:2: regression needs numeric targets, but target 'y' holds 'a'", e.getMessage());
        Path ints = write("ints.csv", "x,y\n1,1\n2,2\n3,1\n");
        assertEquals(DataSet.Task.REGRESSION,
                CsvReader.builder().task(DataSet.Task.REGRESSION).build().read(ints).task(), "ratings as regression");
    }

    @Test
    void labelGapsWarnAndAreMappedWithNamesKept() throws IOException {
        List<String> warnings = new ArrayList<>();
        Path p = write("gap.csv", "x,y\n1,1\n2,3\n3,1\n4,4\n");
        DataSet d = CsvReader.builder().warnings(warnings::add).build().read(p);
        assertEquals(3, d.classes());
        assertEquals(List.of("1", "3", "4"), d.labelNames());
        assertArrayEquals(new double[] {0, 1, 0, 2}, new double[] {d.target(0), d.target(1), d.target(2), d.target(3)});
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("integer labels 1..4 with no rows for [2]"), warnings.get(0));
        warnings.clear();
        CsvReader.builder().warnings(warnings::add).build().read(write("ok.csv", "x,y\n1,0\n2,1\n"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void bundledWineAndStandardizerFittedOnTrainingRows() {
        DataSet wine = Datasets.wine();
        assertEquals(178, wine.size());
        assertEquals(13, wine.features());
        assertEquals(List.of("class_0", "class_1", "class_2"), wine.labelNames());
        assertEquals(1797, Datasets.digits().size());
        DataSet.Split s = wine.split(0.2, 42);
        Standardizer z = Standardizer.fit(s.train());
        DataSet train = z.apply(s.train());
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < train.size(); i++) {
            mean += train.feature(i, 12);
            sq += train.feature(i, 12) * train.feature(i, 12);
        }
        assertEquals(0, mean / train.size(), 1e-9);
        assertEquals(1, sq / train.size(), 1e-9);
        assertEquals(List.of("class_0", "class_1", "class_2"), z.apply(s.test()).labelNames());
        float[] row = new float[13];
        row[12] = (float) s.train().feature(0, 12);
        assertEquals(train.feature(0, 12), z.applyInPlace(row)[12], 1e-5);
    }

    @Test
    void featuresOnlyByNameOrPositionWithFileLineColumnErrors() throws IOException {
        CsvReader r = CsvReader.builder().build();
        Path named = write("named.csv", "\uFEFFz,x,y\n3,1,2\n\"6\",4,5\n");
        assertEquals(new CsvReader.Columns(List.of("z", "x", "y"), 3), r.columns(named));
        double[][] x = r.readFeatures(named, List.of("x", "y", "z"), 3);
        assertArrayEquals(new double[] {1, 2, 3}, x[0]);
        assertArrayEquals(new double[] {4, 5, 6}, x[1]);
        Path bare = write("bare.csv", "1,2\n3,4\n");
        assertEquals(new CsvReader.Columns(List.of(), 2), r.columns(bare));
        assertArrayEquals(new double[] {3, 4}, r.readFeatures(bare, List.of("p", "q"), 2)[1]);
        var e = assertThrows(DataFormatException.class, () -> r.readFeatures(
                write("gap.csv", "x,y\n1,2\n3,NA\n"), List.of("x", "y"), 2));
        assertTrue(e.getMessage().endsWith("gap.csv:3:2: missing value 'NA' in column 'y'; vecgrad does not impute: "
                + "fill or drop the row first"), e.getMessage());
        var w = assertThrows(DataFormatException.class, () -> r.readFeatures(named, List.of("x", "w", "z"), 3));
        assertTrue(w.getMessage().contains("missing: w; not features of the model: y"), w.getMessage());
    }
}
