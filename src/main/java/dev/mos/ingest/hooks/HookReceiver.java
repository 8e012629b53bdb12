package dev.mos.ingest.hooks;

import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Hook payload in, events through the one ingest pipeline out; shared by POST /hooks and log_event. */
public final class HookReceiver {

    private final HookEventMapper mapper;
    private final IngestPipeline ingest;

    public HookReceiver(HookEventMapper mapper, IngestPipeline ingest) {
        this.mapper = mapper;
        this.ingest = ingest;
    }

    /**
     * Maps and stores one payload; throws {@link dev.mos.ingest.EventRejectedException} only when the payload names
     * no session. Mapped events are valid by construction, so the results are all accepted.
     */
    public List<IngestResult> accept(Map<?, ?> payload, String transport) {
        return accept(payload, transport, null);
    }

    /** @param sender the name of the token that sent it, or null */
    public List<IngestResult> accept(Map<?, ?> payload, String transport, String sender) {
        return ingest.acceptBatch(mapper.map(payload), transport, sender);
    }

    /**
     * {@link #accept(Map, String, String)} that holds no thread of the caller's while the store commits: bad
     * payloads and refused quotas are thrown at once, a store failure fails the future (nothing stored).
     */
    public CompletableFuture<List<IngestResult>> acceptAsync(Map<?, ?> payload, String transport, String sender) {
        return ingest.acceptBatchAsync(mapper.map(payload), transport, sender);
    }
}
