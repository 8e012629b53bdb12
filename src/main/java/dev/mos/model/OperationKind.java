package dev.mos.model;

/** What kind of work an operation is; decides icons, metrics and analytics. */
public enum OperationKind {
    TASK("task", "📋"),
    TOOL("tool", "🔧"),
    MCP("mcp", "🔌"),
    SUBAGENT("subagent", "🤖"),
    /** A model API call (Claude Code's api_request): model, tokens and cost in its details. */
    LLM("llm", "🧠");

    private final String wireName;
    private final String icon;

    OperationKind(String wireName, String icon) {
        this.wireName = wireName;
        this.icon = icon;
    }

    public String wireName() {
        return wireName;
    }

    /** The one whose wire name is {@code text}, empty for any other text. */
    public static java.util.Optional<OperationKind> fromWire(String text) {
        return java.util.Arrays.stream(values()).filter(v -> v.wireName.equals(text)).findFirst();
    }

    public static java.util.List<String> wireNames() {
        return java.util.Arrays.stream(values()).map(v -> v.wireName).toList();
    }

    public String icon() {
        return icon;
    }
}
