package dev.mos.ingest;

import dev.mos.model.Event;
import java.util.List;

/**
 * The outcome of one submitted event: either the stored event (with notes on truncation) or the reason it was
 * refused. {@code index} is its position in the submitted batch.
 */
public record IngestResult(int index, Event event, List<String> truncations, String error, String field) {

    public IngestResult {
        truncations = truncations == null ? List.of() : List.copyOf(truncations);
    }

    public boolean accepted() {
        return event != null;
    }
}
