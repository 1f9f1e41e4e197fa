package io.vecgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.engine.DType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acceptance group {@code optim} (16 PyTorch 1.13 trajectories), run standalone: each case
 * builds p1, p2 and the constants, constructs the optimizer from the case's PyTorch
 * hyper-parameters, and loops 10 times: zero grads, evaluate the objective program, backward,
 * step. Loss (11 values), the gradients used and the parameters after each step are compared
 * with the float64 reference under the case's tolerance for the precision, in f32 and in f64.
 */
class OptimAcceptanceTest {

    private static JsonNode cases() throws IOException {
        try (InputStream in = OptimAcceptanceTest.class.getResourceAsStream("/acceptance/optim.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Constructs the optimizer a case describes (PyTorch names; maximize must be false). */
    static Optimizer optimizer(JsonNode o, List<Tensor> params) {
        if (o.path("maximize").asBoolean(false)) {
            throw new IllegalArgumentException("maximize=true is not supported");
        }
        return switch (o.get("type").asText()) {
            case "SGD" -> SGD.builder(params).lr(o.get("lr").asDouble()).momentum(o.get("momentum").asDouble())
                    .dampening(o.get("dampening").asDouble()).weightDecay(o.get("weight_decay").asDouble())
                    .nesterov(o.get("nesterov").asBoolean()).build();
            case "Adagrad" -> Adagrad.builder(params).lr(o.get("lr").asDouble()).lrDecay(o.get("lr_decay").asDouble())
                    .weightDecay(o.get("weight_decay").asDouble())
                    .initialAccumulatorValue(o.get("initial_accumulator_value").asDouble())
                    .eps(o.get("eps").asDouble()).build();
            case "RMSprop" -> RMSprop.builder(params).lr(o.get("lr").asDouble()).alpha(o.get("alpha").asDouble())
                    .eps(o.get("eps").asDouble()).weightDecay(o.get("weight_decay").asDouble())
                    .momentum(o.get("momentum").asDouble()).centered(o.get("centered").asBoolean()).build();
            case "Adam" -> Adam.builder(params).lr(o.get("lr").asDouble())
                    .betas(o.get("betas").get(0).asDouble(), o.get("betas").get(1).asDouble())
                    .eps(o.get("eps").asDouble()).weightDecay(o.get("weight_decay").asDouble())
                    .amsgrad(o.get("amsgrad").asBoolean()).build();
            case "AdamW" -> AdamW.builder(params).lr(o.get("lr").asDouble())
                    .betas(o.get("betas").get(0).asDouble(), o.get("betas").get(1).asDouble())
                    .eps(o.get("eps").asDouble()).weightDecay(o.get("weight_decay").asDouble())
                    .amsgrad(o.get("amsgrad").asBoolean()).build();
            default -> throw new IllegalArgumentException("unknown optimizer type " + o.get("type"));
        };
    }

    private static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asDouble();
        }
        return d;
    }

    private static int[] ints(JsonNode arr) {
        int[] d = new int[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asInt();
        }
        return d;
    }

    /** The objective program: the few ops it uses, numbers as constants in either position. */
    static Tensor evaluate(JsonNode program, Map<String, Tensor> env, DType dt) {
        Tensor last = null;
        for (JsonNode st : program) {
            JsonNode in = st.get("in");
            String op = st.get("op").asText();
            Tensor r;
            if (in.size() == 2 && (in.get(0).isNumber() || in.get(1).isNumber())) {
                boolean first = in.get(0).isNumber();
                double s = (first ? in.get(0) : in.get(1)).asDouble();
                Tensor t = env.get((first ? in.get(1) : in.get(0)).asText());
                r = switch (op) {
                    case "add" -> t.add(s);
                    case "mul" -> t.mul(s);
                    case "sub" -> first ? t.rsub(s) : t.sub(s);
                    case "div" -> first ? Tensor.scalar(dt, s).div(t) : t.div(s);
                    default -> throw new IllegalArgumentException("op " + op + " with a number");
                };
            } else {
                Tensor a = env.get(in.get(0).asText());
                r = switch (op) {
                    case "add" -> a.add(env.get(in.get(1).asText()));
                    case "sub" -> a.sub(env.get(in.get(1).asText()));
                    case "mul" -> a.mul(env.get(in.get(1).asText()));
                    case "pow" -> a.pow(st.get("args").get("exponent").asDouble());
                    case "sum" -> a.sum();
                    default -> throw new IllegalArgumentException("op " + op);
                };
            }
            env.put(st.get("out").asText(), r);
            last = r;
        }
        return last;
    }

    /** Runs one case in one dtype; returns the failures (empty when it passes). */
    static List<String> run(JsonNode c, DType dt) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (JsonNode in : c.get("inputs")) {
            Tensor t = Tensor.fromArray(dt, doubles(in.get("data")), ints(in.get("shape")));
            if (in.path("requires_grad").asBoolean(false)) {
                t.requiresGrad(true);
            }
            inputs.put(in.get("name").asText(), t);
        }
        List<String> names = new ArrayList<>();
        c.get("params").forEach(n -> names.add(n.asText()));
        List<Tensor> params = new ArrayList<>();
        for (String n : names) {
            params.add(inputs.get(n));
        }
        Optimizer opt = optimizer(c.get("optimizer"), params);
        int steps = c.get("steps").asInt();
        String lossName = c.get("loss_name").asText();
        Map<String, List<double[]>> got = new HashMap<>();
        List<double[]> loss = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor l = evaluate(c.get("objective"), new HashMap<>(inputs), dt).retain();
            Tensor lossT = l;
            loss.add(new double[] {lossT.item()});
            if (!lossName.isEmpty()) {
                lossT.backward();
            }
            for (int k = 0; k < names.size(); k++) {
                got.computeIfAbsent(names.get(k) + ".grad", x -> new ArrayList<>()).add(params.get(k).grad().toDoubleArray());
            }
            opt.step();
            for (int k = 0; k < names.size(); k++) {
                got.computeIfAbsent(names.get(k), x -> new ArrayList<>()).add(params.get(k).toDoubleArray());
            }
        }
        try (var _ = Tensor.noGrad()) {
            loss.add(new double[] {evaluate(c.get("objective"), new HashMap<>(inputs), dt).item()});
        }
        got.put("loss", loss);

