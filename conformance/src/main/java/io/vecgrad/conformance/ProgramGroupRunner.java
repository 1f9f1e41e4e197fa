package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs program cases ({@code seeds}, {@code ops}, {@code losses}, {@code errors}): creates the
 * inputs, interprets the program, and judges the outcome by the case's {@code expect}:
 * <ul>
 *   <li>none (value cases) or {@code no_error}: no statement may throw, and every expected tensor
 *       must match (NaN and infinities exactly);</li>
 *   <li>{@code error}: the statement at {@code error_at} must throw a clear error (see
 *       {@link #clearError}), and none before it;</li>
 *   <li>{@code either}: a clear error, or the expected values.</li>
 * </ul>
 * A value mismatch in a case with a {@code convention} field is a
 * {@link CaseResult.Status#DEVIATION} rather than a failure.
 */
public final class ProgramGroupRunner implements GroupRunner {

    /** A runner for the program groups; it keeps no state between cases. */
    public ProgramGroupRunner() {}

    @Override
    public Set<String> groups() {
        return Set.of("seeds", "ops", "losses", "errors", "layers");
    }

    @Override
    public CaseResult run(AcceptCase c, Precision p) {
        JsonNode json = c.json();
        String expect = json.path("expect").asText("values");
        int errorAt = json.path("error_at").asInt(-1);
        JsonNode program = json.path("program");
        List<String> notes = new ArrayList<>();
        try (Interpreter in = new Interpreter(p)) {
            try {
                in.createInputs(json.path("inputs"));
            } catch (RuntimeException e) {
                return CaseResult.fail(c.id(), p, "creating the inputs threw " + brief(e), trace(e));
            }
            for (int i = 0; i < program.size(); i++) {
                JsonNode s = program.get(i);
                try {
                    in.execute(s);
                } catch (RuntimeException e) {
                    return onException(c, p, expect, errorAt, i, s, e);
                }
            }
            if (expect.equals("error")) {
                String at = errorAt >= 0 && errorAt < program.size()
                        ? " (" + Interpreter.describe(program.get(errorAt)) + ")" : "";
                return CaseResult.fail(c.id(), p, "expected an error at statement " + errorAt + at
                        + ", none was raised", notes);
            }
            List<Expectations.Mismatch> bad = Expectations.compare(in, json.path("expected"), c.tolerance(p));
            if (bad.isEmpty()) {
                if (expect.equals("either")) {
                    notes.add("no error raised; values reproduced");
                }
                return CaseResult.pass(c.id(), p, notes);
            }
            if (bad.size() > 1) {
                for (Expectations.Mismatch m : bad) {
                    notes.add(m.detail());
                }
            }
            String detail = bad.getFirst().detail() + (bad.size() > 1 ? " (+" + (bad.size() - 1) + " more)" : "");
            if (c.convention() != null) {
                return new CaseResult(c.id(), p, CaseResult.Status.DEVIATION,
                        detail + " — deviation (convention: " + c.convention() + ")", List.copyOf(notes));
            }
            return CaseResult.fail(c.id(), p, detail, notes);
        }
    }

    private static CaseResult onException(AcceptCase c, Precision p, String expect, int errorAt, int i,
            JsonNode s, RuntimeException e) {
        String where = "statement " + i + " (" + Interpreter.describe(s) + ")";
        List<String> notes = new ArrayList<>();
        notes.add("raised at " + where + ": " + brief(e));
        String unclear = clearError(s, e);
        switch (expect) {
            case "error" -> {
                if (i != errorAt) {
                    notes.addAll(trace(e));
                    return CaseResult.fail(c.id(), p, where + " threw " + brief(e) + ", but the error was expected "
                            + "at statement " + errorAt, notes);
                }
                if (unclear != null) {
                    return CaseResult.fail(c.id(), p, "raised at " + where + ", but " + unclear + ": " + brief(e),
                            notes);
                }
                return CaseResult.pass(c.id(), p, notes);
            }
            case "either" -> {
                if (unclear != null) {
                    return CaseResult.fail(c.id(), p, "raised at " + where + ", but " + unclear + ": " + brief(e),
                            notes);
                }
                return CaseResult.pass(c.id(), p, notes);
            }
            default -> {
                notes.addAll(trace(e));
                return CaseResult.fail(c.id(), p, where + " threw " + brief(e), notes);
            }
        }
    }

    /**
     * Why an exception is not a clear error for the statement, or null if it is: it must be one
     * of the engine's argument/state exceptions (not an NPE, a class cast, an unsupported op of
     * the runner, ...), and its message must name the operation: the op (e.g. {@code matmul},
     * {@code cross_entropy}, or an alias such as {@code binary_cross_entropy_with_logits}) or,
     * for a backward statement, {@code backward}.
     */
    static String clearError(JsonNode s, RuntimeException e) {
        if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof IndexOutOfBoundsException || e instanceof ArithmeticException)
                || e instanceof UnsupportedOperationException) {
            return "the exception type " + e.getClass().getName() + " is not an argument/state error";
        }
        String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        List<String> names = opNames(s);
        for (String n : names) {
            if (msg.contains(n)) {
                return null;
            }
        }
        return "the message does not name the operation (" + String.join(" / ", names) + ")";
    }

    /** The words an error message about this statement may use to name it. */
    static List<String> opNames(JsonNode s) {
        List<String> names = new ArrayList<>();
        String op = s.has("op") ? s.get("op").asText() : s.path("stmt").asText();
        names.add(op);
        if (op.endsWith("_loss")) {
            names.add(op.substring(0, op.length() - "_loss".length()));
        }
        if (op.contains("_") && !op.endsWith("_")) {
            names.add(op.replace("_", ""));
        }
        switch (op) {
            case "bce_with_logits" -> names.add("binary_cross_entropy_with_logits");
            case "cross_entropy" -> names.add("crossentropy");
            case "nll_loss" -> names.add("nll");
            case "log_softmax" -> names.add("logsoftmax");
            default -> { }
        }
        return names;
    }

    private static String brief(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static List<String> trace(Throwable e) {
        List<String> t = new ArrayList<>();
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            t.add("  at " + st[i]);
        }
        return t;
    }
}
