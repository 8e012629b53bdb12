package dev.mos.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {

    @Test
    void aBurstOfTwoSecondsPassesThenTheClientWaitsAndOthersAreServed() {
        ClientLimits limits = new ClientLimits(5, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(limits.admit("token 'a'", 0)).as("request %d within the burst", i).isEmpty();
        }
        Optional<Refusal> refused = limits.admit("token 'a'", 0);
        assertThat(refused).isPresent();
        assertThat(refused.get().limit()).isEqualTo("limits.requestsPerSecond");
        assertThat(refused.get().retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.get().message()).contains("token 'a'", "limits.requestsPerSecond", "5/s", "retry after 1 s");
        assertThat(limits.admit("token 'b'", 0)).isEmpty();
    }

    @Test
    void bytesAreBudgetedByDeclaredLengthAndByWhatWasReadWhenUndeclared() {
        ClientLimits limits = new ClientLimits(0, 1_000);
        assertThat(limits.admit("address 10.0.0.1", 1_500)).isEmpty();
        Optional<Refusal> refused = limits.admit("address 10.0.0.1", 1_000);
        assertThat(refused).map(Refusal::limit).contains("limits.bytesPerSecond");
        assertThat(refused.get().retryAfterSeconds()).isEqualTo(1);

        ClientLimits chunked = new ClientLimits(0, 1_000);
        chunked.charge("address 10.0.0.2", 6_000); // read without a declared length: a debt of 4 s
        Optional<Refusal> debt = chunked.admit("address 10.0.0.2", 10);
        assertThat(debt).isPresent();
        assertThat(debt.get().retryAfterSeconds()).isBetween(4L, 5L);
    }

    @Test
    void aBodyLargerThanTheBurstWaitsForAFullBucketInsteadOfNeverPassing() {
        ClientLimits limits = new ClientLimits(0, 100);
        assertThat(limits.admit("token 'big'", 1_000_000)).isEmpty();
    }

    @Test
    void zeroTurnsABudgetOff() {
        ClientLimits off = new ClientLimits(0, 0);
        assertThat(off.enabled()).isFalse();
        for (int i = 0; i < 10_000; i++) {
            assertThat(off.admit("x", 1 << 20)).isEmpty();
        }
    }
}
