package dev.mos.store;

import dev.mos.model.Event;
import java.util.List;

/**
 * Events after a cursor. {@code missed} counts events between the cursor and the first returned one that are no
 * longer retained; {@code more} says the limit cut the page short.
 */
public record EventPage(List<Event> events, long missed, boolean more, long lastSequence) {

    public EventPage {
        events = List.copyOf(events);
    }

    /** The cursor to ask with next: the last returned sequence, or the asked cursor when nothing came. */
    public long nextCursor(long askedCursor) {
        return events.isEmpty() ? Math.max(askedCursor, 0) : events.getLast().sequence();
    }
}
