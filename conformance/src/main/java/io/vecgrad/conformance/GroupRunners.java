package io.vecgrad.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@link GroupRunner} runs which case group: the single registration point. Unknown groups
 * are skipped with the reason {@code no runner for group '...'}.
 */
public final class GroupRunners {
    private final Map<String, GroupRunner> byGroup = new LinkedHashMap<>();

    /** An empty registry. */
    public GroupRunners() {}

    /**
     * The runners of {@code ./vecgrad accept}: programs ({@code seeds, ops, losses, errors}) are
     * interpreted; {@code optim} trajectories run through {@link OptimGroupRunner}; {@code train} (a whole
     * training run on the bundled digits) through {@link TrainGroupRunner}.
     */
    public static GroupRunners standard() {
        return new GroupRunners()
                .register(new ProgramGroupRunner())
                .register(new OptimGroupRunner())
                .register(new TrainGroupRunner());
    }

    /** Registers a runner for each of its groups (replacing earlier ones). Returns this. */
    public GroupRunners register(GroupRunner runner) {
        for (String g : runner.groups()) {
            byGroup.put(g, runner);
        }
        return this;
    }

    /** The runner for a group, or a skipping one when none is registered. */
    public GroupRunner forGroup(String group) {
        GroupRunner r = byGroup.get(group);
        return r != null ? r : new SkippedGroupRunner(Set.of(group), "no runner for group '" + group + "'");
    }

    /** The registered groups. */
    public List<String> groups() {
        return List.copyOf(byGroup.keySet());
    }
}
