package dev.mos.query;

import dev.mos.model.ActivityTree;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used trees, valid while their session's creation time, last sequence and dropped count are
 * unchanged (the creation time tells a session apart from an earlier one under the same id). Small on purpose: trees are cheap to rebuild and the store is the memory budget's main tenant.
 */
final class TreeCache {

    private record Cached(long createdMs, long lastSequence, long dropped, ActivityTree tree) {
    }

    private final int capacity;
    private final LinkedHashMap<String, Cached> entries;

    TreeCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > TreeCache.this.capacity;
            }
        };
    }

    synchronized ActivityTree get(String sessionId, long createdMs, long lastSequence, long dropped) {
        Cached entry = entries.get(sessionId);
        return entry != null && entry.createdMs == createdMs && entry.lastSequence == lastSequence
                && entry.dropped == dropped ? entry.tree : null;
    }

    synchronized void put(String sessionId, long createdMs, long lastSequence, long dropped, ActivityTree tree) {
        Cached current = entries.get(sessionId);
        if (current == null || current.createdMs != createdMs || current.lastSequence <= lastSequence) {
            entries.put(sessionId, new Cached(createdMs, lastSequence, dropped, tree));
        }
    }

    synchronized void remove(String sessionId) {
        entries.remove(sessionId);
    }
}
