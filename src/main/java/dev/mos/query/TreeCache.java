package dev.mos.query;

import dev.mos.model.ActivityTree;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The most recently used trees, valid while their session's creation time, last sequence and dropped count are
 * unchanged (the creation time tells a session apart from an earlier one under the same id), each with what is
 * derived from it on demand (the usage). Small on purpose: trees are cheap to rebuild and the store is the memory
 * budget's main tenant.
 */
final class TreeCache {

    /** A tree, its usage and its lifecycle, each computed at most once per tree. */
    static final class Entry {
        final long createdMs;
        final long lastSequence;
        final long dropped;
        final ActivityTree tree;
        private volatile SessionUsage usage;
        private volatile boolean usageKnown;
        private volatile SessionLifecycle lifecycle;

        Entry(long createdMs, long lastSequence, long dropped, ActivityTree tree) {
            this.createdMs = createdMs;
            this.lastSequence = lastSequence;
            this.dropped = dropped;
            this.tree = tree;
        }

        SessionUsage usage(Function<ActivityTree, SessionUsage> rollup) {
            if (!usageKnown) {
                synchronized (this) {
                    if (!usageKnown) {
                        usage = rollup.apply(tree);
                        usageKnown = true;
                    }
                }
            }
            return usage;
        }

        SessionLifecycle lifecycle(Function<ActivityTree, SessionLifecycle> reader) {
            SessionLifecycle known = lifecycle;
            if (known == null) {
                known = reader.apply(tree); // the same answer if two threads race: no lock needed
                lifecycle = known;
            }
            return known;
        }
    }

    private final int capacity;
    private final LinkedHashMap<String, Entry> entries;

    TreeCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TreeCache.Entry> eldest) {
                return size() > TreeCache.this.capacity;
            }
        };
    }

    synchronized Entry get(String sessionId, long createdMs, long lastSequence, long dropped) {
        Entry entry = entries.get(sessionId);
        return entry != null && entry.createdMs == createdMs && entry.lastSequence == lastSequence
                && entry.dropped == dropped ? entry : null;
    }

    /** Caches the entry unless a newer tree of the same session is already there; returns the one to use. */
    synchronized Entry put(String sessionId, Entry entry) {
        Entry current = entries.get(sessionId);
        if (current == null || current.createdMs != entry.createdMs || current.lastSequence <= entry.lastSequence) {
            entries.put(sessionId, entry);
        }
        return entry;
    }

    synchronized void remove(String sessionId) {
        entries.remove(sessionId);
    }
}
