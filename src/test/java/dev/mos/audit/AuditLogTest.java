package dev.mos.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mos.model.AuditEntry;
import dev.mos.store.StoreLimits;
import dev.mos.store.memory.MemorySessionStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuditLogTest {

    private final MemorySessionStore store = new MemorySessionStore(new StoreLimits(100, 1 << 20), Clock.systemUTC());
    private final AuditLog audit = new AuditLog(store, Clock.systemUTC());

    @Test
    void anEndpointsQueryAndHeadersNeverReachTheLogOrTheStore() {
        Logger logger = (Logger) LoggerFactory.getLogger("mos.audit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("endpoint", "https://collector.example:4318/otlp?api_key=s3cret-q&x=1");
            args.put("headers", "x-api-key=s3cret-h");
            audit.record(Actor.token("ops", "10.0.0.7"), "configure_otel_export", args, null);
        } finally {
            logger.detachAppender(lines);
        }
        AuditEntry entry = audit.newest(1).getFirst();
        assertThat(entry.target()).isEqualTo("https://collector.example:4318/otlp");
        assertThat(entry.detail()).contains("https://collector.example:4318/otlp").contains("hidden")
                .doesNotContain("s3cret");
        assertThat(entry.actor()).isEqualTo("ops");
        assertThat(lines.list).singleElement().satisfies(line ->
                assertThat(line.getFormattedMessage()).contains("ops (10.0.0.7) configure_otel_export")
                        .doesNotContain("s3cret"));
    }

    @Test
    void aDeletionNamesTheSessionAndItsOutcome() {
        audit.record(Actor.LOCAL, "delete_session", Map.of("session_id", "s-1"), "session 's-1' not found");
        AuditEntry entry = audit.newest(1).getFirst();
        assertThat(entry.target()).isEqualTo("s-1");
        assertThat(entry.outcome()).isEqualTo("error: session 's-1' not found");
        assertThat(entry.detail()).isNull();
    }
}
