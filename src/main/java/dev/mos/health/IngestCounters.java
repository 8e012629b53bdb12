package dev.mos.health;

import dev.mos.ingest.IngestMetrics;
import dev.mos.model.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts ingested events by type and transport (Micrometer) and keeps totals per type for detailed health. */
public final class IngestCounters implements IngestMetrics {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, EnumMap<EventType, Counter>> accepted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final EnumMap<EventType, LongAdder> byType = new EnumMap<>(EventType.class);
    private final LongAdder total = new LongAdder();

    public IngestCounters(MeterRegistry registry) {
        this.registry = registry;
        for (EventType type : EventType.values()) {
            byType.put(type, new LongAdder());
        }
    }

    @Override
    public void accepted(EventType type, String transport) {
        accepted.computeIfAbsent(transport, this::countersFor).get(type).increment();
        byType.get(type).increment();
        total.increment();
    }

    private EnumMap<EventType, Counter> countersFor(String transport) {
        EnumMap<EventType, Counter> counters = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            counters.put(type, Counter.builder("mos.events.ingested").description("Events stored, by type")
                    .tag("type", type.wireName()).tag("transport", transport).register(registry));
        }
        return counters;
    }

    @Override
    public void rejected(String transport) {
        rejected.computeIfAbsent(transport, t -> Counter.builder("mos.events.rejected")
                .description("Events refused by validation").tag("transport", t).register(registry)).increment();
    }

    public long total() {
        return total.sum();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(counter -> (long) counter.count()).sum();
    }

    public Map<String, Long> byType() {
        Map<String, Long> out = new LinkedHashMap<>();
        byType.forEach((type, count) -> {
            if (count.sum() > 0) {
                out.put(type.wireName(), count.sum());
            }
        });
        return out;
    }
}
