package dev.mos.live;

import dev.mos.model.Event;
import dev.mos.store.EventPage;
import dev.mos.store.SessionInfo;
import dev.mos.store.SessionStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one publisher of the live streams ({@link StreamHub}): every stream, MCP resource notification and
 * {@code stream_activity} long poll in this process sees each session's events exactly once and in sequence order,
 * whether they were ingested here or committed by another process or replica.
 *
 * <p>Ingest threads only enqueue what they committed ({@link #publish}) and never wait for subscribers. One relay
 * thread keeps, per session, the last sequence it published: the next one is published at once, a later one is held
 * until the gap fills (another ingest thread is a moment late) or, after {@link #HOLD_MS}, read from the store. When
 * another process commits ({@link #remoteAppend}: PostgreSQL NOTIFY, SQLite change check) the relay reads the new
 * events from the store after that last sequence. Local events that a store read already published are dropped.
 */
public final class LiveFeed implements AutoCloseable {

    /** How long a later event waits for a missing earlier one from this process before the store is asked. */
    static final long HOLD_MS = 5;
    private static final int PAGE = 1000;
    private static final long RETRY_MS = 1000;

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    /** What the inbox holds, stamped with {@link System#nanoTime} when it was handed over (for the lag). */
    private sealed interface Item permits One, Local, Remote {
        long queuedAt();
    }

    /** One event committed here (the common case: no list around it). */
    private record One(Event event, long queuedAt) implements Item {
    }

    /** Events committed here, in commit order. */
    private record Local(List<Event> events, long queuedAt) implements Item {
    }

    /** Another process committed events of this session. */
    private record Remote(String sessionId, long queuedAt) implements Item {
    }

    /** "Nothing waiting" for the lag stamps below. */
    private static final long NONE = Long.MIN_VALUE;

    private final StreamHub streams;
    private final SessionStore store;
    private final LinkedBlockingQueue<Item> inbox = new LinkedBlockingQueue<>();
    /**
     * Told of every event this process commits, on the ingest thread, before the relay orders it; each must only
     * hand it over without waiting (the trace exporter's bounded queue). Events another replica committed never
     * come here, which is how only the replica that ingested an operation exports it.
     */
    private final List<java.util.function.Consumer<Event>> localCommitTaps =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    /** When the oldest item the relay took this round was handed over, until the round has published it. */
    private volatile long inFlightSince = NONE;
    /** When the oldest event still held for a gap, or still to be read from the store, was handed over. */
    private volatile long pendingSince = NONE;

    // Owned by the relay thread.
    private final Map<String, Cursor> cursors = new HashMap<>();
    /** Filled before the first append (see {@link #startFrom}), then taken from by the relay thread. */
    private final Map<String, Long> startingPoints = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> toRead = new LinkedHashSet<>();
    /** What this round publishes, handed to the hub in one batch. */
    private final List<Event> out = new ArrayList<>(256);
    private long retryAt;
    /** When the oldest entry of {@link #toRead} was handed over (relay thread only). */
    private long toReadSince = NONE;

    /** A feed without a store to read from (tests, benches): gaps are skipped after the hold. */
    public LiveFeed() {
        this(new StreamHub(), null);
    }

    /** A feed over an open store: its sessions start from their current ends. */
    public LiveFeed(StreamHub streams, SessionStore store) {
        this(streams, store, true);
    }

    /**
     * @param readStartNow false for a store that opens later: then {@link #startFrom} must be given its sessions
     *     once it is open, before anything is appended to it
     */
    public LiveFeed(StreamHub streams, SessionStore store, boolean readStartNow) {
        this.streams = streams;
        this.store = store;
        if (store != null && readStartNow) {
            try {
                startFrom(store.sessions());
            } catch (RuntimeException e) {
                log.warn("live feed: could not read the sessions at start ({}); streams start from new events",
                        e.toString());
            }
        }
        this.thread = new Thread(this::run, "mos-live-relay");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The sessions that exist when the store opens start from their current end (their history is not news); any
     * created later starts from 0.
     */
    public void startFrom(List<SessionInfo> existing) {
        for (SessionInfo info : existing) {
            startingPoints.put(info.sessionId(), info.lastSequence());
        }
    }

    /** The bounded-buffer fan-out used by SSE, resource notifications and stream_activity. */
    public StreamHub streams() {
        return streams;
    }

    /** Committed events from this process; never blocks. */
    public void publish(Event event) {
        if (!closed) {
            inbox.add(new One(event, System.nanoTime()));
        }
        // also while closed: requests still draining at shutdown commit events the trace export must see
        for (var tap : localCommitTaps) {
            tap.accept(event);
        }
    }

    /** Several committed events from this process, in their commit order; never blocks. */
    public void publishAll(List<Event> events) {
        if (!closed && !events.isEmpty()) {
            inbox.add(new Local(events, System.nanoTime()));
        }
        for (var tap : localCommitTaps) {
            events.forEach(tap);
        }
    }

    /** Adds a listener of this process's own commits (see {@link #localCommitTaps}); it must never block. */
    public void onLocalCommit(java.util.function.Consumer<Event> tap) {
        localCommitTaps.add(tap);
    }

    /** Another process committed events of this session: read them from the store and publish them. */
    public void remoteAppend(String sessionId) {
        if (!closed) {
            inbox.add(new Remote(sessionId, System.nanoTime()));
        }
    }

    /** Readers following the live streams right now (SSE, resource notifiers, long polls). */
    public int waitingReaders() {
        return streams.subscribers();
    }

    /**
     * How far live delivery is behind: the age in nanoseconds of the oldest event this process committed (or was
     * told another process committed) that the relay has not yet handed to the streams, 0 when it is caught up.
     * An event held for a gap counts from when the relay received it. Delivery from the streams' buffers to the
     * clients is not included (see {@link StreamHub#maxBacklog()}).
     */
    public long lagNanos() {
        long now = System.nanoTime();
        long oldest = Long.MAX_VALUE;
        Item head = inbox.peek();
        if (head != null) {
            oldest = head.queuedAt();
        }
        long flight = inFlightSince;
        if (flight != NONE && flight - oldest < 0) {
            oldest = flight;
        }
        long pending = pendingSince;
        if (pending != NONE && pending - oldest < 0) {
            oldest = pending;
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest);
    }

    /** Ends the relay and every stream; used on shutdown so that long polls and SSE streams end promptly. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        streams.close();
    }

    private void run() {
        List<Item> batch = new ArrayList<>(256);
        List<Event> local = new ArrayList<>(256);
        while (!closed) {
            try {
                Item first = inbox.poll(nextWakeMs(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    // A scrape between the poll and this line sees a moment's less lag; never more than the truth.
                    inFlightSince = first.queuedAt();
                    batch.add(first);
                    inbox.drainTo(batch, 4096);
                }
                for (Item item : batch) {
                    if (item instanceof One o) {
                        local.add(o.event());
                    } else if (item instanceof Local l) {
                        local.addAll(l.events());
                    } else if (item instanceof Remote r) {
                        if (toReadSince == NONE || r.queuedAt() - toReadSince < 0) {
                            toReadSince = r.queuedAt();
                        }
                        toRead.add(r.sessionId());
                    }
                }
                batch.clear();
                // Threads hand over in any order; sorting what arrived together restores commit order mostly.
                local.sort(Comparator.comparingLong(Event::id));
                for (Event e : local) {
                    accept(e);
                }
                local.clear();
                readDue();
                if (!out.isEmpty()) {
                    streams.publish(List.copyOf(out));
                    out.clear();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("live feed: {}", e.toString());
            } finally {
                notePending();
            }
        }
    }

    /** After a round: what is still held or still to be read keeps the lag up; the round's own items are out. */
    private void notePending() {
        if (toRead.isEmpty()) {
            toReadSince = NONE;
        }
        long oldest = toReadSince;
        for (Cursor c : cursors.values()) {
            if (c.heldSinceNanos != NONE && (oldest == NONE || c.heldSinceNanos - oldest < 0)) {
                oldest = c.heldSinceNanos;
            }
        }
        pendingSince = oldest;
        inFlightSince = NONE;
    }

    private long nextWakeMs() {
        long now = System.currentTimeMillis();
        long wake = Long.MAX_VALUE;
        if (!toRead.isEmpty()) {
            wake = Math.max(0, retryAt - now);
        }
        for (Cursor c : cursors.values()) {
            if (c.heldSince > 0) {
                wake = Math.min(wake, Math.max(0, c.heldSince + HOLD_MS - now));
            }
        }
        return wake == Long.MAX_VALUE ? 1000 : Math.max(1, wake);
    }

    private Cursor cursor(String sessionId) {
        Cursor c = cursors.get(sessionId);
        if (c == null) {
            Long start = startingPoints.remove(sessionId);
            c = new Cursor(start == null ? 0 : start);
            cursors.put(sessionId, c);
        }
        return c;
    }

    private void accept(Event e) {
        Cursor c = cursor(e.sessionId());
        if (e.sequence() <= c.last) {
            if (c.lastId > 0 && e.id() > c.lastId && e.sequence() == 1) {
                // The session was deleted and started again: its sequences restart.
                c.reset();
            } else {
                if (c.lastId == 0) {
                    // Nothing published here yet, so not a duplicate of ours: the session may have been deleted and
                    // started again since this process started. The store tells.
                    toRead.add(e.sessionId());
                }
                return; // already published (a store read got there first)
            }
        }
        if (e.sequence() == c.last + 1) {
            emit(c, e);
            drainHeld(c);
        } else {
            c.held.put(e.sequence(), e);
            if (c.heldSince == 0) {
                c.heldSince = System.currentTimeMillis();
            }
            if (c.heldSinceNanos == NONE) {
                // The round's oldest hand-over time: an upper bound for this event's, so the lag is not understated.
                c.heldSinceNanos = inFlightSince == NONE ? System.nanoTime() : inFlightSince;
            }
        }
    }

    private void drainHeld(Cursor c) {
        Iterator<Map.Entry<Long, Event>> it = c.held.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Event> next = it.next();
            if (next.getKey() <= c.last) {
                it.remove();
            } else if (next.getKey() == c.last + 1) {
                emit(c, next.getValue());
                it.remove();
            } else {
                break;
            }
        }
        c.heldSince = c.held.isEmpty() ? 0 : System.currentTimeMillis();
        if (c.held.isEmpty()) {
            c.heldSinceNanos = NONE;
        }
    }

    private void emit(Cursor c, Event e) {
        c.last = e.sequence();
        c.lastId = Math.max(c.lastId, e.id());
        out.add(e);
    }

    /** Reads sessions changed elsewhere, and fills gaps held for longer than the hold time. */
    private void readDue() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Cursor> entry : cursors.entrySet()) {
            Cursor c = entry.getValue();
            if (c.heldSince > 0 && now - c.heldSince >= HOLD_MS) {
                if (store == null) {
                    // Nothing to read the gap from: go on with what is here.
                    c.last = c.held.firstKey() - 1;
                    drainHeld(c);
                } else {
                    toRead.add(entry.getKey());
                }
            }
        }
        if (toRead.isEmpty() || store == null || now < retryAt) {
            return;
        }
        Iterator<String> it = toRead.iterator();
        while (it.hasNext()) {
            String sessionId = it.next();
            try {
                readFromStore(sessionId);
                it.remove();
            } catch (RuntimeException e) {
                log.debug("live feed: reading session {} failed ({}); retrying", sessionId, e.toString());
                retryAt = now + RETRY_MS;
                return;
            }
        }
    }

    private void readFromStore(String sessionId) {
        Cursor c = cursor(sessionId);
        while (true) {
            EventPage page = store.eventsAfter(sessionId, c.last, PAGE);
            if (page.events().isEmpty() && page.lastSequence() < c.last) {
                // The store's session ends before what we published: it was deleted (and maybe started again,
                // then its new events are read from the start).
                c.reset();
                continue;
            }
            for (Event e : page.events()) {
                if (e.sequence() > c.last) {
                    emit(c, e);
                }
            }
            if (!page.more()) {
                break;
            }
        }
        if (!c.held.isEmpty() && c.held.firstKey() > c.last + 1) {
            // Held events the store does not have before them (trimmed): continue from them.
            c.last = c.held.firstKey() - 1;
        }
        drainHeld(c);
    }

    /** The relay's position in one session. */
    private static final class Cursor {
        long last;
        long lastId;
        long heldSince;
        /** For the lag: when the oldest held event was handed over, or NONE. */
        long heldSinceNanos = NONE;
        final TreeMap<Long, Event> held = new TreeMap<>();

        Cursor(long last) {
            this.last = last;
        }

        void reset() {
            last = 0;
            lastId = 0;
            held.clear();
            heldSince = 0;
            heldSinceNanos = NONE;
        }
    }
}
