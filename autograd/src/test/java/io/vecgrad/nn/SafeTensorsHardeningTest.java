package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hardening issue, safetensors: overflowing shapes, and tensors written/read without extra copies. */
class SafeTensorsHardeningTest {
    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            out.write((int) ((long) j.length >>> (8 * i)) & 0xff);
        }
        out.writeBytes(j);
        return Files.write(dir.resolve("h.safetensors"), out.toByteArray());
    }

    @Test
    void shapeWhoseElementCountOverflowsIsAnIOException() throws IOException {
        Path p = file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647,0],"
                + "\"data_offsets\":[0,0]}}");
        var e = assertThrows(IOException.class, () -> SafeTensors.load(p));
        assertTrue(e.getMessage().contains("more elements than fit"), e.getMessage());
        assertThrows(IOException.class, () -> SafeTensors.metadata(p));
    }

    @Test
    void viewsAtAnOffsetAndTransposedTensorsRoundTrip() throws IOException {
        Tensor base = Tensor.arange(DType.F64, 0, 12, 1).reshape(4, 3);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("rows", base.narrow(0, 1, 2));     // contiguous, at an offset: written from memory
        m.put("cols", base.t());                  // not contiguous: through a copy
        m.put("f32", Tensor.of(1.5f, -2f, 3.25f));
        m.put("empty", Tensor.zeros(0, 4));
        Path p = dir.resolve("v.safetensors");
        SafeTensors.save(m, p);
        LinkedHashMap<String, Tensor> back = SafeTensors.load(p);
        assertArrayEquals(new double[] {3, 4, 5, 6, 7, 8}, back.get("rows").toDoubleArray());
        assertArrayEquals(base.t().contiguous().toDoubleArray(), back.get("cols").toDoubleArray());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, back.get("f32").toFloatArray());
        assertArrayEquals(new int[] {0, 4}, back.get("empty").dims());
    }
}
