package io.vecgrad.djl;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * DJL data types on vecgrad storage. Float32 arrays are f32 tensors and float64 arrays f64
 * tensors; the integer and boolean types vecgrad does not compute in are held exactly in f64
 * tensors (every int8..int32/uint32 value and every int64 up to 2^53 is a double) and rounded
 * back to their type after each operation. Float16, bfloat16, uint64, string and complex arrays
 * are not supported.
 */
final class Types {
    private Types() {}

    /** Largest int64 magnitude a double holds exactly. */
    private static final double EXACT = 9007199254740992.0; // 2^53

    /** The vecgrad storage type of a DJL type. @throws UnsupportedOperationException if none */
    static DType storage(DataType dt) {
        return switch (dt) {
            case FLOAT32 -> DType.F32;
            case FLOAT64, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, BOOLEAN -> DType.F64;
            default -> throw new UnsupportedOperationException("VecGrad: data type " + dt
                    + " is not supported (float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, boolean are)");
        };
    }

    /** {@code v} rounded to a value of type {@code dt} (C-style truncation and wrap-around for integers). */
    static double cast(DataType dt, double v) {
        return switch (dt) {
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case INT8 -> (byte) (long) v;
            case UINT8 -> ((long) v) & 0xFF;
            case INT16 -> (short) (long) v;
            case UINT16 -> ((long) v) & 0xFFFF;
            case INT32 -> (int) (long) v;
            case UINT32 -> ((long) v) & 0xFFFFFFFFL;
            case INT64 -> (double) (long) v;
            case BOOLEAN -> v != 0 ? 1 : 0;
            default -> throw new UnsupportedOperationException("VecGrad: data type " + dt + " is not supported");
        };
    }

    /** The type of a binary result: float beats integer, wider beats narrower, anything beats boolean. */
    static DataType promote(DataType a, DataType b) {
        if (a == b) {
            return a;
        }
        if (a.isFloating() || b.isFloating()) {
            return a == DataType.FLOAT64 || b == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        }
        if (a == DataType.BOOLEAN) {
            return b;
        }
        if (b == DataType.BOOLEAN) {
            return a;
        }
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(DataType t) {
        return switch (t) {
            case INT64 -> 5;
            case UINT32 -> 4;
            case INT32 -> 3;
            case UINT16, INT16 -> 2;
            default -> 1;
        };
    }

    /** True for the types whose values are computed as floating point. */
    static boolean isFloat(DataType dt) {
        return dt == DataType.FLOAT32 || dt == DataType.FLOAT64;
    }

    /** DJL shape to vecgrad dims. @throws IllegalArgumentException for an unknown (-1) or too large dim */
    static int[] dims(Shape shape) {
        long[] s = shape.getShape();
        int[] d = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0 || s[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("VecGrad: shape " + shape + " has an invalid dim " + s[i]);
            }
            d[i] = (int) s[i];
        }
        return d;
    }

