package dev.mos.it;

import dev.mos.it.ClaudeCode.Proc;
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

/**
 * Locates (and on first use installs) a pinned, real OpenAI Codex CLI for integration tests.
 *
 * <p>It lives in {@code $HOME/.cache/mos-test/codex} by default (override with env {@code MOS_CODEX_DIR}); its
 * {@code codex} is {@code <dir>/node_modules/.bin/codex}, a Node launcher that runs the native binary of the
 * optional dependency {@code @openai/codex-linux-x64} (or the package of this platform). When that is missing or
 * reports another version, {@code npm install --prefix <dir> @openai/codex@<VERSION>} runs with optional
 * dependencies included. {@code .ci/install-codex.sh} does the same ahead of time: keep its version in sync.
 */
final class Codex {

    /** Pinned Codex CLI version; keep in sync with .ci/install-codex.sh. */
    static final String VERSION = "0.171.0";

    private static final String PACKAGE = "@openai/codex";
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(60);

    private static Path cached;

    private Codex() {
    }
    // --include=optional at install: the native binary is the optional dependency @openai/codex-<platform>
    /** The install dir: env MOS_CODEX_DIR, else $HOME/.cache/mos-test/codex. */
    static Path dir() {
        return NpmInstall.dir("MOS_CODEX_DIR", "codex");
    }

    /** Path of a working {@code codex} of {@link #VERSION}, installing it first when needed. */
    static synchronized Path executable() {
        if (cached != null) {
            return cached;
        }
        Path dir = dir();
        Path codex = dir.resolve("node_modules").resolve(".bin").resolve("codex");
        try {
            Files.createDirectories(dir);
            // a file lock: builds of other worktrees may install into the same dir at the same time
            try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                String found = versionOf(codex);
                if (!isPinned(found)) {
                    install(dir);
                    found = versionOf(codex);
                    if (!isPinned(found)) {
                        throw new IllegalStateException("after npm install, " + codex + " --version printed "
                                + (found == null ? "nothing (not runnable)" : "'" + found + "'") + ", expected "
                                + VERSION + " (is the optional dependency @openai/codex-<platform> installed?)."
                                + " Delete " + dir + " and retry.");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Codex CLI in " + dir, e);
        }
        cached = codex;
        return codex;
    }

    private static boolean isPinned(String versionLine) {
        return versionLine != null && versionLine.equals("codex-cli " + VERSION);
    }

    /** First line of {@code codex --version}, or null when it is missing or fails. */
    private static String versionOf(Path codex) throws IOException {
        if (!Files.isExecutable(codex)) {
            return null;
        }
        Path out = Files.createTempFile("codex-version", ".txt");
        Path home = Files.createTempDirectory("codex-version-home");
        try {
            ProcessBuilder pb = new ProcessBuilder(codex.toString(), "--version")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            isolate(pb.environment(), home, Files.createDirectories(home.resolve(".codex")));
            Proc.Result r = Proc.run(pb, VERSION_TIMEOUT);
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            // warnings may come first: the version is the line that names the CLI
            return r.exitCode() == 0 ? text.lines().filter(l -> l.startsWith("codex-cli ")).findFirst()
                    .orElse(text.isEmpty() ? null : text.lines().findFirst().orElse(null)) : null;
        } finally {
            Files.deleteIfExists(out);
            Proc.deleteTree(home);
        }
    }

        private static void install(Path dir) throws IOException {
        NpmInstall.install(dir, PACKAGE + "@" + VERSION, List.of("--include=optional"), "Codex");
    }

    /**
     * Makes a child environment of Codex independent of the user's own setup: HOME is {@code home}, CODEX_HOME is
     * {@code codexHome}, the user's OpenAI/Codex/OpenTelemetry/MOS settings and proxies are dropped.
     */
    static void isolate(Map<String, String> env, Path home, Path codexHome) {
        env.keySet().removeIf(k -> k.startsWith("CODEX") || k.startsWith("OPENAI") || k.startsWith("OTEL_")
                || k.startsWith("MCP_") || k.startsWith("MOS_") || k.startsWith("XDG_") || k.startsWith("RUST_")
                || k.equals("HTTP_PROXY") || k.equals("HTTPS_PROXY") || k.equals("http_proxy")
                || k.equals("https_proxy") || k.equals("ALL_PROXY") || k.equals("all_proxy"));
        env.put("HOME", home.toString());
        env.put("CODEX_HOME", codexHome.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        env.put("NO_COLOR", "1");
    }
}
