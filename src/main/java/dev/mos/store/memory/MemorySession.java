package dev.mos.store.memory;

import dev.mos.model.DisplaySettings;
import dev.mos.store.SessionInfo;

/** One session's state in memory; every method is called with the session's monitor held. */
final class MemorySession {

    final String sessionId;
    final long createdMs;
    final EventRing ring;
    long lastActivityMs;
    long lastSequence;
    long droppedEvents;
    long bytes;
    DisplaySettings displaySettings = DisplaySettings.DEFAULTS;
    boolean removed;
    String project;
    String sender;
    String agent;

    MemorySession(String sessionId, long nowMs, int capacity) {
        this.sessionId = sessionId;
        this.createdMs = nowMs;
        this.lastActivityMs = nowMs;
        this.ring = new EventRing(capacity);
    }

    SessionInfo info() {
        return new SessionInfo(sessionId, createdMs, lastActivityMs, ring.size(), droppedEvents,
                ring.firstSequence(), lastSequence, displaySettings, project, sender, agent);
    }

    /** Index in the ring of the first event with a sequence greater than {@code afterSequence}. */
    int indexAfter(long afterSequence) {
        long first = ring.firstSequence();
        if (ring.size() == 0 || afterSequence < first) {
            return 0;
        }
        return (int) Math.min(ring.size(), afterSequence - first + 1);
    }
}
