package dev.mos.ingest.transcript.gemini;

import dev.mos.ingest.transcript.TranscriptMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts an imported Gemini CLI session onto what the live OpenTelemetry channel already stored of it, by content,
 * because the files cannot give the live ids: those are built from the prompt id (not in the files), the tool, its
 * log time and its arguments. An imported operation takes the id of the live operation that is the same work: same
 * kind, same parent (after matching the parents), same name (the tool, the model; a task's first prompt line unless
 * the live one is the anonymous {@code Prompt}), same arguments when both know them, and the nearest time within
 * {@link #TOLERANCE_MS} (the file and the log record the same moment a few milliseconds apart; a streamed answer may
 * be logged when it ends). Each live operation is taken once, in time order. Matched, its start and end are already
 * stored and {@code EventIdentity} drops them; what the live channel did not have (a turn's end it never saw) is
 * added to the live operation. Subagents need no matching: the files name their agent id, which is the live id.
 */
public final class GeminiLiveMatch {

    static final long TOLERANCE_MS = 60_000;

    /** The events with the live ids, and how many operations were matched to live ones. */
    public record Matched(TranscriptMapper.Mapped mapped, int operations) {
    }

    /** One operation, of the live channel's stored events or of the import's. */
    private record Op(String id, String kind, String parent, String name, long start, long end, String arguments) {
    }

    private final JsonMapper json;

    public GeminiLiveMatch(JsonMapper json) {
        this.json = json;
    }

    /** {@code stored}: the session's events as the REST API gives them ({@code /api/v1/sessions/{id}/events}). */
    public Matched apply(TranscriptMapper.Mapped mapped, List<JsonNode> stored) {
        List<Op> live = new ArrayList<>();
        for (Op op : ops(stored.stream().filter(e -> "otel".equals(e.path("details").path("source").asString("")))
                .map(this::asMap).toList()).values()) {
            live.add(op);
        }
        if (live.isEmpty()) {
            return new Matched(mapped, 0);
        }
        Map<String, Op> imported = ops(mapped.events());
        List<Op> order = new ArrayList<>(imported.values());
        // parents first: tasks, then everything by time (a subagent's id is already the live one)
        order.sort(Comparator.comparing((Op o) -> !o.kind().equals("task")).thenComparingLong(Op::start));
        Map<String, String> renamed = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (Op op : order) {
            if (op.kind().equals("subagent") || op.kind().equals("other")) {
                continue;
            }
            String parent = op.parent() == null ? null : renamed.getOrDefault(op.parent(), op.parent());
            Op best = null;
            long bestGap = Long.MAX_VALUE;
            for (Op l : live) {
                if (taken.contains(l.id()) || !l.kind().equals(op.kind()) || !Objects.equals(l.parent(), parent)
                        || !sameName(op, l) || !sameArguments(op.arguments(), l.arguments())) {
                    continue;
                }
                long gap = op.kind().equals("task") ? Math.abs(l.start() - op.start()) : Math.abs(l.end() - op.end());
                if (gap <= TOLERANCE_MS && gap < bestGap) {
                    best = l;
                    bestGap = gap;
                }
            }
            if (best != null) {
                taken.add(best.id());
                renamed.put(op.id(), best.id());
            }
        }
        if (renamed.isEmpty()) {
            return new Matched(mapped, 0);
        }
        List<Map<String, Object>> events = new ArrayList<>(mapped.events().size());
        for (Map<String, Object> e : mapped.events()) {
            Map<String, Object> copy = new LinkedHashMap<>(e);
            copy.computeIfPresent("correlation_id", (k, v) -> renamed.getOrDefault((String) v, (String) v));
            copy.computeIfPresent("parent_id", (k, v) -> renamed.getOrDefault((String) v, (String) v));
            events.add(copy);
        }
        return new Matched(new TranscriptMapper.Mapped(mapped.sessionId(), List.copyOf(events),
                mapped.repeatedLines()), renamed.size());
    }

    private static boolean sameName(Op imported, Op live) {
        if (imported.kind().equals("task")) {
            return live.name() == null || live.name().equals("Prompt") || live.name().equals(imported.name());
        }
        return Objects.equals(imported.name(), live.name());
    }

    /** Equal as JSON when both sides know them; without logged prompts the live side has none. */
    private boolean sameArguments(String imported, String live) {
        if (imported == null || live == null) {
            return true;
        }
        try {
            return json.readTree(imported).equals(json.readTree(live));
        } catch (JacksonException e) {
            return imported.equals(live);
        }
    }

    /** The operations of a list of events, by correlation id. */
    @SuppressWarnings("unchecked")
    private static Map<String, Op> ops(List<Map<String, Object>> events) {
        Map<String, Op> out = new LinkedHashMap<>();
        for (Map<String, Object> e : events) {
            String id = (String) e.get("correlation_id");
            String type = String.valueOf(e.get("event_type"));
            if (id == null || type.equals("task_progress")) {
                continue;
            }
            Map<String, Object> d = e.get("details") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            long at = time(e.get("timestamp"));
            boolean start = type.equals("task_started") || type.endsWith("_request") || type.equals("tool_pre_call")
                    || type.equals("subagent_spawn");
            Op old = out.get(id);
            String parent = e.get("parent_id") instanceof String p ? p : old == null ? null : old.parent();
            String name = d.get("name") instanceof String n && (old == null || start) ? n
                    : old != null ? old.name() : null;
            String arguments = d.get("arguments") instanceof String a ? a : old == null ? null : old.arguments();
            long begin = start ? at : old != null ? old.start() : at;
            long end = !start ? at : old != null ? old.end() : at;
            out.put(id, new Op(id, kind(type, old), parent, name, begin, end, arguments));
        }
        return out;
    }

    private static long time(Object iso) {
        try {
            return java.time.Instant.parse(String.valueOf(iso)).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    private static String kind(String type, Op old) {
        if (type.startsWith("task_")) {
            return "task";
        }
        if (type.startsWith("tool_")) {
            return "tool";
        }
        if (type.startsWith("mcp_")) {
            return "mcp";
        }
        if (type.startsWith("llm_")) {
            return "llm";
        }
        if (type.startsWith("subagent_")) {
            return "subagent";
        }
        return old == null ? "other" : old.kind();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(JsonNode event) {
        return json.convertValue(event, Map.class);
    }
}
