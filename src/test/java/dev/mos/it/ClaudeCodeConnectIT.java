package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.it.ClaudeCode.Proc;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Claude Code ({@link ClaudeCode#VERSION}) connects to MOS over stdio ({@code ./mos stdio}) and over Streamable
 * HTTP ({@code ./mos serve --port 0}): {@code claude mcp list} health-checks each configured server (no login
 * needed) and must report it as Connected.
 *
 * <p>Each test has its own temp HOME and working dir; the user's ~/.claude is never read or written.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClaudeCodeConnectIT {

    private static final Duration CLAUDE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration MOS_START_TIMEOUT = Duration.ofSeconds(60);
    /** Claude Code 2.1.x prints e.g. {@code mos: /path/mos stdio - ✔ Connected}; accept ✓ too. */
    private static final String CONNECTED = " - [\\u2714\\u2713] Connected\\s*$";
    private static final Pattern MOS_PORT = Pattern.compile("MOS_PORT=(\\d+)");

    private static Path claude;
    private static Path repo;
    private static Path mosLauncher;

    @TempDir
    Path tmp;

    private Path home;
    private Path work;
    private final List<Process> processes = new ArrayList<>();
    private final StringBuffer mosServeStderr = new StringBuffer();
    private int claudeRuns;

    @BeforeAll
    static void prepare() {
        repo = Path.of(System.getProperty("mos.repo", System.getProperty("user.dir"))).toAbsolutePath();
        mosLauncher = repo.resolve("mos");
        assertThat(mosLauncher).as("launcher at repo root").isExecutable();
        assertThat(repo.resolve("target/mos.jar")).as("packaged jar (failsafe runs after package)").isRegularFile();
        claude = ClaudeCode.executable();
    }

    @BeforeEach
    void dirs() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("work"));
    }

    @AfterEach
    void stopProcesses() {
        processes.forEach(Proc::kill);
        processes.clear();
    }

    @Test
    void stdioServerShowsAsConnected() throws Exception {
        Run add = claude("mcp", "add", "mos", "--", mosLauncher.toString(), "stdio");
        assertThat(add.ok()).as("claude mcp add (stdio) failed:\n%s", add).isTrue();
        assertThat(add.stdout).contains("Added stdio MCP server mos");

        Run list = claude("mcp", "list");
        assertConnected(list, "mos", mosLauncher + " stdio", "");
    }

    @Test
    void httpServerShowsAsConnected() throws Exception {
        int port = startMosServe();
        String url = "http://127.0.0.1:" + port + "/mcp";

        Run add = claude("mcp", "add", "--transport", "http", "mos-http", url);
        assertThat(add.ok()).as("claude mcp add (http) failed:\n%s\nmos serve stderr:\n%s", add, mosServeStderr)
                .isTrue();
        assertThat(add.stdout).contains("Added HTTP MCP server mos-http");

        Run list = claude("mcp", "list");
        assertConnected(list, "mos-http", url + " (HTTP)", "\nmos serve stderr:\n" + mosServeStderr);
    }

    /**
     * Asserts that {@code claude mcp list} printed {@code <name>: <target> - ✔ Connected}. Note: it exits 0 even
     * when a server fails ({@code ✘ Failed to connect — ...}), so only the line tells.
     */
    private void assertConnected(Run list, String name, String target, String extra) {
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(name + ": " + target) + CONNECTED);
        if (!(list.ok() && line.matcher(list.stdout).find())) {
            throw new AssertionError("expected `" + name + ": " + target + " - ✔ Connected` in `claude mcp list`:\n"
                    + list + extra + "\n" + mcpLogs(name));
        }
    }

    /**
     * Claude Code's own MCP connection log for server {@code name} (under the temp HOME's
     * .cache/claude-cli-nodejs/&lt;project&gt;/mcp-logs-&lt;name&gt;/): it has the handshake steps and, for a stdio
     * server, everything the server wrote to stderr.
     */
    private String mcpLogs(String name) {
        StringBuilder sb = new StringBuilder("--- Claude Code MCP log for ").append(name).append(" ---\n");
        try (var files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().equals("mcp-logs-" + name)).sorted()
                    .toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                sb.append("[").append(home.relativize(f)).append("]\n")
                        .append(text.length() > 20_000 ? "...\n" + text.substring(text.length() - 20_000) : text);
            }
        } catch (IOException e) {
            sb.append("(cannot read: ").append(e).append(")\n");
        }
        return sb.toString();
    }

    /** Starts {@code ./mos serve --port 0} and returns its port, read from the {@code MOS_PORT=} line on stderr. */
    private int startMosServe() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(mosLauncher.toString(), "serve", "--port", "0")
                .directory(work.toFile())
                .redirectOutput(tmp.resolve("mos-serve.stdout").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        ClaudeCode.isolate(pb.environment(), home);
        Process mos = pb.start();
        processes.add(mos);
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(mos.getErrorStream(), StandardCharsets.UTF_8))) {
                String s;
                while ((s = r.readLine()) != null) {
                    mosServeStderr.append(s).append('\n');
                    Matcher m = MOS_PORT.matcher(s);
                    if (!port.isDone() && m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                mosServeStderr.append("[stderr read failed: ").append(e).append("]\n");
            } finally {
                port.completeExceptionally(new IllegalStateException("mos serve closed stderr before MOS_PORT="));
            }
        }, "mos-serve-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            return port.get(MOS_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError("mos serve --port 0 did not print MOS_PORT= within "
                    + MOS_START_TIMEOUT.toSeconds() + " s (alive=" + mos.isAlive() + "): " + e + "\nstderr:\n"
                    + mosServeStderr, e);
        }
    }

    private Run claude(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(claude.toString());
        cmd.addAll(List.of(args));
        int n = ++claudeRuns;
        Path out = tmp.resolve("claude-" + n + ".stdout");
        Path err = tmp.resolve("claude-" + n + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        ClaudeCode.isolate(pb.environment(), home);
        // Give a cold JVM plenty of time for the MCP handshake (Claude Code's own default is shorter).
        pb.environment().put("MCP_TIMEOUT", "60000");
        Proc.Result r = Proc.run(pb, CLAUDE_TIMEOUT);
        Run run = new Run(String.join(" ", cmd), r.exitCode(), r.timedOut(), r.elapsed(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        System.err.printf("[ClaudeCodeConnectIT] %s -> exit %d in %d ms%n", run.command, run.exitCode,
                run.elapsed.toMillis());
        return run;
    }

    private record Run(String command, int exitCode, boolean timedOut, Duration elapsed, String stdout,
                       String stderr) {

        boolean ok() {
            return !timedOut && exitCode == 0;
        }

        @Override
        public String toString() {
            return "$ " + command + "\nexit " + (timedOut ? "(timed out after " + CLAUDE_TIMEOUT.toSeconds() + " s)"
                    : exitCode) + " after " + elapsed.toMillis() + " ms\n--- stdout ---\n" + stdout
                    + "--- stderr ---\n" + stderr;
        }
    }
}
