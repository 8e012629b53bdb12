package dev.mos.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A requests bucket and a bytes bucket per client, each refilled at its per-second budget and holding two seconds
 * of it, so short bursts (a hook per tool call, an OTLP batch every few seconds) pass and only a sustained flood
 * is refused. A body whose length is not known up front is charged once it has been read: its bytes are a debt the
 * client's next requests wait for.
 */
public final class ClientLimits {

    /** Beyond this many clients, the ones that have been idle long enough to refill are forgotten. */
    private static final int MAX_CLIENTS = 10_000;
    private static final long BURST_SECONDS = 2;

    private final long requestsPerSecond;
    private final long bytesPerSecond;
    private final ConcurrentHashMap<String, Buckets> clients = new ConcurrentHashMap<>();

    private record Buckets(Bucket requests, Bucket bytes) {

        boolean idle(long requestCapacity, long byteCapacity) {
            return (requests == null || requests.getAvailableTokens() >= requestCapacity)
                    && (bytes == null || bytes.getAvailableTokens() >= byteCapacity);
        }
    }

    /** @param requestsPerSecond 0 for no request limit; @param bytesPerSecond 0 for no byte limit */
    public ClientLimits(long requestsPerSecond, long bytesPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    public boolean enabled() {
        return requestsPerSecond > 0 || bytesPerSecond > 0;
    }

    /**
     * Takes one request and {@code bytes} from the client's budgets, or says which budget is spent.
     *
     * @param client the client as the refusal names it ("token 'ci-agent'", "address 10.1.2.3")
     * @param bytes the body's declared length, 0 when unknown (then {@link #charge} once it is read)
     */
    public Optional<Refusal> admit(String client, long bytes) {
        Buckets b = buckets(client);
        if (b.requests() != null) {
            ConsumptionProbe probe = b.requests().tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                return Optional.of(refusal("limits.requestsPerSecond", client, requestsPerSecond, probe));
            }
        }
        if (b.bytes() != null && bytes > 0) {
            // a body larger than the whole burst could never pass: it waits for a full bucket instead
            ConsumptionProbe probe = b.bytes().tryConsumeAndReturnRemaining(
                    Math.min(bytes, bytesPerSecond * BURST_SECONDS));
            if (!probe.isConsumed()) {
                return Optional.of(refusal("limits.bytesPerSecond", client, bytesPerSecond, probe));
            }
        }
        return Optional.empty();
    }

    /** Charges bytes read from a body of unknown length; the budget may go below zero. */
    public void charge(String client, long bytes) {
        Buckets b = buckets(client);
        if (b.bytes() != null && bytes > 0) {
            b.bytes().consumeIgnoringRateLimits(bytes);
        }
    }

    private Buckets buckets(String client) {
        Buckets b = clients.get(client);
        if (b != null) {
            return b;
        }
        if (clients.size() >= MAX_CLIENTS) {
            long requestCapacity = requestsPerSecond * BURST_SECONDS;
            long byteCapacity = bytesPerSecond * BURST_SECONDS;
            clients.values().removeIf(x -> x.idle(requestCapacity, byteCapacity));
        }
        return clients.computeIfAbsent(client, k -> new Buckets(bucket(requestsPerSecond), bucket(bytesPerSecond)));
    }

    private static Bucket bucket(long perSecond) {
        if (perSecond <= 0) {
            return null;
        }
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(perSecond * BURST_SECONDS)
                .refillGreedy(perSecond, Duration.ofSeconds(1)).build()).build();
    }

    private static Refusal refusal(String limit, String client, long perSecond, ConsumptionProbe probe) {
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        return new Refusal(limit, client, perSecond, seconds);
    }
}
