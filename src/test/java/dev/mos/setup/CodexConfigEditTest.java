package dev.mos.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

class CodexConfigEditTest {

    private static final TomlMapper TOML = TomlMapper.builder().build();
    private static final String USER = """
            # my Codex settings
            model = "gpt-5.1-codex"   # the one I like

            [otel]
            # keep prompts: my choice
            log_user_prompt = true
            environment = "dev"

            [mcp_servers.github]
            command = "gh-mcp"
            """;

    @TempDir
    Path tmp;

    @Test
    void writesTheExporterIntoTheUsersOtelTableAndMosAsMcpServerKeepingEverythingElse() {
        String out = CodexConfigEdit.apply(USER, "http://127.0.0.1:3000", null).text();
        JsonNode config = TOML.readTree(out);
        assertThat(config.path("model").asString()).isEqualTo("gpt-5.1-codex");
        assertThat(config.path("otel").path("log_user_prompt").asBoolean()).isTrue();
        assertThat(config.path("otel").path("environment").asString()).isEqualTo("dev");
        JsonNode http = config.path("otel").path("exporter").path("otlp-http");
        assertThat(http.path("endpoint").asString()).isEqualTo("http://127.0.0.1:3000/v1/logs");
        assertThat(http.path("protocol").asString()).isEqualTo("json");
        assertThat(config.path("otel").path("trace_exporter").path("otlp-http").path("endpoint").asString())
                .isEqualTo("http://127.0.0.1:3000/v1/traces");
        assertThat(config.path("mcp_servers").path("github").path("command").asString()).isEqualTo("gh-mcp");
        assertThat(config.path("mcp_servers").path("mos").path("url").asString())
                .isEqualTo("http://127.0.0.1:3000/mcp");
        // comments and order stay
        assertThat(out).startsWith("# my Codex settings\nmodel = \"gpt-5.1-codex\"   # the one I like\n");
        assertThat(out).contains("# keep prompts: my choice\nlog_user_prompt = true");
    }

    private static final java.util.List<String> NOTIFY = java.util.List.of("/opt/jdk/bin/java", "-jar",
            "/opt/mos/mos.jar", "hook", "--url", "http://127.0.0.1:3000");

    @Test
    void notifyGoesAtTheTopIsReplacedOnARerunAndLeavesExactlyOnRemove() {
        CodexConfigEdit.Result once = CodexConfigEdit.apply(USER, "http://127.0.0.1:3000", null, NOTIFY);
        JsonNode config = TOML.readTree(once.text());
        assertThat(config.path("notify").valueStream().map(JsonNode::asString).toList()).isEqualTo(NOTIFY);
        assertThat(config.path("model").asString()).isEqualTo("gpt-5.1-codex");
        assertThat(once.notes()).isEmpty();
        assertThat(CodexConfigEdit.apply(once.text(), "http://127.0.0.1:3000", null, NOTIFY).text())
                .isEqualTo(once.text());
        assertThat(CodexConfigEdit.remove(once.text()).text()).isEqualTo(USER);
        String fresh = CodexConfigEdit.apply("", "http://127.0.0.1:3000", null, NOTIFY).text();
        assertThat(TOML.readTree(fresh).path("notify").size()).isEqualTo(NOTIFY.size());
        assertThat(CodexConfigEdit.remove(fresh).text()).isEmpty();
    }

    @Test
    void theUsersOwnNotifyStaysWithANote() {
        String theirs = "notify = [\"notify-send\", \"Codex\"]\n" + USER;
        CodexConfigEdit.Result r = CodexConfigEdit.apply(theirs, "http://127.0.0.1:3000", null, NOTIFY);
        assertThat(TOML.readTree(r.text()).path("notify").get(0).asString()).isEqualTo("notify-send");
        assertThat(r.notes()).singleElement().asString().contains("kept your own notify");
        assertThat(CodexConfigEdit.remove(r.text()).text()).isEqualTo(theirs);
    }

    @Test
    void aSecondRunChangesNothingAndAnotherUrlReplacesInsteadOfAddingBeside() {
        String once = CodexConfigEdit.apply(USER, "http://127.0.0.1:3000", null).text();
        CodexConfigEdit.Result again = CodexConfigEdit.apply(once, "http://127.0.0.1:3000", null);
        assertThat(again.text()).isEqualTo(once);
        assertThat(again.notes()).as("MOS's own entries are not the user's").isEmpty();
        String moved = CodexConfigEdit.apply(once, "http://10.0.0.5:4000", "MOS_TOKEN").text();
        assertThat(moved).doesNotContain("3000").containsOnlyOnce("[mcp_servers.mos]")
                .containsOnlyOnce("\nexporter").containsOnlyOnce("trace_exporter");
        JsonNode config = TOML.readTree(moved);
        assertThat(config.path("mcp_servers").path("mos").path("bearer_token_env_var").asString())
                .isEqualTo("MOS_TOKEN");
    }

