package dev.mos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.setup.GeminiSettingsLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** mos setup gemini on real files: merge, idempotence, a moved server, the user's settings kept, --remove. */
class SetupGeminiCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "setup";
        all[1] = "gemini";
        System.arraycopy(args, 0, all, 2, args.length);
        return Main.run(all);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final String USERS = """
            {
              "model": {"name": "gemini-2.5-pro"},
              "mcpServers": {"github": {"command": "gh-mcp"}},
              "telemetry": {"logPrompts": true, "enabled": false}
            }
            """;

    @Test
    void writeMergesMcpAndTelemetryKeepsTheUsersSettingsAndIsIdempotent() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, USERS);

        assertThat(run("--url", "http://127.0.0.1:4000/", "--write", "--settings", file.toString())).isZero();
        JsonNode s = JSON.readTree(file.toFile());
        assertThat(s.path("model").path("name").asString()).isEqualTo("gemini-2.5-pro");
        assertThat(s.path("mcpServers").path("github").path("command").asString()).isEqualTo("gh-mcp");
        assertThat(s.path("mcpServers").path("mos").path("httpUrl").asString()).isEqualTo("http://127.0.0.1:4000/mcp");
        JsonNode t = s.path("telemetry");
        assertThat(t.path("enabled").asBoolean()).isTrue();
        assertThat(t.path("target").asString()).isEqualTo("local");
        assertThat(t.path("otlpEndpoint").asString()).isEqualTo("http://127.0.0.1:4000");
        assertThat(t.path("otlpProtocol").asString()).isEqualTo("http");
        assertThat(t.path("logPrompts").asBoolean()).isTrue();
        // the user's enabled:false was replaced, and they were told
        assertThat(stderr()).contains("telemetry.enabled was false, now true");
        String written = Files.readString(file);

        err.reset();
        assertThat(run("--url", "http://127.0.0.1:4000", "--write", "--settings", file.toString())).isZero();
        assertThat(stderr()).contains("already up to date");
        assertThat(Files.readString(file)).isEqualTo(written);

        // a server on another port replaces the earlier entries, without a note about MOS's own old endpoint
        err.reset();
        assertThat(run("--url", "http://127.0.0.1:5000", "--write", "--settings", file.toString())).isZero();
        s = JSON.readTree(file.toFile());
        assertThat(s.path("mcpServers").path("mos").path("httpUrl").asString()).isEqualTo("http://127.0.0.1:5000/mcp");
        assertThat(s.path("telemetry").path("otlpEndpoint").asString()).isEqualTo("http://127.0.0.1:5000");
        assertThat(stderr()).doesNotContain("otlpEndpoint was");
    }

    @Test
    void removeTakesOutOnlyWhatSetupWrote() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, """
                {"mcpServers": {"github": {"command": "gh-mcp"}}, "telemetry": {"logPrompts": false}}
                """);
        assertThat(run("--url", "http://127.0.0.1:4000", "--write", "--settings", file.toString())).isZero();
        assertThat(stderr()).contains("logPrompts false kept");

        assertThat(run("--url", "http://127.0.0.1:4000", "--remove", "--settings", file.toString())).isZero();
        JsonNode s = JSON.readTree(file.toFile());
        assertThat(s.path("mcpServers").has("mos")).isFalse();
        assertThat(s.path("mcpServers").path("github").path("command").asString()).isEqualTo("gh-mcp");
        assertThat(s.path("telemetry").properties()).extracting(Map.Entry::getKey).containsExactly("logPrompts");

        err.reset();
        assertThat(run("--url", "http://127.0.0.1:4000", "--remove", "--settings", file.toString())).isZero();
        assertThat(stderr()).contains("has no MOS entries");
    }

    @Test
    void removeOfAFileSetupAloneWroteLeavesAnEmptyObject() throws Exception {
        Path file = tmp.resolve("sub").resolve("settings.json");
        assertThat(run("--url", "http://127.0.0.1:4000", "--write", "--settings", file.toString(),
                "--token-env", "MOS_TOKEN")).isZero();
        JsonNode s = JSON.readTree(file.toFile());
        assertThat(s.path("mcpServers").path("mos").path("headers").path("Authorization").asString())
                .isEqualTo("Bearer ${MOS_TOKEN}");
        assertThat(stderr()).contains("OTEL_EXPORTER_OTLP_HEADERS");
        assertThat(run("--url", "http://127.0.0.1:4000", "--remove", "--settings", file.toString())).isZero();
        assertThat(JSON.readTree(file.toFile()).isEmpty()).isTrue();
    }

    @Test
    void printedModeWritesNothingAndBadFilesAreRefusedClearly() throws Exception {
        Path file = tmp.resolve("settings.json");
        assertThat(run("--url", "http://127.0.0.1:4000", "--settings", file.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"otlpEndpoint\": \"http://127.0.0.1:4000\"",
                "\"httpUrl\": \"http://127.0.0.1:4000/mcp\"");
        assertThat(file).doesNotExist();

        Files.writeString(file, "{\"telemetry\": [1]}");
        assertThat(run("--url", "http://127.0.0.1:4000", "--write", "--settings", file.toString())).isEqualTo(1);
        assertThat(stderr()).contains("\"telemetry\" is not a JSON object").doesNotContain("Exception");
        Files.writeString(file, "{ // a comment\n}");
        assertThat(run("--url", "http://127.0.0.1:4000", "--write", "--settings", file.toString())).isEqualTo(1);
        assertThat(stderr()).contains("not valid JSON");
    }

    @Test
    void theFileIsFoundAsGeminiCliFindsIt() {
        Path cwd = tmp.resolve("project");
        assertThat(GeminiSettingsLocation.resolve(null, false, Map.of("HOME", "/h"), "/passwd-home", cwd))
                .isEqualTo(Path.of("/h/.gemini/settings.json"));
        assertThat(GeminiSettingsLocation.resolve(null, false, Map.of("HOME", "/h", "GEMINI_CLI_HOME", "/g"),
                "/passwd-home", cwd)).isEqualTo(Path.of("/g/.gemini/settings.json"));
        assertThat(GeminiSettingsLocation.resolve(null, false, Map.of(), "/passwd-home", cwd))
                .isEqualTo(Path.of("/passwd-home/.gemini/settings.json"));
        assertThat(GeminiSettingsLocation.resolve(null, true, Map.of("HOME", "/h"), "/x", cwd))
                .isEqualTo(cwd.resolve(".gemini/settings.json").toAbsolutePath().normalize());
    }
}
