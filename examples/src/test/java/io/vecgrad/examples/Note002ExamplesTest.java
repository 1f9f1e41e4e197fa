package io.vecgrad.examples;

import static io.vecgrad.examples.ExampleSupport.close;
import static io.vecgrad.examples.ExampleSupport.exact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked examples of note 002 (D2L-style calculus and autograd) against EXAMPLES.md and seeds.json. */
class Note002ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void f2_01_bloodPressure() {
        var r = ExampleSupport.run(new F2_01_BloodPressure(), dir);
        // the notes print these exact float64 reprs
        exact(new double[] {121.2, 111.2, 120.9}, r.values("yHat"));
        exact(new double[] {1505.4399999999998, 353.4399999999999, 118.81000000000013}, r.values("loss"));
        ExampleSupport.contains(r, "print(y0_hat)              -> 121.2");
        ExampleSupport.contains(r, "-> 1505.4399999999998");
        // seeds/g_blood_pressure_row0 and seeds/g_blood_pressure_mean (f64 rtol 1e-9)
        close(new double[] {-13967.999999999998, -6906.4, -2716.0, -77.6}, r.values("grad0"), 1e-9);
        close(659.2299999999999, r.value("meanLoss"), 1e-9);
        close(new double[] {-5360.5999999999985, -2414.8666666666663, -1261.333333333333, -61.46666666666665},
                r.values("meanGrad"), 1e-9);
    }

    @Test
    void f2_02_updateRule() {
        var r = ExampleSupport.run(new F2_02_UpdateRule(), dir);
        close(-13968, r.value("grad0"), 1e-9);
        close(13968.3, r.value("literal"), 1e-9);
        close(new double[] {60027.3333333, 10055.3333333, 2150, 14}, r.values("hessianDiag"), 1e-9);
        close(71752.9, r.value("lambdaMax"), 1e-6);
        close(299.03, r.values("lr1.0E-6")[0], 1e-4);
        close(19.145, r.values("lr1.0E-6")[1], 1e-4);
        close(19.105, r.values("lr1.0E-5")[0], 1e-4);
        assertTrue(r.values("lr1.0E-5")[1] < 1e-10);
        close(0.19845, r.values("lr2.5E-5")[0], 1e-4);
        assertTrue(r.values("lr2.5E-5")[1] < 1e-20);
        close(0.10787, r.values("lr2.7E-5")[0], 1e-3);
        assertTrue(r.values("lr2.9E-5")[0] > 1e60, "lr 2.9e-5 > 2/lambda_max diverges");
    }

    @Test
    void f2_03_partials() {
        var r = ExampleSupport.run(new F2_03_PartialDerivatives(), dir);
        exact(new double[] {180, 89, 35, 1}, r.values("dw"));
        exact(new double[] {0.3, 0.8, -0.4, 10}, r.values("dx"));
    }

    @Test
    void f2_04_plotFunctionAndDerivative() {
        var r = ExampleSupport.run(new F2_04_PlotFunction(), dir);
        assertEquals(100, r.value("n"));
        assertEquals(4.9000001, r.value("last"), 1e-6);
        assertEquals(95, r.values("f")[0], 1e-4);
        assertTrue(r.value("maxErr") < 1e-4, "f32 autograd f' vs 6x - 4");
        assertEquals(2, r.result().files().size());
    }

    @Test
    void f2_05_numericalLimit() {
        var r = ExampleSupport.run(new F2_05_NumericalLimit(), dir);
        exact(new double[] {2.3000000000000043, 2.029999999999976, 2.0029999999993104, 2.000299999997956,
            2.0000300000155837}, r.values("lim"));
        ExampleSupport.contains(r, "h=0.10000, numerical limit=2.30000");
        ExampleSupport.contains(r, "h=0.00001, numerical limit=2.00003");
    }

    @Test
    void f2_07_rules() {
        var r = ExampleSupport.run(new F2_07_DifferentiationRules(), dir);
        close(new double[] {0, 12, 0.3535533906, 7.3890560989, 0.5, 12, 3.5838531635, 1.9726023611, -0.4353977750},
                r.values("autograd"), 1e-9);
        assertTrue(r.value("maxErr") < 1e-12);
    }

    @Test
    void f2_08_tangent() {
        var r = ExampleSupport.run(new F2_08_TangentLine(), dir);
        assertEquals(2, r.value("slope1"), 0);
        assertEquals(-1, r.value("f1"), 0);
        assertEquals(-3, r.value("intercept"), 0);
        assertEquals(56, r.value("slope10"), 0);
    }

    @Test
    void f2_09_multivariate() {
        var r = ExampleSupport.run(new F2_09_MultivariateRules(), dir);
        exact(new double[] {1, 2, 3, 4}, r.values("jacAx"));
        exact(new double[] {1, 3, 2, 4}, r.values("jacxA"));
        exact(new double[] {4, 6}, r.values("vjp"));
        assertEquals(0, r.value("quad"), 0);
        exact(new double[] {-3, -3}, r.values("quadGrad"));
        assertEquals(2, r.value("sq"), 0);
        exact(new double[] {2, -2}, r.values("sqGrad"));
    }

    @Test
    void f2_11_autograd2xtx() {
        // seeds/a_dot_then_sum: y 28, grad_1 [0,4,8,12]
        var r = ExampleSupport.run(new F2_11_AutogradDot(), dir);
        assertEquals(28, r.value("y"), 0);
        exact(new double[] {0, 4, 8, 12}, r.values("grad"));
        assertEquals(1, r.value("allEqual"));
        ExampleSupport.contains(r, "x.grad          -> None");
    }

    @Test
    void f2_13_accumulation() {
        var r = ExampleSupport.run(new F2_13_GradAccumulates(), dir);
        // seeds/a_dot_then_sum: after zeroing, y2 = x.sum() = 6 and x.grad = ones
        assertEquals(6, r.value("y2"), 0);
        exact(new double[] {1, 1, 1, 1}, r.values("ones"));
        exact(new double[] {2, 2, 2, 2}, r.values("twos"));
        exact(new double[] {1, 5, 9, 13}, r.values("mixed"));
        // seeds/j_two_losses_accumulate_then_zero
        exact(new double[] {5, 7, 9}, r.values("twoLosses"));
        exact(new double[] {2, 4, 6}, r.values("afterZero"));
    }

    @Test
    void f2_14_nonScalarBackward() {
        var r = ExampleSupport.run(new F2_14_NonScalarBackward(), dir);
        assertTrue(r.result().text("error").contains("only for one-element"), r.result().text("error"));
        exact(new double[] {0, 0, 0, 0}, r.values("afterFailure"));
        exact(new double[] {0, 2, 4, 6}, r.values("explicit"));
        exact(new double[] {0, 2, 4, 6}, r.values("viaSum"));
    }

    @Test
    void f2_15_detach() {
        // seeds/b_i_constant_a, b_ii_detached_sum, b_iii_attached_sum
        var r = ExampleSupport.run(new F2_15_Detach(), dir);
        assertEquals(28, r.value("constant.f"), 0);
        assertEquals(676, r.value("constant.g"), 0);
        exact(new double[] {0, 208, 416, 624}, r.values("constant.grad"));
        assertEquals(484, r.value("detached.g"), 0);
        exact(new double[] {0, 176, 352, 528}, r.values("detached.grad"));
        assertEquals(484, r.value("attached.g"), 0);
        exact(new double[] {-44, 132, 308, 484}, r.values("attached.grad"));
    }

    @Test
    void f2_16_noGrad() {
        var r = ExampleSupport.run(new F2_16_NoGrad(), dir);
        assertEquals(28, r.value("f"), 0);
        assertEquals(0, r.value("requiresGrad"));
        assertEquals(0, r.value("hasGradFn"));
        assertTrue(r.result().text("error").contains("does not require grad"), r.result().text("error"));
    }

    @Test
    void f2_c1_retainGraph() {
        var r = ExampleSupport.run(new F2_C1_RetainGraph(), dir);
        assertEquals(12, r.value("first"), 0);
        assertEquals(24, r.value("second"), 0);
        assertTrue(!r.result().text("error").equals("(no error)"), "second backward without retainGraph must fail");
        // seeds/j_backward_twice_retain_graph
        assertEquals(14, r.value("sumSq"), 0);
        exact(new double[] {2, 4, 6}, r.values("once"));
        exact(new double[] {4, 8, 12}, r.values("twice"));
    }
}
