package dev.mos.health;

/** The verdict: healthy, warning (close to a limit) or critical (over one). */
public enum HealthStatus {
    HEALTHY("healthy"),
    WARNING("warning"),
    CRITICAL("critical");

    private final String wireName;

    HealthStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
