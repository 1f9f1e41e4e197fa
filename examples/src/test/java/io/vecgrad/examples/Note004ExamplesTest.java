package io.vecgrad.examples;

import static io.vecgrad.examples.ExampleSupport.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked examples of note 004 (NMA W1D2) against EXAMPLES.md and seeds.json. */
class Note004ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void f4_04_tanhLogGraph() {
        var r = ExampleSupport.run(new F4_04_TanhLogGraph(), dir);
        double[] p1 = r.values("P1");
        close(new double[] {-0.3802618334, -0.8423481542, -0.1927534981, 1.4039135903},
                java.util.Arrays.copyOf(p1, 4), 1e-6);
        close(p1[1], p1[4], 1e-12);   // the notes' ∂f/∂x formula
        close(p1[2], p1[5], 1e-12);   // NMA's ∂f/∂y formula
        close(new double[] {1, 0.9092974268, 1.0997501703, -0.3299250511, -0.4003657088},
                java.util.Arrays.copyOfRange(p1, 6, 11), 1e-9);
        double[] p2 = r.values("P2");
        close(new double[] {0.8387449472, 0.2086995892, -0.1340044651, 0.2086995892},
                java.util.Arrays.copyOf(p2, 4), 1e-6);
        // seeds/e_tanh_log_point1..4 {f, x.grad, y.grad, z.grad}
        close(new double[] {0.2958099880439906, 0.4796423894000157, -0.15398741826142448, 0.7994039823333595},
                r.values("seed1"), 1e-9);
        close(new double[] {-0.5224037695810849, -0.5710567249940864, -0.2613484241617879, 2.855283624970432},
                r.values("seed2"), 1e-9);
        close(new double[] {-0.6007667741567051, 2.1353754884964564, 1.1726335838815478, -1.601531616372342},
                r.values("seed3"), 1e-9);
        close(new double[] {0.8726369120665181, 0.08815228272713393, 1.2368210526326093, 1.7630456545426785},
                r.values("seed4"), 1e-9);
    }

    @Test
    void f4_07_tanhRegression() {
        var r = ExampleSupport.run(new F4_07_TanhRegression(), dir);
        double[] a = r.values("nma");
        assertEquals(0, a[0], 0);
        assertEquals(49, a[1], 0);
        assertEquals(-14, a[2], 0);
        assertEquals(-14, a[3], 0);
        double[] b = r.values("second");
        close(new double[] {0.4621171573, 0.0014351098, -0.1191715032, -0.0595857516}, java.util.Arrays.copyOf(b, 4),
                1e-6);
        close(b[2], b[4], 1e-12);
        close(b[3], b[5], 1e-12);
    }

    @Test
    void f4_10_narrowLinearNet() {
        var r = ExampleSupport.run(new F4_10_NarrowLinearNet(), dir);
        close(6.0341481481, r.value("initialLoss"), 1e-9);
        assertEquals(128, r.value("firstBelow"));
        double[] w = r.values("w");
        assertEquals(-1.318693, w[0], 1e-6);
        assertEquals(-1.515260, w[1], 1e-6);
        assertEquals(1.9981630, w[2], 1e-7);
        close(1.27e-6, r.value("finalLoss"), 1e-2);
        assertTrue(r.value("maxGradDiff") < 1e-12);
    }

    @Test
    void f4_16_initProducts() {
        var r = ExampleSupport.run(new F4_16_InitProducts(), dir);
        close(new double[] {2.6561398887587544e-05, 13780.61233982238}, r.values("pow"), 1e-12);
        close(new double[] {2.9513e-5, 12527.83}, r.values("chainGrad"), 1e-4);
        double[][] table = {{0.70, 0.66686, -1}, {0.75, 0.66111, -1}, {0.80, 0.64667, 116}, {0.85, 0.61278, 57},
            {0.90, 0.53918, 30}, {0.95, 0.39557, 16}, {1.00, 0.16751, 7}, {1.05, 0.00104, 0}};
        for (double[] t : table) {
            double[] got = r.values("init" + String.format(java.util.Locale.ROOT, "%.2f", t[0]));
            assertEquals(t[1], got[0], 5e-6, "initial loss for init " + t[0]);
            assertEquals(t[2], got[1], 0, "success epoch for init " + t[0]);
        }
        assertEquals(0.66410, r.values("init0.70")[2], 5e-6);
        assertEquals(0.10997, r.values("init0.75")[2], 5e-6);
    }
}
