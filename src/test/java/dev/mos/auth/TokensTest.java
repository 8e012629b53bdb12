package dev.mos.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    @TempDir
    Path dir;

    /** A clock the test moves, so the once-a-second re-check is exercised without sleeping. */
    static final class StepClock extends Clock {
        long millis = 1_000_000;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private Path file(String... lines) throws Exception {
        Path f = dir.resolve("tokens.json");
        Files.writeString(f, "[" + String.join(",", lines) + "]");
        return f;
    }

    @Test
    void theAuthTokenIsOneAllScopeTokenNamedDefault() {
        Tokens tokens = new Tokens(List.of("s3cret"), null, Clock.systemUTC());
        assertThat(tokens.required()).isTrue();
        Caller caller = tokens.authenticate("s3cret").orElseThrow();
        assertThat(caller.name()).isEqualTo("default");
        assertThat(caller.scopes()).containsExactlyInAnyOrder(Scope.values());
        assertThat(tokens.authenticate("s3cret ")).isEmpty();
        assertThat(new Tokens(List.of(), null, Clock.systemUTC()).required()).isFalse();
    }

    @Test
    void fileTokensCarryTheirNameAndScopesOnly() throws Exception {
        Path f = file(TokensFile.line("ci", EnumSet.of(Scope.INGEST), "tok-ci"),
                TokensFile.line("alice", EnumSet.of(Scope.READ, Scope.ADMIN), "tok-alice"));
        Tokens tokens = new Tokens(List.of(), f, Clock.systemUTC());
        Caller ci = tokens.authenticate("tok-ci").orElseThrow();
        assertThat(ci.name()).isEqualTo("ci");
        assertThat(ci.may(Scope.INGEST)).isTrue();
        assertThat(ci.may(Scope.READ)).isFalse();
        assertThat(tokens.authenticate("tok-alice").orElseThrow().scopes()).isEqualTo(Set.of(Scope.READ, Scope.ADMIN));
        assertThat(tokens.authenticate("tok-bob")).isEmpty();
        assertThat(Files.readString(f)).doesNotContain("tok-ci", "tok-alice");
    }

    @Test
    void aChangedFileIsReReadAfterASecondAndABadOneKeepsTheLastGoodSet() throws Exception {
        Path f = file(TokensFile.line("old", EnumSet.of(Scope.READ), "tok-old"));
        StepClock clock = new StepClock();
        Tokens tokens = new Tokens(List.of(), f, clock);
        assertThat(tokens.authenticate("tok-old")).isPresent();

        file(TokensFile.line("new", EnumSet.of(Scope.READ), "tok-new"));
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5_000));
        assertThat(tokens.authenticate("tok-new")).as("not looked at again within the second").isEmpty();
        clock.millis += 1_000;
        assertThat(tokens.authenticate("tok-new")).isPresent();
        assertThat(tokens.authenticate("tok-old")).as("revoked").isEmpty();

        Files.writeString(f, "[{\"name\": 1}]");
        clock.millis += 1_000;
        assertThat(tokens.authenticate("tok-new")).as("a bad file must not lock everyone out").isPresent();
    }

    @Test
    void aBadFileAtStartNamesTheEntryAndField() throws Exception {
        assertThatThrownBy(() -> new Tokens(List.of(), file("{\"name\": \"a\", \"scopes\": [\"read\"], "
                + "\"sha256\": \"abc\"}"), Clock.systemUTC()))
                .hasMessageContaining("entry 0 (a)").hasMessageContaining("sha256");
        assertThatThrownBy(() -> new Tokens(List.of(), file("{\"name\": \"a\", \"scopes\": [\"write\"], "
                + "\"sha256\": \"" + "0".repeat(64) + "\"}"), Clock.systemUTC()))
                .hasMessageContaining("entry 0 (a)").hasMessageContaining("write");
        String line = TokensFile.line("twice", EnumSet.of(Scope.READ), "x");
        assertThatThrownBy(() -> new Tokens(List.of(), file(line, line), Clock.systemUTC()))
                .hasMessageContaining("entry 1").hasMessageContaining("used twice");
        assertThatThrownBy(() -> new Tokens(List.of(), file("{\"scopes\": []}"), Clock.systemUTC()))
                .hasMessageContaining("entry 0").hasMessageContaining("name");
        Files.writeString(dir.resolve("tokens.json"), "{\"name\": \"a\"}");
        assertThatThrownBy(() -> new Tokens(List.of(), dir.resolve("tokens.json"), Clock.systemUTC()))
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> new Tokens(List.of(), dir.resolve("missing.json"), Clock.systemUTC()))
                .hasMessageContaining("missing.json").hasMessageContaining("cannot be read");
    }

    @Test
    void eachRequestNeedsItsScope() {
        assertThat(ScopeRules.forRequest("POST", "/hooks")).contains(Scope.INGEST);
        assertThat(ScopeRules.forRequest("POST", "/v1/logs")).contains(Scope.INGEST);
        assertThat(ScopeRules.forRequest("GET", "/api/v1/sessions")).contains(Scope.READ);
        assertThat(ScopeRules.forRequest("GET", "/api/v1/stream")).contains(Scope.READ);
        assertThat(ScopeRules.forRequest("DELETE", "/api/v1/sessions/a")).contains(Scope.ADMIN);
        assertThat(ScopeRules.forRequest("POST", "/mcp")).isEmpty();
        assertThat(ScopeRules.forTool("log_event")).isEqualTo(Scope.INGEST);
        assertThat(ScopeRules.forTool("delete_session")).isEqualTo(Scope.ADMIN);
        assertThat(ScopeRules.forTool("configure_otel_export")).isEqualTo(Scope.ADMIN);
        assertThat(ScopeRules.forTool("get_activity_tree")).isEqualTo(Scope.READ);
    }
}
