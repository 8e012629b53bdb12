package dev.mos.live;

import dev.mos.model.Event;
import java.util.function.Function;

/**
 * One published event as every subscriber receives it: the same instance for all, so the wire form (JSON) is
 * computed once by whichever stream needs it first instead of once per subscriber.
 */
public final class Delivery {

    private final Event event;
    private volatile byte[] wire;
    private volatile byte[] wireAll;

    Delivery(Event event) {
        this.event = event;
    }

    public Event event() {
        return event;
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
