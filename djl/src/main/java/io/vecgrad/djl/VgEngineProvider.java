package io.vecgrad.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;

/**
 * DJL's service entry for the VecGrad engine ({@code META-INF/services/ai.djl.engine.EngineProvider}).
 * Its rank ({@link VgEngine#RANK}) is above the native engines' and below the RPC engine of DJL's api jar, so DJL chooses VecGrad when it is
 * the only engine on the classpath and keeps an existing PyTorch/MXNet default otherwise;
 * {@code -Dai.djl.default_engine=VecGrad} picks it explicitly.
 */
public final class VgEngineProvider implements EngineProvider {
    private static final class Holder {
        static final VgEngine ENGINE = new VgEngine();
    }

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public VgEngineProvider() {}

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return VgEngine.ENGINE_NAME;
    }

    /** {@inheritDoc} */
    @Override
    public int getEngineRank() {
        return VgEngine.RANK;
    }

    /** The one engine instance, created on first use. */
    @Override
    public Engine getEngine() {
        return Holder.ENGINE;
    }
}
