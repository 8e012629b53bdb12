package dev.mos.it;

import dev.mos.it.ClaudeCode.Proc;
import dev.mos.it.ResponsesApiStandIn.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Re-records the Codex CLI sample in {@code src/test/resources/dev/mos/agents/}: real Codex ({@link Codex#VERSION})
 * runs the {@link CodexCliIT} script against the Responses API stand-in, a real MOS as its MCP server, and its three
 * OTLP exporters pointed at {@link OtlpJsonCapture}; the requests are written as JSON lines, and the session's
 * rollout file is copied beside them. Run from the project root after {@code ./mvnw package}:
 * {@code java -cp target/test-classes:$(cat cp.txt) dev.mos.it.CodexCapture <capture.jsonl> <rollout.jsonl>
 * [logs-only]}.
 */
public final class CodexCapture {

    private CodexCapture() {
    }

    /** A command hook for every event Codex 0.171.0 names, appending the payload (stdin) as one line. */
    private static String hookTables(Path out) {
        StringBuilder b = new StringBuilder();
        for (String event : List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PermissionRequest",
                "PostToolUse", "PreCompact", "PostCompact", "Stop", "SubagentStart", "SubagentStop")) {
            b.append("\n[[hooks.").append(event).append("]]\n[[hooks.").append(event).append(".hooks]]\n")
                    .append("type = \"command\"\n")
                    .append("command = \"{ printf '{\\\"hook\\\":\\\"").append(event)
                    .append("\\\",\\\"payload\\\":'; cat; printf '}\\\\n'; } >> ").append(out).append("\"\n");
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        Path captureOut = Path.of(args[0]);
        Path rolloutOut = Path.of(args[1]);
        // "logs-only": only the log exporter, to see what the logs carry without the trace exporter; "hooks": also
        // every hook event as a command hook appending its stdin to <rollout.jsonl>.hooks.jsonl
        boolean logsOnly = args.length > 2 && args[2].equals("logs-only");
        boolean hooks = args.length > 2 && args[2].equals("hooks");
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "codex-capture");
        try (MosProcess mos = MosProcess.serve(Map.of());
             ResponsesApiStandIn api = CodexCliIT.script(new ResponsesApiStandIn());
             OtlpJsonCapture otlp = new OtlpJsonCapture()) {
            Path home = Files.createDirectories(tmp.resolve("home"));
            Path codexHome = Files.createDirectories(home.resolve(".codex"));
            Path work = Files.createDirectories(tmp.resolve("work"));
            Files.writeString(codexHome.resolve("config.toml"), CodexCliIT.providerConfig(api) + """

                    [otel]
                    environment = "capture"
                    log_user_prompt = true
                    exporter = { otlp-http = { endpoint = "%1$s/v1/logs", protocol = "json" } }
                    %3$s
                    [mcp_servers.mos]
                    url = "%2$s/mcp"
                    """.formatted(otlp.baseUrl(), mos.baseUrl(), logsOnly ? "" : """
                    trace_exporter = { otlp-http = { endpoint = "%1$s/v1/traces", protocol = "json" } }
                    metrics_exporter = { otlp-http = { endpoint = "%1$s/v1/metrics", protocol = "json" } }
                    """.formatted(otlp.baseUrl())) + (hooks ? hookTables(Path.of(rolloutOut + ".hooks.jsonl")) : ""));
            ClaudeRunner runner = new ClaudeRunner("CodexCapture", tmp);
            ProcessBuilder exec = CodexCliIT.exec(home, codexHome, CodexCliIT.PROMPT);
            if (hooks) {
                exec.command().add(exec.command().size() - 1, "--dangerously-bypass-hook-trust");
            }
            Proc.Result r = runner.run(exec, work);
            System.err.println("exit " + r.exitCode() + "\nstand-in: " + api.requestLog + "\ntools: "
                    + api.offeredTools + "\nOTLP problems: " + otlp.problems);
            Thread.sleep(3000); // the exporters' last batch
            Files.write(captureOut, otlp.lines, StandardCharsets.UTF_8);
            try (var files = Files.walk(codexHome.resolve("sessions"))) {
                List<Path> rollouts = files.filter(f -> f.getFileName().toString().startsWith("rollout-")).sorted()
                        .toList();
                System.err.println("rollouts: " + rollouts);
                Files.copy(rollouts.getFirst(), rolloutOut, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            System.err.println("wrote " + otlp.lines.size() + " OTLP requests to " + captureOut);
        }
    }
}
