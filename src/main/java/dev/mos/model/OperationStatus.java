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

    public String symbol() {
        return symbol;
    }
}
