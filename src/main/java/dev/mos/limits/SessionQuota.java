package dev.mos.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A cap on the new sessions each token starts per hour (limits.newSessionsPerHour): a client inventing session ids
 * cannot fill the store with them. A session the store already has is not new; each token remembers the sessions
 * it recently sent to, so the store is asked once per session, not once per event.
 */
public final class SessionQuota {

    /** For callers without a token (stdio, an open laptop server): never refuses. */
    public static final SessionQuota UNLIMITED = new SessionQuota(0, id -> true, Clock.systemUTC(), null);

    private static final long HOUR_MS = 3_600_000;
    private static final int REMEMBERED_PER_TOKEN = 2_000;

    private final int perHour;
    private final Predicate<String> stored;
    private final Clock clock;
    private final Counter refused;
    private final ConcurrentHashMap<String, TokenSessions> tokens = new ConcurrentHashMap<>();

    /** The sessions one token sent to lately, and when it started each of its new ones within the hour. */
    private static final class TokenSessions {
        final ArrayDeque<Long> started = new ArrayDeque<>();
        final Map<String, Boolean> recent = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED_PER_TOKEN;
            }
        };
    }

    /**
     * @param perHour 0 for no cap
     * @param stored whether the store already has a session (asked once per session and token)
     */
    public SessionQuota(int perHour, Predicate<String> stored, Clock clock, MeterRegistry registry) {
        this.perHour = perHour;
        this.stored = stored;
        this.clock = clock;
        this.refused = registry == null ? null : Counter.builder("mos.requests.limited")
                .description("requests refused with 429 because a client was over its budget")
                .tag("limit", "sessions").tag("client", "token").register(registry);
    }

    /** Counts the sessions among {@code sessionIds} that are new for this token, or refuses them all. */
    public void admit(String token, Collection<String> sessionIds) {
        if (perHour <= 0 || token == null) {
            return;
        }
        TokenSessions mine = tokens.computeIfAbsent(token, t -> new TokenSessions());
        synchronized (mine) {
            Set<String> fresh = new LinkedHashSet<>();
            for (String id : sessionIds) {
                if (mine.recent.get(id) == null && !fresh.contains(id)) {
                    if (stored.test(id)) {
                        mine.recent.put(id, Boolean.TRUE);
                    } else {
                        fresh.add(id);
                    }
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            long now = clock.millis();
            while (!mine.started.isEmpty() && mine.started.peekFirst() <= now - HOUR_MS) {
                mine.started.pollFirst();
            }
            if (mine.started.size() + fresh.size() > perHour) {
                if (refused != null) {
                    refused.increment();
                }
                long freeAt = mine.started.isEmpty() ? now + HOUR_MS : mine.started.peekFirst() + HOUR_MS;
                long seconds = Math.max(1, (freeAt - now + 999) / 1000);
                throw new SessionQuotaExceededException("rate limit: token '" + token + "' started "
                        + mine.started.size() + " new sessions in the last hour, limits.newSessionsPerHour is "
                        + perHour + "; retry after " + seconds + " s", seconds);
            }
            for (String id : fresh) {
                mine.started.addLast(now);
                mine.recent.put(id, Boolean.TRUE);
            }
        }
    }
}
