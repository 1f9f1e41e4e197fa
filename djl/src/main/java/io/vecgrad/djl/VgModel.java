package io.vecgrad.djl;

import ai.djl.BaseModel;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
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
}
