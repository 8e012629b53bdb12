package dev.mos.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Locates (and on first use installs) a pinned, real Claude Code for integration tests.
 *
 * <p>Claude Code lives in a fixed cache dir, {@code $HOME/.cache/mos-test/claude-code} by default (override
 * with env {@code MOS_CLAUDE_CODE_DIR}); its {@code claude} is {@code <dir>/node_modules/.bin/claude}. When that is
 * missing or reports another version, {@code npm install --prefix <dir> @anthropic-ai/claude-code@<VERSION>} runs
 * (needs npm and the npm registry). {@code .ci/install-claude-code.sh} does the same ahead of time: keep the
 * version there in sync with {@link #VERSION}.
 */
public final class ClaudeCode {

    /** Pinned Claude Code version; keep in sync with .ci/install-claude-code.sh. */
    public static final String VERSION = "2.1.332";

    private static final String PACKAGE = "@anthropic-ai/claude-code";
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(60);

    private static Path cached;

    private ClaudeCode() {
    }
    /** The install dir: env MOS_CLAUDE_CODE_DIR, else $HOME/.cache/mos-test/claude-code. */
    public static Path dir() {
        return NpmInstall.dir("MOS_CLAUDE_CODE_DIR", "claude-code");
    }

    /** Path of a working {@code claude} of {@link #VERSION}, installing it first when needed. */
    public static synchronized Path executable() {
        if (cached != null) {
            return cached;
        }
        Path dir = dir();
        Path claude = dir.resolve("node_modules").resolve(".bin").resolve("claude");
        try {
            Files.createDirectories(dir);
            // A file lock, so that builds running at the same time (other worktrees) don't install into one dir at once.
            try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                String found = versionOf(claude);
                if (!isPinned(found)) {
                    install(dir);
                    found = versionOf(claude);
                    if (!isPinned(found)) {
                        // npm may have skipped the postinstall that puts the native binary behind .bin/claude
                        // (ignore-scripts, or scripts not allowed): use the platform package's binary directly.
                        Path direct = platformBinary(dir);
                        if (direct != null) {
                            cached = direct;
                            return direct;
                        }
                        throw new IllegalStateException("after npm install, " + claude + " --version printed "
                                + (found == null ? "nothing (not runnable)" : "'" + found + "'")
                                + ", expected " + VERSION + ". Delete " + dir + " and retry.");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Claude Code in " + dir, e);
        }
        cached = claude;
        return claude;
    }

    private static boolean isPinned(String versionLine) {
        return versionLine != null && versionLine.startsWith(VERSION + " ");
    }

    /** {@code node_modules/@anthropic-ai/claude-code-<platform>/claude} of the pinned version, if one runs here. */
    private static Path platformBinary(Path dir) throws IOException {
        Path scope = dir.resolve("node_modules").resolve("@anthropic-ai");
        if (!Files.isDirectory(scope)) {
            return null;
        }
        try (var packages = Files.list(scope)) {
            for (Path pkg : packages.filter(p -> p.getFileName().toString().startsWith("claude-code-")).toList()) {
                Path bin = pkg.resolve("claude");
                if (isPinned(versionOf(bin))) {
                    return bin;
                }
            }
        }
        return null;
    }

    /** First line of {@code claude --version}, or null when it is missing or fails. */
    private static String versionOf(Path claude) throws IOException {
        if (!Files.isExecutable(claude)) {
            return null;
        }
        Path out = Files.createTempFile("claude-version", ".txt");
        Path home = Files.createTempDirectory("claude-version-home");
        try {
            ProcessBuilder pb = new ProcessBuilder(claude.toString(), "--version")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            isolate(pb.environment(), home);
            Proc.Result r = Proc.run(pb, VERSION_TIMEOUT);
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            return r.exitCode() == 0 && !text.isEmpty() ? text.lines().findFirst().orElse(null) : null;
        } finally {
            Files.deleteIfExists(out);
            Proc.deleteTree(home);
        }
    }

        private static void install(Path dir) throws IOException {
        NpmInstall.install(dir, PACKAGE + "@" + VERSION, List.of(), "ClaudeCode");
    }

    /**
     * Makes a child environment of Claude Code independent of the user's own setup: HOME is {@code home}, the
     * user's Claude/Anthropic/OpenTelemetry/MOS settings are dropped, and non-essential traffic and the auto-updater
     * are off.
     */
    public static void isolate(Map<String, String> env, Path home) {
        env.keySet().removeIf(k -> k.startsWith("CLAUDE") || k.startsWith("ANTHROPIC") || k.startsWith("OTEL_")
                || k.startsWith("MCP_") || k.startsWith("MOS_") || k.startsWith("XDG_") || k.startsWith("NODE_")
                || k.equals("DEBUG") || k.equals("HTTP_PROXY") || k.equals("HTTPS_PROXY") || k.equals("http_proxy")
                || k.equals("https_proxy"));
        env.put("HOME", home.toString());
        env.put("USERPROFILE", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("CI", "1");
        if ("root".equals(System.getProperty("user.name"))) {
            env.put("IS_SANDBOX", "1");
        }
    }

    /** Small process helpers shared by the integration tests. */
    static final class Proc {

        record Result(int exitCode, boolean timedOut, Duration elapsed) {
        }

        private Proc() {
        }

        /** Starts {@code pb}, waits at most {@code timeout}, and always kills the process tree before returning. */
        static Result run(ProcessBuilder pb, Duration timeout) throws IOException {
            long start = System.nanoTime();
            Process p = pb.start();
            try {
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                return new Result(done ? p.exitValue() : -1, !done, elapsed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + pb.command(), e);
            } finally {
                kill(p);
            }
        }

        /**
         * Stops a process and everything it started: SIGTERM with a short grace period (lets e.g. mos shut down
         * cleanly), then SIGKILL for whatever is still there.
         */
        static void kill(Process p) {
            if (p == null) {
                return;
            }
            // Taken first: once the parent is gone, its children are re-parented and no longer found this way.
            List<ProcessHandle> tree = p.descendants().toList();
            try {
                if (p.isAlive()) {
                    p.destroy();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                tree.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        static void deleteTree(Path root) {
            if (root == null || !Files.exists(root)) {
                return;
            }
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // best effort
                    }
                });
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
