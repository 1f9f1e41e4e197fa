package io.vecgrad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NDArray semantics on the VecGrad engine against hand-computed values. */
class VgNDArrayTest {
    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void theOnlyEngineOnTheClasspathIsTheDefault() {
        assertEquals("VecGrad", Engine.getInstance().getEngineName());
        assertTrue(m instanceof VgNDManager);
        assertEquals(null, Engine.getInstance().getAlternativeEngine());
    }

    @Test
    void arithmeticBroadcastsAndPromotes() {
        NDArray a = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        NDArray b = m.create(new float[] {10, 20, 30});
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(b).toFloatArray());
        assertArrayEquals(new float[] {-9, -18, -27, -6, -15, -24}, a.sub(b).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, a.div(2).toFloatArray());
        NDArray d = m.create(new double[] {1, 2, 3});
        NDArray mixed = b.add(d);
        assertEquals(DataType.FLOAT64, mixed.getDataType());
        assertArrayEquals(new double[] {11, 22, 33}, mixed.toDoubleArray());
        NDArray i = m.create(new int[] {7, -7, 9});
        assertEquals(DataType.INT32, i.div(2).getDataType());
        assertArrayEquals(new int[] {3, -3, 4}, i.div(2).toIntArray());
        assertArrayEquals(new int[] {1, 2, 0}, i.mod(3).toIntArray()); // sign of the divisor
    }

    @Test
    void inPlaceOpsWriteThroughAndKeepIdentity() {
        NDArray a = m.create(new float[] {1, 2, 3});
        NDArray r = a.addi(1).muli(2);
        assertTrue(r == a);
        assertArrayEquals(new float[] {4, 6, 8}, a.toFloatArray());
    }

    @Test
    void reductions() {
        NDArray a = m.create(new float[] {1, 5, 3, 4, 2, 6}, new Shape(2, 3));
        assertEquals(21f, a.sum().getFloat());
        assertArrayEquals(new float[] {5, 7, 9}, a.sum(new int[] {0}).toFloatArray());
        assertArrayEquals(new float[] {9, 12}, a.sum(new int[] {1}).toFloatArray());
        assertEquals(new Shape(2, 1), a.sum(new int[] {1}, true).getShape());
        assertArrayEquals(new float[] {5, 6}, a.max(new int[] {1}).toFloatArray());
        assertArrayEquals(new float[] {1, 2}, a.min(new int[] {1}).toFloatArray());
        assertArrayEquals(new float[] {3, 4}, a.mean(new int[] {1}).toFloatArray());
        assertArrayEquals(new long[] {1, 2}, a.argMax(1).toLongArray());
        assertEquals(5L, a.argMax().getLong());
        assertEquals(720f, a.prod().getFloat());
        assertArrayEquals(new float[] {1, 6, 9, 13, 15, 21}, a.flatten().cumSum().toFloatArray());
    }

    @Test
    void indexing() {
        NDArray a = m.arange(0, 12, 1, DataType.FLOAT32).reshape(3, 4);
        assertArrayEquals(new float[] {4, 5, 6, 7}, a.get(1).toFloatArray());
        assertArrayEquals(new float[] {1, 3, 9, 11}, a.get("::2, 1::2").toFloatArray());
        assertEquals(new Shape(2, 2), a.get("::2, 1::2").getShape());
        assertEquals(6f, a.getFloat(1, 2));
        NDArray picked = a.get(new NDIndex().addAllDim().addPickDim(m.create(new long[] {0, 3, 1})));
        assertArrayEquals(new float[] {0, 7, 9}, picked.toFloatArray());
        a.set(new NDIndex("1, :2"), 100);
        assertArrayEquals(new float[] {100, 100, 6, 7}, a.get(1).toFloatArray());
        NDArray mask = m.create(new boolean[] {true, false, true});
        assertArrayEquals(new float[] {0, 1, 2, 3, 8, 9, 10, 11}, a.booleanMask(mask).toFloatArray());
    }

    @Test
    void nonFloatTypesRoundTrip() {
        byte[] bytes = {-1, 0, 127};
        NDArray i8 = m.create(bytes);
        assertEquals(DataType.INT8, i8.getDataType());
        assertArrayEquals(bytes, i8.toByteArray());
        NDArray u8 = m.create(java.nio.ByteBuffer.wrap(new byte[] {(byte) 255, 1}), new Shape(2), DataType.UINT8);
        assertArrayEquals(new int[] {255, 1}, u8.toType(DataType.INT32, false).toIntArray());
        NDArray l = m.create(new long[] {1L << 40, -3});
        assertArrayEquals(new long[] {1L << 40, -3}, l.toLongArray());
        NDArray bools = m.create(new float[] {1, 2, 3}).gt(1.5);
        assertEquals(DataType.BOOLEAN, bools.getDataType());
        assertArrayEquals(new boolean[] {false, true, true}, bools.toBooleanArray());
        assertThrows(UnsupportedOperationException.class, () -> m.create(new Shape(2), DataType.FLOAT16));
    }

    @Test
    void shapesAndJoins() {
        NDArray a = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, a.transpose().toFloatArray());
        NDArray c = NDArrays.concat(new NDList(a, a), 1);
        assertEquals(new Shape(2, 6), c.getShape());
        NDArray s = NDArrays.stack(new NDList(a, a));
        assertEquals(new Shape(2, 2, 3), s.getShape());
        NDList parts = a.split(3, 1);
        assertArrayEquals(new float[] {2, 5}, parts.get(1).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, m.create(new float[] {1, 2, 3}).tile(2).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 2, 2}, m.create(new float[] {1, 2}).repeat(2).toFloatArray());
        NDArray mm = a.matMul(a.transpose());
        assertArrayEquals(new float[] {14, 32, 32, 77}, mm.toFloatArray());
    }

    @Test
    void unsupportedOperationsSayWhich() {
        NDArray a = m.create(new float[] {1, 2});
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> a.fft(2));
        assertTrue(e.getMessage().contains("fft"), e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> a.getNDArrayInternal().resize(1, 1, 0));
        assertTrue(e.getMessage().contains("resize"), e.getMessage());
    }

    @Test
    void closingTheManagerReleasesItsArrays() throws InterruptedException {
        NDManager sub = m.newSubManager();
        NDArray a = sub.ones(new Shape(1000));
        NDArray b = a.mul(3);
        java.lang.ref.WeakReference<Object> storage =
                new java.lang.ref.WeakReference<>(((VgNDArray) b).tensor().buffer().storage());
        assertFalse(b.isReleased());
        sub.close();
        assertTrue(a.isReleased());
        assertTrue(b.isReleased());
        assertThrows(IllegalStateException.class, b::toFloatArray);
        // nothing references the closed array's storage any more: the GC reclaims its native memory
        for (int i = 0; i < 100 && storage.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(null, storage.get(), "storage of a closed array is still reachable");
    }
}
