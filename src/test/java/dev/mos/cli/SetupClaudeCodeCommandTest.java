package dev.mos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's own behaviour: what goes to stdout, exit codes, refusing bad files. Merging: SettingsEditTest. */
class SetupClaudeCodeCommandTest {

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
        all[1] = "claude-code";
        System.arraycopy(args, 0, all, 2, args.length);
        return Main.run(all);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thePrintedModeShowsTheBlockTheMcpLineAndTheOtelOptionAndWritesNothing() {
        Path file = tmp.resolve("settings.json");
        assertThat(run("--url", "http://127.0.0.1:4000/", "--settings", file.toString())).isZero();
        assertThat(stdout()).startsWith("# Add to " + file + " ")
                .contains("\"url\": \"http://127.0.0.1:4000/hooks\"")
                .contains("hook --url http://127.0.0.1:4000\"")
                .contains("claude mcp add --transport http mos http://127.0.0.1:4000/mcp")
                .contains("--otlp")
                .contains("export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4000")
                .contains("export OTEL_LOG_TOOL_DETAILS=1")
                .doesNotContain("OTEL_LOG_USER_PROMPTS");
        assertThat(file).doesNotExist();
    }

    @Test
    void thePrintedModeWithOtlpShowsTheEnvBlockAndTheTokenOnlyByName() {
        assertThat(run("--url", "http://h:1", "--otlp", "--token-env", "MOS_TOKEN", "--settings",
                tmp.resolve("s.json").toString())).isZero();
        assertThat(stdout()).contains("\"env\": {").contains("\"OTEL_EXPORTER_OTLP_ENDPOINT\": \"http://h:1\"")
                .contains("\"otelHeadersHelper\"").contains("$MOS_TOKEN")
                .contains("\"Authorization\": \"Bearer $MOS_TOKEN\"").doesNotContain("export ");
    }

    @Test
    void writeThenRemoveLeavesAnEmptyObjectAndSaysWhichFile() throws Exception {
        Path file = tmp.resolve("cfg/settings.json");
        assertThat(run("--url", "http://h:1", "--write", "--otlp", "--settings", file.toString())).isZero();
        assertThat(stderr()).contains("wrote " + file);
        assertThat(stdout()).isEmpty();
        assertThat(Files.readString(file)).contains("\"OTEL_EXPORTER_OTLP_ENDPOINT\": \"http://h:1\"");
        assertThat(run("--remove", "--settings", file.toString())).isZero();
        assertThat(Files.readString(file)).isEqualTo("{}\n");
        assertThat(run("--remove", "--settings", file.toString())).isZero();
        assertThat(stderr()).contains("has no MOS entries; nothing changed");
    }

    @Test
    void aReRunForAnotherUrlMovesAnEarlierOtlpExportAlong() throws Exception {
        Path file = tmp.resolve("settings.json");
        assertThat(run("--url", "http://h:1", "--write", "--otlp", "--settings", file.toString())).isZero();
        assertThat(run("--url", "http://h:2", "--write", "--settings", file.toString())).isZero();
        assertThat(stderr()).contains("keeping the OpenTelemetry export")
                .contains("hooks to http://h:2/hooks, OpenTelemetry to http://h:2");
        assertThat(Files.readString(file)).contains("\"OTEL_EXPORTER_OTLP_ENDPOINT\": \"http://h:2\"")
                .doesNotContain("http://h:1");
    }

    @Test
    void aFileThatIsNotJsonIsNamedAndLeftUntouched() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, "{\"hooks\": {oops}");
        assertThat(run("--url", "http://h:1", "--write", "--settings", file.toString())).isEqualTo(1);
        assertThat(stderr()).contains(file.toString()).contains("not valid JSON").contains("left unchanged")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.readString(file)).isEqualTo("{\"hooks\": {oops}");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void notAnObjectOrHooksOfAnotherShapeAreRefused() throws Exception {
        Path file = tmp.resolve("settings.json");
        Files.writeString(file, "[]");
        assertThat(run("--write", "--settings", file.toString())).isEqualTo(1);
        assertThat(stderr()).contains(file + ": not a JSON object; left unchanged");
        Files.writeString(file, "{\"hooks\": [1]}");
        assertThat(run("--remove", "--settings", file.toString())).isEqualTo(1);
        assertThat(stderr()).contains(file + ": \"hooks\" is not a JSON object; left unchanged");
        assertThat(Files.readString(file)).isEqualTo("{\"hooks\": [1]}");
    }

    @Test
    void aTokenVariableMustBeAVariableNameAndOneTargetAtATime() {
        assertThat(run("--token-env", "$(rm -rf ~)", "--settings", tmp.resolve("s.json").toString()))
                .isEqualTo(2);
        assertThat(run("--project", "--settings", tmp.resolve("s.json").toString())).isEqualTo(2);
        assertThat(stderr()).contains("mutually exclusive");
    }

    @Test
    void otlpIsRefusedForProjectAndLocalSettingsWhichClaudeCodeDoesNotTakeItFrom() {
        boolean hadProjectDir = Files.exists(Path.of(".claude"));
        assertThat(run("--write", "--otlp", "--project")).isEqualTo(2);
        assertThat(run("--write", "--otlp", "--local")).isEqualTo(2);
        assertThat(stderr()).contains("ignores OpenTelemetry variables in project and local settings");
        assertThat(Files.exists(Path.of(".claude"))).as("nothing written in the working directory")
                .isEqualTo(hadProjectDir);
    }
}
