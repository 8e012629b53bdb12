package dev.mos.it;

import dev.mos.it.ClaudeCode.Proc;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs real Claude Code and the {@code mos} commands around it for one end-to-end test: Claude Code isolated in the
 * test's HOME and pointed at the Messages API stand-in; every command's output captured under the test's temp
 * directory and echoed to stderr, so that a failing run can be read in the test report.
 */
final class ClaudeRunner {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String label;
    private final Path tmp;
    private String lastStdout = "";
    private String lastStderr = "";

    ClaudeRunner(String label, Path tmp) {
        this.label = label;
        this.tmp = tmp;
    }

    /** {@code claude ARGS} in {@code work}, with HOME {@code home}, against {@code api}, plus {@code env}. */
    Proc.Result claude(Path home, Path work, MessagesApiStandIn api, Map<String, String> env, String... args)
            throws IOException {
        // looked up (and installed on first use) only here: the setup-only tests need no Claude Code
        List<String> cmd = new ArrayList<>(List.of(ClaudeCode.executable().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        ClaudeCode.isolate(pb.environment(), home);
        pb.environment().putAll(env);
        pb.environment().put("ANTHROPIC_BASE_URL", api.baseUrl());
        pb.environment().put("ANTHROPIC_API_KEY", "sk-ant-test-not-a-real-key");
        pb.environment().put("MCP_TIMEOUT", "60000");
        return run(pb, work);
    }

    /** {@code mos setup claude-code --write} into {@code settings}, the hooks pointing at {@code mos}. */
    Proc.Result writeHooks(MosProcess mos, Path settings, Path work) throws IOException {
        return run(new ProcessBuilder(MosProcess.command("setup", "claude-code", "--url", mos.baseUrl(), "--write",
                "--settings", settings.toString())), work);
    }

    /**
     * {@code mos setup claude-code ARGS} in {@code work} as a user would run it: no {@code --settings}, so the
     * file is found from the environment, which is this one without HOME, CLAUDE_CONFIG_DIR and the MOS and
     * OpenTelemetry variables, plus {@code env}; {@code jvmArgs} go to the JVM (e.g. a decoy {@code user.home}).
     */
    Proc.Result setup(Map<String, String> env, List<String> jvmArgs, Path work, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(MosProcess.javaBin()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", MosProcess.JAR.toString(), "setup", "claude-code"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.equals("HOME") || k.startsWith("CLAUDE") || k.startsWith("MOS_")
                || k.startsWith("MCP_") || k.startsWith("OTEL_"));
        pb.environment().putAll(env);
        return run(pb, work);
    }

    /** Any command, in {@code work}, with no input; waits at most {@link #TIMEOUT}. */
    Proc.Result run(ProcessBuilder pb, Path work) throws IOException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Proc.Result r = Proc.run(pb, TIMEOUT);
        lastStdout = Files.readString(out, StandardCharsets.UTF_8);
        lastStderr = Files.readString(err, StandardCharsets.UTF_8);
        System.err.printf("[%s] %s -> exit %d in %d ms%n--- stdout ---%n%s--- stderr ---%n%s%n", label,
                String.join(" ", pb.command()), r.exitCode(), r.elapsed().toMillis(), lastStdout, lastStderr);
        return r;
    }

    /** What the last command printed on stdout. */
    String lastStdout() {
        return lastStdout;
    }

    /** What the last command printed on stderr. */
    String lastStderr() {
        return lastStderr;
    }
}
