package dev.mos.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {

    @TempDir
    Path tmp;

    private final SettingsFile io = new SettingsFile(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC));

    @Test
    void aMissingOrBlankFileIsEmptySettings() throws Exception {
        assertThat(io.read(tmp.resolve("none.json"))).isEmpty();
        Files.writeString(tmp.resolve("blank.json"), " \n");
        assertThat(io.read(tmp.resolve("blank.json"))).isEmpty();
    }

    @Test
    void notJsonOrNotAnObjectIsNamedWithTheFile() throws Exception {
        Path broken = tmp.resolve("settings.json");
        Files.writeString(broken, "{\"hooks\": {,}");
        assertThatThrownBy(() -> io.read(broken)).isInstanceOf(SettingsFileException.class)
                .hasMessageContaining(broken.toString()).hasMessageContaining("not valid JSON")
                .hasMessageContaining("left unchanged");
        Files.writeString(broken, "[1, 2]");
        assertThatThrownBy(() -> io.read(broken)).isInstanceOf(SettingsFileException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void keyOrderAndNumbersSurviveAndTheLayoutIsClaudeCodesOwn() throws Exception {
        String text = "{\"z\": 1.10, \"a\": {\"y\": [], \"b\": {}}, \"big\": 12345678901234567890, \"l\": [1, \"x\"]}";
        Map<String, Object> settings = io.parse(Path.of("s.json"), text);
        assertThat(io.render(settings)).isEqualTo("""
                {
                  "z": 1.10,
                  "a": {
                    "y": [],
                    "b": {}
                  },
                  "big": 12345678901234567890,
                  "l": [
                    1,
                    "x"
                  ]
                }
                """);
    }

    @Test
    void writeBacksUpKeepsPermissionsAndCreatesMissingDirectories() throws Exception {
        Path fresh = tmp.resolve("a/b/settings.json");
        assertThat(io.write(fresh, Map.of("x", 1))).isNull();
        assertThat(Files.readString(fresh)).isEqualTo("{\n  \"x\": 1\n}\n");

        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
        Path backup = io.write(fresh, Map.of("x", 2));
        assertThat(backup.getFileName().toString()).isEqualTo("settings.json.bak-1000");
        assertThat(Files.readString(backup)).contains("\"x\": 1");
        assertThat(Files.readString(fresh)).contains("\"x\": 2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
        try (var files = Files.list(fresh.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("settings.json", "settings.json.bak-1000");
        }
    }

    @Test
    void onlyTheNewestBackupsAreKeptAndOthersFilesAreLeftAlone() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(tmp.resolve("settings.json.bak-mine"), "x");
        Files.writeString(tmp.resolve("other.json.bak-1"), "x");
        for (int i = 0; i < 8; i++) {
            io.write(file, Map.of("run", i)); // the clock stands still: names 1000, 1001, ...
        }
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(
                    "settings.json", "settings.json.bak-mine", "other.json.bak-1", "settings.json.bak-1002",
                    "settings.json.bak-1003", "settings.json.bak-1004", "settings.json.bak-1005",
                    "settings.json.bak-1006");
        }
        assertThat(Files.readString(tmp.resolve("settings.json.bak-1006"))).contains("\"run\": 6");
    }

    @Test
    void aSymlinkedSettingsFileStaysALink() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("dotfiles")).resolve("claude-settings.json");
        Files.writeString(real, "{}");
        Path link = Files.createDirectories(tmp.resolve("home/.claude")).resolve("settings.json");
        Files.createSymbolicLink(link, real);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("hooks", Map.of("Stop", List.of()));
        io.write(link, settings);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).contains("\"Stop\": []");
    }
}
