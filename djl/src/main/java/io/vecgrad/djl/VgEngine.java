package io.vecgrad.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/**
 * The VecGrad DJL engine: CPU only, pure Java (no native library to load or download), trains
 * through vecgrad's autograd.
 */
public final class VgEngine extends Engine {
    /** The engine name DJL users select with {@code ai.djl.default_engine}. */
    public static final String ENGINE_NAME = "VecGrad";

    /**
     * Native bytes allocated so far for VecGrad arrays: vecgrad's own count
     * ({@link io.vecgrad.autograd.Tensor#nativeBytesAllocated()}: this thread's graph buffer pool
     * plus all engine storage) plus the engine's pools for arrays made outside a gradient
     * collector (created, copied, or results of operations the engine computes on the heap). Constant
     * across the steps of a warm training loop; tests and benchmarks check that.
     */
    public static long nativeBytesAllocated() {
        return io.vecgrad.autograd.Tensor.nativeBytesAllocated() + NativePool.nativeBytesAllocated();
    }
    /**
     * DJL picks the lowest rank when no default is set. The native engines use 1..10 (MXNet 1,
     * PyTorch 2, TensorFlow 3, ..., OnnxRuntime 10) and DJL's api jar itself registers an "RPC"
     * engine with rank 15. 14 keeps every native engine the default when present and makes VecGrad
     * the default over the api's RPC engine when it is the only computing engine.
     */
    static final int RANK = 14;

    VgEngine() {}

    /** None: every operation runs on vecgrad; nothing is forwarded to another engine. */
    @Override
    public Engine getAlternativeEngine() {
        return null;
    }

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return ENGINE_NAME;
    }

    /** {@inheritDoc} */
    @Override
    public int getRank() {
        return RANK;
    }

    /** The vecgrad version, as {@link io.vecgrad.train.Model#version()} reports it (also on the module path). */
    @Override
    public String getVersion() {
        return io.vecgrad.train.Model.version();
    }

    /**
     * False for every {@link ai.djl.engine.StandardCapabilities} entry (CUDA, CUDNN, MKL, MKLDNN,
     * OPENMP): vecgrad computes on the CPU with its own Vector API kernels and thread pool.
     */
    @Override
    public boolean hasCapability(String capability) {
        return false;
    }

    /** Always 0: vecgrad has no GPU backend. */
    @Override
    public int getGpuCount() {
        return 0;
    }

    /** A new model whose parameters live in a sub-manager of the system manager. */
    @Override
    public Model newModel(String name, Device device) {
        return new VgModel(name, device);
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newBaseManager() {
        return VgNDManager.system().newSubManager();
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newBaseManager(Device device) {
        return VgNDManager.system().newSubManager(device);
    }

    /** A collector that records operations on arrays that require a gradient until it is closed. */
    @Override
    public GradientCollector newGradientCollector() {
        return new VgGradientCollector();
    }

    /** Seeds DJL's shared random generator, which every VecGrad random creator draws from. */
    @Override
    public void setRandomSeed(int seed) {
        super.setRandomSeed(seed);
    }

    /** {@inheritDoc} */
    @Override
    public Device defaultDevice() {
        return Device.cpu();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return ENGINE_NAME + ':' + getVersion() + ", pure Java (vecgrad)";
    }
}
