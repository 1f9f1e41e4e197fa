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

    @Test
    void f0_05_momentumLocalMin() {
        var r = ExampleSupport.run(new F0_05_MomentumEscapesLocalMin(), dir);
        close(new double[] {-1.3008395659, 0.1699384433, 1.1309011226}, r.values("critical"), 1e-9);
        close(1.1309011226, r.value("gd"), 1e-9);
        close(-1.3008395659, r.value("momentum"), 1e-9);
        // w0 2: (0.01,0.5) (0.01,0.8) local; (0.02,0.8) (0.02,0.9) escape; (0.02,0.95) local;
        // (0.05,0.8) escapes; (0.05,0.9) local; from w0 = 1.5 nothing escapes.
        exact(new double[] {0, 0, 1, 1, 0, 1, 0, 0, 0, 0}, r.values("escaped"));
        // io.vecgrad.optim.SGD (plain and momentum 0.9) follows the hand-written heavy ball
        for (double d : r.values("libraryDeviation")) {
            assertTrue(d < 1e-12, "library SGD deviates by " + d);
        }
    }

    @Test
    void f0_06_momentumPseudoCode() {
        var r = ExampleSupport.run(new F0_06_MomentumPseudoCode(), dir);
        double[] plain = r.values("PLAIN/0.0/0.1");
        assertEquals(11, plain[0]);
        close(0.0858993, plain[1], 1e-6);
        double[] notes01 = r.values("NOTES/0.1/0.1");
        assertEquals(12, notes01[0]);
        close(0.0958658, notes01[1], 1e-6);
        double[] notes05 = r.values("NOTES/0.5/0.1");
        assertEquals(-1, notes05[0]);
        close(0.833333, notes05[1], 1e-6);
        assertEquals(-1, r.values("NOTES/0.6/0.1")[0]);
        assertTrue(Math.abs(r.values("NOTES/0.6/0.1")[1]) > 1e150, "m=0.6 diverges (loss overflows to inf)");
        assertTrue(Double.isNaN(r.values("NOTES/0.9/0.1")[1]), "m=0.9 ends in NaN");
        assertTrue(Double.isNaN(r.values("NOTES/0.9/0.01")[1]), "m=0.9 ends in NaN");
        double[] dlwp01 = r.values("DLWP/0.1/0.1");
        assertEquals(10, dlwp01[0]);
        close(0.0806058, dlwp01[1], 1e-6);
        assertEquals(5, r.values("DLWP/0.5/0.1")[0]);
        assertEquals(9, r.values("DLWP/0.9/0.1")[0]);
        // SGD(nesterov) = the DLwP (-) loop, SGD(momentum) = heavy ball (EXAMPLES.md: to 1e-15)
        for (double d : r.values("libraryDeviation")) {
            assertTrue(d < 1e-14, "library SGD deviates by " + d);
        }
        double[] hb01 = r.values("HEAVY_BALL/0.1/0.1");
        assertEquals(9, hb01[0]);
        close(0.0997685, hb01[1], 1e-6);
        assertEquals(3, r.values("HEAVY_BALL/0.9/0.1")[0]);
        // lr 0.01 column
        assertEquals(114, r.values("PLAIN/0.0/0.01")[0]);
        assertEquals(129, r.values("NOTES/0.1/0.01")[0]);
        assertEquals(-1, r.values("NOTES/0.5/0.01")[0]);
        close(0.980392, r.values("NOTES/0.5/0.01")[1], 1e-6);
        assertTrue(Math.abs(r.values("NOTES/0.6/0.01")[1]) > 1e20, "m=0.6 diverges");
        assertEquals(103, r.values("DLWP/0.1/0.01")[0]);
        assertEquals(56, r.values("DLWP/0.5/0.01")[0]);
        assertEquals(13, r.values("DLWP/0.9/0.01")[0]);
        assertEquals(103, r.values("HEAVY_BALL/0.1/0.01")[0]);
        assertEquals(13, r.values("HEAVY_BALL/0.9/0.01")[0]);
        near(new double[] {1.0, 0.82, 0.6744, 0.554848, 0.456508, 0.3756}, r.values("notesPath"), 1e-6);
        near(new double[] {1.0, 0.78, 0.6064, 0.471232, 0.366172, 0.284533}, r.values("dlwpPath"), 1e-6);
        near(new double[] {1.0, 0.8, 0.62, 0.478, 0.3682, 0.28358}, r.values("heavyPath"), 1e-6);
    }

    @Test
    void f0_07_twoLayerGraph() {
        var r = ExampleSupport.run(new F0_07_TwoLayerGraph(), dir);
        close(new double[] {0.75, -0.55, -0.05, 0.65}, r.values("preact"), 1e-9);
        close(new double[] {0.75, 0, 0, 0.65}, r.values("hidden"), 1e-9);
        close(new double[] {-0.11, 0.22, 0.255}, r.values("logits"), 1e-9);
        close(new double[] {0.2609956054, 0.3630365688, 0.3759678257}, r.values("softmax"), 1e-6);
        close(0.9782517092, r.value("loss"), 1e-6);
        close(new double[] {0.2609956054, 0.3630365688, -0.6240321743}, r.values("db2"), 1e-6);
        close(new double[] {0.1957467041, 0.2722774266, -0.4680241307, 0, 0, 0, 0, 0, 0,
            0.1696471435, 0.2359737697, -0.4056209133}, r.values("dW2"), 1e-6);
        close(new double[] {-0.1713141881, 0, 0, -0.1202937064, -0.0856570940, 0, 0, -0.0601468532,
            0.1713141881, 0, 0, 0.1202937064}, r.values("dW1"), 1e-6);
        close(new double[] {-0.1713141881, 0, 0, -0.1202937064}, r.values("db1"), 1e-6);
        assertTrue(r.value("probeMaxDiff") < 1e-8, "probing vs autograd " + r.value("probeMaxDiff"));
        assertEquals(62, r.value("forwards"));
        assertEquals(1, r.value("gradcheckOk"));
    }

    @Test
    void f0_08_scalarGraph() {
        var r = ExampleSupport.run(new F0_08_ScalarGraph(), dir);
        // acceptance case seeds/f_abs_scalar_graph: x1 6, x2 7, loss 3, w.grad 2, b.grad 1, x.grad 3
        exact(new double[] {6, 7, 3}, new double[] {r.value("x1"), r.value("x2"), r.value("loss")});
        assertEquals(2, r.value("gradW"), 0);
        assertEquals(1, r.value("gradB"), 0, "the notes' 2 is wrong");
        assertEquals(3, r.value("gradX"), 0);
        exact(new double[] {0, 0, 0}, r.values("tie"));
        ExampleSupport.contains(r, "notes claim: grad(loss_val, b) = 1 * 1 = 2");
    }

    @Test
    void f0_09_multiplePaths() {
        var r = ExampleSupport.run(new F0_09_MultiplePaths(), dir);
        exact(new double[] {12, 7}, r.values("fanOut"));
        assertEquals(30, r.value("y"), 0);
        assertEquals(21, r.value("dx1"), 0);
        assertEquals(16, r.value("dx2"), 0);
        exact(new double[] {6, 15}, r.values("paths"));
    }
}