        JsonNode tol = c.get("tol").get(dt.toString());
        double rtol = tol.get("rtol").asDouble();
        double atol = tol.get("atol").asDouble();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : c.get("expected").properties()) {
            double[] want = doubles(e.getValue().get("f64"));
            List<double[]> rows = got.get(e.getKey());
            double[] flat = rows.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
            if (flat.length != want.length) {
                failures.add(e.getKey() + ": " + flat.length + " values, expected " + want.length);
                continue;
            }
            double scale = 1;
            for (double w : want) {
                scale = Math.max(scale, Math.abs(w));
            }
            for (int i = 0; i < want.length; i++) {
                if (!(Math.abs(flat[i] - want[i]) <= rtol * Math.abs(want[i]) + atol * scale)) {
                    failures.add(e.getKey() + "[" + i + "]: got " + flat[i] + ", want " + want[i]);
                    break;
                }
            }
        }
        return failures;
    }

    @Test
    void allOptimCasesPassInF32AndF64() throws IOException {
        JsonNode root = cases();
        assertEquals("optim", root.get("group").asText());
        int total = 0;
        Map<DType, Integer> passed = new LinkedHashMap<>();
        List<String> report = new ArrayList<>();
        for (DType dt : DType.values()) {
            passed.put(dt, 0);
            for (JsonNode c : root.get("cases")) {
                List<String> f = run(c, dt);
                if (f.isEmpty()) {
                    passed.merge(dt, 1, Integer::sum);
                } else {
                    report.add(c.get("id").asText() + " " + dt + ": " + f);
                }
            }
            total = root.get("cases").size();
        }
        System.out.println("optim acceptance: f32 " + passed.get(DType.F32) + "/" + total
                + ", f64 " + passed.get(DType.F64) + "/" + total);
        assertTrue(report.isEmpty(), String.join("\n", report));
        assertEquals(16, total);
    }
}
