package dev.mos.query;

/** Timing of tree builds, for the metrics endpoint; no-op by default. */
public interface QueryMetrics {

    QueryMetrics NOOP = nanos -> {
    };

    void treeBuilt(long nanos);
}
