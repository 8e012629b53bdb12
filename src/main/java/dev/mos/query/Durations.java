package dev.mos.query;

import java.time.Instant;

/** Human formats: 245ms, 1.2s, 1m 15s, 2h 5m. */
public final class Durations {

    private Durations() {
    }

    public static String format(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long seconds = ms / 1000;
        if (seconds < 3600) {
            return (seconds / 60) + "m " + (seconds % 60) + "s";
        }
        return (seconds / 3600) + "h " + (seconds % 3600 / 60) + "m";
    }

    public static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
