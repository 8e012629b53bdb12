package dev.mos.ingest;

import dev.mos.live.LiveFeed;
import dev.mos.model.Event;
import dev.mos.model.NewEvent;
import dev.mos.store.SessionStore;
import java.util.ArrayList;
import java.util.List;

/** Decode, store, publish: the single path every event takes, whatever transport brought it. */
public final class IngestPipeline {

    private final EventDecoder decoder;
    private final SessionStore store;
    private final LiveFeed live;
    private final IngestMetrics metrics;

    public IngestPipeline(EventDecoder decoder, SessionStore store, LiveFeed live, IngestMetrics metrics) {
        this.decoder = decoder;
        this.store = store;
        this.live = live;
        this.metrics = metrics;
    }

    /** Stores an already valid event. */
    public Event accept(NewEvent event, String transport) {
        Event stored = store.append(event);
        metrics.accepted(stored.type(), transport);
        live.publish(stored);
        return stored;
    }

    /**
     * Stores events a mapper built within the event limits itself (OTLP), together (one commit in a durable store),
     * skipping the generic decode and validation of raw maps.
     */
    public List<Event> acceptValid(List<NewEvent> events, String transport) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Event> stored = store.appendAll(events);
        for (Event event : stored) {
            metrics.accepted(event.type(), transport);
            live.publish(event);
        }
        return stored;
    }

    /** Decodes and stores one raw event; throws {@link EventRejectedException} when it breaks a rule. */
    public IngestResult acceptRaw(Object raw, String transport) {
        DecodedEvent decoded;
        try {
            decoded = decoder.decode(raw);
        } catch (EventRejectedException e) {
            metrics.rejected(transport);
            throw e;
        }
        return new IngestResult(0, accept(decoded.event(), transport), decoded.truncations(), null, null);
    }

    /**
     * Each event judged on its own: a bad one is refused without affecting its neighbours. The valid ones are
     * stored together (one commit in a durable store); if the store fails, none is acknowledged and the
     * {@code StoreUnavailableException} reaches the caller, so resending the batch cannot duplicate.
     */
    public List<IngestResult> acceptBatch(List<?> raws, String transport) {
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
        List<Event> stored = store.appendAll(valid.stream().map(DecodedEvent::event).toList());
        for (int k = 0; k < stored.size(); k++) {
            Event event = stored.get(k);
            metrics.accepted(event.type(), transport);
            live.publish(event);
            int i = positions.get(k);
            results[i] = new IngestResult(i, event, valid.get(k).truncations(), null, null);
        }
        return List.of(results);
    }
}
