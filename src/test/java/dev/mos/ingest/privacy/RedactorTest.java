package dev.mos.ingest.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = Redactor.defaults();

    /** The prefilters skip a pattern only where it cannot match: the same output as running every pattern. */
    @Test
    void prefiltersNeverChangeWhatIsRedacted() {
        Redactor reference = Redactor.unfiltered();
        List<String> pieces = List.of("token", "TOKEN", "Secret", "password", "passwd", "pwd", "api_key", "API-KEY",
                "apikey", "access_key", "private-key", "credential", "://", "https://", "user", ":", "pw", "@",
                "host", "/", "Bearer", "basic", " ", "  ", "\t", "\n", "=", "\"", "'", "_", ".", "-", ",", ";",
                "abcd1234", "xyz", "sk-ant-abcdefghijklmnop1234", "AKIAIOSFODNN7EXAMPLE", "é", "\u212A", "\u0130",
                "[REDACTED]", "~+/=", "1600", "42", "}", "]", "_tokens");
        Random random = new Random(7);
        for (int round = 0; round < 100_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = 1 + random.nextInt(12); k > 0; k--) {
                text.append(pieces.get(random.nextInt(pieces.size())));
            }
            String s = text.toString();
            assertThat(redactor.redact(s)).as("redaction of \"%s\"", s).isEqualTo(reference.redact(s));
        }
    }

    @Test
    void secretsAreRedactedWhateverTheirCaseAndPlace() {
        for (String secret : List.of("sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "AKIAIOSFODNN7EXAMPLE",
                "ghp_abcdefghijklmnopqrstuvwxyz0123", "xoxb-1234567890-abcdef")) {
            String out = redactor.redact("before " + secret + " after");
            assertThat(out).doesNotContain(secret).contains("[REDACTED]").startsWith("before ").endsWith(" after");
        }
        assertThat(redactor.redact("curl -H 'Authorization: BEARER abcdefgh12345678'"))
                .isEqualTo("curl -H 'Authorization: BEARER [REDACTED]'");
        assertThat(redactor.redact("DB_PASSWORD=hunter2hunter2\nPORT=5432")).isEqualTo("DB_PASSWORD=[REDACTED]\nPORT=5432");
        assertThat(redactor.redact("export API_KEY = \"abc123def\"")).isEqualTo("export API_KEY = \"[REDACTED]\"");
        assertThat(redactor.redact("postgres://app:s3cr3tpw@db:5432/x")).isEqualTo("postgres://app:[REDACTED]@db:5432/x");
    }

    /** Agents report token counts everywhere (usage in tool output, model settings): a count is no secret. */
    @Test
    void tokenCountsAreNotSecretsButTokensAre() {
        assertThat(redactor.redact("{\"input_tokens\":1600,\"cache_read_tokens\":3200}"))
                .isEqualTo("{\"input_tokens\":1600,\"cache_read_tokens\":3200}");
        assertThat(redactor.redact("max_tokens=4096 total_tokens: 123456}")).isEqualTo(
                "max_tokens=4096 total_tokens: 123456}");
        assertThat(redactor.redact("GITHUB_TOKEN=abc123def456")).isEqualTo("GITHUB_TOKEN=[REDACTED]");
        assertThat(redactor.redact("BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"))
                .isEqualTo("BOT_TOKEN=[REDACTED]");
        assertThat(redactor.redact("session_token: 8f14e45fceea167a")).isEqualTo("session_token: [REDACTED]");
        assertThat(redactor.redact("PASSWORD=123456")).as("a numeric password still is one")
                .isEqualTo("PASSWORD=[REDACTED]");
    }

    @Test
    void proseThatOnlyMentionsSecretWordsIsLeftAsItIs() {
        String text = "The token is sent by the client; see https://example.com/docs and basic set-up. A secret? No.";
        assertThat(redactor.redact(text)).isSameAs(text);
    }
}
