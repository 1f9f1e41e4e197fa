package io.vecgrad.conformance;

import java.util.Set;

/** Reports every case of its groups as skipped, with a reason (a placeholder runner). */
public record SkippedGroupRunner(Set<String> groups, String reason) implements GroupRunner {

    @Override
    public CaseResult run(AcceptCase c, Precision precision) {
        return CaseResult.skip(c.id(), precision, reason);
    }
}
