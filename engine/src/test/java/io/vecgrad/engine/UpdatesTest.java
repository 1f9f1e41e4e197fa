package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The update kernels follow the default provider's scalar/vector choice. */
class UpdatesTest {

    @Test
    void followsTheDefaultProvider() {
        int bits = Kernels.get().provider().vectorBits();
        String want = bits > 0 ? "vector-" + bits : "scalar";
        assertEquals(want, Updates.get().name(), Kernels.providerInfo());
        assertSame(Updates.get(), Updates.get());
        assertEquals("scalar", Updates.scalar().name());
    }
}
