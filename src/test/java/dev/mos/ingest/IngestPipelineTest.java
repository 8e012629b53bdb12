package dev.mos.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.MutableClock;
import dev.mos.health.IngestCounters;
import dev.mos.live.LiveFeed;
import dev.mos.model.Event;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class IngestPipelineTest {

    private final MutableClock clock = new MutableClock(1_764_000_000_000L);
    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(1_000, 64L << 20), clock);
    private final LiveFeed live = new LiveFeed();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IngestCounters counters = new IngestCounters(registry);
    private final IngestPipeline pipeline =
            new IngestPipeline(new EventDecoder(JsonMapper.builder().build(), clock), store, live, counters);

    @AfterEach
    void close() {
        store.close();
        live.close();
    }

    private static Map<String, Object> raw(String session, String type, String name) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("session_id", session);
        raw.put("event_type", type);
        raw.put("details", Map.of("name", name));
        return raw;
    }

    @Test
    void aBadEventInABatchIsReportedByIndexAndFieldWhileItsNeighboursAreStored() {
        Map<String, Object> bad = raw("s", "tool_post_call", "Read");
        bad.put("status", "finished");

        List<IngestResult> results = pipeline.acceptBatch(List.of(
                raw("s", "tool_pre_call", "Read"),
                bad,
                raw("s", "tool_post_call", "Read")), "http");

        assertThat(results).hasSize(3);
        assertThat(results).extracting(IngestResult::index).containsExactly(0, 1, 2);
        assertThat(results).extracting(IngestResult::accepted).containsExactly(true, false, true);

        IngestResult refused = results.get(1);
        assertThat(refused.event()).isNull();
        assertThat(refused.field()).isEqualTo("status");
        assertThat(refused.error()).startsWith("status must be one of").contains("\"finished\"");

        assertThat(results.get(0).event().sequence()).isEqualTo(1);
        assertThat(results.get(2).event().sequence()).isEqualTo(2);
        assertThat(results.get(0).error()).isNull();
        assertThat(store.events("s")).extracting(Event::type).extracting(t -> t.wireName())
                .containsExactly("tool_pre_call", "tool_post_call");

        assertThat(counters.total()).isEqualTo(2);
        assertThat(counters.rejectedTotal()).isEqualTo(1);
        assertThat(counters.byType()).containsEntry("tool_pre_call", 1L).containsEntry("tool_post_call", 1L);
        assertThat(registry.get("mos.events.rejected").tag("transport", "http").counter().count()).isEqualTo(1.0);
    }

    @Test
    void batchesMayMixSessionsAndNonObjects() {
        List<IngestResult> results = pipeline.acceptBatch(List.of(
                raw("a", "task_started", "A"), "not an event", raw("b", "task_started", "B")), "stdio");

        assertThat(results.get(1).field()).isEqualTo("event");
        assertThat(results.get(1).error()).contains("must be a JSON object");
        assertThat(store.sessions()).hasSize(2);
    }

    @Test
    void truncationNotesAreReturnedWithTheStoredEvent() {
        Map<String, Object> raw = raw("s", "task_started", "x".repeat(EventLimits.MAX_NAME_LENGTH + 1));

        IngestResult result = pipeline.acceptRaw(raw, "mcp");

        assertThat(result.accepted()).isTrue();
        assertThat(result.truncations()).singleElement().asString().startsWith("details.name truncated");
        assertThat(store.events("s").getFirst().name()).contains("…[truncated 1 chars]");
    }

    @Test
    void acceptRawThrowsForABadEventAndStoresNothing() {
        Map<String, Object> bad = raw("s", "tool_pre_call", "Read");
        bad.put("duration_ms", -3);

        assertThatThrownBy(() -> pipeline.acceptRaw(bad, "mcp"))
                .isInstanceOf(EventRejectedException.class)
                .hasMessageStartingWith("duration_ms ");
        assertThat(store.sessions()).isEmpty();
        assertThat(counters.rejectedTotal()).isEqualTo(1);
        assertThat(counters.total()).isZero();
    }

    @Test
    void storedEventsReachLiveReaders() throws InterruptedException {
        try (dev.mos.live.Subscription sub = live.streams().subscribe("s", 10)) {
            assertThat(sub.poll(0)).isNull();
            var stored = pipeline.acceptRaw(raw("s", "task_started", "T"), "http").event();
            assertThat(sub.poll(2_000).event()).isEqualTo(stored);
            assertThat(live.waitingReaders()).isOne();
        }
        assertThat(live.waitingReaders()).isZero();
    }
}
