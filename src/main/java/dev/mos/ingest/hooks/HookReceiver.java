package dev.mos.ingest.hooks;

import dev.mos.ingest.IngestPipeline;
import dev.mos.ingest.IngestResult;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Hook payload in, events through the one ingest pipeline out; shared by POST /hooks and log_event. */
public final class HookReceiver {

    private final HookEventMapper mapper;
    private final ForeignHookPayloads foreign;
    private final IngestPipeline ingest;

    public HookReceiver(HookEventMapper mapper, IngestPipeline ingest) {
        this(mapper, ForeignHookPayloads.NONE, ingest);
    }

    /** @param foreign payloads in other agents' shapes (Codex's notify), tried before the hook mapper */
    public HookReceiver(HookEventMapper mapper, ForeignHookPayloads foreign, IngestPipeline ingest) {
        this.mapper = mapper;
        this.foreign = foreign;
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
        List<NewEvent> theirs = foreign.map(payload);
        if (theirs == null) {
            return ingest.acceptBatch(mapper.map(payload), transport, sender);
        }
        return accepted(ingest.acceptValid(theirs, transport, sender));
    }

    /**
     * {@link #accept(Map, String, String)} that holds no thread of the caller's while the store commits: bad
     * payloads and refused quotas are thrown at once, a store failure fails the future (nothing stored).
     */
    public CompletableFuture<List<IngestResult>> acceptAsync(Map<?, ?> payload, String transport, String sender) {
        List<NewEvent> theirs = foreign.map(payload);
        return theirs != null ? ingest.acceptValidAsync(theirs, transport, sender).thenApply(HookReceiver::accepted)
                : ingest.acceptBatchAsync(mapper.map(payload), transport, sender);
    }

    /** Results for events a mapper built valid: each one accepted, none truncated. */
    private static List<IngestResult> accepted(List<Event> stored) {
        List<IngestResult> results = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            results.add(new IngestResult(i, stored.get(i), List.of(), null, null));
        }
        return results;
    }
}
