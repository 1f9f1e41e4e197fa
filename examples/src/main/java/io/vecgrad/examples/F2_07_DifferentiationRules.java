package io.vecgrad.examples;

import static io.vecgrad.engine.DType.F64;

import io.vecgrad.autograd.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/** F2-07: the differentiation rules (constant, power, exp, ln, multiple, sum, product, quotient) at x = 2. */
final class F2_07_DifferentiationRules extends BaseExample {
    F2_07_DifferentiationRules() {
        super("f2-07-differentiation-rules", "002",
                "autograd vs the textbook rules at x = 2: constant, power, exp, ln, sum, product, quotient");
    }

    record Rule(String name, UnaryOperator<Tensor> f, DoubleUnaryOperator closedForm) {}

    @Override
    public Result run(Path outDir, PrintStream out) {
        Rule[] rules = {
            new Rule("D 5 = 0", x -> x.mul(0).add(5), x -> 0),
            new Rule("D x^3 = 3x^2", x -> x.pow(3), x -> 3 * x * x),
            new Rule("D x^0.5 = 0.5 x^-0.5", x -> x.pow(0.5), x -> 0.5 / Math.sqrt(x)),
            new Rule("D e^x = e^x", Tensor::exp, Math::exp),
            new Rule("D ln x = 1/x", Tensor::log, x -> 1 / x),
            new Rule("D 3x^2 = 6x", x -> x.square().mul(3), x -> 6 * x),
            new Rule("D (x^2 + sin x) = 2x + cos x", x -> x.square().add(x.sin()), x -> 2 * x + Math.cos(x)),
            new Rule("D (x^2 sin x) = 2x sin x + x^2 cos x", x -> x.square().mul(x.sin()),
                    x -> 2 * x * Math.sin(x) + x * x * Math.cos(x)),
            new Rule("D (sin x / x) = (x cos x - sin x)/x^2", x -> x.sin().div(x),
                    x -> (x * Math.cos(x) - Math.sin(x)) / (x * x))};
        double[] ad = new double[rules.length];
        double maxErr = 0;
        for (int i = 0; i < rules.length; i++) {
            Tensor x = Tensor.scalar(F64, 2).requiresGrad(true);
            rules[i].f().apply(x).backward();
            ad[i] = x.grad().item();
            double cf = rules[i].closedForm().applyAsDouble(2);
            maxErr = Math.max(maxErr, Math.abs(ad[i] - cf));
            out.println(Fmt.f("  %-40s autograd %-14s rule %s", rules[i].name(), Fmt.num(ad[i]), Fmt.num(cf)));
        }
        return new Result().put("autograd", ad).put("maxErr", maxErr);
    }
}
