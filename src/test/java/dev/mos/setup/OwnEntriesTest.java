package dev.mos.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnEntriesTest {

    private static Map<String, Object> http(String url) {
        return Map.of("type", "http", "url", url);
    }

    private static Map<String, Object> command(String command) {
        return Map.of("type", "command", "command", command);
    }

    @Test
    void anHttpHookToAHooksPathIsOursWhateverTheHostAndPort() {
        assertThat(OwnEntries.isOurs(http("http://127.0.0.1:3000/hooks"))).isTrue();
        assertThat(OwnEntries.isOurs(http("http://127.0.0.1:41234/hooks"))).isTrue();
        assertThat(OwnEntries.isOurs(http("https://mos.example.com/team/hooks/"))).isTrue();
        assertThat(OwnEntries.isOurs(http("http://localhost:3000/hooks?x=1"))).isTrue();
    }

    @Test
    void otherHttpHooksAreNotOurs() {
        assertThat(OwnEntries.isOurs(http("http://127.0.0.1:3000/webhooks"))).isFalse();
        assertThat(OwnEntries.isOurs(http("http://127.0.0.1:3000/hooks/extra"))).isFalse();
        assertThat(OwnEntries.isOurs(http("http://hooks"))).isFalse();
        assertThat(OwnEntries.isOurs(http("http://collector:4318/v1/logs"))).isFalse();
        assertThat(OwnEntries.isOurs(Map.of("type", "mcp_tool", "server", "mos", "tool", "log_event"))).isFalse();
        assertThat(OwnEntries.isOurs("not a handler")).isFalse();
    }

    @Test
    void aCommandRunningMosHookIsOurs() {
        assertThat(OwnEntries.isOurs(command("'/opt/jdk 25/bin/java' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "
                + "'/home/me/my projects/mos/target/mos.jar' hook --url http://127.0.0.1:3000"))).isTrue();
        assertThat(OwnEntries.isOurs(command("mos hook"))).isTrue();
        assertThat(OwnEntries.isOurs(command("/usr/local/bin/mos hook --timeout-ms 500"))).isTrue();
        assertThat(OwnEntries.isOurs(command("./mos hook"))).isTrue();
        assertThat(OwnEntries.isOurs(command("java -jar /opt/mos-0.4.0.jar hook"))).isTrue();
        // a custom --hook-command: setup writes it followed by "hook --url"
        assertThat(OwnEntries.isOurs(command("docker exec mosbox /app/run hook --url http://127.0.0.1:3000")))
                .isTrue();
    }

    @Test
    void otherCommandsAreNotOurs() {
        assertThat(OwnEntries.isOurs(command("true"))).isFalse();
        assertThat(OwnEntries.isOurs(command("git hook run pre-commit"))).isFalse();
        assertThat(OwnEntries.isOurs(command("mosquitto_pub hook"))).isFalse();
        // the hand-written curl alternative from the README is the user's own: it posts to /hooks, but is no mos
        assertThat(OwnEntries.isOurs(command("curl -s -m 2 -o /dev/null -X POST --data-binary @- "
                + "http://127.0.0.1:3000/hooks || true"))).isFalse();
    }

    @Test
    void serverBasesAreWhereMosHooksInTheFileSendTo() {
        Map<String, Object> settings = Map.of("hooks", Map.of(
                "PreToolUse", List.of(Map.of("hooks", List.of(http("http://127.0.0.1:3001/hooks"),
                        http("http://collector/x")))),
                "SessionStart", List.of(Map.of("hooks", List.of(command("mos hook --url http://127.0.0.1:3002/"))))));
        assertThat(OwnEntries.serverBases(settings))
                .containsExactlyInAnyOrder("http://127.0.0.1:3001", "http://127.0.0.1:3002");
        assertThat(OwnEntries.serverBases(Map.of("hooks", "odd"))).isEmpty();
    }

    @Test
    void theHeadersHelperSetupWritesIsRecognisedForAnyVariable() {
        assertThat(OwnEntries.isOurHeadersHelper(MosEntries.headersHelper("MOS_TOKEN"))).isTrue();
        assertThat(OwnEntries.isOurHeadersHelper(MosEntries.headersHelper("OTHER_1"))).isTrue();
        assertThat(OwnEntries.isOurHeadersHelper("/usr/local/bin/my-otel-headers")).isFalse();
        assertThat(OwnEntries.isOurHeadersHelper(null)).isFalse();
    }
}
