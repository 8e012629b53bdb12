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

/** What the pinned agent CLIs of the tests share: where each is installed, and the one-time npm install. */
final class NpmInstall {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private NpmInstall() {
    }

    /** The install dir: env {@code envVar}, else {@code $HOME/.cache/mos-test/<name>}. */
    static Path dir(String envVar, String name) {
        String fromEnv = System.getenv(envVar);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "mos-test", name);
    }

    /** {@code npm install --prefix dir spec} (plus {@code extraArgs}), its output shown only when it fails. */
    static void install(Path dir, String spec, List<String> extraArgs, String label) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("npm", "install", "--prefix", dir.toString(), "--save-exact"));
        cmd.addAll(extraArgs);
        cmd.addAll(List.of("--no-audit", "--no-fund", "--loglevel=warn", spec));
        System.err.println("[" + label + "] installing " + spec + " into " + dir + " (one time)...");
        Path log = Files.createTempFile("npm-install", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Proc.Result r;
            try {
                r = Proc.run(pb, TIMEOUT);
            } catch (IOException e) {
                throw new IllegalStateException("cannot run npm (is Node.js/npm installed and on PATH?): " + cmd, e);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (r.timedOut() || r.exitCode() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + (r.timedOut()
                        ? " timed out after " + TIMEOUT.toSeconds() + " s" : " failed, exit " + r.exitCode())
                        + ":\n" + output);
            }
            System.err.println("[" + label + "] installed " + spec + " in " + r.elapsed().toMillis() + " ms");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
