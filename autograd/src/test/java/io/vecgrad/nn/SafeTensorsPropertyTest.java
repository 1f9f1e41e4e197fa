package io.vecgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips of random sets of tensors; jqwik reports the seed of a failing try. */
class SafeTensorsPropertyTest {

    @Property(tries = 60)
    void anyTensorsRoundTrip(@ForAll @Size(max = 5) List<@Size(max = 4) List<@IntRange(max = 6) Integer>> shapes,
            @ForAll long seed) throws IOException {
        var gen = new SplittableRandom(seed);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < shapes.size(); i++) {
            int[] dims = shapes.get(i).stream().mapToInt(Integer::intValue).toArray();
            DType dt = gen.nextBoolean() ? DType.F32 : DType.F64;
            m.put("t" + i + (gen.nextBoolean() ? ".weight" : "/é"), Tensor.randn(gen, dt, dims));
        }
        Path dir = Files.createTempDirectory("st");
        Path p = dir.resolve("p.safetensors");
        try {
            SafeTensors.save(m, p);
            LinkedHashMap<String, Tensor> back = SafeTensors.load(p);
            assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
            for (var e : m.entrySet()) {
                Tensor b = back.get(e.getKey());
                assertEquals(e.getValue().dtype(), b.dtype());
                assertArrayEquals(e.getValue().shape(), b.shape());
                assertArrayEquals(e.getValue().toDoubleArray(), b.toDoubleArray());
            }
        } finally {
            Files.deleteIfExists(p);
            Files.delete(dir);
        }
    }
}
