package dev.mos.query;

import dev.mos.model.OperationKind;
import dev.mos.model.OperationStatus;

/**
 * A search across sessions: words that must all appear in what an operation captured (prompt, tool input,
 * output, error), narrowed by the operation's kind, tool name, status and model, the subagent it ran in ({@link
 * #MAIN_AGENT} or a subagent's type or part of its description), its cost (its own, or its model calls' for a
 * prompt or subagent) from {@code minCostUsd}, the session's project, sender and coding agent, and when the
 * operation started. Null filters do not narrow.
 */
public record SearchRequest(String text, OperationKind kind, String tool, OperationStatus status, String model,
        String subagent, Double minCostUsd, String project, String sender, String agent, Long sinceMs,
        Long untilMs, int limit) {

    /** The subagent filter naming the session's own agent: operations outside every subagent. */
    public static final String MAIN_AGENT = "main";

    public static final int MAX_LIMIT = 200;

    public SearchRequest {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("q: give the words to search for (all must appear)");
        }
        if (minCostUsd != null && !(minCostUsd >= 0 && Double.isFinite(minCostUsd))) {
            throw new IllegalArgumentException("min_cost_usd: give a cost in US dollars of 0 or more, e.g. 0.05");
        }
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
    }
}
