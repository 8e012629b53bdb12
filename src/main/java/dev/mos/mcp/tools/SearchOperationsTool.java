package dev.mos.mcp.tools;

import dev.mos.mcp.InvalidArgumentException;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.model.OperationKind;
import dev.mos.model.OperationStatus;
import dev.mos.query.OperationSearch;
import dev.mos.query.SearchRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** search_operations: operations of every session whose prompt, tool input, output or error holds the words. */
public final class SearchOperationsTool implements McpTool {

    private final OperationSearch search;

    public SearchOperationsTool(OperationSearch search) {
        this.search = search;
    }

    @Override
    public String name() {
        return "search_operations";
    }

    @Override
    public String description() {
        return "Search every session for operations whose captured text (prompt, tool input such as a Bash command "
                + "or file path, output, error) holds all the words of query (a word's beginning matches). Filter "
                + "by kind, tool, status, model, subagent (main, or a subagent's type or description), min_cost_usd, "
                + "project, sender, agent (claude-code, codex, gemini-cli, …) and start time (since/until, ISO-8601). "
                + "Each hit "
                + "names its session_id and operation_id (open it with get_activity_tree operation_id), newest "
                + "first.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "required": ["query"], "properties": {
                  "query": {"type": "string", "minLength": 1, "description": "words that must all appear, e.g. 'make test' or 'permission denied'"},
                  "kind": {"type": "string", "enum": %s},
                  "tool": {"type": "string", "description": "tool name, e.g. Bash (case-insensitive exact match)"},
                  "status": {"type": "string", "enum": %s},
                  "model": {"type": "string", "description": "model calls of this model (part of its name)"},
                  "subagent": {"type": "string", "description": "'main' for the session's own agent, else a subagent's type (e.g. Explore) or part of its description"},
                  "agent": {"type": "string", "description": "sessions of this coding agent: claude-code, codex, gemini-cli, or an OpenTelemetry source's service.name"},
                  "min_cost_usd": {"type": "number", "minimum": 0, "description": "operations that cost at least this (a prompt or subagent: its model calls)"},
                  "project": {"type": "string"}, "sender": {"type": "string"},
                  "since": {"type": "string", "description": "ISO-8601 instant"},
                  "until": {"type": "string", "description": "ISO-8601 instant"},
                  "limit": {"type": "integer", "minimum": 1, "maximum": %d, "default": 20}}}
                """.formatted(json(OperationKind.wireNames()), json(OperationStatus.wireNames()),
                SearchRequest.MAX_LIMIT);
    }

    private static String json(List<String> names) {
        return names.stream().map(n -> "\"" + n + "\"").toList().toString();
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "required": ["query", "hits"], "properties": {
                  "query": {"type": "string"}, "took_ms": {"type": "integer"},
                  "more": {"type": "boolean", "description": "older matches may exist beyond these hits"},
                  "hits": {"type": "array", "items": {"type": "object", "required": ["session_id", "operation_id"],
                    "properties": {"session_id": {"type": "string"}, "operation_id": {"type": "string"},
                      "title": {"type": "string"}, "match": {"type": "string"}}}}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("query", "kind", "tool", "status", "model", "subagent", "min_cost_usd", "project", "sender",
                "agent", "since", "until", "limit");
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        String query = args.string("query", null);
        if (query == null || query.isBlank()) {
            throw new InvalidArgumentException("query: give the words to search for (all must appear)");
        }
        String kind = args.choice("kind", null, OperationKind.wireNames());
        String status = args.choice("status", null, OperationStatus.wireNames());
        Map<String, Object> out = search.search(new SearchRequest(query,
                kind == null ? null : OperationKind.fromWire(kind).orElseThrow(), args.string("tool", null),
                status == null ? null : OperationStatus.fromWire(status).orElseThrow(), args.string("model", null),
                args.string("subagent", null), args.optionalAmount("min_cost_usd"), args.string("project", null),
                args.string("sender", null), args.string("agent", null), time(args, "since"), time(args, "until"),
                (int) args.integer("limit", 20, 1, SearchRequest.MAX_LIMIT)));
        StringBuilder text = new StringBuilder();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hits = (List<Map<String, Object>>) out.get("hits");
        text.append(hits.size()).append(hits.size() == 1 ? " hit" : " hits").append(" for \"").append(query)
                .append("\"\n");
        for (Map<String, Object> h : hits) {
            text.append("- ").append(h.get("title")).append(" [").append(h.get("status")).append("] in ")
                    .append(h.get("session_title") != null ? h.get("session_title") : h.get("session_id"))
                    .append(" (session_id ").append(h.get("session_id")).append(", operation_id ")
                    .append(h.get("operation_id")).append("): ").append(h.get("match")).append('\n');
        }
        return ToolResult.ok(text.toString(), out);
    }

    private static Long time(ToolArguments args, String name) {
        String v = args.string(name, null);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException(name + " must be an ISO-8601 instant such as 2026-01-01T12:00:00Z, got '"
                    + v + "'");
        }
    }
}
