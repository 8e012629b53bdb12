package dev.mos.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a session's model calls used, in total, per model and per agent ({@link #MAIN_AGENT} for the top level,
 * else the subagent operation's id). {@code source} says where the figures come from: {@code llm_operations}
 * (one per API request) or {@code otel_metrics} (Claude Code's cost and token counters, when no request was seen).
 * {@code costEstimated}: some call's cost was estimated from its tokens (it reported none; see dev.mos.pricing).
 */
public record SessionUsage(String source, int llmCalls, TokenUsage total, Map<String, TokenUsage> byModel,
        Map<String, AgentUsage> bySubagent, boolean costEstimated) {

    public static final String MAIN_AGENT = "main";
    public static final String FROM_LLM_OPERATIONS = "llm_operations";
    public static final String FROM_OTEL_METRICS = "otel_metrics";

    /** The usage of one agent: its name (the subagent type, or "main") and its figures. */
    public record AgentUsage(String name, TokenUsage usage) {
    }

    public SessionUsage {
        // insertion order kept: models sorted by name, agents in the order the tree first shows them
        byModel = Collections.unmodifiableMap(new LinkedHashMap<>(byModel));
        bySubagent = Collections.unmodifiableMap(new LinkedHashMap<>(bySubagent));
    }
}
