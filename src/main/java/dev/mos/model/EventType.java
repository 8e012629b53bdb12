package dev.mos.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The event types a client may report. Each one opens, advances or closes an operation of one kind; the role
 * decides how start and end events are paired into one span.
 */
public enum EventType {
    TASK_STARTED("task_started", OperationKind.TASK, Role.START),
    TASK_PROGRESS("task_progress", OperationKind.TASK, Role.PROGRESS),
    TASK_COMPLETE("task_complete", OperationKind.TASK, Role.END),
    TASK_FAILED("task_failed", OperationKind.TASK, Role.FAIL),
    TOOL_PRE_CALL("tool_pre_call", OperationKind.TOOL, Role.START),
    TOOL_POST_CALL("tool_post_call", OperationKind.TOOL, Role.END),
    TOOL_ERROR("tool_error", OperationKind.TOOL, Role.FAIL),
    MCP_REQUEST("mcp_request", OperationKind.MCP, Role.START),
    MCP_RESPONSE("mcp_response", OperationKind.MCP, Role.END),
    MCP_ERROR("mcp_error", OperationKind.MCP, Role.FAIL),
    SUBAGENT_SPAWN("subagent_spawn", OperationKind.SUBAGENT, Role.START),
    SUBAGENT_COMPLETE("subagent_complete", OperationKind.SUBAGENT, Role.END),
    SUBAGENT_FAILED("subagent_failed", OperationKind.SUBAGENT, Role.FAIL),
    LLM_REQUEST("llm_request", OperationKind.LLM, Role.START),
    LLM_RESPONSE("llm_response", OperationKind.LLM, Role.END),
    LLM_ERROR("llm_error", OperationKind.LLM, Role.FAIL);

    /** How an event of this type takes part in its operation. */
    public enum Role { START, PROGRESS, END, FAIL }

    private static final List<String> WIRE_NAMES = Arrays.stream(values()).map(EventType::wireName).toList();

    private final String wireName;
    private final OperationKind kind;
    private final Role role;

    EventType(String wireName, OperationKind kind, Role role) {
        this.wireName = wireName;
        this.kind = kind;
        this.role = role;
    }

    public String wireName() {
        return wireName;
    }

    public OperationKind kind() {
        return kind;
    }

    public Role role() {
        return role;
    }

    public boolean closes() {
        return role == Role.END || role == Role.FAIL;
    }

    public static Optional<EventType> fromWire(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    public static List<String> wireNames() {
        return WIRE_NAMES;
    }
}
