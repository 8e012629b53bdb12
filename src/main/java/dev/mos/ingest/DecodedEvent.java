package dev.mos.ingest;

import dev.mos.model.NewEvent;
import java.util.List;

/** A valid event and the notes on what was truncated to make it fit. */
public record DecodedEvent(NewEvent event, List<String> truncations) {

    public DecodedEvent {
        truncations = List.copyOf(truncations);
    }
}
