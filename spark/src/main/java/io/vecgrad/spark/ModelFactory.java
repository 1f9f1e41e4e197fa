package io.vecgrad.spark;

import io.vecgrad.nn.Layer;
import java.io.Serializable;

/**
 * Builds a fresh model replica; shipped to every Spark task, so it must be serializable
 * (a lambda or a small class capturing only sizes and seeds). The replicas need not come out
 * identical: {@link SparkTrainer} broadcasts the driver's initial parameters to all of them.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** A new model with its parameters allocated. */
    Layer create();
}
