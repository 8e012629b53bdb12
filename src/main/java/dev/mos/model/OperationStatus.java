package dev.mos.model;

/** The state of an operation (span): running until its end event arrives. */
public enum OperationStatus {
    RUNNING("running", "🔄"),
    SUCCESS("success", "✅"),
    ERROR("error", "❌"),
    TIMEOUT("timeout", "⏱️");

    private final String wireName;
    private final String symbol;

    OperationStatus(String wireName, String symbol) {
        this.wireName = wireName;
        this.symbol = symbol;
    }

    public String wireName() {
        return wireName;
    }

    /** The one whose wire name is {@code text}, empty for any other text. */
    public static java.util.Optional<OperationStatus> fromWire(String text) {
        return java.util.Arrays.stream(values()).filter(v -> v.wireName.equals(text)).findFirst();
    }

    public static java.util.List<String> wireNames() {
        return java.util.Arrays.stream(values()).map(v -> v.wireName).toList();
    }

    public String symbol() {
        return symbol;
    }
}
