package io.vecgrad.nnuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vecgrad.autograd.Tensor;
import io.vecgrad.nn.*;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code import io.vecgrad.nn.*;} must compile in user code, where {@code java.lang.*}
 * is imported on demand too. This file is such user code (a package outside {@code io.vecgrad.nn},
 * so nn's classes are seen only through the wildcard) and names {@code Module} unqualified: were
 * there an {@code io.vecgrad.nn.Module}, that name would be ambiguous and this file would not
 * compile. The layer base class is {@link Layer}.
 */
class WildcardImportTest {

    /** A user-defined layer written against the wildcard import. */
    static final class TwoLayer extends Layer {
        final Linear fc1;
        final Linear fc2;

        TwoLayer(SplittableRandom gen) {
            fc1 = registerModule("fc1", new Linear(3, 4, gen));
            fc2 = registerModule("fc2", new Linear(4, 2, gen));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(new ReLU().forward(fc1.forward(x)));
        }
    }

    @Test
    void layerAndJavaLangModuleLiveSideBySide() {
        Module javaLangModule = Layer.class.getModule(); // java.lang.Module, unqualified
        assertEquals("java.lang.Module", javaLangModule.getClass().getName());

        Layer net = new Sequential(new TwoLayer(new SplittableRandom(7)), new Tanh()).eval();
        Tensor y = net.forward(Tensor.fromArray(new float[] {1, -2, 0.5f}, 1, 3));
        assertArrayEquals(new int[] {1, 2}, y.shape());
        assertEquals(4 * 3 + 4 + 2 * 4 + 2, net.parameters().stream().mapToLong(p -> p.shape()[0]
                * (p.shape().length > 1 ? p.shape()[1] : 1)).sum());
    }

    @Test
    void noNnClassIsNamedModule() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.vecgrad.nn.Module"));
    }
}
