package dev.mos.setup;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which settings.json Claude Code reads, found the way Claude Code finds it. Claude Code is a Node program: its user
 * settings live in {@code $CLAUDE_CONFIG_DIR} when that is set, else in {@code $HOME/.claude} (Node's
 * {@code os.homedir()} follows {@code $HOME}). Java's {@code user.home} comes from the passwd entry instead, which
 * differs under {@code sudo -E}, in containers and in CI; it is only the fallback for an unset HOME. The environment
 * is passed in, so that this can be tested without touching the real one.
 */
public final class ClaudeSettingsLocation {

    /** Which of Claude Code's settings files. */
    public enum Scope {
        /** The user's own settings, for every project: {@code ~/.claude/settings.json}. */
        USER,
        /** The project's shared settings (usually committed): {@code ./.claude/settings.json}. */
        PROJECT,
        /** The project's personal settings (git-ignored by Claude Code): {@code ./.claude/settings.local.json}. */
        LOCAL
    }

    private ClaudeSettingsLocation() {
    }

    /**
     * The settings file for {@code scope}: {@code explicit} when given (--settings), else as Claude Code resolves
     * it from {@code env}, {@code userHome} (Java's user.home) and {@code cwd} (the project directory).
     */
    public static Path resolve(Path explicit, Scope scope, Map<String, String> env, String userHome, Path cwd) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        Path file = switch (scope) {
            case USER -> userConfigDir(env, userHome).resolve("settings.json");
            case PROJECT -> cwd.resolve(".claude").resolve("settings.json");
            case LOCAL -> cwd.resolve(".claude").resolve("settings.local.json");
        };
        return cwd.resolve(file).toAbsolutePath().normalize();
    }

    /** {@code $CLAUDE_CONFIG_DIR}, else {@code $HOME/.claude}, else {@code <user.home>/.claude}. */
    static Path userConfigDir(Map<String, String> env, String userHome) {
        String configDir = env.get("CLAUDE_CONFIG_DIR");
        if (configDir != null && !configDir.isBlank()) {
            return Path.of(configDir);
        }
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : userHome, ".claude");
    }
}
