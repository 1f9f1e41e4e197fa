package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void offUnlessAskedFor() {
        // no -Dvecgrad.warmup here: no background warm-up, nothing waits
        assertFalse(Warmup.enabled());
        Kernels.get(); // selects the provider, which settles the warm-up state
        assertTrue(Warmup.isDone());
        assertEquals("off", Warmup.summary());
    }

    @Test
    void gateNeverWaitsOnceDone() throws InterruptedException {
        Kernels.get();
        long t0 = System.nanoTime();
        Warmup.gate(1e12);
        assertTrue(Warmup.await(0, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void roundsRunEveryKernelOnTheDefaultProviderAndEnd() {
        Kernels k = Kernels.of(Kernels.get().provider(), Parallel.sequential());
        String s = Warmup.run(k, Updates.get(), 3, TimeUnit.SECONDS.toNanos(2));
        assertTrue(s.matches("\\d+ rounds in \\d+ ms .*"), s);
        // a round on the scalar kernels works too (no vector width: lanes = 1)
        String t = Warmup.run(Kernels.of(new io.vecgrad.engine.internal.scalar.ScalarKernelProvider(), Parallel.sequential()),
                Updates.scalar(), 2, TimeUnit.SECONDS.toNanos(1));
        assertTrue(t.matches("\\d+ rounds in \\d+ ms .*"), t);
    }

    @Test
    void badSettingNamesTheProperty() {
        String old = System.getProperty("vecgrad.warmup");
        System.setProperty("vecgrad.warmup", "maybe");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Warmup::enabled);
            assertTrue(e.getMessage().contains("vecgrad.warmup: 'maybe' is not one of on, off"), e.getMessage());
            System.setProperty("vecgrad.warmup", "on");
            assertTrue(Warmup.enabled());
        } finally {
            if (old == null) {
                System.clearProperty("vecgrad.warmup");
            } else {
                System.setProperty("vecgrad.warmup", old);
            }
        }
    }
}
