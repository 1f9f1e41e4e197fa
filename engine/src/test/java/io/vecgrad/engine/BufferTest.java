package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BufferTest {

    @Test
    void storageIsAlignedAndVersioned() {
        Buffer b = Buffer.zeros(DType.F32, 3, 5);
        assertEquals(0, b.segment("t").address() % Storage.ALIGNMENT);
        int v0 = b.storage().version();
        b.copyFrom(new float[15]);
        assertTrue(b.storage().version() > v0);
        int v1 = b.storage().version();
        Kernels.get().fill(b, 2);
        assertTrue(b.storage().version() > v1);
    }

    @Test
    void copyRowsFromGathersRowsAndChecksEveryIndexFirst() {
        float[] data = {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32};
        int[] rows = {9, 3, 0, 2, 9};
        Buffer f = Buffer.zeros(DType.F32, 3, 3);
        int v0 = f.storage().version();
        f.copyRowsFrom(data, 3, rows, 1);
        assertArrayEquals(new float[] {30, 31, 32, 0, 1, 2, 20, 21, 22}, f.toFloatArray());
        assertTrue(f.storage().version() > v0);
        Buffer d = Buffer.zeros(DType.F64, 2, 3);
        d.copyRowsFrom(new float[] {0.1f, 1, 2, 3, 4, 5}, 3, new int[] {1, 0}, 0);
        assertArrayEquals(new double[] {3, 4, 5, 0.1f, 1, 2}, d.toDoubleArray());
        // a bad index anywhere leaves the view as it was
        float[] before = f.toFloatArray();
        var e = assertThrows(IllegalArgumentException.class, () -> f.copyRowsFrom(data, 3, new int[] {0, 1, 4}, 0));
        assertEquals("copyRowsFrom: row index 4 (position 2) outside the 4 rows of 3 values in data", e.getMessage());
        assertArrayEquals(before, f.toFloatArray());
        e = assertThrows(IllegalArgumentException.class, () -> f.copyRowsFrom(data, 3, rows, 3));
        assertEquals("copyRowsFrom: rows 3..6 of an index of 5 rows", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.copyRowsFrom(data, 2, rows, 0));
        assertEquals("copyRowsFrom: row length 2 does not divide the 9 elements of shape [3, 3]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.transpose(0, 1).copyRowsFrom(data, 3, rows, 0));
    }

    @Test
    void copyInAndOutRoundTrips() {
        float[] f = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(f, Buffer.of(f, 2, 3).toFloatArray());
        double[] d = {1.5, -2, 3e-300};
        assertArrayEquals(d, Buffer.of(d, 3).toDoubleArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Buffer.zeros(DType.F32, 2, 2).copyFrom(f));
        assertEquals("copyFrom: 6 values for shape [2, 2] with 4 elements", e.getMessage());
    }

    @Test
    void viewsShareStorageAndReadLogically() {
        Buffer b = Buffer.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Buffer t = b.transpose(0, 1);
        assertSame(b.storage(), t.storage());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, t.toDoubleArray());
        assertEquals(4, t.get(1, 1));
        Buffer row = b.narrow(0, 1, 1);
        assertArrayEquals(new double[] {3, 4, 5}, row.toDoubleArray());
        Buffer ex = Buffer.of(new double[] {7, 8}, 2, 1).expand(2, 3);
        assertArrayEquals(new double[] {7, 7, 7, 8, 8, 8}, ex.toDoubleArray());
    }

    @Test
    void reshapeCopiesOnlyWhenItMust() {
        Buffer b = Buffer.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        assertSame(b.storage(), b.reshape(3, 2).storage());
        Buffer t = b.transpose(0, 1);
        Buffer flat = t.reshape(6);
        assertFalse(flat.storage() == b.storage());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, flat.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> t.view(6));
        assertSame(b, b.contiguous());
    }

    @Test
    void closedScopeThrowsIllegalState() {
        Buffer b;
        try (MemoryScope scope = MemoryScope.open()) {
            b = scope.zeros(DType.F32, 4);
            Kernels.get().fill(b, 1);
            assertArrayEquals(new float[] {1, 1, 1, 1}, b.toFloatArray());
        }
        Buffer dead = b;
        var e = assertThrows(IllegalStateException.class, () -> Kernels.get().fill(dead, 2));
        assertTrue(e.getMessage().contains("fill: f32 storage of 4 elements belongs to a closed memory scope"),
                e.getMessage());
        assertThrows(IllegalStateException.class, dead::toFloatArray);
        Buffer out = Buffer.zeros(DType.F32, 4);
        assertThrows(IllegalStateException.class, () -> Kernels.get().exp(dead, out));
        assertArrayEquals(new float[4], out.toFloatArray());
    }
}
