package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar's {@code mos setup claude-code} as a user runs it, as a child process: it finds Claude Code's
 * settings from {@code $HOME} or {@code $CLAUDE_CONFIG_DIR} (never from Java's {@code user.home}, here pointed at a
 * decoy), replaces its own entries when run again for another server, and {@code --remove} gives the user's file
 * back as it was.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SetupClaudeCodeIT {

    /** A user's settings: hooks of their own (a matcher, another URL, a command), env, other keys. */
    private static final String USERS = """
            {
              "model": "opus",
              "env": {"FOO": "bar"},
              "hooks": {
                "PreToolUse": [
                  {"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh"}]},
                  {"matcher": "Edit", "hooks": [{"type": "http", "url": "http://audit.local/collect"}]}
                ],
                "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]
              },
              "permissions": {"allow": ["Bash(ls:*)"]},
              "cleanupPeriodDays": 30
            }
            """;
    private static final List<String> EVENTS = List.of("UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PostToolUseFailure", "PostToolBatch", "PermissionRequest", "PermissionDenied", "Notification",
            "SubagentStart", "SubagentStop", "Stop", "StopFailure", "PreCompact", "PostCompact", "SessionEnd",
            "SessionStart");

    @TempDir
    Path tmp;

    private ClaudeRunner runner;
    private Path decoyHome;
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        runner = new ClaudeRunner("SetupClaudeCodeIT", tmp);
        decoyHome = Files.createDirectories(tmp.resolve("passwd-home"));
        work = Files.createDirectories(tmp.resolve("work"));
    }

    private Proc.Result setup(Map<String, String> env, String... args) throws Exception {
        return runner.setup(env, List.of("-Duser.home=" + decoyHome), work, args);
    }

    @Test
    void underAnotherHomeTwoUrlsThenRemoveGiveTheUsersFileBack() throws Exception {
        Path home = tmp.resolve("home");
        Path settings = home.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, USERS);
        Map<String, String> env = Map.of("HOME", home.toString());

        assertThat(setup(env, "--write", "--otlp", "--url", "http://127.0.0.1:3001").exitCode()).isZero();
        assertThat(runner.lastStderr()).contains("wrote " + settings);
        Proc.Result second = setup(env, "--write", "--otlp", "--url", "http://127.0.0.1:3002");
        assertThat(second.exitCode()).isZero();

        JsonNode merged = Http.JSON.readTree(Files.readString(settings));
        assertOneMosHookPerEventAt(merged, "http://127.0.0.1:3002");
        assertUsersHooksInPlace(merged);
        assertThat(merged.path("env").path("FOO").asString()).isEqualTo("bar");
        assertThat(merged.path("env").path("OTEL_EXPORTER_OTLP_ENDPOINT").asString())
                .isEqualTo("http://127.0.0.1:3002");
        assertThat(merged.path("env").path("CLAUDE_CODE_ENABLE_TELEMETRY").asString()).isEqualTo("1");
        assertThat(decoyHome.resolve(".claude")).doesNotExist();

        assertThat(setup(env, "--remove").exitCode()).isZero();
        assertSameSettings(Files.readString(settings), USERS);
        try (var files = Files.list(settings.getParent())) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("settings.json.bak-")))
                    .hasSize(3); // one per change: two set-ups and the removal
        }
    }

    @Test
    void claudeConfigDirIsWhereTheUserSettingsAre() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home2"));
        Path config = Files.createDirectories(tmp.resolve("claude-config"));
        Path settings = config.resolve("settings.json");
        Files.writeString(settings, USERS);
        Map<String, String> env = Map.of("HOME", home.toString(), "CLAUDE_CONFIG_DIR", config.toString());

        assertThat(setup(env, "--write", "--url", "http://127.0.0.1:4001").exitCode()).isZero();
        assertThat(setup(env, "--write", "--url", "http://127.0.0.1:4002").exitCode()).isZero();
        assertThat(runner.lastStderr()).contains("wrote " + settings);
        JsonNode merged = Http.JSON.readTree(Files.readString(settings));
        assertOneMosHookPerEventAt(merged, "http://127.0.0.1:4002");
        assertUsersHooksInPlace(merged);
        assertThat(merged.has("env") && merged.path("env").has("OTEL_EXPORTER_OTLP_ENDPOINT")).isFalse();
        assertThat(home.resolve(".claude")).doesNotExist();
        assertThat(decoyHome.resolve(".claude")).doesNotExist();

        assertThat(setup(env, "--remove").exitCode()).isZero();
        assertSameSettings(Files.readString(settings), USERS);
    }

    @Test
    void projectAndLocalWriteTheCurrentDirectorysFiles() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home3"));
        Map<String, String> env = Map.of("HOME", home.toString());
        assertThat(setup(env, "--write", "--project", "--url", "http://127.0.0.1:5001").exitCode()).isZero();
        assertThat(setup(env, "--write", "--local", "--url", "http://127.0.0.1:5001").exitCode()).isZero();
        assertOneMosHookPerEventAt(Http.JSON.readTree(Files.readString(work.resolve(".claude/settings.json"))),
                "http://127.0.0.1:5001");
        assertOneMosHookPerEventAt(Http.JSON.readTree(Files.readString(work.resolve(
                ".claude/settings.local.json"))), "http://127.0.0.1:5001");
        assertThat(home.resolve(".claude")).doesNotExist();

        assertThat(setup(env, "--remove", "--local").exitCode()).isZero();
        assertThat(Files.readString(work.resolve(".claude/settings.local.json"))).isEqualTo("{}\n");
    }

    @Test
    void aSettingsFileThatIsNotJsonIsNamedAndLeftUntouched() throws Exception {
        Path home = tmp.resolve("home4");
        Path settings = home.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\"hooks\": ");
        Proc.Result r = setup(Map.of("HOME", home.toString()), "--write", "--url", "http://127.0.0.1:6001");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(runner.lastStderr()).contains(settings.toString()).contains("not valid JSON")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.readString(settings)).isEqualTo("{\"hooks\": ");
        try (var files = Files.list(settings.getParent())) {
            assertThat(files).containsExactly(settings);
        }
    }

    private static void assertOneMosHookPerEventAt(JsonNode settings, String base) {
        for (String event : EVENTS) {
            List<JsonNode> ours = new ArrayList<>();
            for (JsonNode group : settings.path("hooks").path(event)) {
                for (JsonNode handler : group.path("hooks")) {
                    String url = handler.path("url").asString("");
                    String command = handler.path("command").asString("");
                    if (url.endsWith("/hooks") || command.contains(" hook --url ")) {
                        ours.add(handler);
                    }
                }
            }
            assertThat(ours).as("MOS hooks on %s", event).singleElement().satisfies(h -> assertThat(
                    h.has("url") ? h.path("url").asString() : h.path("command").asString())
                    .endsWith(h.has("url") ? base + "/hooks" : " hook --url " + base));
        }
    }

    private static void assertUsersHooksInPlace(JsonNode merged) throws Exception {
        JsonNode original = Http.JSON.readTree(USERS);
        JsonNode pre = merged.path("hooks").path("PreToolUse");
        assertThat(pre).hasSize(3);
        assertThat(pre.get(0)).isEqualTo(original.path("hooks").path("PreToolUse").get(0));
        assertThat(pre.get(1)).isEqualTo(original.path("hooks").path("PreToolUse").get(1));
        assertThat(merged.path("hooks").path("Stop").get(0)).isEqualTo(original.path("hooks").path("Stop").get(0));
        assertThat(merged.path("model").asString()).isEqualTo("opus");
        assertThat(merged.path("permissions")).isEqualTo(original.path("permissions"));
    }

    /** Equal as JSON, and with every object's keys in the same order. */
    private static void assertSameSettings(String actual, String expected) throws Exception {
        JsonNode a = Http.JSON.readTree(actual);
        JsonNode e = Http.JSON.readTree(expected);
        assertThat(a).isEqualTo(e);
        assertThat(keyOrder(a, "")).isEqualTo(keyOrder(e, ""));
    }

    private static List<String> keyOrder(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            for (String name : node.propertyNames()) {
                out.add(at + "/" + name);
                out.addAll(keyOrder(node.get(name), at + "/" + name));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.addAll(keyOrder(node.get(i), at + "[" + i + "]"));
            }
        }
        return out;
    }
}
