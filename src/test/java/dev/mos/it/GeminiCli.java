package dev.mos.it;

import dev.mos.it.ClaudeCode.Proc;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Locates (and on first use installs) a pinned, real Gemini CLI for integration tests, as {@link ClaudeCode} does for
 * Claude Code: {@code $HOME/.cache/mos-test/gemini-cli} (env {@code MOS_GEMINI_CLI_DIR} overrides), its
 * {@code gemini} at {@code <dir>/node_modules/.bin/gemini}; when that is missing or another version,
 * {@code npm install --prefix <dir> @google/gemini-cli@<VERSION>} runs. {@code .ci/install-gemini-cli.sh} does the
 * same ahead of time: keep the version there in sync with {@link #VERSION}.
 */
final class GeminiCli {

    /** Pinned Gemini CLI version; keep in sync with .ci/install-gemini-cli.sh. */
    static final String VERSION = "0.61.0";

    private static final String PACKAGE = "@google/gemini-cli";
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(60);

    private static Path cached;

    private GeminiCli() {
    }

        /** The install dir: env MOS_GEMINI_CLI_DIR, else $HOME/.cache/mos-test/gemini-cli. */
    static Path dir() {
        return NpmInstall.dir("MOS_GEMINI_CLI_DIR", "gemini-cli");
    }

    /** Path of a working {@code gemini} of {@link #VERSION}, installing it first when needed. */
    static synchronized Path executable() {
        if (cached != null) {
            return cached;
        }
        Path dir = dir();
        Path gemini = dir.resolve("node_modules").resolve(".bin").resolve("gemini");
        try {
            Files.createDirectories(dir);
            // other worktrees' builds may install at the same time: one at a time per dir
            try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!VERSION.equals(versionOf(gemini))) {
                    install(dir);
                    String found = versionOf(gemini);
                    if (!VERSION.equals(found)) {
                        throw new IllegalStateException("after npm install, " + gemini + " --version printed "
                                + (found == null ? "nothing (not runnable)" : "'" + found + "'") + ", expected "
                                + VERSION + ". Delete " + dir + " and retry.");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Gemini CLI in " + dir, e);
        }
        cached = gemini;
        return gemini;
    }

    private static String versionOf(Path gemini) throws IOException {
        if (!Files.isExecutable(gemini)) {
            return null;
        }
        Path out = Files.createTempFile("gemini-version", ".txt");
        Path home = Files.createTempDirectory("gemini-version-home");
        try {
            ProcessBuilder pb = new ProcessBuilder(gemini.toString(), "--version").directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
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
        NpmInstall.install(dir, PACKAGE + "@" + VERSION, List.of(), "GeminiCli");
    }

    /**
     * A child environment for Gemini CLI independent of the user's own setup: HOME is {@code home}, and the user's
     * Gemini, Google and OpenTelemetry variables (which would override settings.json) are dropped.
     */
    static void isolate(Map<String, String> env, Path home) {
        env.keySet().removeIf(k -> k.startsWith("GEMINI") || k.startsWith("GOOGLE") || k.startsWith("OTEL_")
                || k.startsWith("OTLP_") || k.startsWith("MOS_") || k.startsWith("XDG_") || k.startsWith("NODE_")
                || k.equals("CLOUD_SHELL") || k.equals("DEBUG") || k.equalsIgnoreCase("HTTP_PROXY")
                || k.equalsIgnoreCase("HTTPS_PROXY"));
        env.put("HOME", home.toString());
        env.put("USERPROFILE", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    }
}