    @Test
    void removeGivesBackTheUsersFileExactly() {
        String once = CodexConfigEdit.apply(USER, "http://127.0.0.1:3000", null).text();
        assertThat(CodexConfigEdit.remove(once).text()).isEqualTo(USER);
        assertThat(CodexConfigEdit.remove(USER).text()).isEqualTo(USER);
    }

    @Test
    void anOtelTableMosAddedGoesAgainOnRemove() {
        String mine = "model = \"o3\"\n";
        String once = CodexConfigEdit.apply(mine, "http://127.0.0.1:3000", null).text();
        assertThat(TOML.readTree(once).path("otel").path("exporter").isObject()).isTrue();
        assertThat(CodexConfigEdit.apply(once, "http://127.0.0.1:3000", null).text()).isEqualTo(once);
        assertThat(CodexConfigEdit.remove(once).text()).isEqualTo(mine);
        assertThat(TOML.readTree(CodexConfigEdit.apply("", "http://h:1", null).text())
                .path("mcp_servers").path("mos").path("url").asString()).isEqualTo("http://h:1/mcp");
    }

    @Test
    void exportersOfTheUsersAreReplacedWithANoteAlsoInTableFormAndOverSeveralLines() {
        String theirs = """
                [otel]
                exporter = { otlp-http = {
                  endpoint = "https://collector.example/v1/logs",
                  protocol = "binary" } }
                log_user_prompt = false
                metrics_exporter = { otlp-http = { endpoint = "https://collector.example/v1/metrics" } }

                [otel.trace_exporter.otlp-http]
                endpoint = "https://collector.example/v1/traces"
                """;
        CodexConfigEdit.Result r = CodexConfigEdit.apply(theirs, "http://127.0.0.1:3000", null);
        assertThat(r.notes()).hasSize(2).anySatisfy(n -> assertThat(n).contains("replaced otel.exporter"))
                .anySatisfy(n -> assertThat(n).contains("[otel.trace_exporter.otlp-http]"));
        assertThat(r.text()).doesNotContain("collector.example/v1/logs").doesNotContain("collector.example/v1/traces")
                .contains("collector.example/v1/metrics").contains("log_user_prompt = false");
        assertThat(TOML.readTree(r.text()).path("otel").path("trace_exporter").path("otlp-http").path("endpoint")
                .asString()).isEqualTo("http://127.0.0.1:3000/v1/traces");
        String table = """
                [otel.exporter.otlp-http]
                endpoint = "https://collector.example/v1/logs"
                protocol = "binary"
                """;
        String replaced = CodexConfigEdit.apply(table, "http://127.0.0.1:3000", null).text();
        assertThat(TOML.readTree(replaced).path("otel").path("exporter").path("otlp-http").path("endpoint")
                .asString()).isEqualTo("http://127.0.0.1:3000/v1/logs");
    }

    @Test
    void dottedKeysAtTheTopAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> CodexConfigEdit.apply("otel.log_user_prompt = true\n", "http://h:1", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("otel.log_user_prompt");
    }

    @Test
    void theFileIsFoundAsCodexFindsItAndInvalidTomlIsLeftAlone() throws Exception {
        assertThat(CodexConfigLocation.resolve(null, Map.of("CODEX_HOME", "/x/codex", "HOME", "/h"), "/u"))
                .isEqualTo(Path.of("/x/codex/config.toml"));
        assertThat(CodexConfigLocation.resolve(null, Map.of("HOME", "/h"), "/u"))
                .isEqualTo(Path.of("/h/.codex/config.toml"));
        assertThat(CodexConfigLocation.resolve(null, Map.of(), "/u")).isEqualTo(Path.of("/u/.codex/config.toml"));

        Path file = tmp.resolve("config.toml");
        Files.writeString(file, "model = \n[[broken");
        CodexConfigFile io = new CodexConfigFile(Clock.systemUTC());
        assertThatThrownBy(() -> io.read(file)).isInstanceOf(SettingsFileException.class)
                .hasMessageContaining("is not valid TOML").hasMessageContaining("left unchanged");
        assertThat(io.read(tmp.resolve("missing.toml"))).isEmpty();
        Path written = tmp.resolve("new/config.toml");
        assertThat(io.write(written, "a = 1\n")).isNull();
        assertThat(io.write(written, "a = 2\n")).isNotNull();
        assertThat(Files.readString(written)).isEqualTo("a = 2\n");
    }
}
