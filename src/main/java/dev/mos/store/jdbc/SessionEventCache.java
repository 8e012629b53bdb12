package dev.mos.store.jdbc;

import dev.mos.model.Event;
import dev.mos.store.SessionInfo;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The working set of a durable store: the retained events of recently read or written sessions, bounded by a
 * byte budget (least recently used sessions leave first), so hot reads need only the session's row. Entries are
 * never trusted blindly: each read brings the session's row (other processes and replicas write the same store),
 * and an entry is used only when it is a prefix of what that row says is stored; the missing tail is then read
 * and appended. Nothing is loaded at start.
 */
final class SessionEventCache {

    /** One session's events with sequences {@code firstSequence..lastSequence}, contiguous, in order. */
    record Entry(long createdMs, long firstSequence, long lastSequence, List<Event> events, long bytes) {
    }

    private final long budgetBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    SessionEventCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * The cached entry if it can serve {@code info}: same incarnation of the session (created at the same
     * time), starting at or before the first retained event, ending at or before the last.
     */
    synchronized Entry usable(SessionInfo info) {
        Entry entry = entries.get(info.sessionId());
        if (entry == null) {
            misses++;
            return null;
        }
        if (entry.createdMs() != info.createdMs() || entry.lastSequence() > info.lastSequence()
                || (entry.lastSequence() >= info.firstSequence() && entry.firstSequence() > info.firstSequence())) {
            remove(info.sessionId());
            misses++;
            return null;
        }
        hits++;
        return entry;
    }

    /**
     * The events {@code info} says are retained: the entry's events from {@code info.firstSequence()} on, then
     * {@code tail} (read from the store: everything after the entry's last sequence up to the row's last). Stores
     * and returns the merged list; null when the pieces do not fit together (the caller reads everything).
     */
    List<Event> extend(SessionInfo info, Entry entry, List<Event> tail) {
        List<Event> merged = new ArrayList<>(entry.events().size() + tail.size());
        for (Event e : entry.events()) {
            if (e.sequence() >= info.firstSequence()) {
                merged.add(e);
            }
        }
        merged.addAll(tail);
        if (!contiguous(merged, info)) {
            return null;
        }
        put(info, merged);
        return merged;
    }

    /** Caches a full read of the session (its events as of {@code info}). */
    void put(SessionInfo info, List<Event> events) {
        if (!contiguous(events, info)) {
            return;
        }
        List<Event> frozen = List.copyOf(events);
        long size = 0;
        for (Event e : frozen) {
            size += size(e);
        }
        Entry entry = new Entry(info.createdMs(), events.isEmpty() ? info.lastSequence() + 1
                : events.getFirst().sequence(), info.lastSequence(), frozen, size);
        synchronized (this) {
            if (size > budgetBytes / 2) {
                remove(info.sessionId()); // one huge session must not push out everything else
                return;
            }
            Entry old = entries.put(info.sessionId(), entry);
            if (old != null) {
                bytes -= old.bytes();
            }
            bytes += size;
            evict();
        }
    }

    /**
     * Our own commit: appends to a cached session when the new events follow on exactly, else drops the entry
     * (the next read rebuilds it). Never loads anything.
     */
    synchronized void appended(String sessionId, List<Event> committed, long firstRetained) {
        Entry entry = entries.get(sessionId);
        if (entry == null || committed.isEmpty()) {
            return;
        }
        if (committed.getFirst().sequence() != entry.lastSequence() + 1) {
            remove(sessionId);
            return;
        }
        List<Event> merged = new ArrayList<>(entry.events().size() + committed.size());
        long size = 0;
        for (Event e : entry.events()) {
            if (e.sequence() >= firstRetained) {
                merged.add(e);
                size += size(e);
            }
        }
        for (Event e : committed) {
            merged.add(e);
            size += size(e);
        }
        bytes += size - entry.bytes();
        entries.put(sessionId, new Entry(entry.createdMs(), merged.isEmpty() ? committed.getLast().sequence() + 1
                : merged.getFirst().sequence(), committed.getLast().sequence(), List.copyOf(merged), size));
        evict();
    }

    synchronized void remove(String sessionId) {
        Entry old = entries.remove(sessionId);
        if (old != null) {
            bytes -= old.bytes();
        }
    }

    synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int sessions() {
        return entries.size();
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }

    private void evict() {
        Iterator<Map.Entry<String, Entry>> oldestFirst = entries.entrySet().iterator();
        while (bytes > budgetBytes && oldestFirst.hasNext()) {
            bytes -= oldestFirst.next().getValue().bytes();
            oldestFirst.remove();
        }
    }

    private static boolean contiguous(List<Event> events, SessionInfo info) {
        if (events.isEmpty()) {
            return true;
        }
        long expected = events.getFirst().sequence();
        for (Event e : events) {
            if (e.sequence() != expected++) {
                return false;
            }
        }
        return events.getLast().sequence() == info.lastSequence();
    }

    /** Roughly what a cached event costs on the heap: the record, its boxed fields and its strings. */
    static long size(Event e) {
        return 120 + 2L * (len(e.sessionId()) + len(e.parentId()) + len(e.correlationId()) + len(e.name()) + len(e.description())
                + len(e.detailsJson()) + (e.displayInfo() == null ? 0 : 64));
    }

    private static int len(String s) {
        return s == null ? 0 : s.length();
    }
}
