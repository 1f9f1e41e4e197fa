package io.vecgrad.djl;

import ai.djl.BaseModel;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingConfig;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.function.Predicate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A DJL {@link ai.djl.Model} on the VecGrad engine. Saving writes DJL's own parameter file
 * ({@code <name>-NNNN.params}, through {@link BaseModel#save}); loading reads it into the
 * {@link ai.djl.nn.Block} set with {@link #setBlock} (VecGrad has no serialized graph format, so
 * a block is required).
 */
public final class VgModel extends BaseModel {

    VgModel(String name, Device device) {
        super(name);
        manager = VgNDManager.system().newSubManager(device);
        manager.setName("vgModel");
        dataType = DataType.FLOAT32;
    }

    /**
     * Loads parameters saved by {@link #save} into this model's block.
     *
     * @throws MalformedModelException if no block was set (there is no VecGrad graph file to build one from)
     *     or the parameter file does not match the block
     * @throws IOException if the parameter file cannot be read
     */
    @Override
    public void load(Path modelPath, String prefix, Map<String, ?> options)
            throws IOException, MalformedModelException {
        setModelDir(modelPath);
        wasLoaded = true;
        if (block == null) {
            throw new MalformedModelException("VecGrad loads parameters into a Block: call model.setBlock(...) "
                    + "before load (" + modelDir + ")");
        }
        loadBlock(prefix == null ? modelName : prefix, options);
    }

    /**
     * Loads parameters (a stream of DJL's {@code .params} format) into this model's block.
     *
     * @throws MalformedModelException if no block was set or the stream does not match the block
     * @throws IOException if the stream cannot be read
     */
    @Override
    public void load(InputStream is, Map<String, ?> options) throws IOException, MalformedModelException {
        wasLoaded = true;
        if (block == null) {
            throw new MalformedModelException("VecGrad loads parameters into a Block: call model.setBlock(...) "
                    + "before load");
        }
        if (!readParameters(is, options)) {
            throw new MalformedModelException("load: the stream is not a DJL parameter file (no DJL@ header)");
        }
    }

    /**
     * A trainer for this model's block, applying the configuration's initializers; a loaded model's
     * parameters (except running statistics) are unfrozen so it can be trained further.
     *
     * @throws IllegalStateException if no block was set
     */
    @Override
    public Trainer newTrainer(TrainingConfig trainingConfig) {
        if (block == null) {
            throw new IllegalStateException("newTrainer: set a block on the model before creating a trainer");
        }
        if (wasLoaded) {
            block.freezeParameters(false, p -> p.getType() != Parameter.Type.RUNNING_MEAN
                    && p.getType() != Parameter.Type.RUNNING_VAR);
        }
        for (Pair<Initializer, Predicate<Parameter>> pair : trainingConfig.getInitializers()) {
            if (pair.getKey() != null && pair.getValue() != null) {
                block.setInitializer(pair.getKey(), pair.getValue());
            }
        }
        return new Trainer(this, trainingConfig);
    }
}
