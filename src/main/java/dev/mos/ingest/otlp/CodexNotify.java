package dev.mos.ingest.otlp;

import dev.mos.ingest.hooks.ForeignHookPayloads;
import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI Codex's {@code notify}: at the end of every turn Codex runs the configured program with a JSON argument
 * ({@code "type": "agent-turn-complete"}, {@code thread-id}, {@code turn-id}, {@code cwd}, the prompt and the last
 * answer); {@code mos setup codex} makes that program {@code mos hook}, which posts it to {@code /hooks}. It closes
 * the conversation's open task, at its last activity. The turn's {@code session_task.turn} span says the same, but
 * {@code codex exec} exits right after the turn and at times before that span is exported (seen in AllAgentsIT:
 * the export at exit lacked the turn's spans and the task stayed running). Only the turn id and the working
 * directory are kept: the prompt and answer texts are what Codex leaves out of its telemetry unless told.
 */
final class CodexNotify implements ForeignHookPayloads {

    static final String TURN_COMPLETE = "agent-turn-complete";

    private final OtlpEvents events;
    private final CodexThreads threads;
    private final Clock clock;

    CodexNotify(OtlpEvents events, CodexThreads threads, Clock clock) {
        this.events = events;
        this.threads = threads;
        this.clock = clock;
    }

    /** Codex's notify payloads: a {@code type} and a {@code thread-id}, no {@code hook_event_name}. */
    static boolean handles(Map<?, ?> payload) {
        return payload.get("hook_event_name") == null && payload.get("type") instanceof String
                && payload.get("thread-id") instanceof String thread && !thread.isBlank();
    }

    @Override
    public List<NewEvent> map(Map<?, ?> payload) {
        if (!handles(payload)) {
            return null;
        }
        if (!TURN_COMPLETE.equals(payload.get("type"))) {
            return List.of(); // another notice (a later Codex may add some): nothing in the tree ends
        }
        Map<String, Object> d = details(payload);
        CodexThreads.NotifiedEnd end = threads.notifiedTurnEnd((String) payload.get("thread-id"),
                new CodexThreads.TurnEnd(clock.millis(), null, d));
        if (end == null) {
            return List.of();
        }
        return List.of(events.event(end.session(), EventType.TASK_COMPLETE, null, end.atMs(), null, null,
                end.task(), null, d));
    }

    private static Map<String, Object> details(Map<?, ?> payload) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", "notify");
        d.put("agent", "codex");
        d.put("closed_by", "notify");
        if (payload.get("turn-id") instanceof String turn) {
            d.put("turn_id", turn);
        }
        if (payload.get("cwd") instanceof String cwd && !cwd.isBlank()) {
            d.put("cwd", cwd); // the session's project, as the turn span's cwd is
        }
        return d;
    }
}
