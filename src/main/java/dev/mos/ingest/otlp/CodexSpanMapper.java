package dev.mos.ingest.otlp;

import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one thing MOS takes from OpenAI Codex's trace spans: the end of a turn. Codex's logs have no turn-end event;
 * its {@code session_task.turn} span ends when the turn does, in the same trace as the turn's
 * {@code codex.user_prompt} log record, so it closes the task {@link CodexOtelMapper} opened ({@code prompt:<trace
 * id>}) with the turn's duration and token totals. Its conversation is on its parent, {@code codex.turn_input},
 * which ends first and may come in an earlier export request (remembered in {@link CodexThreads}), or, rarely, a
 * later one (the turn then waits for it).
 * The {@code cwd} its {@code run_sampling_request} spans name goes on that event too (the session's project). The
 * other spans (well over a thousand per turn: file reads, rollout writes, ...) describe Codex's internals and are
 * left alone. A subagent's turn is not a task: its spawn_agent operation ends when wait_agent reports it.
 */
public final class CodexSpanMapper {

    static final String TURN = "session_task.turn";
    private static final String TURN_INPUT = "codex.turn_input";
    private static final String USAGE = "codex.turn.token_usage.";

    private final OtlpEvents events;
    private final CodexThreads threads;

    public CodexSpanMapper(OtlpEvents events, CodexThreads threads) {
        this.events = events;
        this.threads = threads;
    }

    /** Task ends for the Codex turns among {@code spans}; empty when there are none. */
    public List<NewEvent> map(List<OtlpSpan> spans) {
        List<OtlpSpan> turns = new ArrayList<>();
        for (OtlpSpan s : spans) {
            String cwd = OtlpAttributes.text(s.attributes().get("cwd"));
            if (cwd != null && !cwd.isBlank() && s.traceId() != null) {
                // the turn's working directory: on its model requests' spans (the logs name none)
                threads.cwd(s.traceId(), cwd);
            }
            if (s.name().equals(TURN)) {
                turns.add(s);
            } else if (s.name().equals(TURN_INPUT) && s.spanId() != null) {
                String c = OtlpAttributes.text(s.attributes().get("conversation.id"));
                if (c != null) {
                    // the exporter batches by time: the turn may have come in an earlier request than this
                    OtlpSpan waiting = threads.turnInput(s.spanId(), c);
                    if (waiting != null) {
                        turns.add(waiting);
                    }
                }
            }
        }
        List<NewEvent> out = new ArrayList<>(turns.size());
        for (OtlpSpan turn : turns) {
            if (turn.traceId() == null) {
                continue;
            }
            String conversation = OtlpAttributes.text(turn.attributes().get("conversation.id"));
            if (conversation == null && turn.parentSpanId() != null) {
                // codex.turn_input ends before the turn: usually in this request, often in an earlier one
                conversation = threads.conversationOfTurnInputOrAwait(turn.parentSpanId(), turn);
                if (conversation == null) {
                    continue;
                }
            }
            if (conversation == null) {
                continue;
            }
            Map<String, Object> d = details(turn);
            String cwd = threads.cwdOf(turn.traceId());
            if (cwd != null) {
                d.put("cwd", cwd); // the session's project, as Claude Code's cwd is
            }
            CodexThreads.Thread t = threads.knownOrKeepTurnEnd(conversation, turn.traceId(),
                    new CodexThreads.TurnEnd(turn.endMs(), turn.durationMs(), d));
            if (t == null) {
                continue; // the turn's logs have not come yet (exporters flush independently): its prompt closes it
            }
            if (t.parentOperation != null) {
                continue;
            }
            String task;
            synchronized (threads) {
                task = t.taskByTrace.getOrDefault(turn.traceId(), "prompt:" + turn.traceId());
                t.closedTasks.add(task);
            }
            out.add(events.event(t.session, EventType.TASK_COMPLETE, null, turn.endMs(), turn.durationMs(), null,
                    task, null, d));
        }
        return out;
    }

    private static Map<String, Object> details(OtlpSpan turn) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", "otel_trace");
        d.put("agent", "codex");
        d.put("closed_by", TURN);
        Object turnId = turn.attributes().get("turn.id");
        if (turnId != null) {
            d.put("turn_id", OtlpAttributes.text(turnId));
        }
        turn.attributes().forEach((k, v) -> {
            if (k.startsWith(USAGE)) {
                Long n = OtlpAttributes.number(v);
                if (n != null) {
                    d.put("turn_" + k.substring(USAGE.length()), n);
                }
            }
        });
        return d;
    }
}
