package io.vecgrad.spark;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/**
 * Builds the optimizer of one replica over its parameters, e.g.
 * {@code params -> Adam.builder(params).lr(1e-3).build()}. Serializable: it is shipped to every
 * task, and every task must build the same optimizer (same class and hyper-parameters).
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer over {@code params} (the replica's parameters, in module order). */
    Optimizer create(List<Tensor> params);
}
