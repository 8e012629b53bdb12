package dev.mos.query;

import dev.mos.model.OperationKind;
import dev.mos.model.OperationStatus;

/**
 * A search across sessions: words that must all appear in what an operation captured (prompt, tool input,
 * output, error), narrowed by the operation's kind, tool name, status and model, the session's project and
 * sender, and when the operation started. Null filters do not narrow.
 */
public record SearchRequest(String text, OperationKind kind, String tool, OperationStatus status, String model,
        String project, String sender, Long sinceMs, Long untilMs, int limit) {

    public static final int MAX_LIMIT = 200;

    public SearchRequest {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("q: give the words to search for (all must appear)");
        }
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
    }
}
