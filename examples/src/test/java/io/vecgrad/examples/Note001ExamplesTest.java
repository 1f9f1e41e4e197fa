package io.vecgrad.examples;

import static io.vecgrad.examples.ExampleSupport.close;
import static io.vecgrad.examples.ExampleSupport.exact;
import static io.vecgrad.examples.ExampleSupport.near;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked examples of note 001 (Tiwari, GD and backprop slides) against EXAMPLES.md. */
class Note001ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void f1_01_finiteDifferences() {
        var r = ExampleSupport.run(new F1_01_FiniteDifferences(), dir);
        assertEquals(2, r.value("autograd"), 0);
        double[] one = r.values("oneSided");
        double h = -0.1;
        for (int k = 0; k < 5; k++) {
            assertEquals(2 + 3 * h, one[k], 1e-9, "error is exactly 3h");
            h *= 0.1;
        }
        near(new double[] {1.7, 1.97, 1.997, 1.9997, 1.99997}, one, 5e-6);
        near(new double[] {2, 2, 2, 2, 2}, r.values("central"), 1e-9);
        ExampleSupport.contains(r, "h=-0.00001, [f(x+h) - f(x)] / h = 1.99997");
    }

    @Test
    void f1_02_ruleNotAlways() {
        var r = ExampleSupport.run(new F1_02_RuleNotAlways(), dir);
        double[] a = r.values("x0=2.0");
        assertEquals(23, a[0]);
        close(1.000151, a[1], 1e-6);
        double[] b = r.values("x0=0.0");
        assertEquals(28, b[0]);
        close(0.999878, b[1], 1e-6);
        double[] c = r.values("x0=-1.0");
        assertEquals(0, c[0]);
        assertEquals(-1, c[1], 0);
        double[] d = r.values("x0=-1.5");
        assertEquals(1, d[2]);
        assertEquals(10, d[0]);
    }

    @Test
    void f1_03_cubicQuartic() {
        var r = ExampleSupport.run(new F1_03_CubicQuarticSurface(), dir);
        double[][] expect = {{2.0, 153, 1.1309012}, {0.5, 177, 1.1309010}, {0.0, 140, -1.3008395},
            {-0.5, 116, -1.3008395}, {-2.0, 100, -1.3008396}};
        for (double[] e : expect) {
            double[] got = r.values("w0=" + e[0]);
            assertEquals(e[1], got[0], 0, "iterations from " + e[0]);
            assertEquals(e[2], got[1], 1e-7, "end point from " + e[0]);
        }
        close(new double[] {0.9489846194, 0.3153223624, 0.6306447248}, r.values("surface"), 1e-9);
    }

    @Test
    void f1_04_steepestDescent() {
        var r = ExampleSupport.run(new F1_04_SteepestDescent(), dir);
        exact(new double[] {4, 20}, r.values("grad"));
        close(20.3960780544, r.value("norm"), 1e-10);
        close(-0.0020395112669753, r.value("along"), 1e-9);
        assertTrue(r.value("best") >= r.value("along") - 1e-15, "no direction beats -grad");
        close(-0.0020395111749, r.value("best"), 1e-9);
    }

    @Test
    void f1_05_noiseEscapes() {
        var r = ExampleSupport.run(new F1_05_NoiseEscapes(), dir);
        double[] f = r.values("fraction");
        assertEquals(0, f[0], 0, "no noise: every run stays in the local minimum");
        assertTrue(f[4] >= 0.2, "sigma 8 should move >= 20 % of runs to the global basin, got " + f[4]);
        assertTrue(f[1] <= 0.05, "sigma 2 rarely escapes, got " + f[1]);
    }

    @Test
    void f1_06_lrAndThreshold() {
        var r = ExampleSupport.run(new F1_06_LearningRateThreshold(), dir);
        double[] asWritten = r.values("lr1.0");
        assertEquals(1000, asWritten[0], 0, "lr 1 never meets the threshold");
        assertEquals(3, Math.abs(asWritten[1]), 0);
        assertEquals(39, r.values("lr0.1")[0]);
        close(4.98460e-4, r.values("lr0.1")[1], 1e-5);
        assertEquals(1, r.values("lr0.5")[0]);
        assertEquals(0, r.values("lr0.5")[1], 0);
        assertEquals(39, r.values("lr0.9")[0]);
        close(-4.98460e-4, r.values("lr0.9")[1], 1e-5);
        assertEquals(69, r.values("lr1.1")[0]);
    }

    @Test
    void f1_07_weightShapes() {
        var r = ExampleSupport.run(new F1_07_WeightShapes(), dir);
        close(new double[] {121.2, 111.2, 120.9}, r.values("WX"), 1e-12);
        exact(new double[] {1, 3}, r.values("dims"));
    }

    @Test
    void f1_08_linearCollapse() {
        var r = ExampleSupport.run(new F1_08_LinearCollapse(), dir);
        exact(new double[] {3, 4, -2, -2}, r.values("W2W1"));
        exact(new double[] {-1, 0}, r.values("twoLayers"));
        exact(new double[] {-1, 0}, r.values("oneLayer"));
        exact(new double[] {0, 0}, r.values("withRelu"));
    }

    @Test
    void f1_09_miniBatch() {
        var r = ExampleSupport.run(new F1_09_MiniBatch(), dir);
        near(new double[] {0.151111, 0.2, 1.9313918}, r.values("B16E1"), 1e-6);
        near(new double[] {1.584428, 0.988471, 0.0653752}, r.values("B16E20"), 1e-6);
        near(new double[] {0.523219, 0.736645, 0.8932453}, r.values("B4E1"), 1e-6);
        near(new double[] {1.998286, 1.000317}, java.util.Arrays.copyOf(r.values("B4E20"), 2), 1e-6);
        close(1.21e-6, r.values("B4E20")[2], 1e-2);
        near(new double[] {0.871720, 1.704201, 0.9768158}, r.values("B1E1"), 1e-6);
        near(new double[] {2.0, 1.0}, java.util.Arrays.copyOf(r.values("B1E20"), 2), 1e-9);
        assertTrue(r.values("B1E20")[2] < 1e-20);
    }

    @Test
    void f1_10_loopCondition() {
        var r = ExampleSupport.run(new F1_10_LoopCondition(), dir);
        exact(new double[] {50, 0}, r.values("and"));
        assertEquals(5000, r.values("or")[0], 0, "'or' runs until the safety cap");
    }

    @Test
    void f1_11_gradientAccumulation() {
        var r = ExampleSupport.run(new F1_11_GradientAccumulation(), dir);
        assertEquals(121, r.value("loss"), 0);
        exact(new double[] {-111, -20}, r.values("full"));
        exact(new double[] {-444, -80}, r.values("summed"));
        exact(new double[] {-111, -20}, r.values("accumulated"));
    }

    @Test
    void f1_12_chainRule() {
        var r = ExampleSupport.run(new F1_12_ChainRuleLayers(), dir);
        exact(new double[] {1, 3, 4}, r.values("forward"));
        assertEquals(4, r.value("dLdy"), 0);
        assertEquals(4, r.value("dLdw1"), 0);
        assertEquals(12, r.value("dLdh"), 0);
        assertEquals(24, r.value("dLdw0"), 0);
        exact(new double[] {24, 4}, r.values("oneBackward"));
    }

    @Test
    void f1_c1_reverseModeReuse() {
        var r = ExampleSupport.run(new F1_C1_ReverseModeReuse(), dir);
        exact(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, r.values("calls"));
        assertTrue(r.value("maxRelErr") < 1e-14);
    }
}
