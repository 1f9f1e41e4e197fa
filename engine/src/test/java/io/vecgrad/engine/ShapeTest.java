package io.vecgrad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void contiguousStridesAreRowMajor() {
        Shape s = Shape.of(2, 3, 4);
        assertArrayEquals(new long[] {12, 4, 1}, s.strides());
        assertEquals(24, s.size());
        assertTrue(s.isContiguous());
        assertEquals(1, Shape.scalar().size());
        assertEquals(0, Shape.of(3, 0).size());
    }

    @Test
    void broadcastingFollowsNumpy() {
        assertArrayEquals(new int[] {3, 4}, Shape.broadcastDims("add", Shape.of(3, 1), Shape.of(1, 4)));
        assertArrayEquals(new int[] {5, 2, 3}, Shape.broadcastDims("sub", Shape.of(5, 1, 3), Shape.of(1, 2, 1)));
        assertArrayEquals(new int[] {2, 3}, Shape.broadcastDims("add", Shape.of(2, 3), Shape.scalar()));
        assertArrayEquals(new int[] {2, 0}, Shape.broadcastDims("add", Shape.of(2, 1), Shape.of(0)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcastDims("add", Shape.of(2, 3), Shape.of(4, 3)));
        assertEquals("add: shapes [2, 3] and [4, 3] cannot be broadcast (dim -2: 2 vs 4)", e.getMessage());
    }

    @Test
    void transposeAndPermuteAreViews() {
        Shape t = Shape.of(2, 3).transpose(0, 1);
        assertArrayEquals(new int[] {3, 2}, t.dims());
        assertArrayEquals(new long[] {1, 3}, t.strides());
        assertFalse(t.isContiguous());
        Shape p = Shape.of(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.dims());
        assertArrayEquals(new long[] {1, 12, 4}, p.strides());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).permute(0, 0));
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Shape.of(2, 3).transpose(0, 2));
        assertTrue(e.getMessage().contains("transpose: dim 2 out of range for shape [2, 3]"), e.getMessage());
    }

    @Test
    void expandUsesZeroStrides() {
        Shape e = Shape.of(3, 1).expand(2, 3, 4);
        assertArrayEquals(new int[] {2, 3, 4}, e.dims());
        assertArrayEquals(new long[] {0, 1, 0}, e.strides());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(3, 2).expand(3, 4));
    }

    @Test
    void viewOfContiguousAndOfCompatibleStrides() {
        Shape v = Shape.of(2, 3, 4).view(6, -1);
        assertArrayEquals(new int[] {6, 4}, v.dims());
        // a narrowed (row-sliced) matrix can merge its rows only if they stay consecutive
        Shape narrowCols = Shape.of(4, 6).narrow(1, 0, 3);
        assertNull(narrowCols.view(12));
        Shape v2 = narrowCols.view(4, 3, 1);
        assertArrayEquals(new long[] {6, 1, 1}, v2.strides());
        // transposed data cannot be flattened without a copy
        assertNull(Shape.of(2, 3).transpose(0, 1).view(6));
        // but splitting a dim of a transposed view can
        Shape split = Shape.of(4, 6).transpose(0, 1).view(2, 3, 4);
        assertArrayEquals(new long[] {3, 1, 6}, split.strides());
        var e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).view(4, 2));
        assertEquals("reshape: shape [4, 2] is invalid for input of size 6 (shape [2, 3])", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, 3).view(-1, -1));
    }

    @Test
    void narrowChecksBounds() {
        assertArrayEquals(new int[] {2, 2}, Shape.of(2, 5).narrow(1, 3, 2).dims());
        assertThrows(IndexOutOfBoundsException.class, () -> Shape.of(2, 5).narrow(1, 4, 2));
    }
}