    /** vecgrad dims to a DJL shape. */
    static Shape shape(int[] dims) {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[i];
        }
        return new Shape(s);
    }

    /**
     * A tensor of these values on the Java heap. The arrays an adapter makes per call (heap
     * operations, batches, copies, results of integer types) live there, so they are reclaimed by
     * the garbage collector like any temporary and never grow native memory between collections.
     */
    static Tensor heap(DType dt, double[] values, int[] dims) {
        return make(dt, values, dims, HEAP);
    }

    /** {@link #heap(DType, double[], int[])} for f32 values. */
    static Tensor heap(float[] values, int[] dims) {
        return make(values, dims, HEAP);
    }

    /** Where a new tensor's (contiguous) storage comes from. */
    @FunctionalInterface
    interface Alloc {
        io.vecgrad.engine.Buffer take(DType dt, int[] dims);
    }

    /** The Java heap (see {@link #heap(DType, double[], int[])}). */
    static final Alloc HEAP = (dt, dims) -> io.vecgrad.engine.Buffer.onHeap(dt, io.vecgrad.engine.Shape.of(dims));

    /** A tensor of these values in storage from {@code alloc}. */
    static Tensor make(DType dt, double[] values, int[] dims, Alloc alloc) {
        io.vecgrad.engine.Buffer b = alloc.take(dt, dims);
        b.copyFrom(values);
        return Tensor.fromBuffer(b);
    }

    /** {@link #make(DType, double[], int[], Alloc)} for f32 values. */
    static Tensor make(float[] values, int[] dims, Alloc alloc) {
        io.vecgrad.engine.Buffer b = alloc.take(DType.F32, dims);
        b.copyFrom(values);
        return Tensor.fromBuffer(b);
    }

    /**
     * Reads {@code n} values of type {@code dt} from {@code data} (from its position, which is not
     * moved) into a new tensor of the given dims.
     */
    static Tensor read(Buffer data, DataType dt, int n, int[] dims) {
        return read(data, dt, n, dims, HEAP);
    }

    /** {@link #read(Buffer, DataType, int, int[])} into storage from {@code alloc}. */
    static Tensor read(Buffer data, DataType dt, int n, int[] dims, Alloc alloc) {
        DType st = storage(dt);
        Buffer b = data.duplicate();
        if (b instanceof ByteBuffer bb) {
            bb.order(data instanceof ByteBuffer src ? src.order() : ByteOrder.nativeOrder());
            if (dt == DataType.FLOAT32) {
                float[] f = new float[n];
                bb.asFloatBuffer().get(f);
                return make(f, dims, alloc);
            }
            double[] v = new double[n];
            switch (dt) {
                case FLOAT64 -> bb.asDoubleBuffer().get(v);
                case INT8 -> { for (int i = 0; i < n; i++) { v[i] = bb.get(bb.position() + i); } }
                case UINT8 -> { for (int i = 0; i < n; i++) { v[i] = bb.get(bb.position() + i) & 0xFF; } }
                case BOOLEAN -> { for (int i = 0; i < n; i++) { v[i] = bb.get(bb.position() + i) != 0 ? 1 : 0; } }
                case INT16, UINT16 -> {
                    ShortBuffer sb = bb.asShortBuffer();
                    for (int i = 0; i < n; i++) { v[i] = cast(dt, sb.get(i)); }
                }
                case INT32, UINT32 -> {
                    IntBuffer ib = bb.asIntBuffer();
                    for (int i = 0; i < n; i++) { v[i] = cast(dt, ib.get(i)); }
                }
                case INT64 -> {
                    LongBuffer lb = bb.asLongBuffer();
                    for (int i = 0; i < n; i++) { v[i] = exactLong(lb.get(i)); }
                }
                default -> throw new UnsupportedOperationException("VecGrad: data type " + dt + " is not supported");
            }
            return make(st, v, dims, alloc);
        }
        if (b instanceof FloatBuffer fb && dt == DataType.FLOAT32) {
            float[] f = new float[n];
            fb.get(f);
            return make(f, dims, alloc);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (b) {
                case FloatBuffer fb -> fb.get(fb.position() + i);
                case DoubleBuffer db -> db.get(db.position() + i);
                case IntBuffer ib -> ib.get(ib.position() + i);
                case LongBuffer lb -> exactLong(lb.get(lb.position() + i));
                case ShortBuffer sb -> sb.get(sb.position() + i);
                default -> throw new UnsupportedOperationException("VecGrad: buffer type "
                        + b.getClass().getSimpleName() + " is not supported");
            };
            v[i] = cast(dt, v[i]);
        }
        return make(st, v, dims, alloc);
    }

    private static double exactLong(long l) {
        if (Math.abs((double) l) > EXACT) {
            throw new UnsupportedOperationException("VecGrad: int64 value " + l
                    + " is beyond 2^53 and cannot be held exactly");
        }
        return l;
    }

    /** The values of {@code t} (typed as {@code dt}) encoded as a native-order byte buffer. */
    static ByteBuffer write(Tensor t, DataType dt, boolean direct) {
        int n = Math.toIntExact(t.numel());
        int bytes = n * dt.getNumOfBytes();
        ByteBuffer bb = (direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes))
                .order(ByteOrder.nativeOrder());
        if (dt == DataType.FLOAT32) {
            bb.asFloatBuffer().put(t.toFloatArray());
            return bb;
        }
        double[] v = t.toDoubleArray();
        switch (dt) {
            case FLOAT64 -> bb.asDoubleBuffer().put(v);
            case INT8, UINT8, BOOLEAN -> { for (int i = 0; i < n; i++) { bb.put(i, (byte) (long) v[i]); } }
            case INT16, UINT16 -> { for (int i = 0; i < n; i++) { bb.putShort(2 * i, (short) (long) v[i]); } }
            case INT32, UINT32 -> { for (int i = 0; i < n; i++) { bb.putInt(4 * i, (int) (long) v[i]); } }
            case INT64 -> { for (int i = 0; i < n; i++) { bb.putLong(8 * i, (long) v[i]); } }
            default -> throw new UnsupportedOperationException("VecGrad: data type " + dt + " is not supported");
        }
        return bb;
    }
}
