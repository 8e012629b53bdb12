package dev.mos.ingest.otlp;

import dev.mos.model.EventType;
import dev.mos.model.NewEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The end of a Codex subagent: its {@code spawn_agent} operation stays open until {@code wait_agent} reports the
 * agent in a final state or {@code close_agent} closes it (Codex 0.171.0 logs no end of its own for a subagent).
 */
final class CodexSubagents {

    private static final Set<String> FINAL_OK = Set.of("completed", "shutdown");
    private static final Set<String> FINAL_FAILED = Set.of("errored", "not_found", "interrupted");

    private final OtlpEvents events;
    private final CodexThreads threads;

    CodexSubagents(OtlpEvents events, CodexThreads threads) {
        this.events = events;
        this.threads = threads;
    }

    /** wait_agent's output {@code {"status": {"<agent id>": state...}}}: each agent it reports final ends. */
    void waited(JsonNode output, long at, List<NewEvent> out) {
        if (output != null) {
            output.path("status").properties().forEach(e -> finishAgent(e.getKey(), stateOf(e.getValue()), at, out));
        }
    }

    /** close_agent's arguments {@code {"target": "<agent id>"}}: that agent ends, shut down. */
    void closed(JsonNode arguments, long at, List<NewEvent> out) {
        if (arguments != null && arguments.hasNonNull("target")) {
            finishAgent(arguments.path("target").asString(), "shutdown", at, out);
        }
    }

    /** A subagent reported final by wait_agent/close_agent: its spawn operation ends now. */
    private void finishAgent(String agentId, String state, long at, List<NewEvent> out) {
        boolean ok = FINAL_OK.contains(state);
        if (!ok && !FINAL_FAILED.contains(state)) {
            return; // still running
        }
        CodexThreads.Spawned s = threads.finish(agentId);
        if (s == null) {
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", "otel");
        d.put("agent", "codex");
        d.put("agent_id", agentId);
        if (s.nickname() != null) {
            d.put("agent_name", s.nickname());
        }
        d.put("agent_status", state);
        if (!ok) {
            d.put("error", "subagent " + state);
        }
        out.add(events.event(s.session(), ok ? EventType.SUBAGENT_COMPLETE : EventType.SUBAGENT_FAILED, null, at,
                Math.max(0, at - s.startMs()), null, s.operation(), "spawn_agent", d));
    }

    private static String stateOf(JsonNode value) {
        if (value.isString()) {
            return value.asString();
        }
        var names = value.propertyNames().iterator();
        return names.hasNext() ? names.next() : "";
    }
}
