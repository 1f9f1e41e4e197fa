package io.vecgrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One case of a case file, as parsed JSON, with the group of the file it came from.
 *
 * @param id the case's unique id, {@code "<group>/<name>"}
 * @param group the file's {@code group} ({@code seeds}, {@code ops}, {@code optim}, ...)
 * @param json the case object (inputs, program, expected, tol, ...)
 * @param source where it was read from (a path or {@code bundled:<file>}), for messages
 */
public record AcceptCase(String id, String group, JsonNode json, String source) {

    /** The case's {@code convention} field (a tie/subgradient rule it pins), or null. */
    public String convention() {
        JsonNode c = json.get("convention");
        return c == null || c.isNull() ? null : c.asText();
    }

    /** The case's {@code title} (or its {@code why} for error cases), or "". */
    public String title() {
        JsonNode t = json.has("title") ? json.get("title") : json.get("why");
        return t == null ? "" : t.asText();
    }

    /** The tolerance for a precision: the case's {@code tol} entry, else the README default. */
    public Tolerance tolerance(Precision p) {
        JsonNode t = json.path("tol").path(p.key());
        Tolerance d = p == Precision.F32 ? Tolerance.DEFAULT_F32 : Tolerance.DEFAULT_F64;
        if (t.isMissingNode()) {
            return d;
        }
        return new Tolerance(t.path("rtol").asDouble(d.rtol()), t.path("atol").asDouble(d.atol()));
    }
}
