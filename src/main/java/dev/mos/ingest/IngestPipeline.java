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

    /** Each event on its own: a bad one is refused without affecting its neighbours. */
    public List<IngestResult> acceptBatch(List<?> raws, String transport) {
        List<IngestResult> results = new ArrayList<>(raws.size());
        for (int i = 0; i < raws.size(); i++) {
            try {
                DecodedEvent decoded = decoder.decode(raws.get(i));
                results.add(new IngestResult(i, accept(decoded.event(), transport), decoded.truncations(), null,
                        null));
            } catch (EventRejectedException e) {
                metrics.rejected(transport);
                results.add(new IngestResult(i, null, List.of(), e.getMessage(), e.field()));
            }
        }
        return results;
    }
}
