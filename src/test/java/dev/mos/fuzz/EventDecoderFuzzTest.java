package dev.mos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mos.ingest.EventRejectedException;
import dev.mos.ingest.IngestResult;
import tools.jackson.core.JacksonException;

/**
 * A log_event / POST /api/v1/events body through the real pipeline: parsed as the transports parse it, then decoded
 * and stored. The contract (EventDecoder): a stored event within the limits, or an EventRejectedException whose
 * message names the field; nothing else may escape.
 */
class EventDecoderFuzzTest {

    private static final IngestWorld WORLD = new IngestWorld();

    @FuzzTest(maxDuration = FuzzBounds.TEST_RUN)
    @DictionaryEntries({"\"session_id\"", "\"event_type\"", "\"status\"", "\"timestamp\"", "\"duration_ms\"",
            "\"parent_id\"", "\"correlation_id\"", "\"details\"", "\"display_info\"", "\"name\"", "\"description\"",
            "\"icon\"", "\"color\"", "\"task_started\"", "\"tool_pre_call\"", "\"tool_post_call\"", "\"success\"",
            "\"error\"", "\"running\"", "\"#ff00ff\"", "\"red\"", "\"2026-11-25T15:04:05.123Z\"",
            "\"2026-11-25T15:04:05+01:00\"", "1e300", "-0", "99999999999999999999"})
    void event(byte[] body) {
        Object parsed;
        try {
            parsed = IngestWorld.JSON.readValue(body, Object.class);
        } catch (JacksonException e) {
            return; // the transports answer "not JSON"
        }
        IngestResult result;
        try {
            result = WORLD.pipeline.acceptRaw(parsed, "fuzz");
        } catch (EventRejectedException e) {
            assertThat(e.field()).as("the refusal names a field").isNotBlank();
            assertThat(e.getMessage()).startsWith(e.field() + " ");
            return;
        }
        assertThat(result.accepted()).isTrue();
        WORLD.checkStored();
    }
}
