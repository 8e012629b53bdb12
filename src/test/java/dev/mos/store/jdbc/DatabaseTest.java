package dev.mos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void latestSchemaVersionMatchesTheNewestMigrationOfEachDialect() throws IOException, URISyntaxException {
        for (String dialect : new String[] {"sqlite", "postgres"}) {
            Path dir = Path.of(DatabaseTest.class.getResource("/db/migration/" + dialect).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                int newest = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.matches("V\\d+__.*\\.sql"))
                        .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                        .max().orElseThrow();
                assertThat(String.valueOf(newest)).as(dialect).isEqualTo(Database.LATEST_SCHEMA_VERSION);
            }
        }
    }
}
