package dev.mos.ingest;

import dev.mos.model.EventType;

/** What the pipeline counts, per transport. The no-op keeps the pipeline free of null checks. */
public interface IngestMetrics {

    IngestMetrics NOOP = new IngestMetrics() {
        @Override
        public void accepted(EventType type, String transport) {
        }

        @Override
        public void rejected(String transport) {
        }
    };

    void accepted(EventType type, String transport);

    void rejected(String transport);
}
