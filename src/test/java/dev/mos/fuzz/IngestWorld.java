package dev.mos.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.MutableClock;
import dev.mos.health.IngestCounters;
import dev.mos.ingest.EventDecoder;
import dev.mos.ingest.EventLimits;
import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.hooks.AgentLinks;
import dev.mos.ingest.hooks.HookEventMapper;
import dev.mos.ingest.hooks.HookReceiver;
import dev.mos.ingest.otlp.OtlpReceiver;
import dev.mos.ingest.privacy.CapturePolicy;
import dev.mos.live.LiveFeed;
import dev.mos.model.Event;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's ingest path as ServerAssembly wires it, over a small memory store: what a harness feeds reaches the
 * real receivers, mappers, decoder and store. Every event stored is kept until {@link #checkStored()} so that a
 * harness can hold the events that skip the generic decoder (OTLP's are trusted to be within the limits) to the
 * same bounds.
 */
final class IngestWorld {

    /** The configuration ServerAssembly gives its mapper: the defaults, no extra features. */
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The truncation marker ("…[truncated 12345 chars]") a cut string ends with. */
    private static final int MARKER = 40;

    final MutableClock clock = new MutableClock(1_795_618_590_000L);
    // small: the fuzzer starts a session per input; the store evicts the oldest beyond its bytes
    final MemorySessionStore store = new MemorySessionStore(new StoreLimits(200, 16L << 20), clock);
    final LiveFeed live = new LiveFeed();
    final IngestPipeline pipeline = new IngestPipeline(new EventDecoder(JSON, clock), store, live,
            new IngestCounters(new SimpleMeterRegistry()));
    final AgentLinks links = new AgentLinks(clock);
    final HookReceiver hooks = new HookReceiver(new HookEventMapper(JSON, CapturePolicy.defaults(), links),
            pipeline);
    final OtlpReceiver otlp;
    private final List<Event> stored = new ArrayList<>();

    IngestWorld() {
        otlp = OtlpReceiver.create(JSON, CapturePolicy.defaults().redactor(), links, "fuzz-instance", pipeline,
                clock);
        live.onLocalCommit(stored::add);
    }

    /** The events stored since the last call keep the bounds of {@link EventLimits}. */
    void checkStored() {
        try {
            for (Event e : stored) {
                assertThat(e.sessionId()).as("session id").isNotBlank().hasSizeLessThanOrEqualTo(
                        EventLimits.MAX_ID_LENGTH).doesNotContainPattern("\\p{Cntrl}");
                identifier("parent_id", e.parentId());
                identifier("correlation_id", e.correlationId());
                if (e.name() != null) {
                    assertThat(e.name()).as("name").hasSizeLessThanOrEqualTo(EventLimits.MAX_NAME_LENGTH + MARKER);
                }
                if (e.description() != null) {
                    assertThat(e.description()).as("description")
                            .hasSizeLessThanOrEqualTo(EventLimits.MAX_STRING_LENGTH + MARKER);
                }
                if (e.detailsJson() != null) {
                    assertThat(e.detailsJson().length()).as("details JSON")
                            .isLessThanOrEqualTo(EventLimits.MAX_DETAILS_JSON_CHARS);
                    assertThat(JSON.readTree(e.detailsJson()).isObject()).as("details is an object").isTrue();
                }
                if (e.durationMs() != null) {
                    assertThat(e.durationMs()).as("duration").isBetween(0L, EventLimits.MAX_DURATION_MS);
                }
            }
        } finally {
            stored.clear();
        }
    }

    private static void identifier(String field, String value) {
        if (value != null) {
            assertThat(value).as(field).hasSizeLessThanOrEqualTo(EventLimits.MAX_ID_LENGTH)
                    .doesNotContainPattern("\\p{Cntrl}");
        }
    }
}
