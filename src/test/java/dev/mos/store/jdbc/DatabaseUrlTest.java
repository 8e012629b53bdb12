package dev.mos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void aLibpqUrlBecomesJdbcWithTheCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://mos:p%40ss@db.internal:5433/mosdb?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/mosdb?sslmode=require");
        assertThat(url.user()).isEqualTo("mos");
        assertThat(url.password()).isEqualTo("p@ss");
        assertThat(url.redacted()).doesNotContain("p@ss").doesNotContain("p%40ss");
        assertThat(url.toString()).doesNotContain("p@ss");
    }

    @Test
    void passwordsInJdbcUrlsAreRedacted() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://h/db?user=u&password=hunter2").redacted())
                .doesNotContain("hunter2").contains("password=***");
    }

    @Test
    void badUrlsAreRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:hunter2@h/db"))
                .hasMessageContaining("must start with postgres://").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse(""))
                .hasMessageContaining("MCP_DATABASE_URL");
    }
}
