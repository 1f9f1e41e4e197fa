package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkspaceTest {

    @Test
    void steadyLoopAllocatesNoNewNativeMemory() {
        Workspace ws = new Workspace();
        Kernels k = Kernels.get();
        long afterFirst = -1;
        for (int pass = 0; pass < 5; pass++) {
            Buffer a = ws.takeZeroed(DType.F32, 64, 32);
            Buffer b = ws.take(DType.F32, 64, 32);
            Buffer c = ws.take(DType.F64, 10);
            k.fill(b, 1);
            k.add(a, b, a);
            ws.give(a);
            ws.give(b);
            ws.give(c);
            if (pass == 0) {
                afterFirst = ws.nativeBytesAllocated();
            }
        }
        assertEquals(afterFirst, ws.nativeBytesAllocated());
        assertEquals(3, ws.nativeAllocations());
        assertEquals(0, ws.outstanding());
    }

    @Test
    void sizeClassesRoundUpToPowersOfTwo() {
        assertEquals(6, Workspace.sizeClass(1));
        assertEquals(6, Workspace.sizeClass(64));
        assertEquals(7, Workspace.sizeClass(65));
        Workspace ws = new Workspace();
        ws.give(ws.take(DType.F32, 100)); // 400 bytes -> 512 class
        ws.take(DType.F32, 120); // 480 bytes: same class, reused
        assertEquals(512, ws.nativeBytesAllocated());
    }

    @Test
    void givenBackBufferIsDead() {
        Workspace ws = new Workspace();
        Buffer a = ws.take(DType.F32, 8);
        ws.give(a);
        var e = assertThrows(IllegalStateException.class, () -> Kernels.get().fill(a, 1));
        assertTrue(e.getMessage().contains("released to its workspace"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ws.give(a));
    }
}
