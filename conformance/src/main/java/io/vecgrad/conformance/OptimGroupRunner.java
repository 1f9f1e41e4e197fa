package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.vecgrad.autograd.Tensor;
import io.vecgrad.optim.Adagrad;
import io.vecgrad.optim.Adam;
import io.vecgrad.optim.AdamW;
import io.vecgrad.optim.Optimizer;
import io.vecgrad.optim.RMSprop;
import io.vecgrad.optim.SGD;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the {@code optim} group: optimizer trajectories. For each case it creates the inputs
 * (the parameters and the objective's constants), builds the optimizer the case names from its
 * PyTorch hyper-parameters, and repeats {@code steps} times: zero the gradients, evaluate the
 * {@code objective} program, backward from {@code loss_name}, {@link Optimizer#step()}. It records
 * the loss before each step and once more at the final parameters ({@code loss}, steps + 1
 * values), the gradient each step used ({@code <param>.grad}) and the parameters after each step
 * ({@code <param>}), each stacked along a leading step axis, and compares them with the case's
 * {@code expected} like any other value.
 */
public final class OptimGroupRunner implements GroupRunner {

    /** A runner for the optim group; it keeps no state between cases. */
    public OptimGroupRunner() {}

    @Override
    public Set<String> groups() {
        return Set.of("optim");
    }

    @Override
    public CaseResult run(AcceptCase c, Precision p) {
        JsonNode json = c.json();
        try (Interpreter in = new Interpreter(p)) {
            in.createInputs(json.path("inputs"));
            List<String> names = new ArrayList<>();
            json.path("params").forEach(n -> names.add(n.asText()));
            List<Tensor> params = new ArrayList<>();
            for (String n : names) {
                params.add(in.tensor(n));
            }
            Optimizer opt = optimizer(json.path("optimizer"), params);
            int steps = json.path("steps").asInt();
            String lossName = json.path("loss_name").asText();
            JsonNode objective = json.path("objective");

            Map<String, Stack> got = new LinkedHashMap<>();
            got.put("loss", new Stack(new int[0]));
            for (int k = 0; k < names.size(); k++) {
                int[] shape = params.get(k).shape();
                got.put(names.get(k) + ".grad", new Stack(shape));
                got.put(names.get(k), new Stack(shape));
            }
            for (int s = 0; s < steps; s++) {
                opt.zeroGrad();
                in.run(objective);
                Tensor loss = in.tensor(lossName);
                got.get("loss").add(loss.toDoubleArray());
                loss.backward();
                for (int k = 0; k < names.size(); k++) {
                    Tensor g = params.get(k).grad();
                    if (g == null) {
                        return CaseResult.fail(c.id(), p, "step " + (s + 1) + ": no gradient reached '"
                                + names.get(k) + "'", List.of());
                    }
                    got.get(names.get(k) + ".grad").add(g.toDoubleArray());
                }
                opt.step();
                for (int k = 0; k < names.size(); k++) {
                    got.get(names.get(k)).add(params.get(k).toDoubleArray());
                }
            }
            try (var _ = Tensor.noGrad()) {
                in.run(objective);
                got.get("loss").add(in.tensor(lossName).toDoubleArray());
            }

            List<String> notes = new ArrayList<>();
            Tolerance tol = c.tolerance(p);
            for (Map.Entry<String, JsonNode> e : json.path("expected").properties()) {
                Stack st = got.get(e.getKey());
                String d = st == null ? e.getKey() + ": not produced by an optim run"
                        : Expectations.compare(e.getKey(), st.value(), e.getValue(), tol, p);
                if (d != null) {
                    notes.add(d);
                }
            }
            if (notes.isEmpty()) {
                return CaseResult.pass(c.id(), p, List.of());
            }
            return CaseResult.fail(c.id(), p, notes.getFirst()
                    + (notes.size() > 1 ? " (+" + (notes.size() - 1) + " more)" : ""), notes);
        } catch (RuntimeException e) {
            return CaseResult.fail(c.id(), p, "threw " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    List.of());
        }
    }

    /**
     * The optimizer a case describes, from PyTorch's names ({@code lr, momentum, betas, ...});
     * missing entries take PyTorch's defaults.
     *
     * @throws IllegalArgumentException for an unknown type or {@code maximize = true}
     */
    public static Optimizer optimizer(JsonNode o, List<Tensor> params) {
        if (o.path("maximize").asBoolean(false)) {
            throw new IllegalArgumentException("optim: maximize=true is not supported by vecgrad's optimizers");
        }
        String type = o.path("type").asText();
        return switch (type) {
            case "SGD" -> SGD.builder(params).lr(o.path("lr").asDouble())
                    .momentum(o.path("momentum").asDouble(0)).dampening(o.path("dampening").asDouble(0))
                    .weightDecay(o.path("weight_decay").asDouble(0)).nesterov(o.path("nesterov").asBoolean(false))
                    .build();
            case "Adagrad" -> Adagrad.builder(params).lr(o.path("lr").asDouble(0.01))
                    .lrDecay(o.path("lr_decay").asDouble(0)).weightDecay(o.path("weight_decay").asDouble(0))
                    .initialAccumulatorValue(o.path("initial_accumulator_value").asDouble(0))
                    .eps(o.path("eps").asDouble(1e-10)).build();
            case "RMSprop" -> RMSprop.builder(params).lr(o.path("lr").asDouble(0.01))
                    .alpha(o.path("alpha").asDouble(0.99)).eps(o.path("eps").asDouble(1e-8))
                    .weightDecay(o.path("weight_decay").asDouble(0)).momentum(o.path("momentum").asDouble(0))
                    .centered(o.path("centered").asBoolean(false)).build();
            case "Adam" -> Adam.builder(params).lr(o.path("lr").asDouble(1e-3))
                    .betas(o.path("betas").path(0).asDouble(0.9), o.path("betas").path(1).asDouble(0.999))
                    .eps(o.path("eps").asDouble(1e-8)).weightDecay(o.path("weight_decay").asDouble(0))
                    .amsgrad(o.path("amsgrad").asBoolean(false)).build();
            case "AdamW" -> AdamW.builder(params).lr(o.path("lr").asDouble(1e-3))
                    .betas(o.path("betas").path(0).asDouble(0.9), o.path("betas").path(1).asDouble(0.999))
                    .eps(o.path("eps").asDouble(1e-8)).weightDecay(o.path("weight_decay").asDouble(0.01))
                    .amsgrad(o.path("amsgrad").asBoolean(false)).build();
            default -> throw new IllegalArgumentException("optim: unknown optimizer type '" + type
                    + "', expected one of SGD, Adagrad, RMSprop, Adam, AdamW");
        };
    }

    /** Values of one name across steps, stacked along a new leading axis. */
    private static final class Stack {
        private final int[] shape;
        private final List<double[]> rows = new ArrayList<>();

        Stack(int[] shape) {
            this.shape = shape;
        }

        void add(double[] row) {
            rows.add(row);
        }

        Value value() {
            int[] s = new int[shape.length + 1];
            s[0] = rows.size();
            System.arraycopy(shape, 0, s, 1, shape.length);
            double[] flat = rows.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
            return new Value(s, flat, null);
        }
    }
}
