package dev.mos.mcp.tools;

import dev.mos.ingest.EventLimits;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import dev.mos.ingest.hooks.HookEventMapper;
import dev.mos.ingest.hooks.HookReceiver;
import dev.mos.mcp.InvalidArgumentException;
import dev.mos.mcp.McpTool;
import dev.mos.mcp.ProgressSink;
import dev.mos.mcp.ToolArguments;
import dev.mos.mcp.ToolResult;
import dev.mos.model.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** log_event: stores one event (or a batch, each judged on its own) and returns its id and sequence. */
public final class LogEventTool implements McpTool {

    private final IngestPipeline ingest;
    private final HookReceiver hooks;
    private final String transport;

    /**
     * The answer is a future completed by the store's commit, so concurrent calls share one group commit and no
     * thread waits for it (see {@link #callAsync}).
     */
    public LogEventTool(IngestPipeline ingest, HookReceiver hooks, String transport) {
        this.ingest = ingest;
        this.hooks = hooks;
        this.transport = transport;
    }

    @Override
    public String name() {
        return "log_event";
    }

    @Override
    public String description() {
        return "Record an activity event (task, tool call, MCP call or subagent) in a session. Start and end "
                + "events with the same correlation_id become one operation; parent_id (a returned event id or a "
                + "correlation_id) nests it. Returns the event's id and per-session sequence. Pass `events` "
                + "(up to " + EventLimits.MAX_BATCH + ") to record a batch; each is accepted or refused on its own. A raw "
                + "Claude Code hook payload (an object with hook_event_name, e.g. from an mcp_tool hook) is accepted "
                + "as `event` too and mapped like POST /hooks.";
    }

    @Override
    public String inputSchema() {
        return """
                {"type": "object", "properties": {
                  "event": {"anyOf": [{"$ref": "#/$defs/event"}, {"$ref": "#/$defs/hook"}]},
                  "events": {"type": "array", "items": {"$ref": "#/$defs/event"}, "maxItems": %d}},
                 "$defs": {"hook": {"type": "object", "required": ["session_id", "hook_event_name"],
   "description": "A raw Claude Code hook payload, mapped like POST /hooks"},
  "event": {"type": "object", "required": ["session_id", "event_type"], "properties": {
                   "session_id": {"type": "string"},
                   "event_type": {"type": "string", "enum": ["task_started", "task_progress", "task_complete",
                     "task_failed", "tool_pre_call", "tool_post_call", "tool_error", "mcp_request", "mcp_response",
                     "mcp_error", "subagent_spawn", "subagent_complete", "subagent_failed", "llm_request", "llm_response",
                     "llm_error"]},
                   "status": {"type": "string", "enum": ["started", "running", "success", "error", "timeout"]},
                   "timestamp": {"type": ["string", "number"], "description": "ISO-8601 or epoch ms; default now"},
                   "duration_ms": {"type": "number", "minimum": 0},
                   "parent_id": {"type": "string", "description": "Event id returned by log_event, or a correlation_id"},
                   "correlation_id": {"type": "string", "description": "Shared by the start and end events of one operation"},
                   "details": {"type": "object", "properties": {"name": {"type": "string"},
                     "description": {"type": "string"}}},
                   "display_info": {"type": "object", "properties": {"name": {"type": "string"},
                     "description": {"type": "string"}, "icon": {"type": "string"}, "color": {"type": "string"}}}}}}}
                """.formatted(EventLimits.MAX_BATCH);
    }

    @Override
    public String outputSchema() {
        return """
                {"type": "object", "properties": {
                  "id": {"type": "string"}, "sequence": {"type": "integer"}, "session_id": {"type": "string"},
                  "truncated": {"type": "array", "items": {"type": "string"}},
                  "accepted": {"type": "integer"}, "rejected": {"type": "integer"},
                  "results": {"type": "array", "items": {"type": "object"}}}}
                """;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("event", "events");
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public ToolResult call(ToolArguments args, ProgressSink progress) {
        try {
            return callAsync(args, progress).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Bad input is refused at once (thrown); otherwise the answer completes when the store has committed the
     * event(s), and fails with the store's error if nothing was stored.
     */
    @Override
    public CompletableFuture<ToolResult> callAsync(ToolArguments args, ProgressSink progress) {
        boolean single = args.has("event");
        boolean batch = args.has("events");
        if (single == batch) {
            throw new InvalidArgumentException("pass exactly one of event (an object) or events (an array)");
        }
        if (single && HookEventMapper.isHookPayload(args.raw("event"))) {
            Map<?, ?> payload = (Map<?, ?>) args.raw("event");
            // The hook receiver waits for its commit: that wait happens on a thread that may block.
            return Mono.fromCallable(() -> hookPayload(payload, args.actor().sender()))
                    .subscribeOn(Schedulers.boundedElastic())
                    .toFuture();
        }
        if (single) {
            return ingest.acceptRawAsync(args.raw("event"), transport, args.actor().sender())
                    .thenApply(this::single);
        }
        List<?> events = args.list("events");
        if (events.stream().anyMatch(HookEventMapper::isHookPayload)) {
            throw new InvalidArgumentException("events holds a hook payload; send hook payloads one at a time as "
                    + "event");
        }
        if (events.size() > EventLimits.MAX_BATCH) {
            throw new InvalidArgumentException("events holds " + events.size() + " items; at most "
                    + EventLimits.MAX_BATCH + " per call");
        }
        return ingest.acceptBatchAsync(events, transport, args.actor().sender()).thenApply(this::batch);
    }

    private ToolResult single(IngestResult result) {
        Event e = result.event();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.externalId());
        out.put("sequence", e.sequence());
        out.put("session_id", e.sessionId());
        out.put("truncated", result.truncations());
        String text = "Logged " + e.type().wireName() + " as " + e.externalId() + " (sequence " + e.sequence()
                + " in session " + e.sessionId() + ")"
                + (result.truncations().isEmpty() ? "" : "; " + String.join("; ", result.truncations()));
        return ToolResult.ok(text, out);
    }

    private ToolResult batch(List<IngestResult> results) {
        List<Map<String, Object>> items = new ArrayList<>(results.size());
        int accepted = 0;
        for (IngestResult r : results) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", r.index());
            if (r.accepted()) {
                accepted++;
                item.put("id", r.event().externalId());
                item.put("sequence", r.event().sequence());
                item.put("session_id", r.event().sessionId());
                if (!r.truncations().isEmpty()) {
                    item.put("truncated", r.truncations());
                }
            } else {
                item.put("error", r.error());
                item.put("field", r.field());
            }
            items.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", accepted);
        out.put("rejected", results.size() - accepted);
        out.put("results", items);
        StringBuilder text = new StringBuilder("Logged " + accepted + " of " + results.size() + " events");
        results.stream().filter(r -> !r.accepted()).forEach(r ->
                text.append("; event ").append(r.index()).append(" refused: ").append(r.error()));
        return ToolResult.ok(text.toString(), out);
    }

    private ToolResult hookPayload(Map<?, ?> payload, String sender) {
        List<IngestResult> results = hooks.accept(payload, transport, sender);
        List<String> ids = results.stream().filter(IngestResult::accepted).map(r -> r.event().externalId()).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", ids.isEmpty() ? null : ids.getFirst());
        out.put("sequence", results.isEmpty() ? null : results.getFirst().event().sequence());
        out.put("session_id", String.valueOf(payload.get("session_id")));
        out.put("accepted", ids.size());
        return ToolResult.ok("Recorded hook " + payload.get("hook_event_name") + " as " + String.join(", ", ids), out);
    }
}
