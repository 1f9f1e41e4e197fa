package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte layout against the format spec, written and read by hand here (no ByteBuffer, no
 * SafeTensors code): an 8-byte little-endian header length N, N bytes of JSON, then the data.
 */
class SafeTensorsTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------- hand-made bytes

    private static void le(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    private static byte[] f32(float... v) {
        var out = new ByteArrayOutputStream();
        for (float x : v) {
            le(out, Float.floatToRawIntBits(x), 4);
        }
        return out.toByteArray();
    }

    private static byte[] f64(double... v) {
        var out = new ByteArrayOutputStream();
        for (double x : v) {
            le(out, Double.doubleToRawLongBits(x), 8);
        }
        return out.toByteArray();
    }

    /** header length (as given), the JSON, then the data chunks. */
    private static byte[] file(long headerLength, String json, byte[]... data) {
        var out = new ByteArrayOutputStream();
        le(out, headerLength, 8);
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        for (byte[] d : data) {
            out.writeBytes(d);
        }
        return out.toByteArray();
    }

    private static byte[] file(String json, byte[]... data) {
        return file(json.getBytes(StandardCharsets.UTF_8).length, json, data);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static long readLe(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    // ------------------------------------------------------------------- the fixture

    @Test
    void handWrittenFixtureLoads() throws IOException {
        // header order a, b, c, d; data order b, a, d (0 bytes), c: offsets need not follow the header
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[24,40]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[40,44]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[0,5],\"data_offsets\":[40,40]}}   ";
        Path p = write("fixture.safetensors",
                file(json, f64(-1, 0.25, 1e300), f32(1, 2, 3, 4.5f), f32(-7.125f)));
        LinkedHashMap<String, Tensor> t = SafeTensors.load(p);
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(t.keySet()));
        assertEquals(DType.F32, t.get("a").dtype());
        assertArrayEquals(new int[] {2, 2}, t.get("a").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4.5f}, t.get("a").toFloatArray());
        assertEquals(DType.F64, t.get("b").dtype());
        assertArrayEquals(new double[] {-1, 0.25, 1e300}, t.get("b").toDoubleArray());
        assertArrayEquals(new int[0], t.get("c").shape());
        assertEquals(-7.125, t.get("c").item());
        assertArrayEquals(new int[] {0, 5}, t.get("d").shape());
        assertFalse(t.get("a").requiresGrad());
        assertEquals(Map.of("format", "pt"), SafeTensors.metadata(p));
    }

    @Test
    void savedBytesFollowTheSpec() throws IOException {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.fromArray(new float[] {1.5f, -2, 3, 0, 5, 6}, 2, 3).t()); // strided view: saved row-major
        m.put("b", Tensor.fromArray(new double[] {Math.PI, -0.0}, 2));
        Path p = dir.resolve("out.safetensors");
        SafeTensors.save(m, Map.of("framework", "vecgrad"), p);
        byte[] bytes = Files.readAllBytes(p);

        long n = readLe(bytes, 0, 8);
        assertEquals(0, (8 + n) % 8, "data section starts 8-byte aligned");
        String json = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{"));
        assertEquals(json.strip(), json.replaceAll(" +$", ""), "padding is trailing spaces only");
        JsonNode h = new ObjectMapper().readTree(json);
        assertEquals(List.of("__metadata__", "w", "b"), h.properties().stream().map(Map.Entry::getKey).toList());
        assertEquals("vecgrad", h.get("__metadata__").get("framework").asText());
        assertEquals("F32", h.get("w").get("dtype").asText());
        assertEquals("[3,2]", h.get("w").get("shape").toString());
        assertEquals("[0,24]", h.get("w").get("data_offsets").toString());
        assertEquals("F64", h.get("b").get("dtype").asText());
        assertEquals("[2]", h.get("b").get("shape").toString());
        assertEquals("[24,40]", h.get("b").get("data_offsets").toString());
        int data = (int) (8 + n);
        assertEquals(data + 40, bytes.length);
        float[] wt = {1.5f, 0, -2, 5, 3, 6}; // the transpose, row-major
        for (int i = 0; i < 6; i++) {
            assertEquals(Float.floatToRawIntBits(wt[i]), (int) readLe(bytes, data + 4 * i, 4), "w[" + i + "]");
        }
        assertEquals(Double.doubleToRawLongBits(Math.PI), readLe(bytes, data + 24, 8));
        assertEquals(Double.doubleToRawLongBits(-0.0), readLe(bytes, data + 32, 8));
    }

    @Test
    void roundTripsF32AndF64() throws IOException {
        long seed = 11;
        var gen = new SplittableRandom(seed);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("layers.0.weight", Tensor.randn(gen, DType.F32, 17, 5));
        m.put("layers.0.bias", Tensor.randn(gen, DType.F64, 17));
        m.put("scalar", Tensor.scalar(DType.F64, Double.MIN_VALUE));
        m.put("empty", Tensor.zeros(DType.F32, 0));
        m.put("special", Tensor.of(Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE));
        Path p = dir.resolve("rt.safetensors");
        SafeTensors.save(m, p);
        LinkedHashMap<String, Tensor> back = SafeTensors.load(p);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
        m.forEach((k, v) -> {
            Tensor b = back.get(k);
            assertEquals(v.dtype(), b.dtype(), k);
            assertArrayEquals(v.shape(), b.shape(), k);
            if (v.dtype() == DType.F32) {
                assertArrayEquals(v.toFloatArray(), b.toFloatArray(), "seed " + seed + " " + k);
            } else {
                assertArrayEquals(v.toDoubleArray(), b.toDoubleArray(), "seed " + seed + " " + k);
            }
        });
        assertEquals(Map.of(), SafeTensors.metadata(p));
    }

    @Test
    void moduleSaveAndLoad() throws IOException {
        var gen = new SplittableRandom(12);
        Sequential a = new Sequential(new Linear(3, 4, true, gen, DType.F64), new Tanh(), new Linear(4, 2, gen));
        Sequential b = new Sequential(new Linear(3, 4, true, gen, DType.F64), new Tanh(), new Linear(4, 2, gen));
        Path p = dir.resolve("model.safetensors");
        a.save(p);
        b.load(p);
        a.namedParameters().forEach((k, v) ->
                assertArrayEquals(v.toDoubleArray(), b.namedParameters().get(k).toDoubleArray(), k));
        Sequential other = new Sequential(new Linear(3, 5, true, gen, DType.F64));
        var e = assertThrows(IllegalArgumentException.class, () -> other.load(p));
        assertTrue(e.getMessage().contains("unexpected keys [2.weight, 2.bias]"), e.getMessage());
    }

    @Test
    void saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path p = dir.resolve("x.safetensors");
        Files.writeString(p, "old");
        SafeTensors.save(Map.of("x", Tensor.of(1f, 2f)), p);
        assertArrayEquals(new float[] {1, 2}, SafeTensors.load(p).get("x").toFloatArray());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("__metadata__", Tensor.of(1f)), p));
        assertTrue(e.getMessage().contains("invalid tensor name '__metadata__'"), e.getMessage());
        assertArrayEquals(new float[] {1, 2}, SafeTensors.load(p).get("x").toFloatArray(), "old file kept");
    }

    // ----------------------------------------------------------------- corrupt files

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";

    private void assertRejected(String name, byte[] bytes, String expected) throws IOException {
        Path p = write(name, bytes);
        var e = assertThrows(IOException.class, () -> SafeTensors.load(p), name);
        assertTrue(e.getMessage().startsWith("safetensors: " + p + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    @Test
    void truncatedFiles() throws IOException {
        byte[] good = file("{" + A + "}", f32(1, 2, 3, 4));
        assertRejected("empty", new byte[0], "truncated: 0 bytes");
        assertRejected("short", Arrays.copyOf(good, 5), "truncated: 5 bytes");
        assertRejected("cut-header", Arrays.copyOf(good, 20), "exceeds the 12 bytes after the length field");
        assertRejected("cut-data", Arrays.copyOf(good, good.length - 1),
                "tensor 'a': data_offsets [0, 16] reach past the data section of 15 bytes (truncated file?)");
    }

    @Test
    void badHeaderLengths() throws IOException {
        String json = "{" + A + "}";
        assertRejected("huge", file(1L << 40, json, f32(1, 2, 3, 4)), "header length 1099511627776 exceeds");
        assertRejected("negative", file(-1L, json, f32(1, 2, 3, 4)), "header length 18446744073709551615 exceeds");
        assertRejected("too-long", file(json.length() + 3, json, f32(0, 0, 0, 0)), "not valid JSON");
        assertRejected("too-long-binary", file(json.length() + 3, json, f32(1, 2, 3, 4)), "not valid UTF-8");
        assertRejected("too-short", file(json.length() - 3, json, f32(1, 2, 3, 4)), "not valid JSON");
        assertRejected("not-json", file("[1, 2]  "), "header does not start with '{'");
        assertRejected("array-json", file("{\"a\": [1]}"), "tensor 'a': entry is not an object");
        var bad = new ByteArrayOutputStream();
        le(bad, 4, 8);
        bad.writeBytes(new byte[] {'{', (byte) 0xff, '}', ' '});
        assertRejected("not-utf8", bad.toByteArray(), "header is not valid UTF-8");
    }

    @Test
    void wrongOffsets() throws IOException {
        assertRejected("span", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", f32(1, 2, 3)),
                "tensor 'a': F32 [2, 2] needs 16 bytes but data_offsets [0, 12] span 12");
        assertRejected("reversed", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,0]}}", f32(1)),
                "data_offsets [4,0] end before they begin");
        assertRejected("negative", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[-4,0]}}", f32(1)),
                "must be non-negative integers");
        assertRejected("out-of-bounds", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", f32(1, 2)),
                "reach past the data section of 8 bytes");
        assertRejected("gap", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", f32(1, 2)),
                "bytes [0, 4) of the data section belong to no tensor (gap before 'a')");
        assertRejected("trailing", file("{" + A + "}", f32(1, 2, 3, 4, 5)),
                "the data section has 20 bytes but the tensors cover 16 (trailing bytes)");
        assertRejected("shape", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", f32(1)),
                "shape [-1] must hold non-negative ints");
        assertRejected("huge-shape", file("{\"a\":{\"dtype\":\"F64\",\"shape\":[65536,65536,65536],"
                + "\"data_offsets\":[0,8]}}", f64(1)), "shape [65536, 65536, 65536] is larger than the");
    }

    @Test
    void overlappingOffsets() throws IOException {
        assertRejected("overlap", file("{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}",
                f32(1, 2, 3, 4, 5, 6)), "tensors 'a' and 'b' overlap (data_offsets end 16 > begin 8)");
        assertRejected("alias", file("{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                f32(1, 2, 3, 4)), "overlap");
    }

    @Test
    void unknownAndUnsupportedDtypes() throws IOException {
        assertRejected("f16", file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", f32(1)),
                "tensor 'h': dtype F16 is not supported (vecgrad loads F32 and F64)");
        assertRejected("bf16", file("{\"h\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", f32(1)),
                "dtype BF16 is not supported");
        assertRejected("q7", file("{\"h\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,4]}}", f32(1)),
                "tensor 'h': unknown dtype 'Q7'");
    }

    @Test
    void duplicateNamesAndBadMetadata() throws IOException {
        assertRejected("duplicate", file("{" + A + "," + A + "}", f32(1, 2, 3, 4)), "Duplicate field 'a'");
        assertRejected("metadata", file("{\"__metadata__\":{\"n\":3}," + A + "}", f32(1, 2, 3, 4)),
                "__metadata__ value of 'n' is not a string");
        assertRejected("missing", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[]}}", f32(1)),
                "needs \"dtype\" (string), \"shape\" and \"data_offsets\" (arrays)");
    }
}
