package dev.mos.live;

import dev.mos.model.Event;
import java.util.function.Function;

/**
 * One published event as every subscriber receives it: the same instance for all, so the wire form (JSON) is
 * computed once by whichever stream needs it first instead of once per subscriber.
 */
public final class Delivery {

    private final Event event;
    private final boolean local;
    private volatile byte[] wire;
    private volatile byte[] wireAll;

    Delivery(Event event, boolean local) {
        this.event = event;
        this.local = local;
    }

    public Event event() {
        return event;
    }

    /**
     * True when this process committed the event (it came through {@link LiveFeed#publish}), false when another
     * replica or process did and the relay read it from the store. The trace exporter exports only local events,
     * so replicas sharing one PostgreSQL never export an operation twice.
     */
    public boolean local() {
        return local;
    }

    /**
     * The wire form, computed at most a few times under a race and then shared (the result is the same). Callers
     * must not modify the array.
     */
    public byte[] wire(Function<Event, byte[]> render) {
        byte[] w = wire;
        if (w == null) {
            w = render.apply(event);
            wire = w;
        }
        return w;
    }

    /** A second shared form, for streams that frame the event differently (the all-sessions stream's ids). */
    public byte[] wireAll(Function<Event, byte[]> render) {
        byte[] w = wireAll;
        if (w == null) {
            w = render.apply(event);
            wireAll = w;
        }
        return w;
    }
}
