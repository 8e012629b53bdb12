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

    public String icon() {
        return icon;
    }
}
