package dev.mos.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsEditTest {

    private static final String A = "http://127.0.0.1:3000";
    private static final String B = "http://127.0.0.1:41999";
    private static final String CMD = "/usr/bin/java -jar /opt/mos/mos.jar";
    private static final List<String> EVENTS = new ArrayList<>(MosEntries.HTTP_EVENTS);

    static {
        EVENTS.addAll(MosEntries.COMMAND_EVENTS);
    }

    /** A user's file: own hooks (a matcher, another URL, a command), own env, other keys, odd numbers. */
    private static final String USERS = """
            {
              "$schema": "https://json.schemastore.org/claude-code-settings.json",
              "model": "opus",
              "env": {"FOO": "bar", "OTEL_RESOURCE_ATTRIBUTES": "team=a"},
              "hooks": {
                "PreToolUse": [
                  {"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh", "timeout": 10}]},
                  {"matcher": "Edit|Write", "hooks": [{"type": "http", "url": "http://audit.local/collect"}]}
                ],
                "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}],
                "Setup": [{"hooks": [{"type": "command", "command": "make deps"}]}]
              },
              "permissions": {"allow": ["Bash(ls:*)"], "deny": []},
              "cleanupPeriodDays": 30,
              "someRatio": 1.10
            }
            """;

    private final SettingsFile io = new SettingsFile(Clock.systemUTC());

    private Map<String, Object> parse(String text) throws Exception {
        return io.parse(Path.of("settings.json"), text);
    }

    private static MosEntries entries(String base, boolean otlp) {
        return MosEntries.of(base, CMD, null, otlp);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> handlers(Map<String, Object> settings, String event) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object group : (List<Object>) ((Map<String, Object>) settings.get("hooks")).get(event)) {
            out.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("hooks"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> groups(Map<String, Object> settings, String event) {
        return (List<Object>) ((Map<String, Object>) settings.get("hooks")).get(event);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Object> settings) {
        return (Map<String, Object>) settings.get("env");
    }

    @Test
    void intoAnEmptyFileGoesExactlyWhatThePrintedModeShows() {
        MosEntries ours = entries(A, true);
        Map<String, Object> out = SettingsEdit.apply(Map.of(), ours).settings();
        assertThat(io.render(out)).isEqualTo(io.render(ours.asSettings()));
        assertThat(out.keySet()).containsExactly("hooks", "env");
        assertThat(handlers(out, "PreToolUse")).singleElement()
                .satisfies(h -> assertThat(h).containsEntry("url", A + "/hooks"));
        assertThat(handlers(out, "SessionStart")).singleElement()
                .satisfies(h -> assertThat(h).containsEntry("command", CMD + " hook --url " + A));
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoRunsWithDifferentUrlsLeaveOneMosHookPerEventAtTheLastUrlAndTheUsersHooksInPlace() throws Exception {
        Map<String, Object> original = parse(USERS);
        Map<String, Object> once = SettingsEdit.apply(original, entries(A, false)).settings();
        Map<String, Object> twice = SettingsEdit.apply(once, entries(B, false)).settings();

        for (String event : EVENTS) {
            assertThat(handlers(twice, event).stream().filter(OwnEntries::isOurs).toList()).as(event)
                    .singleElement().satisfies(h -> assertThat(h.toString()).contains(B).doesNotContain(A));
        }
        // the user's groups: same content, same places, same order; ours after them
        assertThat(groups(twice, "PreToolUse").subList(0, 2)).isEqualTo(groups(original, "PreToolUse"));
        assertThat(groups(twice, "PreToolUse")).hasSize(3);
        assertThat(groups(twice, "Stop").getFirst()).isEqualTo(groups(original, "Stop").getFirst());
        assertThat(groups(twice, "Setup")).isEqualTo(groups(original, "Setup"));
        // hooks keep their place among the keys; the user's event order first
        assertThat(twice.keySet()).containsExactlyElementsOf(original.keySet());
        assertThat(((Map<String, Object>) twice.get("hooks")).keySet()).startsWith("PreToolUse", "Stop", "Setup");
        assertThat(twice.get("env")).isEqualTo(original.get("env"));
    }

    @Test
    void aSecondRunWithTheSameUrlChangesNothing() throws Exception {
        Map<String, Object> once = SettingsEdit.apply(parse(USERS), entries(A, true)).settings();
        assertThat(SettingsEdit.apply(once, entries(A, true)).settings()).isEqualTo(once);
        assertThat(io.render(SettingsEdit.apply(once, entries(A, true)).settings())).isEqualTo(io.render(once));
    }

    @Test
    void setupTwiceWithDifferentUrlsThenRemoveLeavesTheSettingsExactlyAsTheyWere() throws Exception {
        Map<String, Object> original = parse(USERS);
        Map<String, Object> once = SettingsEdit.apply(original, entries(A, true)).settings();
        Map<String, Object> twice = SettingsEdit.apply(once, entries(B, true)).settings();
        SettingsEdit.Result removed = SettingsEdit.remove(twice, "http://127.0.0.1:3000");

        assertThat(removed.settings()).isEqualTo(original);
        // key order too, everywhere: the rendered text is the same
        assertThat(io.render(removed.settings())).isEqualTo(io.render(original));
        assertThat(removed.notes()).isEmpty();
    }

    @Test
    void removeFromAFileSetupCreatedLeavesAnEmptyObject() {
        Map<String, Object> created = SettingsEdit.apply(Map.of(), MosEntries.of(A, CMD, "MOS_TOKEN", true))
                .settings();
        assertThat(SettingsEdit.remove(created, B).settings()).isEmpty();
    }

    @Test
    void theMosGroupStaysWhereItWasWhenTheUserAddedHooksAfterIt() throws Exception {
        Map<String, Object> once = SettingsEdit.apply(parse("{}"), entries(A, false)).settings();
        @SuppressWarnings("unchecked")
        Map<String, Object> hooks = (Map<String, Object>) once.get("hooks");
        List<Object> stop = new ArrayList<>(groups(once, "Stop"));
        stop.add(Map.of("hooks", List.of(Map.of("type", "command", "command", "notify-send done"))));
        hooks.put("Stop", stop);

        Map<String, Object> twice = SettingsEdit.apply(once, entries(B, false)).settings();
        assertThat(handlers(twice, "Stop")).extracting(h -> h.get("url") != null ? h.get("url") : h.get("command"))
                .containsExactly(B + "/hooks", "notify-send done");
    }

    @Test
    void aUsersHandlerInsideAGroupWithOursIsKept() throws Exception {
        Map<String, Object> settings = parse("""
                {"hooks": {"PostToolUse": [{"matcher": "*", "hooks": [
                  {"type": "http", "url": "http://127.0.0.1:3000/hooks"},
                  {"type": "command", "command": "./log.sh"}]}]}}
                """);
        Map<String, Object> out = SettingsEdit.apply(settings, entries(B, false)).settings();
        assertThat(groups(out, "PostToolUse")).hasSize(2);
        assertThat(groups(out, "PostToolUse").getFirst()).isEqualTo(Map.of("matcher", "*", "hooks",
                List.of(Map.of("type", "command", "command", "./log.sh"))));
        assertThat(SettingsEdit.remove(out, B).settings()).isEqualTo(Map.of("hooks", Map.of("PostToolUse",
                List.of(Map.of("matcher", "*", "hooks", List.of(Map.of("type", "command", "command",
                        "./log.sh")))))));
    }

    @Test
    void mosHooksOnEventsSetupNoLongerWritesAreDropped() throws Exception {
        Map<String, Object> settings = parse("""
                {"hooks": {"Setup": [{"hooks": [{"type": "command", "command": "mos hook --url http://x:1"}]}],
                 "TeammateIdle": [{"hooks": [{"type": "http", "url": "http://x:1/hooks"}]},
                                  {"hooks": [{"type": "command", "command": "ping"}]}]}}
                """);
        Map<String, Object> out = SettingsEdit.apply(settings, entries(A, false)).settings();
        assertThat(((Map<?, ?>) out.get("hooks")).containsKey("Setup")).isFalse();
        assertThat(handlers(out, "TeammateIdle")).containsExactly(Map.of("type", "command", "command", "ping"));
    }

    @Test
    void otlpReplacesADifferingValueOfTheUsersAndSaysSo() throws Exception {
        Map<String, Object> settings = parse("""
                {"env": {"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "KEEP": "me"}}
                """);
        SettingsEdit.Result r = SettingsEdit.apply(settings, entries(A, true));
        assertThat(env(r.settings())).containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
                .containsEntry("KEEP", "me").containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", A)
                .containsEntry("OTEL_LOG_TOOL_DETAILS", "1").doesNotContainKey("OTEL_LOG_USER_PROMPTS");
        assertThat(env(r.settings()).keySet()).startsWith("OTEL_EXPORTER_OTLP_PROTOCOL", "KEEP");
        assertThat(r.notes()).singleElement().asString().contains("OTEL_EXPORTER_OTLP_PROTOCOL")
                .contains("http/protobuf");
        // an earlier run's endpoint is setup's own: replaced without a word
        assertThat(SettingsEdit.apply(r.settings(), entries(B, true)).notes()).isEmpty();
    }

    @Test
    void removeKeepsOtelValuesTheUserChangedSinceAndAnExportThatNoLongerGoesToMos() throws Exception {
        Map<String, Object> set = SettingsEdit.apply(Map.of(), entries(A, true)).settings();
        env(set).put("OTEL_LOGS_EXPORTER", "console");
        SettingsEdit.Result r = SettingsEdit.remove(set, B);
        assertThat(r.settings()).isEqualTo(Map.of("env", Map.of("OTEL_LOGS_EXPORTER", "console")));
        assertThat(r.notes()).singleElement().asString().contains("OTEL_LOGS_EXPORTER");

        Map<String, Object> elsewhere = SettingsEdit.apply(Map.of(), entries(A, true)).settings();
        env(elsewhere).put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        Map<String, Object> out = SettingsEdit.remove(elsewhere, A).settings();
        assertThat(out.containsKey("hooks")).isFalse();
        assertThat(env(out)).containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
                .containsEntry("CLAUDE_CODE_ENABLE_TELEMETRY", "1");
    }

    @Test
    void theHeadersHelperReferencesTheVariableAndIsReplacedOrDroppedWithTheToken() throws Exception {
        MosEntries withToken = MosEntries.of(A, CMD, "MOS_TOKEN", true);
        assertThat(withToken.otelHeadersHelper()).contains("$MOS_TOKEN").doesNotContain("secret");
        Map<String, Object> set = SettingsEdit.apply(Map.of(), withToken).settings();
        assertThat(set).containsEntry("otelHeadersHelper", withToken.otelHeadersHelper());
        assertThat(handlers(set, "PreToolUse").getFirst()).containsEntry("allowedEnvVars", List.of("MOS_TOKEN"));

        assertThat(SettingsEdit.apply(set, entries(A, true)).settings()).doesNotContainKey("otelHeadersHelper");
        SettingsEdit.Result users = SettingsEdit.apply(parse("{\"otelHeadersHelper\": \"/bin/my-headers\"}"),
                withToken);
        assertThat(users.notes()).singleElement().asString().contains("/bin/my-headers");
        assertThat(SettingsEdit.apply(parse("{\"otelHeadersHelper\": \"/bin/my-headers\"}"), entries(A, true))
                .settings()).containsEntry("otelHeadersHelper", "/bin/my-headers");
    }

    @Test
    void removeWithoutMosEntriesChangesNothing() throws Exception {
        Map<String, Object> original = parse(USERS);
        assertThat(SettingsEdit.remove(original, A).settings()).isEqualTo(original);
        Map<String, Object> emptyHooks = parse("{\"hooks\": {}, \"env\": {}}");
        assertThat(SettingsEdit.remove(emptyHooks, A).settings()).isEqualTo(emptyHooks);
    }

    @Test
    void anUnexpectedShapeIsRefusedNotOverwritten() throws Exception {
        assertThatThrownBy(() -> SettingsEdit.apply(parse("{\"hooks\": []}"), entries(A, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"hooks\"");
        assertThatThrownBy(() -> SettingsEdit.apply(parse("{\"hooks\": {\"Stop\": {}}}"), entries(A, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Stop");
        assertThatThrownBy(() -> SettingsEdit.apply(parse("{\"env\": \"x\"}"), entries(A, true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"env\"");
        assertThatThrownBy(() -> SettingsEdit.remove(parse("{\"hooks\": 3}"), A))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
