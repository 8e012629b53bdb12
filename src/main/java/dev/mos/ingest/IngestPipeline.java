package dev.mos.ingest;

import dev.mos.limits.SessionQuota;
import dev.mos.limits.SessionQuotaExceededException;
import dev.mos.live.LiveFeed;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import dev.mos.pricing.CostEstimator;
import dev.mos.store.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Decode, store, publish: the single path every event takes, whatever transport brought it. */
public final class IngestPipeline {

    private final EventDecoder decoder;
    private final SessionStore store;
    private final LiveFeed live;
    private final IngestMetrics metrics;
    private final SessionQuota quota;
    private final CostEstimator costs;

    /** A pipeline whose token-sent events have no cap on new sessions. */
    public IngestPipeline(EventDecoder decoder, SessionStore store, LiveFeed live, IngestMetrics metrics) {
        this(decoder, store, live, metrics, SessionQuota.UNLIMITED);
    }

    public IngestPipeline(EventDecoder decoder, SessionStore store, LiveFeed live, IngestMetrics metrics,
            SessionQuota quota) {
        this(decoder, store, live, metrics, quota, CostEstimator.NONE);
    }

    /** {@code costs} prices the model calls that report tokens but no cost, before they are stored. */
    public IngestPipeline(EventDecoder decoder, SessionStore store, LiveFeed live, IngestMetrics metrics,
            SessionQuota quota, CostEstimator costs) {
        this.decoder = decoder;
        this.store = store;
        this.live = live;
        this.metrics = metrics;
        this.quota = quota;
        this.costs = costs;
    }

    /** Stores an already valid event. */
    public Event accept(NewEvent event, String transport) {
        return published(store.append(costs.priced(event)), transport);
    }

    private Event published(Event stored, String transport) {
        metrics.accepted(stored.type(), transport);
        live.publish(stored);
        return stored;
    }

    /**
     * Stores events a mapper built within the event limits itself (OTLP), together (one commit in a durable store),
     * skipping the generic decode and validation of raw maps.
     */
    public List<Event> acceptValid(List<NewEvent> events, String transport) {
        return acceptValid(events, transport, null);
    }

    /**
     * {@link #acceptValid(List, String)} for events a token sent: its name becomes the sender of the sessions they
     * start, and they may start only as many new sessions as its quota allows ({@link SessionQuotaExceededException},
     * nothing stored).
     */
    public List<Event> acceptValid(List<NewEvent> events, String transport, String sender) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Event> stored = store.appendAll(asStored(events, sender));
        stored.forEach(event -> published(event, transport));
        return stored;
    }

    /** {@link #acceptValid(List, String, String)} without waiting for the commit. */
    public CompletableFuture<List<Event>> acceptValidAsync(List<NewEvent> events, String transport, String sender) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return store.appendAllAsync(asStored(events, sender)).thenApply(stored -> {
            stored.forEach(event -> published(event, transport));
            return stored;
        });
    }

    /** Decodes and stores one raw event; throws {@link EventRejectedException} when it breaks a rule. */
    public IngestResult acceptRaw(Object raw, String transport) {
        DecodedEvent decoded = decode(raw, transport);
        return new IngestResult(0, accept(decoded.event(), transport), decoded.truncations(), null, null);
    }

    /**
     * {@link #acceptRaw} that does not hold the caller's thread while a durable store commits. A bad event is
     * refused at once (thrown); the future completes after the commit, or fails with the store's
     * {@code StoreUnavailableException} when nothing was stored.
     */
    public CompletableFuture<IngestResult> acceptRawAsync(Object raw, String transport, String sender) {
        DecodedEvent decoded = decode(raw, transport);
        return store.appendAsync(asStored(List.of(decoded.event()), sender).getFirst()).thenApply(stored ->
                new IngestResult(0, published(stored, transport), decoded.truncations(), null, null));
    }

    private DecodedEvent decode(Object raw, String transport) {
        try {
            return decoder.decode(raw);
        } catch (EventRejectedException e) {
            metrics.rejected(transport);
            throw e;
        }
    }

    /**
     * Each event judged on its own: a bad one is refused without affecting its neighbours. The valid ones are
     * stored together (one commit in a durable store); if the store fails, none is acknowledged and the
     * {@code StoreUnavailableException} reaches the caller, so resending the batch cannot duplicate.
     */
    public List<IngestResult> acceptBatch(List<?> raws, String transport) {
        return acceptBatch(raws, transport, null);
    }

    /** {@link #acceptBatch(List, String)} for events a token sent (see {@link #acceptValid(List, String, String)}). */
    public List<IngestResult> acceptBatch(List<?> raws, String transport, String sender) {
        Batch batch = decodeBatch(raws, transport);
        return batch.results(store.appendAll(asStored(batch.events(), sender)), transport);
    }

    /** {@link #acceptBatch} without waiting for the commit: the future fails, with nothing stored, if it fails. */
    public CompletableFuture<List<IngestResult>> acceptBatchAsync(List<?> raws, String transport, String sender) {
        Batch batch = decodeBatch(raws, transport);
        return store.appendAllAsync(asStored(batch.events(), sender))
                .thenApply(stored -> batch.results(stored, transport));
    }

    /**
     * The events as they are stored: marked with their sender, once the sender's quota admits the sessions they
     * start, and priced where they report tokens but no cost. The list itself when nothing changes.
     */
    private List<NewEvent> asStored(List<NewEvent> events, String sender) {
        if (sender != null && !events.isEmpty()) {
            quota.admit(sender, events.stream().map(NewEvent::sessionId).distinct().toList());
        }
        List<NewEvent> out = null;
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            NewEvent stored = costs.priced(sender == null ? e : e.withSender(sender));
            if (stored != e && out == null) {
                out = new ArrayList<>(events.subList(0, i));
            }
            if (out != null) {
                out.add(stored);
            }
        }
        return out == null ? events : out;
    }

    private Batch decodeBatch(List<?> raws, String transport) {
        IngestResult[] results = new IngestResult[raws.size()];
        List<DecodedEvent> valid = new ArrayList<>(raws.size());
        List<Integer> positions = new ArrayList<>(raws.size());
        for (int i = 0; i < raws.size(); i++) {
            try {
                valid.add(decoder.decode(raws.get(i)));
                positions.add(i);
            } catch (EventRejectedException e) {
                metrics.rejected(transport);
                results[i] = new IngestResult(i, null, List.of(), e.getMessage(), e.field());
            }
        }
        return new Batch(results, valid, positions);
    }

    /** A decoded batch: the refusals so far, and the valid events with their positions in the request. */
    private final class Batch {
        private final IngestResult[] results;
        private final List<DecodedEvent> valid;
        private final List<Integer> positions;

        Batch(IngestResult[] results, List<DecodedEvent> valid, List<Integer> positions) {
            this.results = results;
            this.valid = valid;
            this.positions = positions;
        }

        List<NewEvent> events() {
            return valid.stream().map(DecodedEvent::event).toList();
        }

        List<IngestResult> results(List<Event> stored, String transport) {
            for (int k = 0; k < stored.size(); k++) {
                Event event = published(stored.get(k), transport);
                int i = positions.get(k);
                results[i] = new IngestResult(i, event, valid.get(k).truncations(), null, null);
            }
            return List.of(results);
        }
    }
}
