package dev.mos.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionQuotaTest {

    private final Set<String> stored = new HashSet<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Instant now = Instant.parse("2026-12-06T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    @Test
    void aTokenStartsAtMostItsQuotaOfNewSessionsPerHourAndKeepsSendingToThem() {
        SessionQuota quota = new SessionQuota(3, stored::contains, clock, meters);
        quota.admit("ci", List.of("a", "b"));
        quota.admit("ci", List.of("c", "a"));
        assertThatThrownBy(() -> quota.admit("ci", List.of("d"))).isInstanceOf(SessionQuotaExceededException.class)
                .hasMessageContaining("token 'ci'").hasMessageContaining("limits.newSessionsPerHour is 3")
                .satisfies(e -> assertThat(((SessionQuotaExceededException) e).retryAfterSeconds()).isEqualTo(3600));
        quota.admit("ci", List.of("a", "b", "c"));
        quota.admit("alice", List.of("x", "y", "z"));
        assertThatThrownBy(() -> quota.admit("ci", List.of("a", "e"))).as("a batch over the quota is refused whole")
                .isInstanceOf(SessionQuotaExceededException.class);
        assertThat(meters.get("mos.requests.limited").tag("limit", "sessions").counter().count()).isEqualTo(2);

        now = now.plusSeconds(3_601);
        quota.admit("ci", List.of("d", "e", "f"));
    }

    @Test
    void sessionsTheStoreHasAreNotNewAndNoTokenMeansNoQuota() {
        stored.addAll(List.of("old1", "old2"));
        SessionQuota quota = new SessionQuota(1, stored::contains, clock, meters);
        quota.admit("ci", List.of("old1", "old2", "new1"));
        assertThatThrownBy(() -> quota.admit("ci", List.of("new2"))).isInstanceOf(SessionQuotaExceededException.class);
        quota.admit(null, List.of("n1", "n2", "n3"));
        SessionQuota.UNLIMITED.admit("ci", List.of("n4", "n5"));
    }
}
