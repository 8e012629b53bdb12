package dev.mos.mcp.tools;

/** Schema fragments several tools share. */
final class Schemas {

    static final String SESSION_ID = """
            "session_id": {"type": "string", "description": "Session id, or \\"latest\\" (the default) for the most recently active session"}""";

    static final String SESSION_SUMMARY = """
            {"type": "object", "properties": {
              "session_id": {"type": "string"}, "status": {"type": "string", "enum": ["active", "completed", "failed"]},
              "created": {"type": "string"}, "last_activity": {"type": "string"},
              "event_count": {"type": "integer"}, "dropped_events": {"type": "integer"},
              "last_sequence": {"type": "integer"}, "metrics": {"type": "object"},
              "active_operations": {"type": "array"}, "display_settings": {"type": "object"}},
             "required": ["session_id", "status", "metrics"]}""";

    private Schemas() {
    }
}
