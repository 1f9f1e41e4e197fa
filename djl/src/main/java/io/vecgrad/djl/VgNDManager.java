package io.vecgrad.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.RandomUtils;
import io.vecgrad.autograd.Tensor;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The VecGrad {@link NDManager}: creates {@link VgNDArray}s and owns them; closing a manager
 * closes every array and sub-manager attached to it (DJL's memory contract), which drops their
 * vecgrad storage. All random creators draw from DJL's {@link RandomUtils#RANDOM}, which
 * {@link Engine#setRandomSeed} seeds.
 */
public class VgNDManager extends BaseNDManager {
    private static final VgNDManager SYSTEM = new SystemManager();

    private VgNDManager(NDManager parent, Device device) {
        super(parent, device);
    }

    /** The root manager every other VecGrad manager descends from. */
    static VgNDManager system() {
        return SYSTEM;
    }

    /** A direct buffer in native byte order. */
    @Override
    public ByteBuffer allocateDirect(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** The same array if it is already a VecGrad array, else a copy of its values. */
    @Override
    public VgNDArray from(NDArray array) {
        if (array == null || array instanceof VgNDArray) {
            return (VgNDArray) array;
        }
        VgNDArray r = create(array.toByteBuffer(), array.getShape(), array.getDataType());
        r.setName(array.getName());
        return r;
    }

    /** A zero-filled array. @throws UnsupportedOperationException for types vecgrad does not store */
    @Override
    public VgNDArray create(Shape shape, DataType dataType) {
        return zeros(shape, dataType);
    }

    /**
     * An array holding the values of {@code data} (a typed buffer of the array's type, or a byte
     * buffer in that type's encoding), read from its position.
     *
     * @throws IllegalArgumentException if the buffer holds fewer values than the shape needs
     * @throws UnsupportedOperationException for float16, bfloat16, uint64, string or complex types
     */
    @Override
    public VgNDArray create(Buffer data, Shape shape, DataType dataType) {
        int n = Math.toIntExact(shape.size());
        validateBuffer(data, dataType, n);
        // pooled native storage, given back when the array is closed (see NativePool)
        NativePool p = NativePool.get();
        return VgNDArray.owning(this, Types.read(data, dataType, n, Types.dims(shape), p::take), dataType, p);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray zeros(Shape shape, DataType dataType) {
        return new VgNDArray(this, Tensor.zeros(Types.storage(dataType), Types.dims(shape)), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray ones(Shape shape, DataType dataType) {
        return full(shape, 1, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray full(Shape shape, float value, DataType dataType) {
        return new VgNDArray(this, Tensor.full(Types.storage(dataType), Types.cast(dataType, value),
                Types.dims(shape)), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray arange(int start, int stop, int step, DataType dataType) {
        return arangeD(start, stop, step, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray arange(float start, float stop, float step, DataType dataType) {
        return arangeD(start, stop, step, dataType);
    }

    private VgNDArray arangeD(double start, double stop, double step, DataType dataType) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must not be 0 (start " + start + ", stop " + stop + ")");
        }
        int n = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Types.cast(dataType, start + i * step);
        }
        return fromValues(v, new int[] {n}, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray eye(int rows, int cols, int k, DataType dataType) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            int j = i + k;
            if (j >= 0 && j < cols) {
                v[i * cols + j] = 1;
            }
        }
        return fromValues(v, new int[] {rows, cols}, dataType);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDArray linspace(float start, float stop, int num, boolean endpoint) {
        if (num < 0) {
            throw new IllegalArgumentException("linspace: num must be >= 0, got " + num);
        }
        double[] v = new double[num];
        double div = endpoint ? num - 1 : num;
        double step = div > 0 ? (stop - (double) start) / div : 0;
        for (int i = 0; i < num; i++) {
            v[i] = start + i * step;
        }
        if (endpoint && num > 1) {
            v[num - 1] = stop;
        }
        return fromValues(v, new int[] {num}, DataType.FLOAT32);
    }

    /** Uniform integers in [low, high). */
    @Override
    public VgNDArray randomInteger(long low, long high, Shape shape, DataType dataType) {
        Random r = RandomUtils.RANDOM;
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = Types.cast(dataType, low + (long) Math.floor(r.nextDouble() * (high - low)));
        }
        return fromValues(v, Types.dims(shape), dataType);
    }

    /** A random permutation of 0..n-1 (int64). */
    @Override
    public VgNDArray randomPermutation(long n) {
        int m = Math.toIntExact(n);
        double[] v = new double[m];
        for (int i = 0; i < m; i++) {
            v[i] = i;
        }
        Random r = RandomUtils.RANDOM;
        for (int i = m - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return fromValues(v, new int[] {m}, DataType.INT64);
    }

    /** Uniform values in [low, high). */
    @Override
    public VgNDArray randomUniform(float low, float high, Shape shape, DataType dataType) {
        Random r = RandomUtils.RANDOM;
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = Types.cast(dataType, low + r.nextDouble() * ((double) high - low));
        }
        return fromValues(v, Types.dims(shape), dataType);
    }

    /** Normal values with mean {@code loc} and standard deviation {@code scale}. */
    @Override
    public VgNDArray randomNormal(float loc, float scale, Shape shape, DataType dataType) {
        Random r = RandomUtils.RANDOM;
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = Types.cast(dataType, loc + scale * r.nextGaussian());
        }
        return fromValues(v, Types.dims(shape), dataType);
    }

    /** Normal values redrawn until they lie within two standard deviations of {@code loc}. */
    @Override
    public VgNDArray truncatedNormal(float loc, float scale, Shape shape, DataType dataType) {
        Random r = RandomUtils.RANDOM;
        double[] v = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            double g;
            do {
                g = r.nextGaussian();
            } while (Math.abs(g) > 2);
            v[i] = Types.cast(dataType, loc + scale * g);
        }
        return fromValues(v, Types.dims(shape), dataType);
    }

    /** One normal sample per element of {@code mu}/{@code sigma}. */
    @Override
    public VgNDArray sampleNormal(NDArray mu, NDArray sigma) {
        return sample(mu, sigma, new Shape(), (r, a, b) -> a + b * r.nextGaussian());
    }

    /** Samples of shape {@code mu.shape + shape}: normal with mean mu and standard deviation sigma. */
    @Override
    public VgNDArray sampleNormal(NDArray mu, NDArray sigma, Shape shape) {
        return sample(mu, sigma, shape, (r, a, b) -> a + b * r.nextGaussian());
    }

    /** One Poisson sample per element of {@code lam}. */
    @Override
    public VgNDArray samplePoisson(NDArray lam) {
        return sample(lam, lam, new Shape(), (r, a, b) -> poisson(r, a));
    }

    /** Samples of shape {@code lam.shape + shape}, Poisson with rate lam. */
    @Override
    public VgNDArray samplePoisson(NDArray lam, Shape shape) {
        return sample(lam, lam, shape, (r, a, b) -> poisson(r, a));
    }

    /** One gamma sample (shape alpha, scale beta) per element. */
    @Override
    public VgNDArray sampleGamma(NDArray alpha, NDArray beta) {
        return sample(alpha, beta, new Shape(), (r, a, b) -> b * gamma(r, a));
    }

    /** Samples of shape {@code alpha.shape + shape}: gamma with shape alpha and scale beta. */
    @Override
    public VgNDArray sampleGamma(NDArray alpha, NDArray beta, Shape shape) {
        return sample(alpha, beta, shape, (r, a, b) -> b * gamma(r, a));
    }

    private interface Sampler {
        double draw(Random r, double a, double b);
    }

    private VgNDArray sample(NDArray p1, NDArray p2, Shape shape, Sampler f) {
        double[] a = from(p1).values();
        double[] b = from(p2).values();
        if (a.length != b.length) {
            throw new IllegalArgumentException("sample: parameter shapes " + p1.getShape() + " and " + p2.getShape()
                    + " differ");
        }
        int per = Math.toIntExact(shape.size());
        double[] v = new double[a.length * per];
        Random r = RandomUtils.RANDOM;
        DataType dt = DataType.FLOAT32; // as DJL's engines: samples are float32 whatever the parameter type
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < per; j++) {
                v[i * per + j] = Types.cast(dt, f.draw(r, a[i], b[i]));
            }
        }
        long[] od = new long[p1.getShape().dimension() + shape.dimension()];
        System.arraycopy(p1.getShape().getShape(), 0, od, 0, p1.getShape().dimension());
        System.arraycopy(shape.getShape(), 0, od, p1.getShape().dimension(), shape.dimension());
        return fromValues(v, Types.dims(new Shape(od)), dt);
    }

    /** Knuth's multiplication method for small rates, a normal approximation above 500. */
    private static double poisson(Random r, double lam) {
        if (lam <= 0) {
            return 0;
        }
        if (lam > 500) {
            return Math.max(0, Math.rint(lam + Math.sqrt(lam) * r.nextGaussian()));
        }
        double limit = Math.exp(-lam);
        double p = r.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= r.nextDouble();
            k++;
        }
        return k;
    }

    /** Marsaglia-Tsang for shape >= 1; shape < 1 through gamma(shape + 1) * U^(1/shape). */
    private static double gamma(Random r, double shape) {
        if (shape <= 0) {
            return 0;
        }
        if (shape < 1) {
            return gamma(r, shape + 1) * Math.pow(r.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = r.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = r.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** An array of the given values (already representable in {@code dataType}). */
    VgNDArray fromValues(double[] values, int[] dims, DataType dataType) {
        NativePool p = NativePool.get();
        return VgNDArray.owning(this, Types.make(Types.storage(dataType), values, dims, p::take), dataType, p);
    }

    /** {@inheritDoc} */
    @Override
    public VgNDManager newSubManager(Device device) {
        VgNDManager m = new VgNDManager(this, device);
        attachUncappedInternal(m.uid, m);
        return m;
    }

    /** {@inheritDoc} */
    @Override
    public final Engine getEngine() {
        return Engine.getEngine(VgEngine.ENGINE_NAME);
    }

    /** Set while {@link #close()} closes this manager's arrays. */
    private boolean closing;
    /** Graphs whose target array was closed by {@link #close()}: released after all its arrays. */
    private List<VgGradientCollector.KeptGraph> deferred;

    /**
     * Releases these kept graphs now, or, while this manager is closing, once all its arrays are
     * closed (so arrays of the same batch are not pinned needlessly).
     */
    void releaseGraphs(List<VgGradientCollector.KeptGraph> graphs) {
        if (closing) {
            if (deferred == null) {
                deferred = new ArrayList<>(2);
            }
            deferred.addAll(graphs);
            return;
        }
        for (VgGradientCollector.KeptGraph g : graphs) {
            g.release();
        }
    }

    /** Closes every array and sub-manager attached to this manager (DJL's contract), then releases kept graphs. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            super.close();
        } finally {
            closing = false;
            if (deferred != null) {
                List<VgGradientCollector.KeptGraph> d = deferred;
                deferred = null;
                releaseGraphs(d);
            }
        }
    }

    /** Zeroes the gradient of every array in this manager's tree that has one. */
    void zeroGradients() {
        for (AutoCloseable r : resources.values()) {
            if (r instanceof VgNDArray a) {
                a.zeroGradient();
            } else if (r instanceof VgNDManager m) {
                m.zeroGradients();
            }
        }
    }

    /** The root manager; it cannot be closed. */
    private static final class SystemManager extends VgNDManager implements SystemNDManager {
        SystemManager() {
            super(null, null);
        }
    }
}
