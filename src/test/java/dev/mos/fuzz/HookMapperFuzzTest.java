package dev.mos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.IngestResult;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * POST /hooks without the HTTP: a body is parsed as HooksServlet parses it and handed to the real HookReceiver.
 * The contract (HookEventMapper, HookReceiver): a payload that names its session is always stored, every event it
 * maps to accepted; the only refusal is an EventRejectedException naming a missing or unusable id field, which the
 * servlet answers 400.
 * Anything else thrown would be a 500.
 */
class HookMapperFuzzTest {

    private static final IngestWorld WORLD = new IngestWorld();
    /** The fields events are keyed by: the only ones whose value may refuse a payload. */
    private static final List<String> ID_FIELDS = List.of("session_id", "hook_event_name", "prompt_id", "agent_id",
            "tool_use_id");

    @FuzzTest(maxDuration = FuzzBounds.TEST_RUN)
    @DictionaryEntries({"\"session_id\"", "\"hook_event_name\"", "\"prompt_id\"", "\"agent_id\"", "\"agent_type\"",
            "\"tool_use_id\"", "\"tool_name\"", "\"tool_input\"", "\"tool_response\"", "\"tool_calls\"",
            "\"duration_ms\"", "\"timestamp\"", "\"prompt\"", "\"last_assistant_message\"", "\"agentId\"",
            "\"subagent_type\"", "\"description\"", "\"UserPromptSubmit\"", "\"PreToolUse\"", "\"PostToolUse\"",
            "\"PostToolUseFailure\"", "\"PermissionRequest\"", "\"PermissionDenied\"", "\"SubagentStart\"",
            "\"SubagentStop\"", "\"PostToolBatch\"", "\"SessionEnd\"", "\"Stop\"", "\"StopFailure\"", "\"Agent\"",
            "\"Task\"", "\"mcp__", "__", "\"2026-11-25T15:04:05.123Z\""})
    void hookPayload(byte[] body) {
        Object parsed;
        try {
            parsed = IngestWorld.JSON.readValue(body, Object.class);
        } catch (JacksonException e) {
            return; // HooksServlet: 400 "body is not JSON"
        }
        if (!(parsed instanceof Map<?, ?> payload)) {
            return; // HooksServlet: 400 "body must be a JSON object"
        }
        List<IngestResult> results;
        try {
            results = WORLD.hooks.accept(payload, "hooks");
        } catch (EventRejectedException e) {
            assertThat(e.field()).as(e.getMessage()).isIn(ID_FIELDS);
            return;
        }
        assertThat(results).isNotEmpty();
        for (IngestResult r : results) {
            assertThat(r.error()).as("a mapped event refused by the decoder").isNull();
        }
        WORLD.checkStored();
    }
}
