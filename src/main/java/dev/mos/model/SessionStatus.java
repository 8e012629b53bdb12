package dev.mos.model;

/** The state of a session as a whole, derived from its tree. */
public enum SessionStatus {
    ACTIVE("active"),
    COMPLETED("completed"),
    FAILED("failed");

    private final String wireName;

    SessionStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Failed when the last finished top-level task failed, completed when top-level tasks exist and nothing is
     * running any more, active otherwise.
     */
    public static SessionStatus of(ActivityTree tree) {
        if (tree.runningCount() > 0) {
            return ACTIVE;
        }
        OperationNode lastTask = null;
        for (OperationNode root : tree.roots()) {
            if (root.kind() == OperationKind.TASK
                    && (lastTask == null || root.endMs() != null && root.endMs() >= lastTask.endMs())) {
                lastTask = root;
            }
        }
        if (lastTask == null) {
            return ACTIVE;
        }
        return lastTask.status() == OperationStatus.SUCCESS ? COMPLETED : FAILED;
    }

    public static java.util.Optional<SessionStatus> fromWire(String name) {
        for (SessionStatus s : values()) {
            if (s.wireName.equals(name)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
