package dev.mos.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The status a client reports with an event. */
public enum EventStatus {
    STARTED("started"),
    RUNNING("running"),
    SUCCESS("success"),
    ERROR("error"),
    TIMEOUT("timeout");

    private static final List<String> WIRE_NAMES = Arrays.stream(values()).map(EventStatus::wireName).toList();

    private final String wireName;

    EventStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventStatus> fromWire(String name) {
        for (EventStatus status : values()) {
            if (status.wireName.equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    public static List<String> wireNames() {
        return WIRE_NAMES;
    }
}
