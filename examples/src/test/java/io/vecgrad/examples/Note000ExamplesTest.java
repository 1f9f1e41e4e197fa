package io.vecgrad.examples;

import static io.vecgrad.examples.ExampleSupport.close;
import static io.vecgrad.examples.ExampleSupport.exact;
import static io.vecgrad.examples.ExampleSupport.near;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked examples of note 000 (Chollet, DLwP §2.4) against EXAMPLES.md's recomputed numbers. */
class Note000ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void f0_01_denseLayer() {
        var r = ExampleSupport.run(new F0_01_DenseLayer(), dir);
        exact(new double[] {-1, 3}, r.values("Wx"));
        exact(new double[] {-0.5, 1}, r.values("preact"));
        exact(new double[] {0, 1}, r.values("output"));
        exact(new double[] {0, 0, 0, 1, 2, 3}, r.values("dW"));
        exact(new double[] {0, 1}, r.values("db"));
        exact(new double[] {0.5, 0.5, 0.5}, r.values("dx"));
    }

    @Test
    void f0_02_weightGradientStep() {
        var r = ExampleSupport.run(new F0_02_WeightGradientStep(), dir);
        exact(new double[] {-2, 4}, r.values("yPred"));
        exact(new double[] {13}, new double[] {r.value("loss0")});
        exact(new double[] {-4, -8, -12, 6, 12, 18}, r.values("grad"));
        exact(new double[] {2, 3}, r.values("gradDims"));
        close(new double[] {1.04, 0.08, -0.88, 1.94, 0.88, -0.18}, r.values("W1"), 1e-9);
        close(6.7392, r.value("loss1"), 1e-9);
    }

    @Test
    void f0_03_learningRate1D() {
        var r = ExampleSupport.run(new F0_03_LearningRate1D(), dir);
        near(new double[] {-1, -0.7, -0.43, -0.187, 0.0317, 0.22853, 0.40568, 0.56511, 0.7086, 0.83774, 0.95396},
                r.values("lr0.05"), 1e-5);
        near(new double[] {-1, 1.4, 1.88, 1.976, 1.9952, 1.99904, 1.99981, 1.99996, 1.99999, 2.0, 2.0},
                r.values("lr0.4"), 1e-5);
        near(new double[] {-1, 5.3, -1.63, 5.993, -2.3923, 6.83153, -3.31468, 7.84615, -4.43077, 9.07384, -5.78123},
                r.values("lr1.05"), 1e-5);
        // closed form w_k - 2 = -3 (1 - 2 lr)^k, exact to rounding
        double[] w = r.values("lr1.05");
        for (int k = 0; k < w.length; k++) {
            close(2 - 3 * Math.pow(1 - 2 * 1.05, k), w[k], 1e-12);
        }
        assertEquals(1, r.result().files().size());
    }

    @Test
    void f0_04_gradientDescent2D() {
        var r = ExampleSupport.run(new F0_04_GradientDescent2D(), dir);
        assertEquals(78, r.value("itersGrad009"));
        assertEquals(62, r.value("itersF009"));
        near(new double[] {-1, 1}, r.values("y010"), 1e-12);
        double absY = r.value("absY011");
        assertTrue(absY > 1e79 && absY < 2e79, "lr 0.11 should diverge to ~1.5e79, got " + absY);
    }
}
