package io.vecgrad.nn;

import io.vecgrad.autograd.Tensor;
import java.util.List;

/**
 * Applies its modules in order: {@code forward(x) = mN(...m1(m0(x)))}. The modules are
 * children named {@code "0"}, {@code "1"}, ..., so parameters are named {@code "0.weight"},
 * {@code "2.bias"} and so on, as PyTorch's {@code nn.Sequential}.
 */
public final class Sequential extends Layer {
    private final List<Layer> modules;

    /** A chain of these modules (none: the identity). */
    public Sequential(Layer... modules) {
        for (int i = 0; i < modules.length; i++) {
            registerModule(String.valueOf(i), modules[i]);
        }
        this.modules = List.of(modules);
    }

    /** The module at {@code index}. */
    public Layer get(int index) {
        return modules.get(index);
    }

    /** Number of modules. */
    public int size() {
        return modules.size();
    }

    /** Feeds the input through every module in order; the shapes are those of the modules. */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < modules.size(); i++) { // indexed: no iterator per step
            x = modules.get(i).forward(x);
        }
        return x;
    }
}
