package dev.mos.mcp.tools;

/** Schema fragments several tools share. */
final class Schemas {

    static final String SESSION_ID = """
            "session_id": {"type": "string", "description": "Session id, or \\"latest\\" (the default) for the most recently active session"}""";

    /** Tokens and cost; null when the session reported none. */
    static final String USAGE = """
            {"type": ["object", "null"], "description": "Tokens and cost (USD) of the session's model calls, in total, per model and per agent (main or subagent operation id); null when none were reported",
             "properties": {
              "input_tokens": {"type": "integer"}, "output_tokens": {"type": "integer"},
              "cache_read_tokens": {"type": "integer"}, "cache_creation_tokens": {"type": "integer"},
              "cost_usd": {"type": "number"}, "source": {"type": "string", "enum": ["llm_operations", "otel_metrics"]},
              "llm_calls": {"type": "integer"},
              "by_model": {"type": "object", "additionalProperties": {"type": "object"}},
              "by_subagent": {"type": "object", "additionalProperties": {"type": "object"}}}}""";

    static final String SESSION_SUMMARY = """
            {"type": "object", "properties": {
              "session_id": {"type": "string"}, "status": {"type": "string", "enum": ["active", "completed", "failed"]},
              "project": {"type": ["string", "null"], "description": "details.project or Claude Code's cwd, from the first event naming one"},
              "sender": {"type": ["string", "null"], "description": "name of the token the session's first token-sent event came with"},
              "agent": {"type": ["string", "null"], "description": "the coding agent (claude-code, codex, gemini-cli, or an OpenTelemetry source's service.name), from the first event naming one"},
              "usage": %s,
              "created": {"type": "string"}, "last_activity": {"type": "string"},
              "event_count": {"type": "integer"}, "dropped_events": {"type": "integer"},
              "last_sequence": {"type": "integer"}, "metrics": {"type": "object"},
              "active_operations": {"type": "array"}, "display_settings": {"type": "object"}},
             "required": ["session_id", "status", "metrics"]}""".formatted(USAGE);

    private Schemas() {
    }
}
