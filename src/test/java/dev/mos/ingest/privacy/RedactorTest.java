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
                "[REDACTED]", "~+/=");
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

    @Test
    void proseThatOnlyMentionsSecretWordsIsLeftAsItIs() {
        String text = "The token is sent by the client; see https://example.com/docs and basic set-up. A secret? No.";
        assertThat(redactor.redact(text)).isSameAs(text);
    }
}
